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
 */
import { ExactSum } from './exact-sum.js';

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
  private nonFinite = 0;
  private next = 0;
  private count = 0;

  constructor(readonly period: number) {
    this.window = new Float64Array(period);
  }

  push(x: number): void {
    const i = this.next;
    if (this.count === this.period) {
      const leaving = this.window[i] as number;
      if (leaving - leaving === 0) {
        this.sum.subtract(leaving);
        this.squares.addProduct(-leaving, leaving);
      } else {
        this.nonFinite -= 1;
      }
    } else {
      this.count += 1;
    }
    if (x - x === 0) {
      this.sum.add(x);
      this.squares.addProduct(x, x);
    } else {
      this.nonFinite += 1;
    }
    this.window[i] = x;
    this.next = i + 1 === this.period ? 0 : i + 1;
  }

  get isFull(): boolean {
    return this.count === this.period;
  }

  /** Correctly rounded mean of the window. */
  mean(): number {
    return this.nonFinite === 0 ? this.sum.value() / this.count : Number.NaN;
  }

  /** Population variance of the window. */
  variance(): number {
    if (this.nonFinite > 0) return Number.NaN;
    const n = this.count;
    return scaledComoment(this.scratch, this.squares, this.sum, this.sum, n) / (n * n);
  }

  reset(): void {
    this.sum.reset();
    this.squares.reset();
    this.nonFinite = 0;
    this.next = 0;
    this.count = 0;
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
  private nonFinite = 0;
  private next = 0;
  private count = 0;
  /** Results of the last `compute()`, times n^2 (ratios of them need no division by n^2). */
  scaledCovariance = Number.NaN;
  scaledVarianceX = Number.NaN;
  scaledVarianceY = Number.NaN;

  constructor(readonly period: number) {
    this.windowX = new Float64Array(period);
    this.windowY = new Float64Array(period);
  }

  push(x: number, y: number): void {
    const i = this.next;
    if (this.count === this.period) {
      const leavingX = this.windowX[i] as number;
      const leavingY = this.windowY[i] as number;
      if (leavingX - leavingX === 0 && leavingY - leavingY === 0) this.move(leavingX, leavingY, -1);
      else this.nonFinite -= 1;
    } else {
      this.count += 1;
    }
    if (x - x === 0 && y - y === 0) this.move(x, y, 1);
    else this.nonFinite += 1;
    this.windowX[i] = x;
    this.windowY[i] = y;
    this.next = i + 1 === this.period ? 0 : i + 1;
  }

  get isFull(): boolean {
    return this.count === this.period;
  }

  /** Sets n^2 times the population covariance and the two variances of the window. */
  compute(): void {
    if (this.nonFinite > 0) {
      this.scaledCovariance = this.scaledVarianceX = this.scaledVarianceY = Number.NaN;
      return;
    }
    const n = this.count;
    this.scaledCovariance = scaledComoment(this.scratch, this.cross, this.sumX, this.sumY, n);
    this.scaledVarianceX = scaledComoment(this.scratch, this.squaresX, this.sumX, this.sumX, n);
    this.scaledVarianceY = scaledComoment(this.scratch, this.squaresY, this.sumY, this.sumY, n);
  }

  reset(): void {
    for (const sum of [this.sumX, this.sumY, this.squaresX, this.squaresY, this.cross]) sum.reset();
    this.nonFinite = 0;
    this.next = 0;
    this.count = 0;
    this.scaledCovariance = this.scaledVarianceX = this.scaledVarianceY = Number.NaN;
  }

  private move(x: number, y: number, sign: 1 | -1): void {
    const sx = sign * x;
    this.sumX.add(sx);
    this.sumY.add(sign * y);
    this.squaresX.addProduct(sx, x);
    this.squaresY.addProduct(sign * y, y);
    this.cross.addProduct(sx, y);
  }
}
