import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../core/random.js';
import {
  bootstrapSharpeInterval,
  defaultBlockLength,
  deflatedSharpe,
  deflatedSharpeBenchmark,
  expectedMaximumStandardNormal,
  probabilisticSharpe,
  resampleSharpes,
  sampleSeed,
  type SharpeResampler,
} from './metrics-sharpe.js';

describe('deflated Sharpe ratio', () => {
  it('reproduces the numerical example of Bailey & López de Prado (2014)', () => {
    // 100 trials, variance of the annualised trial Sharpes 1/2, 1250 daily returns, skewness -3, kurtosis 10, and
    // the selected strategy's annualised Sharpe 2.5. The paper reports SR0 = 0.1132 per day (1.7894 annualised)
    // and DSR = 0.9004; the digits below are from an independent scipy computation of the same formulas.
    const variance = 0.5 / 250;
    const benchmark = deflatedSharpeBenchmark(100, variance);
    expect(benchmark).toBeCloseTo(0.11317200186513214, 12);
    expect(benchmark * Math.sqrt(250)).toBeCloseTo(1.7894064662732077, 11);
    const sample = { sharpe: 2.5 / Math.sqrt(250), observations: 1250, skewness: -3, kurtosis: 10 };
    expect(deflatedSharpe(sample, 100, variance)).toBeCloseTo(0.9003968344493903, 12);
  });

  it('approximates the expected maximum of N standard normals', () => {
    expect(expectedMaximumStandardNormal(1)).toBe(0);
    expect(expectedMaximumStandardNormal(2)).toBeCloseTo(0.5197553442805939, 12); // exact: 1/sqrt(pi) = 0.5642
    expect(expectedMaximumStandardNormal(10)).toBeCloseTo(1.57459830134575, 12); // exact: 1.5388
    expect(expectedMaximumStandardNormal(1000)).toBeCloseTo(3.255121513652723, 12); // exact: 3.2414
  });

  it('reduces to the probabilistic Sharpe ratio against 0 for one trial', () => {
    const sample = { sharpe: 0.05, observations: 400, skewness: 0, kurtosis: 3 };
    // Normal returns: Phi(0.05 sqrt(399) / sqrt(1 + 2/4 x 0.0025)).
    const expected = 0.5 * (1 + erfApprox((0.05 * Math.sqrt(399)) / Math.sqrt(1 + 0.5 * 0.0025) / Math.SQRT2));
    expect(deflatedSharpe(sample, 1)).toBeCloseTo(expected, 6);
    expect(deflatedSharpe(sample, 1)).toBe(probabilisticSharpe(sample, 0));
    // More trials raise the bar, so the probability falls.
    expect(deflatedSharpe(sample, 10)).toBeLessThan(deflatedSharpe(sample, 1));
    expect(deflatedSharpe(sample, 1000)).toBeLessThan(deflatedSharpe(sample, 10));
  });

  it('uses the null variance 1/(T-1) when the trial variance is unknown', () => {
    const sample = { sharpe: 0.1, observations: 101, skewness: 0.5, kurtosis: 4 };
    expect(deflatedSharpe(sample, 20)).toBe(deflatedSharpe(sample, 20, 1 / 100));
  });

  it('answers 0 or 1 when the spread term vanishes (a two-point distribution)', () => {
    // Skewness s and kurtosis 1 + s^2 make 1 - s SR + (kurt - 1)/4 SR^2 = (1 - s SR / 2)^2 = 0 at SR = 2 / s.
    expect(probabilisticSharpe({ sharpe: 1, observations: 10, skewness: 2, kurtosis: 5 }, 0)).toBe(1);
    expect(probabilisticSharpe({ sharpe: 1, observations: 1, skewness: 0, kurtosis: 3 }, 0)).toBe(0);
  });
});

/** Abramowitz & Stegun 7.1.26 (error below 1.5e-7): a coarse independent check of the CDF used above. */
function erfApprox(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const value = 1 - poly * Math.exp(-x * x);
  return x >= 0 ? value : -value;
}

function normalReturns(count: number, mean: number, stdev: number, seed: number): Float64Array {
  const random = new SeededRandom(seed);
  return Float64Array.from({ length: count }, () => mean + stdev * random.normal());
}

/** The documented stationary bootstrap, written out naively: copy each block's values, then compute the Sharpe. */
function naiveBootstrap(returns: Float64Array, barsPerYear: number, samples: number, seed: number, blockLength: number): number[] {
  const m = returns.length;
  const logStay = Math.log(1 - 1 / blockLength);
  const sharpes: number[] = [];
  for (let b = 0; b < samples; b++) {
    const random = new SeededRandom(sampleSeed(seed, b));
    const resample: number[] = [];
    while (resample.length < m) {
      const start = Math.floor((random.nextUint32() / 2 ** 32) * m);
      const length = 1 + Math.floor(Math.log((random.nextUint32() + 1) / 2 ** 32) / logStay);
      for (let k = 0; k < length && resample.length < m; k++) resample.push(returns[(start + k) % m]!);
    }
    const mean = resample.reduce((a, x) => a + x, 0) / m;
    const stdev = Math.sqrt(resample.reduce((a, x) => a + (x - mean) ** 2, 0) / (m - 1));
    sharpes.push((mean / stdev) * Math.sqrt(barsPerYear));
  }
  return sharpes.sort((a, b) => a - b);
}

