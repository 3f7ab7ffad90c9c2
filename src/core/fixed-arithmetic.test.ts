import { describe, expect, it } from 'vitest';
import { Fixed, MAX_SCALE, divRound, fx } from './fixed.js';
import { errorOf } from '../../test/support/errors.js';
import { ROUNDINGS, shape } from '../../test/support/fixed-values.js';

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
