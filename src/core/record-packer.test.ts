import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Fixed } from './fixed.js';
import { RecordPacker } from './record-packer.js';

/** Equal in every way that matters to a journal: JSON text (key order included), key presence, Fixed units and scale. */
function canonical(value: unknown): string {
  return JSON.stringify(value, function (this: unknown, _key, v: unknown) {
    const raw = (this as Record<string, unknown>)[_key];
    if (raw instanceof Fixed) return { fixed: raw.units.toString(), scale: raw.scale };
    if (v === undefined) return '<undefined>';
    if (typeof v === 'number' && Object.is(v, -0)) return '<-0>';
    if (typeof v === 'number' && !Number.isFinite(v)) return `<${v}>`;
    return v;
  });
}

const leaf = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -0, 2 ** 50, -(2 ** 50), 2 ** 53, Number.MAX_SAFE_INTEGER, 1.5e12),
  fc.string(),
  fc.constantFrom('ev-1', 'ev-2', 'ev-10', 'sim-007', 'a1b2', '0', '00', 'x-999999999999999', 'x-9999999999999999', 'desk', 'buy'),
  fc.boolean(),
  fc.constant(undefined),
  fc.constant(null),
  fc.tuple(fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }), fc.integer({ min: 0, max: 36 })).map(([units, scale]) => Fixed.fromUnits(units, scale)),
);
const record = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('object'), tie('array')),
  object: fc.dictionary(fc.constantFrom('type', 'id', 'a', 'b', '1', 'fill', 'quantity'), tie('value'), { maxKeys: 5 }),
  array: fc.array(tie('value'), { maxLength: 4 }),
})).value;

describe('RecordPacker', () => {
  it('gives back records equal to the ones added, in any mix of shapes', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 30 }), (records) => {
        const packer = new RecordPacker<unknown>();
        const indices = records.map((r) => packer.add(r));
        records.forEach((r, i) => expect(canonical(packer.get(indices[i]!))).toBe(canonical(r)));
      }),
    );
  });

  it('gives back ids that count, share a prefix or differ only slightly, through the templates it learns', () => {
    const id = fc.oneof(
      fc.nat({ max: 2000 }).map((n) => `ev-${n}`),
      fc.nat().map((n) => `sma.${n}.BTCUSDT`),
      fc.tuple(fc.constantFrom('ev-', 'sim-', 'c'), fc.stringMatching(/^[0-9a-z]{0,17}$/)).map(([p, rest]) => p + rest),
    );
    fc.assert(
      fc.property(fc.array(fc.record({ type: fc.constantFrom('A', 'B'), id, other: id, n: fc.integer() }), { maxLength: 60 }), (records) => {
        const packer = new RecordPacker<unknown>();
        const indices = records.map((r) => packer.add(r));
        records.forEach((r, i) => expect(packer.get(indices[i]!)).toEqual(r));
      }),
    );
  });

  it('keeps key order and keys holding undefined, and rebuilds Fixed values', () => {
    const packer = new RecordPacker<Record<string, unknown>>();
    const first = { type: 'OrderFilled', b: 1, a: undefined, price: Fixed.parse('30169.65'), id: 'ev-1' };
    const second = { type: 'OrderFilled', a: undefined, b: 1, price: Fixed.parse('1.5'), id: 'ev-2' };
    const third = { type: 'OrderFilled', b: 2, a: undefined, price: Fixed.parse('2.25'), id: 'ev-3' };
    const ids = [first, second, third].map((r) => packer.add(r));
    const back = ids.map((i) => packer.get(i));
    expect(Object.keys(back[0]!)).toEqual(['type', 'b', 'a', 'price', 'id']);
    expect(Object.keys(back[1]!)).toEqual(['type', 'a', 'b', 'price', 'id']);
    expect('a' in back[2]!).toBe(true);
    expect((back[0]!.price as Fixed).eq(Fixed.parse('30169.65'))).toBe(true);
    expect(back[2]!.price).toBeInstanceOf(Fixed);
    expect(back.map((r) => r.id)).toEqual(['ev-1', 'ev-2', 'ev-3']);
  });

  it('keeps what it cannot pack as the original object', () => {
    const packer = new RecordPacker<unknown>();
    const odd = { type: 'X', when: new Map([[1, 2]]) };
    const list = [1, 2, 3];
    delete list[1];
    const sparse = { type: 'Y', list };
    expect(packer.get(packer.add(odd))).toBe(odd);
    expect(packer.get(packer.add(sparse))).toBe(sparse);
    const proto = JSON.parse('{"type":"Z","__proto__":{"a":1}}') as unknown;
    expect(packer.get(packer.add(proto))).toBe(proto);
  });

  it('refuses an index it never gave', () => {
    const packer = new RecordPacker<unknown>();
    packer.add({ type: 'A' });
    expect(() => packer.get(1)).toThrow(RangeError);
    expect(() => packer.get(-1)).toThrow(RangeError);
  });
});
