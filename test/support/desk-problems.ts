import { expect } from 'vitest';
import { parse, stringify } from 'yaml';
import { FixRequestError } from '../../src/core/errors.js';
import { EXAMPLE_DESK_YAML } from '../../src/config/example-desk.js';
import { parseDeskConfig } from '../../src/config/parse-desk.js';

/** The example desk file as plain YAML data, typed loosely enough for tests to break it. */
export type Desk = Record<string, unknown> & {
  desk: Record<string, unknown>;
  instruments: Record<string, unknown>[];
  venues: Record<string, unknown>[];
  data: Record<string, Record<string, unknown>>;
  capital: Record<string, unknown> & { sleeves: Record<string, unknown>[] };
  agents: Record<string, unknown>[];
  manager: Record<string, unknown>;
  risk: Record<string, unknown> & { limits: Record<string, unknown>; breakers: Record<string, unknown> };
  notifications: Record<string, unknown> & { channels: Record<string, unknown>[] };
  orchestrator: Record<string, unknown>;
};

export function example(): Desk {
  return parse(EXAMPLE_DESK_YAML) as Desk;
}

/** The problem lines for the example after `mutate`, without the `desk.yaml: ` prefix and line suffix. */
export function problems(mutate: (desk: Desk) => void): string[] {
  const desk = example();
  mutate(desk);
  try {
    parseDeskConfig(stringify(desk), 'desk.yaml');
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(FixRequestError);
    expect((error as FixRequestError).code).toBe('invalid_config');
    return (error as Error).message.split('\n').map((line) => line.replace(/^desk\.yaml: /, '').replace(/ \(line \d+\)$/, ''));
  }
}

/** Just the paths of those problems. */
export function paths(mutate: (desk: Desk) => void): string[] {
  return problems(mutate).map((line) => line.slice(0, line.indexOf(': ')));
}
