/**
 * Inference on the Sharpe ratio: a stationary-bootstrap percentile interval, and the probabilistic and deflated
 * Sharpe ratios of Bailey & López de Prado ("The Sharpe Ratio Efficient Frontier", 2012; "The Deflated Sharpe
 * Ratio: Correcting for Selection Bias, Backtest Overfitting and Non-Normality", 2014). The definitions are stated
 * in metrics.ts, which uses these functions.
 */
import { SeededRandom } from '../core/random.js';
import { normalCdf, normalInverseCdf, quantileSorted, sampleMoments } from './statistics.js';

const EULER_MASCHERONI = 0.5772156649015329;
const UINT32_SCALE = 1 / 4294967296;
/** Blocks drawn before their sums are read (see bootstrapSharpeInterval). */
const BLOCK_BATCH = 256;

/**
 * Below this ratio of standard deviation to |mean| the deviation is floating-point noise (a constant-return
 * curve), and a Sharpe ratio is reported as 0 rather than as an enormous number.
 */
export const ZERO_VOLATILITY_RATIO = 1e-10;

/** True when a sample standard deviation counts as zero next to its mean. */
export function isZeroVolatility(stdev: number, mean: number): boolean {
  return !(stdev > ZERO_VOLATILITY_RATIO * Math.abs(mean));
}

export interface BootstrapOptions {
  /** Resamples; 0 gives an interval of zero width at the point estimate. */
  readonly samples: number;
  /** Coverage of the interval, in (0, 1). */
  readonly level: number;
  readonly seed: number;
  /** Mean block length of the stationary bootstrap, in bars; 1 is the i.i.d. bootstrap. */
  readonly blockLength: number;
}

/** Default mean block length: the cube root of the number of returns (at least 1), the usual n^(1/3) rate. */
export function defaultBlockLength(returns: number): number {
  return Math.max(1, Math.round(Math.cbrt(returns)));
}

/**
 * What a stationary bootstrap of the Sharpe ratio resamples: the prefix sums of the demeaned returns and of their
 * squares, interleaved (a block reads two cache lines rather than four, which is most of the cost on a million
 * bars), in shared memory so that another thread can resample from them in place.
 */
export interface SharpeBootstrapPlan {
  readonly sums: Float64Array;
  readonly returns: number;
  readonly mean: number;
  readonly samples: number;
  readonly seed: number;
  readonly blockLength: number;
  readonly barsPerYear: number;
}

/**
 * Resampled annualised Sharpe ratios, one per sample of the plan, in sample order. Each sample draws from its own
 * seeded stream, so any split of the samples between threads gives the same ratios.
 */
export type SharpeResampler = (plan: SharpeBootstrapPlan) => Float64Array;

/** Resamples every sample on the calling thread. */
export const resampleOnThisThread: SharpeResampler = (plan) => {
  const sharpes = new Float64Array(plan.samples);
  resampleSharpes(plan, 0, plan.samples, sharpes);
  return sharpes;
};

/**
 * Percentile interval of the annualised Sharpe ratio under the stationary bootstrap of Politis & Romano (1994):
 * each resample of the m returns is built from blocks that start at a uniform index and run (wrapping around the
 * end) for a geometric number of bars with mean `blockLength`, until m returns are drawn (the last block cut
 * short). Sample b draws from its own SeededRandom, seeded with `sampleSeed(seed, b)`; each block takes two 32-bit
 * draws u1, u2: start = floor(u1 / 2^32 * m) and length = 1 + floor(ln((u2 + 1) / 2^32) / ln(1 - 1/blockLength))
 * (length 1 without the second draw when blockLength is 1). Block sums come from prefix sums of the demeaned
 * returns and their squares, so a resample costs O(m / blockLength), not O(m); `resample` may spread the samples
 * over threads without changing the result.
 * The bounds are the (1 - level)/2 and (1 + level)/2 quantiles (type 7) of the resampled Sharpe ratios. A resample
 * whose variance is below 1e-12 of the full sample's counts as zero-volatility, like the point estimate.
 */
