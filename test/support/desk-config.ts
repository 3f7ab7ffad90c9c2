import { parse, stringify } from 'yaml';
import { EXAMPLE_DESK_YAML } from '../../src/config/example-desk.js';
import type { DeskConfig } from '../../src/config/desk-schema.js';
import { parseDeskConfig } from '../../src/config/parse-desk.js';

/** A desk file as parsed YAML, for tests to edit freely before it is validated. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the point is free-form editing; validation comes after
export type DeskDoc = Record<string, any>;

/** The example desk as a plain object, changed by `edit`, then validated like a desk file. */
export function exampleDesk(edit: (doc: DeskDoc) => void = () => undefined): DeskConfig {
  const doc = parse(EXAMPLE_DESK_YAML) as DeskDoc;
  edit(doc);
  return parseDeskConfig(stringify(doc), 'test-desk').config;
}
