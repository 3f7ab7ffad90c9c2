/**
 * Numerical building blocks for the backtest metrics: the complementary error function, the standard normal CDF
 * and its inverse, sample moments of a return series, and percentiles. Written from the textbook definitions:
 *
 * - erfc: for 0 <= x < 2.5 the everywhere-positive series erf(x) = 2/sqrt(pi) * exp(-x^2) * sum_n (2x^2)^n x /
 *   (1*3*...*(2n+1)) (no cancellation between terms), then erfc = 1 - erf; for x >= 2.5 the Laplace continued
 *   fraction erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))) evaluated with the modified
 *   Lentz method, which keeps full relative precision deep in the tail. Negative x by erfc(-x) = 2 - erfc(x).
 * - The inverse normal CDF starts from Acklam's rational approximation (relative error about 1e-9) and polishes it
 *   with Halley steps on the CDF above, always working in the lower tail (p > 1/2 by symmetry, where 1 - p is exact
 *   in floating point), so the result is accurate to about 1e-15 relative.
 */

const SQRT_PI = Math.sqrt(Math.PI);
const SQRT_2PI = Math.sqrt(2 * Math.PI);
const CONTINUED_FRACTION_FROM = 2.5;

/** The complementary error function erfc(x) = 1 - erf(x), for every real x (erfc(-inf) = 2, erfc(inf) = 0). */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x === Number.POSITIVE_INFINITY) return 0;
  return x < CONTINUED_FRACTION_FROM ? 1 - erfSeries(x) : erfcContinuedFraction(x);
}

/** erf(x) for 0 <= x < 2.5 by the positive-term series. */
function erfSeries(x: number): number {
  const twoXSquared = 2 * x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= twoXSquared / (2 * n + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return ((2 / SQRT_PI) * Math.exp(-x * x) * sum);
}

/** erfc(x) for x >= 2.5 by the continued fraction (modified Lentz). */
function erfcContinuedFraction(x: number): number {
  const tiny = 1e-300;
  let f = x;
  let c = f;
  let d = 0;
  for (let j = 1; j < 500; j++) {
    const a = j / 2;
    d = x + a * d;
    if (d === 0) d = tiny;
    d = 1 / d;
    c = x + a / c;
    if (c === 0) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / (SQRT_PI * f);
}

/** The standard normal cumulative distribution function P(Z <= z). */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

// Acklam's rational approximation of the inverse normal CDF: central region and tails.
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

function horner(coefficients: readonly number[], x: number): number {
  let value = 0;
  for (const c of coefficients) value = value * x + c;
  return value;
}

/** Acklam's approximation for 0 < p <= 1/2. */
function acklamLower(p: number): number {
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    return horner(C, q) / (horner(D, q) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return (horner(A, r) * q) / (horner(B, r) * r + 1);
}

/**
 * The inverse of the standard normal CDF: the z with P(Z <= z) = p. Returns -Infinity for p = 0, Infinity for
 * p = 1, and NaN for p outside [0, 1] (or NaN).
 */
export function normalInverseCdf(p: number): number {
  if (!(p >= 0 && p <= 1)) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  if (p > 0.5) return -normalInverseCdf(1 - p);
  let x = acklamLower(p);
  // Halley's method on F(x) = normalCdf(x) - p; two steps take Acklam's 1e-9 to machine precision.
  for (let step = 0; step < 3; step++) {
    const e = normalCdf(x) - p;
    if (e === 0) break;
    const u = e * SQRT_2PI * Math.exp(0.5 * x * x);
    const next = x - u / (1 + 0.5 * x * u);
    if (!Number.isFinite(next)) break;
    if (Math.abs(next - x) <= 1e-16 * Math.abs(x)) {
      x = next;
      break;
    }
    x = next;
  }
  return x;
}

/** Moments of a sample (returns), each with a defined value for degenerate samples. */
export interface SampleMoments {
  readonly count: number;
  /** Arithmetic mean; 0 for an empty sample. */
  readonly mean: number;
  /** Standard deviation with the n - 1 denominator; 0 for fewer than two values. */
  readonly stdev: number;
  /** Root mean square of min(x, 0) over all n values; 0 for an empty sample. */
  readonly downsideDeviation: number;
  /** Population skewness m3 / m2^1.5 (m_k the k-th central moment, 1/n); 0 when m2 is 0. */
  readonly skewness: number;
  /** Population kurtosis m4 / m2^2 (not excess: 3 for a normal); 3 when m2 is 0. */
  readonly kurtosis: number;
}

/** Two passes: the mean, then the central moments, so long series of small returns keep their precision. */
export function sampleMoments(values: Float64Array): SampleMoments {
  const n = values.length;
  if (n === 0) return { count: 0, mean: 0, stdev: 0, downsideDeviation: 0, skewness: 0, kurtosis: 3 };
  let sum = 0;
  let downside = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    sum += v;
    if (v < 0) downside += v * v;
  }
  const mean = sum / n;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = (values[i] as number) - mean;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  const stdev = n > 1 ? Math.sqrt(m2 / (n - 1)) : 0;
  m2 /= n;
  m3 /= n;
  m4 /= n;
  const skewness = m2 > 0 ? m3 / Math.pow(m2, 1.5) : 0;
  const kurtosis = m2 > 0 ? m4 / (m2 * m2) : 3;
  return { count: n, mean, stdev, downsideDeviation: Math.sqrt(downside / n), skewness, kurtosis };
}

/**
 * The q-quantile (0 <= q <= 1) of ascending-sorted values by linear interpolation between order statistics
 * (Hyndman & Fan type 7: position (n - 1) q). 0 for an empty array.
 */
export function quantileSorted(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  if (n === 0) return 0;
  const position = Math.min(Math.max(q, 0), 1) * (n - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, n - 1);
  const low = sorted[below] as number;
  const high = sorted[above] as number;
  return low + (high - low) * (position - below);
}
