/**
 * Moving averages: SMA, EMA, RMA (Wilder's smoothing, also called SMMA) and WMA.
 *
 * Conventions:
 * - SMA(n) is the correctly rounded sum of the last n values (exact summation, as Python's `math.fsum`) divided
 *   by n, on every bar of any run: the window sum is kept exactly (see ExactSum), so it never drifts.
 * - EMA(n) uses alpha = 2 / (n + 1) and is seeded with the SMA of its first n values: the first value comes with
 *   update n and equals that SMA; after it, ema = previous + alpha * (x - previous), which stays on a flat input
 *   once it reaches it.
 * - RMA(n) (Wilder's smoothing, SMMA) is seeded the same way and then follows Wilder's recursion
 *   rma = (previous * (n - 1) + x) / n, i.e. alpha = 1 / n. RSI, ATR and DMI/ADX smooth with it.
 * - WMA(n) weights the newest value n, the one before n - 1, ..., the oldest 1, and divides by n(n + 1)/2; its
 *   weighted sum is also kept exactly (the numerator updates as N' = N - S + n * x with exact products), so the
 *   WMA is the correctly rounded weighted sum divided by n(n + 1)/2.
 * - EMA and RMA carry a NaN or infinite input forward for good (they are recursive); SMA and WMA recover once it
 *   leaves their window.
 */
import { ExactSum } from './exact-sum.js';
import { rejectUpdateArguments, requireInteger, type StreamingIndicator } from './indicator.js';

/**
 * Two means that differ by more than this share of the larger are ordered as their rounded values are: each SMA is
 * within two rounding steps (2^-52 relative) of its exact mean, so a gap of 2^-50 cannot be an artefact. The
 * absolute term covers subnormal means, where a rounding step is absolute.
 */
const CLEAR_GAP = 2 ** -50;
const CLEAR_FLOOR = 2 ** -1070;

/** Working space of `SMA.compareTo` (one thread, never held across calls). */
const comparison = new ExactSum();

/** Simple moving average over an exact rolling sum. */
export class SMA implements StreamingIndicator<number> {
  readonly warmup: number;
  private readonly window: Float64Array;
  private readonly sum = new ExactSum();
  private next = 0;
  private count = 0;
  private current = Number.NaN;

  constructor(readonly period: number) {
    requireInteger('SMA', 'period', period);
    this.warmup = period;
    this.window = new Float64Array(period);
  }

  update(x: number): number | undefined {
    if (typeof x !== 'number') rejectUpdateArguments('SMA.update', 'value', x);
    const window = this.window;
    const i = this.next;
    if (this.count === this.period) this.sum.subtract(window[i] as number);
    else this.count += 1;
    window[i] = x;
    this.sum.add(x);
    this.next = i + 1 === this.period ? 0 : i + 1;
    if (this.count < this.period) return undefined;
    this.current = this.sum.value() / this.period;
    return this.current;
  }

  get value(): number | undefined {
    return this.count === this.period ? this.current : undefined;
  }

  get isReady(): boolean {
    return this.count === this.period;
  }

  /**
   * The sign of this SMA's exact mean minus `other`'s: -1, 0 or 1, NaN while either is warming up or has a NaN
   * (or opposite infinities) in its window. The SMA's value is the rounded window sum divided by the period, so two
   * SMAs of one flat price can differ by a rounding step (SMA(3) and SMA(5) of 0.000103 are 0.000103 and
   * 0.00010299999999999998); compared here, they are equal. Decided on the rounded values when their gap is clear,
   * otherwise on the sign of sum * other.period - other.sum * period formed exactly (exact while the window sums'
   * parts stay within ExactSum's product range, about 1e-290 to 1e290 over the period).
   */
  compareTo(other: SMA): number {
    if (this.count !== this.period || other.count !== other.period) return Number.NaN;
    const mine = this.current;
    const theirs = other.current;
    const difference = mine - theirs;
    if (Math.abs(difference) > CLEAR_GAP * Math.max(Math.abs(mine), Math.abs(theirs)) + CLEAR_FLOOR) return difference > 0 ? 1 : -1;
    comparison.reset();
    comparison.addScaled(this.sum, other.period);
    comparison.addScaled(other.sum, -this.period);
    return comparison.sign();
  }

  reset(): void {
    this.sum.reset();
    this.next = 0;
    this.count = 0;
    this.current = Number.NaN;
  }
}

/**
 * A recursive average seeded with the SMA of its first `period` values (EMA and RMA share everything but the
 * recursion step).
 */
abstract class SmaSeededAverage implements StreamingIndicator<number> {
  readonly warmup: number;
  private readonly seed = new ExactSum();
  private count = 0;
  private current = Number.NaN;
  private readonly updateCall: string;

