import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Fixed, MAX_SCALE, divRound, fx, pow10 } from './fixed.js';
import type { Rounding } from './fixed.js';
import { errorOf } from '../../test/support/errors.js';

const ROUNDINGS: readonly Rounding[] = ['half-even', 'half-up', 'down', 'up', 'floor', 'ceil'];


const abs = (n: bigint): bigint => (n < 0n ? -n : n);

/** Units and scale as a plain pair, so a mismatch shows both. */
const shape = (value: Fixed): [string, number] => [value.units.toString(), value.scale];

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

describe('rounding modes', () => {
  // value at scale 1 -> expected at scale 0, per mode: half-even, half-up, down, up, floor, ceil
  const table: [string, number, number, number, number, number, number][] = [
    ['2.5', 2, 3, 2, 3, 2, 3],
    ['3.5', 4, 4, 3, 4, 3, 4],
    ['-2.5', -2, -3, -2, -3, -3, -2],
    ['-3.5', -4, -4, -3, -4, -4, -3],
    ['2.51', 3, 3, 2, 3, 2, 3],
    ['-2.51', -3, -3, -2, -3, -3, -2],
    ['2.49', 2, 2, 2, 3, 2, 3],
    ['-2.49', -2, -2, -2, -3, -3, -2],
    ['0.5', 0, 1, 0, 1, 0, 1],
    ['-0.5', 0, -1, 0, -1, -1, 0],
    ['7.0', 7, 7, 7, 7, 7, 7],
    ['-7.0', -7, -7, -7, -7, -7, -7],
  ];

  it.each(table)('%s rounds to scale 0 as half-even %i, half-up %i, down %i, up %i, floor %i, ceil %i', (text, ...expected) => {
    ROUNDINGS.forEach((mode, i) => {
      const want = BigInt(expected[i] ?? Number.NaN);
      expect(fx(text).rescale(0, mode).units, `${text} ${mode} via rescale`).toBe(want);
      expect(Fixed.parse(text, 0, mode).units, `${text} ${mode} via parse`).toBe(want);
      // The same rounding through division: text / 1 at scale 0.
      expect(fx(text).div(fx('1'), 0, mode).units, `${text} ${mode} via div`).toBe(want);
    });
  });

  it('rescale to a finer scale is exact and to the same scale is a no-op', () => {
    expect(fx('1.5').rescale(4).toString()).toBe('1.5000');
    const value = fx('1.25');
    expect(value.rescale(2)).toBe(value);
  });

  it('rescale defaults to half-even', () => {
    expect(fx('0.125').rescale(2).toString()).toBe('0.12');
    expect(fx('0.135').rescale(2).toString()).toBe('0.14');
  });

  it('divRound accepts a negative divisor by flipping both signs', () => {
    expect(divRound(7n, -2n, 'floor')).toBe(-4n);
    expect(divRound(7n, -2n, 'ceil')).toBe(-3n);
    expect(divRound(-7n, -2n, 'half-even')).toBe(4n);
    expect(divRound(-5n, -2n, 'half-even')).toBe(2n);
    expect(errorOf(() => divRound(1n, 0n, 'down')).code).toBe('division_by_zero');
  });
});

