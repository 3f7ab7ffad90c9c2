import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IdTemplates } from './id-templates.js';

describe('IdTemplates', () => {
  it('decodes every id it encoded: counters, words, hashes and odd forms', () => {
    const id = fc.oneof(
      fc.nat().map((n) => `ev-${n}`),
      fc.nat().map((n) => `x.${n}.Y`),
      fc.constantFrom('buy', 'sell', 'ev-007', 'ev-', '0', '', 'a1b2', 'ev-9999999999999999'),
      fc.stringMatching(/^c[0-9a-z]{0,14}$/),
      fc.string(),
    );
    fc.assert(
      fc.property(fc.array(id, { maxLength: 200 }), (ids) => {
        const templates = new IdTemplates();
        const codes = ids.map((text) => {
          const reference = templates.encode(text);
          return [reference, reference >= 0 ? templates.counter : 0] as const;
        });
        expect(codes.map(([reference, counter]) => templates.decode(reference, counter))).toEqual(ids);
      }),
    );
  });
});
