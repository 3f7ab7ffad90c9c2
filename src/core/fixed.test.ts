import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Fixed, MAX_SCALE, fx, pow10 } from './fixed.js';
import type { Rounding } from './fixed.js';
import { errorOf } from '../../test/support/errors.js';
import { shape } from '../../test/support/fixed-values.js';

describe('Fixed.parse', () => {
  it.each([
    ['12.50', 1250n, 2, '12.50'],
    ['-0.001', -1n, 3, '-0.001'],
    ['1e-8', 1n, 8, '0.00000001'],
    ['+3', 3n, 0, '3'],
    ['.5', 5n, 1, '0.5'],
    ['5.', 5n, 0, '5'],
    ['-.25', -25n, 2, '-0.25'],
    ['1.5e3', 1500n, 0, '1500'],
    ['2.5E-2', 25n, 3, '0.025'],
    ['1.25e+1', 125n, 1, '12.5'],
    ['0007.10', 710n, 2, '7.10'],
    ['-0', 0n, 0, '0'],
    ['  42  ', 42n, 0, '42'],
    ['1e-36', 1n, 36, `0.${'0'.repeat(35)}1`],
  ])('parses %j as %s units at scale %i', (text, units, scale, printed) => {
    const value = Fixed.parse(text);
    expect(value.units).toBe(units);
    expect(value.scale).toBe(scale);
    expect(value.toString()).toBe(printed);
  });

  it.each(['', '   ', 'abc', '1.2.3', 'NaN', 'Infinity', '-', '+', '.', 'e5', '1e', '0x10', '1,5', '1 000', '--1', '1e2.5'])(
    'rejects %j as not a decimal, naming the text',
    (text) => {
      const error = errorOf(() => Fixed.parse(text));
      expect(error.code).toBe('invalid_decimal');
      expect(error.message).toContain(`"${text}"`);
      expect(error.retryable).toBe(false);
    },
  );

  it('rejects exponents that need more than MAX_SCALE decimals or an absurd magnitude', () => {
    expect(errorOf(() => Fixed.parse('1e-37')).code).toBe('scale_out_of_range');
    expect(errorOf(() => Fixed.parse('1e-99999')).message).toContain('"1e-99999"');
    expect(errorOf(() => Fixed.parse('1e99999')).code).toBe('scale_out_of_range');
    // Large but bounded positive exponents are exact integers.
    expect(Fixed.parse('1e20').units).toBe(10n ** 20n);
  });

  it('with a scale, pads shorter inputs and accepts extra digits only when they are zeros', () => {
    expect(Fixed.parse('1.2', 4).toString()).toBe('1.2000');
    expect(Fixed.parse('7', 2).toString()).toBe('7.00');
    expect(Fixed.parse('1.2300', 2).toString()).toBe('1.23');
    expect(Fixed.parse('-1.2300', 2).units).toBe(-123n);
  });

  it('with a scale and no rounding mode, extra significant digits are an error', () => {
    const error = errorOf(() => Fixed.parse('1.234', 2));
    expect(error.code).toBe('too_many_decimals');
    expect(error.message).toContain('"1.234"');
    expect(error.message).toContain('2 decimal places');
    expect(errorOf(() => Fixed.parse('-0.001', 2)).code).toBe('too_many_decimals');
    expect(errorOf(() => fx('0.5', 0)).code).toBe('too_many_decimals');
  });

  it('with a scale and a rounding mode, rounds the extra digits', () => {
    expect(Fixed.parse('1.234', 2, 'up').toString()).toBe('1.24');
    expect(Fixed.parse('1.235', 2, 'half-even').toString()).toBe('1.24');
    expect(Fixed.parse('1.245', 2, 'half-even').toString()).toBe('1.24');
    expect(Fixed.parse('1.245', 2, 'half-up').toString()).toBe('1.25');
    expect(Fixed.parse('-1.239', 2, 'down').toString()).toBe('-1.23');
    expect(Fixed.parse('-1.231', 2, 'floor').toString()).toBe('-1.24');
  });

  it('rounds inputs finer than MAX_SCALE when a target scale and rounding mode are given', () => {
    expect(shape(Fixed.parse('1e-40', 8, 'half-even'))).toEqual(['0', 8]);
    expect(shape(Fixed.parse('1e-40', 8, 'up'))).toEqual(['1', 8]);
    expect(shape(Fixed.parse('-1e-99999', 2, 'floor'))).toEqual(['-1', 2]);
    expect(shape(Fixed.parse('-1e-99999', 2, 'ceil'))).toEqual(['0', 2]);
    expect(shape(Fixed.parse(`0.${'0'.repeat(39)}6`, 39 - 30, 'half-up'))).toEqual(['0', 9]);
    expect(shape(Fixed.parse(`0.1${'0'.repeat(39)}`, 2))).toEqual(['10', 2]);
    expect(errorOf(() => Fixed.parse('1e-40', 8)).code).toBe('too_many_decimals');
  });

  it('fx is shorthand for parse', () => {
    expect(fx('3.10').eq(Fixed.fromUnits(310n, 2))).toBe(true);
    expect(fx('3.1', 3).toString()).toBe('3.100');
  });
});

