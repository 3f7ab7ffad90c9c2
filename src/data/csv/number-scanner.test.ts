import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isNumberText, NumberScanner } from './number-scanner.js';

const scanner = new NumberScanner();

/** The scanner's value for the whole text, failing the test when it does not consume all of it. */
function scanAll(text: string): number {
  const value = scanner.scan(text, 0);
  expect(scanner.end, `scanned "${text}" to ${scanner.end}`).toBe(text.length);
  return value;
}

function expectExact(text: string): void {
  expect(Object.is(scanAll(text), Number(text)), `"${text}": got ${scanAll(text)}, Number() gives ${Number(text)}`).toBe(true);
}

const digits = (min: number, max: number): fc.Arbitrary<string> =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max }).map((list) => list.join(''));

describe('NumberScanner', () => {
  it('reads the forms prices and volumes are written in', () => {
    expect(scanAll('0.0984')).toBe(0.0984);
    expect(scanAll('1820.54447418')).toBe(1820.54447418);
    expect(scanAll('1515560100000')).toBe(1515560100000);
    expect(scanAll('-0.5')).toBe(-0.5);
    expect(scanAll('+2.5')).toBe(2.5);
    expect(scanAll('.5')).toBe(0.5);
    expect(scanAll('5.')).toBe(5);
    expect(scanAll('1e-7')).toBe(1e-7);
    expect(scanAll('2.5E+3')).toBe(2500);
    expect(Object.is(scanAll('-0'), -0)).toBe(true);
  });

  it('is exact where the fast path cannot be: 17+ digits, long fractions, huge and tiny exponents', () => {
    for (const text of [
      '0.000052900000000000005',
      '0.00005330000000000001',
      '0.09946999000000001',
      '0.016083999999999998',
      '9007199254740993',
      '9007199254740993.0',
      '100000000000000008.0',
      '123456789012345678901234567890',
      '1e-30',
      '4.9e-324',
      '1.7976931348623157e308',
      '1e400',
      '0.1000000000000000055511151231257827',
    ]) {
      expectExact(text);
    }
  });

  it('stops at the first character that is not part of the number', () => {
    const text = '12.5,0.3\n';
    expect(scanner.scan(text, 0)).toBe(12.5);
    expect(scanner.end).toBe(4);
    expect(scanner.scan(text, 5)).toBe(0.3);
    expect(scanner.end).toBe(8);
  });

  it('finds no number in text without digits or with a dangling exponent', () => {
    for (const text of ['', '.', '-', 'abc', 'e5', '-.e1', '1e', '1e+']) {
      expect(Number.isNaN(scanner.scan(text, 0)) && scanner.end === -1, text).toBe(true);
    }
    expect(isNumberText(' 42 ')).toBe(true);
    expect(isNumberText('0x10')).toBe(false);
    expect(isNumberText('Infinity')).toBe(false);
  });

  it('equals Number(text) for every double in its shortest form', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        expectExact(String(value));
      }),
      { numRuns: 10_000 },
    );
  });

  it('equals Number(text) for doubles written with 15 to 21 significant digits', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-12, max: 1e12, noNaN: true }), fc.integer({ min: 15, max: 21 }), (value, precision) => {
        expectExact(value.toPrecision(precision));
        expectExact(value.toExponential(precision - 1));
      }),
      { numRuns: 10_000 },
    );
  });

  it('equals Number(text) for random decimal strings of any length and exponent', () => {
    const decimal = fc
      .tuple(fc.constantFrom('', '-', '+'), digits(0, 22), fc.option(digits(0, 26)), fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '-', '+'), digits(1, 3))))
      .map(([sign, whole, fraction, exponent]) => `${sign}${whole}${fraction === null ? '' : `.${fraction}`}${exponent === null ? '' : exponent.join('')}`)
      .filter((text) => /\d/.test(text.split(/e/i)[0] ?? ''));
    fc.assert(fc.property(decimal, expectExact), { numRuns: 20_000 });
  });

  it('equals Number(text) next to rounding midpoints', () => {
    // Halfway between two doubles above 2^53, written as integers with a fractional ".0...": the exact-division path.
    fc.assert(
      fc.property(fc.integer({ min: 53, max: 62 }), fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: -1, max: 1 }), (power, step, nudge) => {
        const ulp = 2n ** BigInt(power - 52);
        const midpoint = 2n ** BigInt(power) + ulp * BigInt(step) + ulp / 2n + BigInt(nudge);
        expectExact(`${midpoint}.0`);
        expectExact(`${midpoint}.00`);
      }),
      { numRuns: 10_000 },
    );
  });
});
