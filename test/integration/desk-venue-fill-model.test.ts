import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { EXAMPLE_DESK_YAML } from '../../src/config/example-desk.js';
import { parseDeskConfig } from '../../src/config/parse-desk.js';

/** The example desk with its sim venue's fill model set to `fillModel`. */
function withFillModel(fillModel: string): string {
  const desk = parse(EXAMPLE_DESK_YAML) as { venues: Record<string, unknown>[] };
  (desk.venues[0] as Record<string, unknown>).fillModel = fillModel;
  return stringify(desk);
}

describe("a desk file's sim venue fill model", () => {
  it('is bar: a desk feeds its venue bars, so l1 and l2 are refused by the field rather than run as bars', () => {
    expect(parseDeskConfig(withFillModel('bar'), 'desk.yaml').config.venues[0]).toMatchObject({ kind: 'sim', fillModel: 'bar' });
    for (const model of ['l1', 'l2']) {
      expect(() => parseDeskConfig(withFillModel(model), 'desk.yaml')).toThrow(
        /desk\.yaml: venues\[0\]\.fillModel: must be bar: a desk feeds its venue bars \(l1 and l2 need quotes, trades or order books\)/,
      );
    }
  });
});