export function bootstrapSharpeInterval(
  returns: Float64Array,
  barsPerYear: number,
  options: BootstrapOptions,
  resample: SharpeResampler = resampleOnThisThread,
): { low: number; high: number; level: number } {
  const m = returns.length;
  const level = options.level;
  if (m < 2 || options.samples <= 0) {
    const moments = sampleMoments(returns);
    const point = annualisedSharpe(moments.mean, moments.stdev, barsPerYear);
    return { low: point, high: point, level };
  }
  let mean = 0;
  for (let i = 0; i < m; i++) mean += returns[i] as number;
  mean /= m;
  const sums = new Float64Array(new SharedArrayBuffer(2 * (m + 1) * Float64Array.BYTES_PER_ELEMENT));
  for (let i = 0; i < m; i++) {
    const d = (returns[i] as number) - mean;
    sums[2 * i + 2] = (sums[2 * i] as number) + d;
    sums[2 * i + 3] = (sums[2 * i + 1] as number) + d * d;
  }
  const plan: SharpeBootstrapPlan = { sums, returns: m, mean, samples: options.samples, seed: options.seed, blockLength: Math.max(1, options.blockLength), barsPerYear };
  const sharpes = resample(plan);
  sharpes.sort();
  return {
    low: quantileSorted(sharpes, (1 - level) / 2),
    high: quantileSorted(sharpes, (1 + level) / 2),
    level,
  };
}

/** The seed of sample b's own stream: the run's seed and the sample's index, mixed. */
export function sampleSeed(seed: number, sample: number): number {
  return (Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) + Math.imul(sample, 0x85ebca6b)) >>> 0;
}

/** Writes the resampled Sharpe ratios of samples [from, to) of the plan into `into[0 .. to - from)`. */
export function resampleSharpes(plan: SharpeBootstrapPlan, from: number, to: number, into: Float64Array): void {
  const { sums, mean, barsPerYear } = plan;
  const m = plan.returns;
  const total = sums[2 * m] as number;
  const totalSquares = sums[2 * m + 1] as number;
  // A resample that repeats one value has variance 0, but the prefix sums leave rounding residue of the order of
  // 1e-16 of the sample's variance; below this floor the resample counts as zero-volatility (Sharpe 0).
  const varianceFloor = 1e-12 * (totalSquares / m);
  const logStay = plan.blockLength > 1 ? Math.log(1 - 1 / plan.blockLength) : 0;
  // Blocks are drawn a batch at a time and summed after: the sums read two far-apart places of a large array per
  // block, and reads that do not wait on random draws and logarithms in between overlap in the processor.
  const starts = new Int32Array(BLOCK_BATCH);
  const ends = new Int32Array(BLOCK_BATCH);
  for (let b = from; b < to; b++) {
    const random = new SeededRandom(sampleSeed(plan.seed, b));
    let sum = 0;
    let sumSquares = 0;
    let drawn = 0;
    while (drawn < m) {
      let count = 0;
      while (drawn < m && count < BLOCK_BATCH) {
        const start = Math.floor(random.nextUint32() * UINT32_SCALE * m);
        let length = 1;
        if (logStay < 0) length += Math.floor(Math.log((random.nextUint32() + 1) * UINT32_SCALE) / logStay);
        if (length > m - drawn) length = m - drawn;
        starts[count] = start;
        ends[count] = start + length;
        count += 1;
        drawn += length;
      }
      for (let k = 0; k < count; k++) {
        const start = starts[k] as number;
        const end = ends[k] as number;
        if (end <= m) {
          sum += (sums[2 * end] as number) - (sums[2 * start] as number);
          sumSquares += (sums[2 * end + 1] as number) - (sums[2 * start + 1] as number);
        } else {
          const wrapped = end - m;
          sum += total - (sums[2 * start] as number) + (sums[2 * wrapped] as number);
          sumSquares += totalSquares - (sums[2 * start + 1] as number) + (sums[2 * wrapped + 1] as number);
        }
      }
    }
    const resampledMean = mean + sum / m;
    const variance = (sumSquares - (sum * sum) / m) / (m - 1);
    const stdev = variance > varianceFloor ? Math.sqrt(variance) : 0;
    into[b - from] = annualisedSharpe(resampledMean, stdev, barsPerYear);
  }
}

