import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../core/random.js';
import { meanInterval } from './interval.js';

const each = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe('meanInterval', () => {
  it('is the mean plus and minus t(n - 1) standard errors of the units', () => {
    const values = [0.1, -0.05, 0.2, 0.03, -0.02];
    const estimate = meanInterval(values, each(5), 0.95);
    const sd = Math.sqrt(values.reduce((sum, v) => sum + (v - 0.052) ** 2, 0) / 4);
    expect(estimate.mean).toBeCloseTo(0.052, 12);
    expect(estimate.units).toBe(5);
    // t(0.975, 4) = 2.776.
    expect(estimate.low).toBeCloseTo(0.052 - (2.7764451 * sd) / Math.sqrt(5), 6);
    expect(estimate.high).toBeCloseTo(0.052 + (2.7764451 * sd) / Math.sqrt(5), 6);
  });

  it('covers the true mean about as often as it says with the default 2, 3, 6 and 10 units, where a bootstrap of the units did not', () => {
    const random = new SeededRandom(123);
    for (const units of [2, 3, 6, 10]) {
      let covered = 0;
      const trials = 4000;
      for (let t = 0; t < trials; t++) {
        const values = Array.from({ length: units }, () => random.normal());
        const { low, high } = meanInterval(values, each(units), 0.95);
        if ((low as number) <= 0 && 0 <= (high as number)) covered++;
      }
      expect(covered / trials).toBeGreaterThan(0.935);
      expect(covered / trials).toBeLessThan(0.965);
    }
  });

  it('cuts the interval of a quantity that cannot be negative at its floor (a turnover of 1 and 40 in two runs)', () => {
    const open = meanInterval([1, 40], each(2), 0.95);
    expect(open.low).toBeLessThan(0);
    const cut = meanInterval([1, 40], each(2), 0.95, 'student-t', 0);
    expect(cut.low).toBe(0);
    expect(cut.high).toBe(open.high);
  });

  it('counts runs sharing a market once: three seeds of two periods are two units', () => {
    const values = [1, 1, 1, 5, 5, 5];
    const grouped = meanInterval(values, [0, 0, 0, 1, 1, 1], 0.95);
    expect(grouped.units).toBe(2);
    // Two observations 1 and 5: mean 3, standard error 2, t(0.975, 1) = 12.706.
    expect(grouped.low).toBeCloseTo(3 - 12.7062047 * 2, 5);
    expect(grouped.high).toBeCloseTo(3 + 12.7062047 * 2, 5);
  });

  it('has no interval for one unit, and a point for identical units', () => {
    expect(meanInterval([0.3, 0.3, 0.3], [0, 0, 0], 0.95)).toEqual({ mean: 0.3, low: null, high: null, units: 1 });
    expect(meanInterval([0.25, 0.25, 0.25], each(3), 0.95)).toEqual({ mean: 0.25, low: 0.25, high: 0.25, units: 3 });
  });

  it('refuses mismatched labels and a level outside (0, 1)', () => {
    expect(() => meanInterval([1, 2], [0], 0.95)).toThrow('2 values but 1 group labels');
    expect(() => meanInterval([1, 2], [0, 1], 1)).toThrow('confidence level must be between 0 and 1, got 1');
  });

  it('bootstraps the units with the small-sample expansion: about its level from 6 units on, where the plain percentiles fell short', () => {
    const random = new SeededRandom(7);
    for (const [units, least] of [[6, 0.9], [10, 0.92]] as const) {
      let covered = 0;
      const trials = 1500;
      for (let t = 0; t < trials; t++) {
        const values = Array.from({ length: units }, () => random.normal());
        const { low, high } = meanInterval(values, each(units), 0.95, 'bootstrap');
        if ((low as number) <= 0 && 0 <= (high as number)) covered++;
      }
      expect(covered / trials).toBeGreaterThan(least);
      expect(covered / trials).toBeLessThan(0.98);
    }
  });

  it('gives the same bootstrap interval every time, holding the mean, and none for one unit', () => {
    const values = [0.1, -0.05, 0.2, 0.03, -0.02, 0.07];
    const first = meanInterval(values, each(6), 0.95, 'bootstrap');
    expect(meanInterval(values, each(6), 0.95, 'bootstrap')).toEqual(first);
    expect(first.units).toBe(6);
    expect((first.low as number) < first.mean && first.mean < (first.high as number)).toBe(true);
    // Within the units' range, and wider than the plain 2.5% / 97.5% percentiles of the resampled means would be.
    expect(first.low as number).toBeGreaterThanOrEqual(-0.05);
    expect(first.high as number).toBeLessThanOrEqual(0.2);
    expect(meanInterval([0.3, 0.3], [0, 0], 0.95, 'bootstrap')).toEqual({ mean: 0.3, low: null, high: null, units: 1 });
  });
});
