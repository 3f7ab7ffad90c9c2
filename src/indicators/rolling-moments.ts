/**
 * Exact rolling first and second moments of one window (or of two aligned windows), the ground under the
 * standard deviation, z-score, Bollinger Bands, correlation and beta.
 *
 * The window's sum, sum of squares (and sum of cross products) are kept as exact sums (ExactSum, with exact
 * products), so they never drift. Second moments come from
 *   n^2 * cov(x, y) = n * sum(xy) - sum(x) * sum(y),
 * formed exactly (every product of expansion components is an exact two-product) and rounded once, then divided
 * by n^2: the population variance is within an ulp of the exact variance of the window, however large the mean
 * against the spread (no catastrophic cancellation), never negative, and exactly 0 for a window of equal values.
 * While a NaN or infinity is in the window the moments are NaN (those values are kept out of the exact sums, so
 * the window recovers when they leave).
 *
 * Any magnitude: squares of values below about 1e-154 underflow and above about 1e154 overflow, so the sums are
 * kept of the values times 2^-shift, an exact power of two that brings the window's largest value near 1. The
 * shift is chosen again (and the sums rebuilt from the window, O(n)) when a value comes in above 2^400 at the
 * current scale, or when the window's squares have fallen below 2^-800 (its values below 2^-400) while it holds a
 * non-zero value. Scaling by a power of two is exact, so every result is the one the window would give at its
 * own scale: the same bits times 2^shift, from subnormal values up to the largest doubles.
 */
import { ExactSum } from './exact-sum.js';

/** Above this, at the current scale, a value makes the window rescale; below its inverse, the window's values do. */
const LIMIT = 2 ** 400;
const SQUARES_FLOOR = 2 ** -800;

/** x * 2^exponent, in two steps so that each factor is a double (2^exponent alone is not, beyond +-1023). */
export function timesPowerOfTwo(x: number, exponent: number): number {
  const half = exponent >> 1;
  return x * 2 ** half * 2 ** (exponent - half);
}

/** The shift that brings the largest finite magnitude among `values[0..count)` into [1, 2); 0 when all are 0. */
function shiftFor(values: Float64Array, count: number): number {
  let largest = 0;
  for (let i = 0; i < count; i++) {
    const magnitude = Math.abs(values[i] as number);
    if (magnitude > largest && magnitude - magnitude === 0) largest = magnitude;
  }
  // 2^-shift must itself be a double: the shift stays within [-1022, 1023], which still brings any value near 1.
  return largest === 0 ? 0 : Math.max(-1022, Math.min(1023, Math.floor(Math.log2(largest))));
}

/** Rounds n * cross - sumX * sumY, computed exactly, with `scratch` as working space. */
function scaledComoment(scratch: ExactSum, cross: ExactSum, sumX: ExactSum, sumY: ExactSum, n: number): number {
  scratch.reset();
  scratch.addScaled(cross, n);
  scratch.subtractProduct(sumX, sumY);
  return scratch.value();
}

/** Sum and sum of squares of the last `period` values. */
export class WindowMoments {
  private readonly window: Float64Array;
  private readonly sum = new ExactSum();
  private readonly squares = new ExactSum();
  private readonly scratch = new ExactSum();
  /** The sums are of the values times `factor` = 2^-shift. */
  private shift = 0;
  private factor = 1;
  /** The last standard deviation, at the current scale. */
  private scaledDeviation = Number.NaN;
  private nonFinite = 0;
  private nonZero = 0;
  private next = 0;
  private count = 0;

  constructor(readonly period: number) {
    this.window = new Float64Array(period);
  }

  push(x: number): void {
    const i = this.next;
    if (this.count === this.period) this.move(this.window[i] as number, -1);
    else this.count += 1;
    this.window[i] = x;
    this.next = i + 1 === this.period ? 0 : i + 1;
    const scaled = x * this.factor;
    if (x - x === 0 && !(Math.abs(scaled) <= LIMIT)) this.rescale();
    else this.move(x, 1);
  }

  get isFull(): boolean {
    return this.count === this.period;
  }

  /** Correctly rounded mean of the window. */
  mean(): number {
    if (this.nonFinite > 0) return Number.NaN;
    const scaled = this.sum.value() / this.count;
    return this.shift === 0 ? scaled : timesPowerOfTwo(scaled, this.shift);
  }

  /** Population standard deviation of the window: the square root of its correctly rounded variance. */
  standardDeviation(): number {
    if (this.nonFinite > 0) return (this.scaledDeviation = Number.NaN);
    if (this.nonZero > 0 && this.squares.value() < SQUARES_FLOOR) this.rescale();
    const n = this.count;
    const deviation = Math.sqrt(scaledComoment(this.scratch, this.squares, this.sum, this.sum, n) / (n * n));
    this.scaledDeviation = deviation;
    return this.shift === 0 ? deviation : timesPowerOfTwo(deviation, this.shift);
  }

  /**
   * (x - mean) / standard deviation, with the deviation of the last `standardDeviation()` call; 0 when it is 0.
   * Worked out at the window's scale, so it keeps every bit even where the deviation itself is subnormal.
   */
  score(x: number): number {
    const deviation = this.scaledDeviation;
    if (deviation === 0) return 0;
    return (x * this.factor - this.sum.value() / this.count) / deviation;
  }