describe('bootstrap Sharpe interval', () => {
  it('matches a naive resampler that draws the same blocks', () => {
    const returns = normalReturns(97, 0.001, 0.01, 3);
    const interval = bootstrapSharpeInterval(returns, 365, { samples: 41, level: 0.9, seed: 99, blockLength: 5 });
    const sorted = naiveBootstrap(returns, 365, 41, 99, 5);
    // Type-7 quantiles of 41 values at 0.05 and 0.95 sit exactly on order statistics 2 and 38.
    expect(interval.low).toBeCloseTo(sorted[2]!, 9);
    expect(interval.high).toBeCloseTo(sorted[38]!, 9);
    expect(interval.level).toBe(0.9);
  });

  it('has the width the asymptotic theory predicts for i.i.d. normal returns', () => {
    // Var(per-bar SR estimate) ~ (1 + SR^2/2) / T; annualised by sqrt(barsPerYear).
    const returns = normalReturns(2000, 0.0005, 0.01, 11);
    const interval = bootstrapSharpeInterval(returns, 365, { samples: 2000, level: 0.95, seed: 5, blockLength: 1 });
    const sr = 0.05;
    const predicted = 2 * 1.959964 * Math.sqrt((1 + (sr * sr) / 2) / 2000) * Math.sqrt(365);
    expect((interval.high - interval.low) / predicted).toBeGreaterThan(0.9);
    expect((interval.high - interval.low) / predicted).toBeLessThan(1.1);
  });

  it('gives the same ratios however the samples are split (each sample draws from its own stream)', () => {
    const returns = normalReturns(300, 0.0002, 0.01, 8);
    let whole: Float64Array | undefined;
    let split: Float64Array | undefined;
    const resampler = (parts: number[], keep: (sharpes: Float64Array) => void): SharpeResampler => (plan) => {
      const sharpes = new Float64Array(plan.samples);
      for (let k = 0; k + 1 < parts.length; k++) {
        const part = new Float64Array(parts[k + 1]! - parts[k]!);
        resampleSharpes(plan, parts[k]!, parts[k + 1]!, part);
        sharpes.set(part, parts[k]!);
      }
      keep(sharpes.slice());
      return sharpes;
    };
    const options = { samples: 50, level: 0.9, seed: 7, blockLength: 6 };
    const a = bootstrapSharpeInterval(returns, 365, options, resampler([0, 50], (x) => (whole = x)));
    const b = bootstrapSharpeInterval(returns, 365, options, resampler([0, 17, 18, 50], (x) => (split = x)));
    expect(Array.from(split!)).toEqual(Array.from(whole!));
    expect(b).toEqual(a);
    expect(a).toEqual(bootstrapSharpeInterval(returns, 365, options));
  });

  it('is deterministic for a seed and changes with it', () => {
    const returns = normalReturns(500, 0, 0.02, 1);
    const options = { samples: 300, level: 0.95, seed: 42, blockLength: 8 };
    expect(bootstrapSharpeInterval(returns, 365, options)).toEqual(bootstrapSharpeInterval(returns, 365, options));
    expect(bootstrapSharpeInterval(returns, 365, { ...options, seed: 43 })).not.toEqual(
      bootstrapSharpeInterval(returns, 365, options),
    );
  });

  it('collapses to the point estimate without samples or data', () => {
    const returns = Float64Array.from([0.01, -0.02, 0.03]);
    const point = bootstrapSharpeInterval(returns, 1, { samples: 0, level: 0.95, seed: 1, blockLength: 1 });
    expect(point.low).toBe(point.high);
    const mean = 0.02 / 3;
    const squares = (0.01 - mean) ** 2 + (-0.02 - mean) ** 2 + (0.03 - mean) ** 2;
    expect(point.low).toBeCloseTo(mean / Math.sqrt(squares / 2), 12);
    expect(bootstrapSharpeInterval(new Float64Array(1), 1, { samples: 10, level: 0.9, seed: 1, blockLength: 1 })).toEqual({
      low: 0,
      high: 0,
      level: 0.9,
    });
  });

  it('defaults the block length to the cube root of the sample size', () => {
    expect(defaultBlockLength(0)).toBe(1);
    expect(defaultBlockLength(1000)).toBe(10);
    expect(defaultBlockLength(1_000_000)).toBe(100);
  });
});