describe('arithmetic', () => {
  it('adds and subtracts across scales at the finer scale', () => {
    const sum = fx('1.5').add(fx('0.25'));
    expect(sum.toString()).toBe('1.75');
    expect(fx('0.25').add(fx('1.5')).toString()).toBe('1.75');
    expect(fx('1').sub(fx('0.001')).toString()).toBe('0.999');
    expect(fx('0.001').sub(fx('1')).toString()).toBe('-0.999');
    expect(fx('1.10').add(fx('2.20')).toString()).toBe('3.30');
  });

  it('multiplies exactly by default, at the sum of the scales', () => {
    const product = fx('1.5').mul(fx('2.25'));
    expect(shape(product)).toEqual(['3375', 3]);
    expect(fx('-0.1').mul(fx('0.1')).toString()).toBe('-0.01');
  });

  it('multiplies to a finer scale exactly and to a coarser scale with rounding', () => {
    expect(fx('1.5').mul(fx('2'), 4).toString()).toBe('3.0000');
    expect(fx('1.5').mul(fx('2.25'), 2).toString()).toBe('3.38'); // 3.375, tie to even
    expect(fx('1.5').mul(fx('2.35'), 2).toString()).toBe('3.52'); // 3.525, tie to even
    expect(fx('1.5').mul(fx('2.25'), 2, 'down').toString()).toBe('3.37');
    expect(fx('-1.5').mul(fx('2.25'), 2, 'floor').toString()).toBe('-3.38');
    expect(fx('-1.5').mul(fx('2.25'), 2, 'ceil').toString()).toBe('-3.37');
    expect(fx('0.00012').mul(fx('30000.5'), 2, 'half-up').toString()).toBe('3.60');
  });

  it('rejects an explicit product scale outside 0..MAX_SCALE', () => {
    expect(errorOf(() => fx('1.5').mul(fx('2.25'), -1)).code).toBe('scale_out_of_range');
    expect(errorOf(() => fx('1.5').mul(fx('2.25'), MAX_SCALE + 1)).code).toBe('scale_out_of_range');
  });

  it('divides to the requested scale with the requested rounding', () => {
    expect(fx('10').div(fx('4'), 2, 'down').toString()).toBe('2.50');
    expect(fx('10').div(fx('3'), 4, 'half-even').toString()).toBe('3.3333');
    expect(fx('10').div(fx('3'), 4, 'up').toString()).toBe('3.3334');
    expect(fx('-10').div(fx('3'), 4, 'floor').toString()).toBe('-3.3334');
    expect(fx('-10').div(fx('3'), 4, 'ceil').toString()).toBe('-3.3333');
    expect(fx('10').div(fx('-3'), 4, 'up').toString()).toBe('-3.3334');
    expect(fx('1').div(fx('8'), 2, 'half-even').toString()).toBe('0.12');
    expect(fx('1').div(fx('8'), 2, 'half-up').toString()).toBe('0.13');
    // A coarser target than the dividend (negative shift).
    expect(fx('1.23456').div(fx('2'), 1, 'half-even').toString()).toBe('0.6');
    expect(fx('0.75').div(fx('0.25'), 0, 'down').toString()).toBe('3');
  });

  it('division by zero is a FixRequestError naming the dividend', () => {
    const error = errorOf(() => fx('1.5').div(fx('0.00'), 2, 'down'));
    expect(error.code).toBe('division_by_zero');
    expect(error.message).toContain('1.5');
    expect(errorOf(() => fx('1').div(fx('2'), -1, 'down')).code).toBe('scale_out_of_range');
  });

  it('neg, abs, sign and the predicates', () => {
    expect(fx('1.5').neg().toString()).toBe('-1.5');
    expect(fx('-1.5').abs().toString()).toBe('1.5');
    expect([fx('-0.1').sign(), fx('0.0').sign(), fx('3').sign()]).toEqual([-1, 0, 1]);
    expect([fx('0.00').isZero(), fx('-1').isNegative(), fx('1').isPositive(), fx('0').isPositive()]).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });

  it('unitsAt refuses to lose precision', () => {
    expect(fx('1.5').unitsAt(3)).toBe(1500n);
    expect(errorOf(() => fx('1.25').unitsAt(1)).code).toBe('scale_loss');
  });
});

describe('quantize', () => {
  it('down to a lot size truncates toward zero and keeps the finer scale', () => {
    expect(fx('0.123456').quantize(fx('0.001')).toString()).toBe('0.123000');
    expect(fx('-0.1239').quantize(fx('0.001')).toString()).toBe('-0.1230');
    expect(fx('7').quantize(fx('0.5')).toString()).toBe('7.0');
    expect(fx('7.49').quantize(fx('0.5')).toString()).toBe('7.00');
  });

  it('half-even to a tick rounds ties to the even number of ticks', () => {
    expect(fx('100.25').quantize(fx('0.5'), 'half-even').toString()).toBe('100.00');
    expect(fx('100.75').quantize(fx('0.5'), 'half-even').toString()).toBe('101.00');
    expect(fx('100.26').quantize(fx('0.5'), 'half-even').toString()).toBe('100.50');
    expect(fx('100.125').quantize(fx('0.01'), 'half-even').toString()).toBe('100.120');
    expect(fx('-100.135').quantize(fx('0.01'), 'half-even').toString()).toBe('-100.140');
  });

  it('rejects a zero or negative increment', () => {
    expect(errorOf(() => fx('1').quantize(fx('0'))).code).toBe('invalid_increment');
    expect(errorOf(() => fx('1').quantize(fx('-0.1'))).code).toBe('invalid_increment');
  });

  it('isMultipleOf compares across scales and is false for a zero increment', () => {
    expect(fx('0.30').isMultipleOf(fx('0.1'))).toBe(true);
    expect(fx('0.3').isMultipleOf(fx('0.25'))).toBe(false);
    expect(fx('-1.5').isMultipleOf(fx('0.5'))).toBe(true);
    expect(fx('1').isMultipleOf(fx('0'))).toBe(false);
  });
});

