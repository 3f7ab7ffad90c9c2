/**
 * The moment-based indicators (standard deviation, z-score, Bollinger Bands, correlation, beta) at any magnitude:
 * the window is scaled by an exact power of two, so a series times 2^e gives results times 2^e (or the same
 * results, for the ratios) bit for bit, from subnormal values to the largest doubles.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BollingerBands } from './bollinger.js';
import { RollingBeta, RollingCorrelation } from './correlation.js';
import { StandardDeviation, ZScore } from './statistics.js';

/** The last outputs of each indicator over `xs` (and `ys` for the pair statistics). */
function lastOf(xs: readonly number[], ys: readonly number[], period: number) {
  const sd = new StandardDeviation(period);
  const z = new ZScore(period);
  const bands = new BollingerBands(period, 2);
  const correlation = new RollingCorrelation(period);
  const beta = new RollingBeta(period);
  let out = { sd: Number.NaN, z: Number.NaN, width: Number.NaN, middle: Number.NaN, correlation: Number.NaN, beta: Number.NaN };
  xs.forEach((x, i) => {
    const y = ys[i] as number;
    const b = bands.update(x);
    out = {
      sd: sd.update(x) ?? Number.NaN,
      z: z.update(x) ?? Number.NaN,
      width: b === undefined ? Number.NaN : b.upper - b.middle,
      middle: b?.middle ?? Number.NaN,
      correlation: correlation.update(x, y) ?? Number.NaN,
      beta: beta.update(y, x) ?? Number.NaN,
    };
  });
  return out;
}

describe('moments at any magnitude', () => {
  it('give the same standard deviation, z-score, correlation and beta for tiny and huge values', () => {
    const base = lastOf([1, 2, 3, 4], [3, 5, 7, 9], 4);
    expect(base.sd).toBeCloseTo(Math.sqrt(1.25), 15);
    for (const scale of [1e-300, 1e-200, 1e-160, 1e-100, 1e100, 1e150, 1e200, 1e300]) {
      const scaled = lastOf([1, 2, 3, 4].map((v) => v * scale), [3, 5, 7, 9].map((v) => v * scale), 4);
      expect(scaled.sd / scale, `sd at ${scale}`).toBeCloseTo(base.sd, 14);
      expect(scaled.z, `z at ${scale}`).toBeCloseTo(base.z, 14);
      expect(scaled.width / scale, `band width at ${scale}`).toBeCloseTo(base.width, 14);
      expect(scaled.correlation, `correlation at ${scale}`).toBeCloseTo(1, 14);
      expect(scaled.beta, `beta at ${scale}`).toBeCloseTo(2, 14);
    }
  });

  it('are exact down to subnormal values and up to the largest doubles', () => {
    const base = lastOf([1, 2, 3, 4], [3, 5, 7, 9], 4);
    for (const scale of [2 ** -1060, 1e-310, 1e307]) {
      const scaled = lastOf([1, 2, 3, 4].map((v) => v * scale), [3, 5, 7, 9].map((v) => v * scale), 4);
      // Below 2^-1022 a result keeps only the bits above 2^-1074.
      expect(Math.abs(scaled.sd - base.sd * scale), `sd at ${scale}`).toBeLessThanOrEqual(Math.max(base.sd * scale * 1e-12, 2 ** -1074));
      expect(Math.abs(scaled.z / base.z - 1), `z at ${scale}`).toBeLessThan(1e-12);
      expect(Math.abs(scaled.beta / 2 - 1), `beta at ${scale}`).toBeLessThan(1e-12);
    }
  });

  it('scale bit for bit with a power of two (property)', () => {
    // 2^e as two factors, so that every factor is a double.
    const times = (v: number, e: number): number => v * 2 ** Math.floor(e / 2) * 2 ** Math.ceil(e / 2);
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 8 }),
        fc.array(fc.tuple(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: -1000, max: 1000 })), { minLength: 8, maxLength: 30 }),
        fc.integer({ min: -990, max: 990 }),
        fc.integer({ min: -900, max: 900 }),
        (period, pairs, ex, shift) => {
          const ey = Math.max(-990, Math.min(990, ex + shift));
          const xs = pairs.map(([x]) => x);
          const ys = pairs.map(([, y]) => y);
          const base = lastOf(xs, ys, period);
          const scaled = lastOf(xs.map((x) => times(x, ex)), ys.map((y) => times(y, ey)), period);
          expect(scaled.sd).toBe(times(base.sd, ex));
          expect(scaled.middle).toBe(times(base.middle, ex));
          expect(scaled.width).toBe(times(base.width, ex));
          expect(scaled.z).toBe(base.z);
          expect(scaled.correlation).toBe(base.correlation);
          expect(scaled.beta).toBe(times(base.beta, ey - ex));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('come back to exact once a value of another magnitude has left the window', () => {
    const history = [1e300, 1, 2, 3, 4, 5];
    const fresh = lastOf([2, 3, 4, 5], [2, 3, 4, 5], 4);
    const after = lastOf(history, history, 4);
    expect(after).toEqual(fresh);
    // The huge value leaves as a 0 comes in: the rest, tiny at the huge value's scale, is rescaled when read.
    expect(lastOf([1e300, 1, 2, 0], [1e300, 5, 3, 1], 3)).toEqual(lastOf([1, 2, 0], [5, 3, 1], 3));
    const tiny = lastOf([7, 1e-200, 3e-200, 0, 2e-200], [7, 1e-200, 3e-200, 0, 2e-200], 3);
    expect(tiny.sd).toBe(lastOf([1e-200, 3e-200, 0, 2e-200], [1, 1, 1, 1], 3).sd);
    expect(tiny.sd / 1e-200).toBeCloseTo(Math.sqrt(14 / 9), 14);
  });
});
