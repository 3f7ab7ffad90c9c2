import { describe, expect, it } from 'vitest';
import { bootstrapMean } from './bootstrap.js';

const SETTINGS = { samples: 2000, level: 0.95, seed: 9 };
const each = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe('bootstrapMean', () => {
  it('gives the mean and an interval around it that narrows with more runs', () => {
    const few = [0.1, -0.05, 0.2, 0.03, -0.02];
    const estimate = bootstrapMean(few, each(few.length), SETTINGS);
    expect(estimate.mean).toBeCloseTo(0.052, 12);
    expect(estimate.low).toBeLessThan(estimate.mean);
    expect(estimate.high).toBeGreaterThan(estimate.mean);
    expect(estimate.low).toBeGreaterThanOrEqual(-0.05);
    expect(estimate.high).toBeLessThanOrEqual(0.2);
    const many = Array.from({ length: 40 }, (_, i) => few[i % few.length] as number);
    const tighter = bootstrapMean(many, each(many.length), SETTINGS);
    expect(tighter.mean).toBeCloseTo(0.052, 12);
    expect(tighter.high - tighter.low).toBeLessThan((estimate.high - estimate.low) / 2);
  });

  it('is the same for the same seed and differs for another', () => {
    const values = [1, 4, 2, 8, 5, 7];
    expect(bootstrapMean(values, each(6), SETTINGS)).toEqual(bootstrapMean(values, each(6), SETTINGS));
    expect(bootstrapMean(values, each(6), { ...SETTINGS, seed: 10 })).not.toEqual(bootstrapMean(values, each(6), SETTINGS));
  });

  it('collapses to the value for one run, and to the mean for identical runs', () => {
    expect(bootstrapMean([0.3], [0], SETTINGS)).toEqual({ mean: 0.3, low: 0.3, high: 0.3 });
    const same = bootstrapMean([0.1, 0.1, 0.1], each(3), SETTINGS);
    expect(same.low).toBe(same.mean);
    expect(same.high).toBe(same.mean);
  });

  it('resamples groups first, so runs sharing a market do not narrow the interval', () => {
    // Two markets, each seen three times: the spread comes from two observations, not six.
    const values = [1, 1, 1, 5, 5, 5];
    const grouped = bootstrapMean(values, [0, 0, 0, 1, 1, 1], SETTINGS);
    expect(grouped).toEqual({ mean: 3, low: 1, high: 5 });
    const naive = bootstrapMean(values, each(6), SETTINGS);
    expect(naive.low).toBeGreaterThan(1);
    expect(naive.high).toBeLessThan(5);
  });

  it('refuses mismatched labels and a level outside (0, 1)', () => {
    expect(() => bootstrapMean([1, 2], [0], SETTINGS)).toThrow('2 values but 1 group labels');
    expect(() => bootstrapMean([1, 2], [0, 1], { ...SETTINGS, level: 1 })).toThrow('confidence level must be between 0 and 1, got 1');
  });
});