  constructor(
    name: string,
    readonly period: number,
  ) {
    requireInteger(name, 'period', period);
    this.warmup = period;
    this.updateCall = `${name}.update`;
  }

  /** The next value from the previous one and the new input. */
  protected abstract step(previous: number, x: number): number;

  update(x: number): number | undefined {
    if (typeof x !== 'number') rejectUpdateArguments(this.updateCall, 'value', x);
    if (this.count >= this.period) {
      this.current = this.step(this.current, x);
      return this.current;
    }
    this.seed.add(x);
    this.count += 1;
    if (this.count < this.period) return undefined;
    this.current = this.seed.value() / this.period;
    return this.current;
  }

  get value(): number | undefined {
    return this.count >= this.period ? this.current : undefined;
  }

  get isReady(): boolean {
    return this.count >= this.period;
  }

  reset(): void {
    this.seed.reset();
    this.count = 0;
    this.current = Number.NaN;
  }
}

/** Exponential moving average, alpha = 2 / (period + 1), seeded with the SMA of the first `period` values. */
export class EMA extends SmaSeededAverage {
  readonly alpha: number;

  constructor(period: number) {
    super('EMA', period);
    this.alpha = 2 / (period + 1);
  }

  /**
   * Moves alpha of the way from the previous value to the input. Unlike alpha * x + (1 - alpha) * previous, this
   * never passes the input and stays on it once there, so on a flat market each EMA closes in on the price from
   * its own side and settles (on it, or within rounding short of it) without turning back: the weighted form can
   * settle several rounding steps off a constant input, a fast average further off than a slow one, and make two
   * EMAs cross on a market that does not move. Period 1 (alpha 1) is the input itself (a NaN before stays NaN).
   */
  protected step(previous: number, x: number): number {
    return this.alpha === 1 ? x + 0 * previous : previous + this.alpha * (x - previous);
  }
}

/** Wilder's moving average (RMA, SMMA): seeded with the SMA of the first `period` values, then (prev*(n-1)+x)/n. */
export class RMA extends SmaSeededAverage {
  private readonly previousWeight: number;

  constructor(period: number) {
    super('RMA', period);
    this.previousWeight = period - 1;
  }

  protected step(previous: number, x: number): number {
    return (previous * this.previousWeight + x) / this.period;
  }
}

/** SMMA is another name for Wilder's RMA. */
export { RMA as SMMA };

/** Linearly weighted moving average (newest weight n, oldest 1) over an exact weighted sum. */
export class WMA implements StreamingIndicator<number> {
  readonly warmup: number;
  private readonly divisor: number;
  private readonly window: Float64Array;
  /** Exact sum of the window (non-finite values counted as 0 here and in `weighted`). */
  private readonly sum = new ExactSum();
  /** Exact weighted sum of the window. */
  private readonly weighted = new ExactSum();
  private nonFinite = 0;
  private next = 0;
  private count = 0;
  private current = Number.NaN;

  constructor(readonly period: number) {
    requireInteger('WMA', 'period', period);
    this.warmup = period;
    this.divisor = (period * (period + 1)) / 2;
    this.window = new Float64Array(period);
  }

  update(x: number): number | undefined {
    if (typeof x !== 'number') rejectUpdateArguments('WMA.update', 'value', x);
    const n = this.period;
    const window = this.window;
    const i = this.next;
    const finite = x - x === 0;
    if (this.count === n) {
      const leaving = window[i] as number;
      // Every value's weight drops by one (the leaving one's from 1 to 0), then the new one enters at n.
      this.weighted.addScaled(this.sum, -1);
      if (leaving - leaving === 0) this.sum.subtract(leaving);
      else this.nonFinite -= 1;
      if (finite) this.weighted.addProduct(n, x);
    } else {
      this.count += 1;
      if (finite) this.weighted.addProduct(this.count, x);
    }
    if (finite) this.sum.add(x);
    else this.nonFinite += 1;
    window[i] = x;
    this.next = i + 1 === n ? 0 : i + 1;
    if (this.count < n) return undefined;
    this.current = this.nonFinite === 0 ? this.weighted.value() / this.divisor : this.plainWeightedAverage();
    return this.current;
  }

  get value(): number | undefined {
    return this.count === this.period ? this.current : undefined;
  }

  get isReady(): boolean {
    return this.count === this.period;
  }

  reset(): void {
    this.sum.reset();
    this.weighted.reset();
    this.nonFinite = 0;
    this.next = 0;
    this.count = 0;
    this.current = Number.NaN;
  }

  /** Only while a NaN or infinity is in the window: IEEE arithmetic gives the right NaN or infinity. */
  private plainWeightedAverage(): number {
    let total = 0;
    for (let k = 1; k <= this.period; k++) total += k * (this.window[(this.next + k - 1) % this.period] as number);
    return total / this.divisor;
  }
}
