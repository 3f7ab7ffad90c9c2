/**
 * Moving averages: SMA, EMA, RMA (Wilder's smoothing, also called SMMA) and WMA.
 *
 * Conventions:
 * - SMA(n) is the correctly rounded sum of the last n values (exact summation, as Python's `math.fsum`) divided
 *   by n, on every bar of any run: the window sum is kept exactly (see ExactSum), so it never drifts.
 * - EMA(n) uses alpha = 2 / (n + 1) and is seeded with the SMA of its first n values: the first value comes with
 *   update n and equals that SMA; after it, ema = alpha * x + (1 - alpha) * previous.
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
  private readonly keep: number;

  constructor(period: number) {
    super('EMA', period);
    this.alpha = 2 / (period + 1);
    this.keep = 1 - this.alpha;
  }

  protected step(previous: number, x: number): number {
    return x * this.alpha + previous * this.keep;
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