describe('comparison', () => {
  it('compares values across scales', () => {
    expect(fx('1.5').cmp(fx('1.50'))).toBe(0);
    expect(fx('1.5').eq(fx('1.500'))).toBe(true);
    expect(fx('1.49').cmp(fx('1.5'))).toBe(-1);
    expect(fx('1.5').cmp(fx('1.4999'))).toBe(1);
    expect(fx('-1').cmp(fx('-0.999'))).toBe(-1);
    expect(fx('1.49').lt(fx('1.5'))).toBe(true);
    expect(fx('1.5').lte(fx('1.50'))).toBe(true);
    expect(fx('2').gt(fx('1.999'))).toBe(true);
    expect(fx('2').gte(fx('2.000'))).toBe(true);
    expect(fx('2').gt(fx('2.000'))).toBe(false);
  });

  it('min and max pick by value', () => {
    expect(fx('1.5').min(fx('1.25')).toString()).toBe('1.25');
    expect(fx('1.5').max(fx('1.25')).toString()).toBe('1.5');
    expect(fx('-3').max(fx('-3.5')).toString()).toBe('-3');
  });
});

// ---------- properties ----------

const units = fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n });
const nonZeroUnits = units.filter((n) => n !== 0n);
const scale = fc.integer({ min: 0, max: 12 });
const fixed = fc.tuple(units, scale).map(([u, s]) => Fixed.fromUnits(u, s));

