import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { erfc, normalCdf, normalInverseCdf, quantileSorted, sampleMoments } from './statistics.js';

/** |a - b| <= tolerance * |b| (or <= tolerance when b is 0). */
function expectRelative(actual: number, expected: number, tolerance: number): void {
  const scale = expected === 0 ? 1 : Math.abs(expected);
  expect(Math.abs(actual - expected) / scale).toBeLessThanOrEqual(tolerance);
}

describe('normal distribution', () => {
  // Reference values computed independently with mpmath at 40 significant digits.
  it.each([
    [-20, 2.7536241186062337e-89],
    [-10, 7.619853024160525e-24],
    [-5, 2.866515718791939e-7],
    [-2, 0.02275013194817921],
    [-1, 0.15865525393145705],
    [0, 0.5],
    [0.5, 0.6914624612740131],
    [1, 0.8413447460685429],
    [1.959963984540054, 0.975],
    [2, 0.9772498680518208],
    [3, 0.9986501019683699],
  ])('normalCdf(%d) matches the reference to 1e-12 relative', (z, expected) => {
    expectRelative(normalCdf(z), expected, 1e-12);
  });

  it.each([
    [1e-300, -37.0470962993612],
    [1e-10, -6.361340902404057],
    [0.001, -3.0902323061678136],
    [0.02425, -1.972961051311885],
    [0.1, -1.2815515655446004],
    [0.5, 0],
    [0.975, 1.9599639845400538],
    [0.99, 2.3263478740408408],
    [1 - 1e-10, 6.361340889697422],
  ])('normalInverseCdf(%d) matches the reference to 1e-12 relative', (p, expected) => {
    expectRelative(normalInverseCdf(p), expected, 1e-12);
  });

  it('handles the ends and invalid probabilities', () => {
    expect(normalInverseCdf(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalInverseCdf(1)).toBe(Number.POSITIVE_INFINITY);
    expect(normalInverseCdf(-0.1)).toBeNaN();
    expect(normalInverseCdf(1.1)).toBeNaN();
    expect(normalCdf(Number.NEGATIVE_INFINITY)).toBe(0);
    expect(normalCdf(Number.POSITIVE_INFINITY)).toBe(1);
  });

  it('erfc matches references on both sides of the series/continued-fraction switch', () => {
    expectRelative(erfc(1), 0.15729920705028513, 1e-14);
    expectRelative(erfc(-1), 1.8427007929497148, 1e-14);
    expectRelative(erfc(2.5), 0.0004069520174449589, 1e-13);
    expectRelative(erfc(3), 2.209049699858544e-5, 1e-13);
    expectRelative(erfc(10), 2.088487583762545e-45, 1e-13);
  });

  it('inverse CDF inverts the CDF to 1e-9 across the whole range', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-12, max: 1 - 1e-12, noNaN: true }), (p) => {
        expect(Math.abs(normalCdf(normalInverseCdf(p)) - p)).toBeLessThanOrEqual(1e-9 * Math.min(p, 1 - p) + 1e-16);
      }),
    );
  });

  it('the CDF is symmetric: Phi(-z) = 1 - Phi(z)', () => {
    fc.assert(
      fc.property(fc.double({ min: -8, max: 8, noNaN: true }), (z) => {
        expect(normalCdf(-z)).toBeCloseTo(1 - normalCdf(z), 14);
      }),
    );
  });
});

describe('sampleMoments', () => {
  it('computes the moments of a small sample worked by hand', () => {
    // Deviations from the mean 0.1: 0.1, -0.35, 0.1, 0.15.
    const moments = sampleMoments(new Float64Array([0.2, -0.25, 0.2, 0.25]));
    expect(moments.mean).toBeCloseTo(0.1, 15);
    expect(moments.stdev).toBeCloseTo(Math.sqrt(0.165 / 3), 15);
    expect(moments.downsideDeviation).toBeCloseTo(Math.sqrt(0.0625 / 4), 15);
    const m2 = 0.165 / 4;
    expect(moments.skewness).toBeCloseTo(-0.0375 / 4 / m2 ** 1.5, 12);
    expect(moments.kurtosis).toBeCloseTo(0.0157125 / 4 / (m2 * m2), 12);
  });

  it('gives defined values for empty, single and constant samples', () => {
    expect(sampleMoments(new Float64Array(0))).toEqual({
      count: 0,
      mean: 0,
      stdev: 0,
      downsideDeviation: 0,
      skewness: 0,
      kurtosis: 3,
    });
    const single = sampleMoments(new Float64Array([-0.5]));
    expect(single.stdev).toBe(0);
    expect(single.downsideDeviation).toBe(0.5);
    const constant = sampleMoments(new Float64Array([0.01, 0.01, 0.01]));
    expect(constant.skewness).toBe(0);
    expect(constant.kurtosis).toBe(3);
  });
});

describe('quantileSorted', () => {
  it('interpolates linearly between order statistics (type 7)', () => {
    const sorted = new Float64Array([1, 2, 4, 8]);
    expect(quantileSorted(sorted, 0)).toBe(1);
    expect(quantileSorted(sorted, 1)).toBe(8);
    expect(quantileSorted(sorted, 0.5)).toBe(3);
    expect(quantileSorted(sorted, 0.25)).toBeCloseTo(1.75, 15);
    expect(quantileSorted(new Float64Array(0), 0.5)).toBe(0);
  });
});