describe('Fixed construction', () => {
  it('fromInt scales an integer and refuses non-integers', () => {
    expect(Fixed.fromInt(5, 2).toString()).toBe('5.00');
    expect(Fixed.fromInt(-12n).toString()).toBe('-12');
    expect(errorOf(() => Fixed.fromInt(1.5)).code).toBe('invalid_decimal');
    expect(errorOf(() => Fixed.fromInt(2 ** 53)).code).toBe('invalid_decimal');
  });

  it('fromUnits and zero check the scale range', () => {
    expect(Fixed.zero(4).toString()).toBe('0.0000');
    expect(Fixed.fromUnits(1n, MAX_SCALE).scale).toBe(36);
    expect(errorOf(() => Fixed.fromUnits(1n, MAX_SCALE + 1)).code).toBe('scale_out_of_range');
    expect(errorOf(() => Fixed.fromUnits(1n, -1)).code).toBe('scale_out_of_range');
    expect(errorOf(() => Fixed.fromUnits(1n, 1.5)).code).toBe('scale_out_of_range');
  });

  it('fromNumberApprox of an integer equals parsing its decimal form, at any scale', () => {
    fc.assert(
      fc.property(fc.oneof(fc.maxSafeInteger(), fc.constantFrom(0, -0, 1, -1)), fc.integer({ min: 0, max: MAX_SCALE }), (value, scale) => {
        expect(shape(Fixed.fromNumberApprox(value, scale))).toEqual(shape(Fixed.parse(String(value), scale, 'half-even')));
      }),
    );
  });

  it('fromNumberApprox of any float equals parsing its shortest decimal form, in every rounding mode', () => {
    const decimals = fc.tuple(fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), fc.integer({ min: 0, max: 12 })).map(([units, places]) => units / 10 ** places);
    const modes = fc.constantFrom<Rounding>('half-even', 'half-up', 'down', 'up', 'floor', 'ceil');
    fc.assert(
      fc.property(fc.oneof(decimals, fc.double({ min: -1e15, max: 1e15, noNaN: true })), fc.integer({ min: 0, max: 22 }), modes, (value, scale, mode) => {
        expect(shape(Fixed.fromNumberApprox(value, scale, mode))).toEqual(shape(Fixed.parse(String(value), scale, mode)));
      }),
      { numRuns: 20_000 },
    );
  });

  it('fromNumberApprox goes through the shortest decimal form of the float', () => {
    expect(Fixed.fromNumberApprox(0.1 + 0.2, 2).toString()).toBe('0.30');
    expect(Fixed.fromNumberApprox(0.1 + 0.2, 17).toString()).toBe('0.30000000000000004');
    expect(Fixed.fromNumberApprox(1.005, 2).toString()).toBe('1.00');
    expect(Fixed.fromNumberApprox(2.5, 0).toString()).toBe('2');
    expect(Fixed.fromNumberApprox(1e21, 0).units).toBe(10n ** 21n);
    expect(Fixed.fromNumberApprox(-1.5e-7, 8).toString()).toBe('-0.00000015');
    expect(errorOf(() => Fixed.fromNumberApprox(Number.NaN, 2)).code).toBe('invalid_decimal');
    expect(errorOf(() => Fixed.fromNumberApprox(Number.POSITIVE_INFINITY, 2)).code).toBe('invalid_decimal');
  });

  it('fromNumberApprox handles floats too small for MAX_SCALE', () => {
    expect(Fixed.fromNumberApprox(1e-40, 8).toString()).toBe('0.00000000');
    expect(Fixed.fromNumberApprox(Number.MIN_VALUE, 8, 'up').toString()).toBe('0.00000001');
    expect(Fixed.fromNumberApprox(-Number.MIN_VALUE, 2, 'floor').toString()).toBe('-0.01');
  });

  it('pow10 covers 0..2*MAX_SCALE+2 and rejects the rest', () => {
    expect(pow10(0)).toBe(1n);
    expect(pow10(74)).toBe(10n ** 74n);
    expect(errorOf(() => pow10(75)).code).toBe('scale_out_of_range');
    expect(errorOf(() => pow10(-1)).code).toBe('scale_out_of_range');
  });
});

describe('Fixed formatting', () => {
  it.each([
    [1250n, 2, '12.50', '12.5'],
    [-5n, 3, '-0.005', '-0.005'],
    [0n, 2, '0.00', '0'],
    [1200n, 2, '12.00', '12'],
    [-1200n, 2, '-12.00', '-12'],
    [100n, 0, '100', '100'],
    [-7n, 0, '-7', '-7'],
    [10n, 1, '1.0', '1'],
    [123456789n, 4, '12345.6789', '12345.6789'],
  ])('%s units at scale %i prints %j and plainly %j', (units, scale, plain, trimmed) => {
    const value = Fixed.fromUnits(units, scale);
    expect(value.toString()).toBe(plain);
    expect(value.toPlainString()).toBe(trimmed);
    expect(value.toJSON()).toBe(trimmed);
  });

  it('serialises to JSON as the plain string', () => {
    expect(JSON.stringify({ price: fx('1.50') })).toBe('{"price":"1.5"}');
  });

  it('toNumber is the float of the decimal', () => {
    expect(fx('-12.375').toNumber()).toBe(-12.375);
  });
});
