import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatValue } from './parameters.js';

/** The rule the reason texts follow, by way of text. */
function byText(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(6))) : String(x);
}

describe('formatValue', () => {
  it('writes six significant digits without trailing zeros', () => {
    expect([30123.456, 0.000123456789, 1.5, 100, -42.1234567, 99999.96, 123456789].map(formatValue)).toEqual([
      '30123.5',
      '0.000123457',
      '1.5',
      '100',
      '-42.1235',
      '100000',
      '123457000',
    ]);
    expect([0, -0, Number.NaN, Number.POSITIVE_INFINITY, 1e-7, 2e21].map(formatValue)).toEqual(['0', '0', 'NaN', 'Infinity', '1e-7', '2e+21']);
  });

  it('agrees with toPrecision(6) on any double', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), (x) => {
        expect(formatValue(x)).toBe(byText(x));
      }),
      { numRuns: 20_000 },
    );
  });

  it('agrees with toPrecision(6) on prices, and on decimals at and next to a rounding tie', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99_999_999 }), fc.integer({ min: -8, max: 8 }), fc.integer({ min: -2, max: 2 }), (units, exponent, nudge) => {
        const tie = Number(`${units}5e${exponent}`);
        const x = nudge === 0 ? tie : nudge > 0 ? nextUp(tie, nudge) : -nextUp(tie, -nudge);
        expect(formatValue(x)).toBe(byText(x));
        const price = units / 100;
        expect(formatValue(price)).toBe(byText(price));
      }),
      { numRuns: 20_000 },
    );
  });
});

/** `x` moved `steps` doubles toward +infinity. */
function nextUp(x: number, steps: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  view.setBigUint64(0, view.getBigUint64(0) + BigInt(steps));
  return view.getFloat64(0);
}
