/**
 * Bollinger Bands.
 *
 * Conventions: middle = SMA(n) (the correctly rounded window sum / n); upper and lower = middle +/- k times the
 * population standard deviation of the same window (divide by n, as Bollinger, TradingView and `trading-signals`).
 * The result object is reused: `update` overwrites it.
 */
import { rejectUpdateArguments, requireInteger, requirePositive, type StreamingIndicator } from './indicator.js';
import { WindowMoments } from './rolling-moments.js';

export interface BollingerResult {
  upper: number;
  middle: number;
  lower: number;
  standardDeviation: number;
}

export class BollingerBands implements StreamingIndicator<BollingerResult> {
  readonly warmup: number;
  private readonly moments: WindowMoments;
  private readonly result: BollingerResult = { upper: Number.NaN, middle: Number.NaN, lower: Number.NaN, standardDeviation: Number.NaN };
  /** The middle band is newer than the width (after `push`). */
  private narrow = false;

  constructor(
    readonly period: number,
    readonly multiplier = 2,
  ) {
    requireInteger('BollingerBands', 'period', period);
    requirePositive('BollingerBands', 'multiplier', multiplier);
    this.warmup = period;
    this.moments = new WindowMoments(period);
  }

  update(x: number): BollingerResult | undefined {
    if (typeof x !== 'number') rejectUpdateArguments('BollingerBands.update', 'value', x);
    if (this.push(x) === undefined) return undefined;
    this.widen();
    return this.result;
  }

  /**
   * Takes `x` like `update` and returns the middle band (undefined until the window is full), leaving the bands'
   * width (the costly part) to be worked out when `value` is read: a rule that looks at the outer bands only now
   * and then need not pay for them on every bar.
   */
  push(x: number): number | undefined {
    const moments = this.moments;
    moments.push(x);
    if (!moments.isFull) return undefined;
    this.result.middle = moments.mean();
    this.narrow = true;
    return this.result.middle;
  }

  get value(): BollingerResult | undefined {
    if (!this.moments.isFull) return undefined;
    if (this.narrow) this.widen();
    return this.result;
  }

  get isReady(): boolean {
    return this.moments.isFull;
  }

  reset(): void {
    this.moments.reset();
    this.narrow = false;
  }

  private widen(): void {
    const result = this.result;
    const sd = this.moments.standardDeviation();
    result.standardDeviation = sd;
    result.upper = result.middle + this.multiplier * sd;
    result.lower = result.middle - this.multiplier * sd;
    this.narrow = false;
  }
}