describe('properties', () => {
  it('(a) add then sub returns the original value', () => {
    fc.assert(
      fc.property(fixed, fixed, (x, y) => {
        const back = x.add(y).sub(y);
        expect(back.eq(x)).toBe(true);
        expect(back.scale).toBe(Math.max(x.scale, y.scale));
        expect(back.unitsAt(Math.max(x.scale, y.scale))).toBe(x.unitsAt(Math.max(x.scale, y.scale)));
      }),
    );
  });

  it('(b) floor and ceil division bracket the exact quotient and differ by at most one unit', () => {
    fc.assert(
      fc.property(units, scale, nonZeroUnits, scale, scale, (a, sa, b, sb, s) => {
        const x = Fixed.fromUnits(a, sa);
        const y = Fixed.fromUnits(b, sb);
        // Exact quotient in units of scale s: a * 10^(s + sb) / (b * 10^sa), made over a positive denominator.
        let n = a * 10n ** BigInt(s + sb);
        let d = b * 10n ** BigInt(sa);
        if (d < 0n) {
          n = -n;
          d = -d;
        }
        const lo = x.div(y, s, 'floor');
        const hi = x.div(y, s, 'ceil');
        expect(lo.scale).toBe(s);
        expect(hi.scale).toBe(s);
        expect(lo.units * d <= n).toBe(true);
        expect(n < (lo.units + 1n) * d).toBe(true);
        expect((hi.units - 1n) * d < n).toBe(true);
        expect(n <= hi.units * d).toBe(true);
        const exact = n % d === 0n;
        expect(hi.units - lo.units).toBe(exact ? 0n : 1n);
        // down and up sit on the bracket by sign.
        const down = x.div(y, s, 'down').units;
        const up = x.div(y, s, 'up').units;
        expect(down).toBe(n >= 0n ? lo.units : hi.units);
        expect(up).toBe(n >= 0n ? hi.units : lo.units);
      }),
    );
  });

  it('(c) half-even is within half a unit of the exact value and breaks ties to even', () => {
    const check = (result: bigint, n: bigint, d: bigint): void => {
      // |result - n/d| <= 1/2  <=>  |2(result*d - n)| <= d  (d > 0)
      const distance2 = abs(2n * (result * d - n));
      expect(distance2 <= d).toBe(true);
      if (distance2 === d) expect(result % 2n).toBe(0n);
    };
    fc.assert(
      fc.property(units, scale, nonZeroUnits, scale, scale, (a, sa, b, sb, s) => {
        let n = a * 10n ** BigInt(s + sb);
        let d = b * 10n ** BigInt(sa);
        if (d < 0n) {
          n = -n;
          d = -d;
        }
        check(Fixed.fromUnits(a, sa).div(Fixed.fromUnits(b, sb), s, 'half-even').units, n, d);
      }),
    );
    fc.assert(
      fc.property(units, scale, units, scale, fc.integer({ min: 0, max: 24 }), (a, sa, b, sb, s) => {
        const product = Fixed.fromUnits(a, sa).mul(Fixed.fromUnits(b, sb), s, 'half-even');
        const exactScale = sa + sb;
        if (s >= exactScale) {
          expect(product.units).toBe(a * b * 10n ** BigInt(s - exactScale));
        } else {
          check(product.units, a * b, 10n ** BigInt(exactScale - s));
        }
      }),
    );
  });

  it('(c) ties at scale 0 land on an even integer for every half value', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), (k) => {
        const half = Fixed.fromUnits(k * 10n + 5n, 1); // k.5
        const rounded = half.rescale(0, 'half-even').units;
        expect(rounded % 2n).toBe(0n);
        expect(rounded === k || rounded === k + 1n).toBe(true);
      }),
    );
  });

  it('(d) parse(toString(x)) reproduces x, units and scale', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }), fc.integer({ min: 0, max: MAX_SCALE }), (u, s) => {
        const x = Fixed.fromUnits(u, s);
        const back = Fixed.parse(x.toString());
        expect(back.units).toBe(u);
        expect(back.scale).toBe(s);
        expect(Fixed.parse(x.toPlainString()).eq(x)).toBe(true);
        expect(Fixed.parse(x.toPlainString(), s)).toEqual(x);
      }),
    );
  });

  it('(e) quantize down gives a multiple of the increment, no larger in size, within one increment', () => {
    const increment = fc
      .tuple(fc.bigInt({ min: 1n, max: 10n ** 6n }), fc.integer({ min: 0, max: 10 }))
      .map(([u, s]) => Fixed.fromUnits(u, s));
    fc.assert(
      fc.property(fixed, increment, (x, step) => {
        const result = x.quantize(step, 'down');
        expect(result.isMultipleOf(step)).toBe(true);
        expect(result.abs().lte(x.abs())).toBe(true);
        expect(x.sub(result).abs().lt(step)).toBe(true);
        expect(result.isZero() || result.sign() === x.sign()).toBe(true);
        expect(result.scale).toBe(Math.max(x.scale, step.scale));
      }),
    );
  });

  it('every rounding mode agrees with rescale and is exact when nothing is cut', () => {
    fc.assert(
      fc.property(units, fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 12 }), fc.constantFrom(...ROUNDINGS), (u, s, cut, mode) => {
        const x = Fixed.fromUnits(u, s + cut);
        const viaRescale = x.rescale(s, mode);
        expect(viaRescale.units).toBe(divRound(u, 10n ** BigInt(cut), mode));
        expect(Fixed.parse(x.toString(), s, mode)).toEqual(viaRescale);
        if (u % 10n ** BigInt(cut) === 0n) expect(viaRescale.unitsAt(s + cut)).toBe(u);
      }),
    );
  });
});

describe('toNumber is the nearest double, as parsing the decimal text would give', () => {
  it('for random units and scales (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 60n), max: 2n ** 60n }), fc.integer({ min: 0, max: 30 }), (units, scale) => {
        const value = Fixed.fromUnits(units, scale);
        expect(value.toNumber()).toBe(Number(value.toString()));
      }),
      { numRuns: 20000 },
    );
  });
});