  reset(): void {
    this.sum.reset();
    this.squares.reset();
    this.shift = 0;
    this.factor = 1;
    this.scaledDeviation = Number.NaN;
    this.nonFinite = 0;
    this.nonZero = 0;
    this.next = 0;
    this.count = 0;
  }

  /** Adds (sign 1) or removes (sign -1) a value of the window at the current scale. */
  private move(x: number, sign: 1 | -1): void {
    if (x - x !== 0) {
      this.nonFinite += sign;
      return;
    }
    if (x === 0) return;
    const scaled = sign * x * this.factor;
    this.sum.add(scaled);
    this.squares.addProduct(scaled, sign * scaled);
    this.nonZero += sign;
  }

  private rescale(): void {
    this.shift = shiftFor(this.window, this.count);
    this.factor = 2 ** -this.shift;
    this.sum.reset();
    this.squares.reset();
    this.nonFinite = 0;
    this.nonZero = 0;
    for (let i = 0; i < this.count; i++) this.move(this.window[i] as number, 1);
  }
}

/** Sums, sums of squares and the sum of cross products of two aligned windows of `period` values. */
export class PairMoments {
  private readonly windowX: Float64Array;
  private readonly windowY: Float64Array;
  private readonly sumX = new ExactSum();
  private readonly sumY = new ExactSum();
  private readonly squaresX = new ExactSum();
  private readonly squaresY = new ExactSum();
  private readonly cross = new ExactSum();
  private readonly scratch = new ExactSum();
  private factorX = 1;
  private factorY = 1;
  private nonFinite = 0;
  private nonZeroX = 0;
  private nonZeroY = 0;
  private next = 0;
  private count = 0;
  /** The sums are of x times 2^-shiftX and y times 2^-shiftY (see the module's notes). */
  shiftX = 0;
  shiftY = 0;
  /** Results of the last `compute()`, times n^2, at the scale above (ratios of them need no division by n^2). */
  scaledCovariance = Number.NaN;
  scaledVarianceX = Number.NaN;
  scaledVarianceY = Number.NaN;

  constructor(readonly period: number) {
    this.windowX = new Float64Array(period);
    this.windowY = new Float64Array(period);
  }

  push(x: number, y: number): void {
    const i = this.next;
    if (this.count === this.period) this.move(this.windowX[i] as number, this.windowY[i] as number, -1);
    else this.count += 1;
    this.windowX[i] = x;
    this.windowY[i] = y;
    this.next = i + 1 === this.period ? 0 : i + 1;
    const finite = x - x === 0 && y - y === 0;
    if (finite && !(Math.abs(x * this.factorX) <= LIMIT && Math.abs(y * this.factorY) <= LIMIT)) this.rescale();
    else this.move(x, y, 1);
  }

  get isFull(): boolean {
    return this.count === this.period;
  }

  /** Sets n^2 times the population covariance and the two variances of the window, at the current scale. */
  compute(): void {
    if (this.nonFinite > 0) {
      this.scaledCovariance = this.scaledVarianceX = this.scaledVarianceY = Number.NaN;
      return;
    }
    if ((this.nonZeroX > 0 && this.squaresX.value() < SQUARES_FLOOR) || (this.nonZeroY > 0 && this.squaresY.value() < SQUARES_FLOOR)) this.rescale();
    const n = this.count;
    this.scaledCovariance = scaledComoment(this.scratch, this.cross, this.sumX, this.sumY, n);
    this.scaledVarianceX = scaledComoment(this.scratch, this.squaresX, this.sumX, this.sumX, n);
    this.scaledVarianceY = scaledComoment(this.scratch, this.squaresY, this.sumY, this.sumY, n);
  }

  reset(): void {
    for (const sum of [this.sumX, this.sumY, this.squaresX, this.squaresY, this.cross]) sum.reset();
    this.shiftX = this.shiftY = 0;
    this.factorX = this.factorY = 1;
    this.nonFinite = this.nonZeroX = this.nonZeroY = 0;
    this.next = 0;
    this.count = 0;
    this.scaledCovariance = this.scaledVarianceX = this.scaledVarianceY = Number.NaN;
  }

  /** Adds (sign 1) or removes (sign -1) a pair of the windows at the current scale. */
  private move(x: number, y: number, sign: 1 | -1): void {
    if (x - x !== 0 || y - y !== 0) {
      this.nonFinite += sign;
      return;
    }
    const sx = x * this.factorX;
    const sy = y * this.factorY;
    const signed = sign * sx;
    this.sumX.add(signed);
    this.sumY.add(sign * sy);
    this.squaresX.addProduct(signed, sx);
    this.squaresY.addProduct(sign * sy, sy);
    this.cross.addProduct(signed, sy);
    if (x !== 0) this.nonZeroX += sign;
    if (y !== 0) this.nonZeroY += sign;
  }

  private rescale(): void {
    this.shiftX = shiftFor(this.windowX, this.count);
    this.shiftY = shiftFor(this.windowY, this.count);
    this.factorX = 2 ** -this.shiftX;
    this.factorY = 2 ** -this.shiftY;
    for (const sum of [this.sumX, this.sumY, this.squaresX, this.squaresY, this.cross]) sum.reset();
    this.nonFinite = this.nonZeroX = this.nonZeroY = 0;
    for (let i = 0; i < this.count; i++) this.move(this.windowX[i] as number, this.windowY[i] as number, 1);
  }
}