/** Annualised Sharpe ratio from the mean and sample deviation of per-bar returns (0 at zero volatility). */
export function annualisedSharpe(mean: number, stdev: number, barsPerYear: number): number {
  return isZeroVolatility(stdev, mean) ? 0 : (mean / stdev) * Math.sqrt(barsPerYear);
}

/**
 * Expected maximum of N independent standard normal draws, by the approximation of Bailey & López de Prado:
 * (1 - gamma) * invPhi(1 - 1/N) + gamma * invPhi(1 - 1/(N e)), gamma the Euler–Mascheroni constant. 0 for N <= 1
 * (one trial involves no selection; the formula itself diverges there).
 */
export function expectedMaximumStandardNormal(trials: number): number {
  if (trials <= 1) return 0;
  return (
    (1 - EULER_MASCHERONI) * normalInverseCdf(1 - 1 / trials) +
    EULER_MASCHERONI * normalInverseCdf(1 - 1 / (trials * Math.E))
  );
}

export interface SharpeSample {
  /** Per-bar (not annualised) Sharpe ratio estimate. */
  readonly sharpe: number;
  /** Number of returns T. */
  readonly observations: number;
  readonly skewness: number;
  /** Kurtosis, not excess (3 for a normal). */
  readonly kurtosis: number;
}

/**
 * Probabilistic Sharpe ratio: P(true SR > benchmark) =
 * Phi((SR - SR*) sqrt(T - 1) / sqrt(1 - skew SR + (kurt - 1)/4 SR^2)), all Sharpe ratios per bar.
 * The denominator is non-negative by Pearson's inequality kurt >= 1 + skew^2; where it is 0 the answer is 0 or 1
 * by the sign of SR - SR* (1/2 when equal). Returns 0 for fewer than two observations.
 */
export function probabilisticSharpe(sample: SharpeSample, benchmark: number): number {
  if (sample.observations < 2) return 0;
  const sr = sample.sharpe;
  const spread = 1 - sample.skewness * sr + ((sample.kurtosis - 1) / 4) * sr * sr;
  const numerator = (sr - benchmark) * Math.sqrt(sample.observations - 1);
  if (!(spread > 0)) return numerator > 0 ? 1 : numerator < 0 ? 0 : 0.5;
  return normalCdf(numerator / Math.sqrt(spread));
}

/**
 * The per-bar Sharpe ratio the best of `trials` skill-less strategies is expected to reach:
 * SR0 = sqrt(V) * expectedMaximumStandardNormal(N), V the variance of the per-bar Sharpe estimates across trials.
 */
export function deflatedSharpeBenchmark(trials: number, trialSharpeVariance: number): number {
  return Math.sqrt(Math.max(trialSharpeVariance, 0)) * expectedMaximumStandardNormal(trials);
}

/**
 * Deflated Sharpe ratio: the probabilistic Sharpe ratio against SR0 = deflatedSharpeBenchmark(N, V). When V is
 * not given it is the variance of the Sharpe estimator under the null of no skill, 1 / (T - 1): every trial's true
 * Sharpe is 0 and its estimate scatters only by sampling error.
 */
export function deflatedSharpe(sample: SharpeSample, trials: number, trialSharpeVariance?: number): number {
  if (sample.observations < 2) return 0;
  const variance = trialSharpeVariance ?? 1 / (sample.observations - 1);
  return probabilisticSharpe(sample, deflatedSharpeBenchmark(trials, variance));
}
