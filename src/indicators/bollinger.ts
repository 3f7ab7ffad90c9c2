/**
 * Bollinger Bands.
 *
 * Conventions: middle = SMA(n) (the correctly rounded window sum / n); upper and lower = middle +/- k times the
 * population standard deviation of the same window (divide by n, as Bollinger, TradingView and `trading-signals`).
 * The result object is reused: `update` overwrites it.
 */
import { requireInteger, requirePositive, type StreamingIndicator } from './indicator.js';
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
    const moments = this.moments;
    moments.push(x);
    if (!moments.isFull) return undefined;
    const result = this.result;
    const middle = moments.mean();
    const sd = Math.sqrt(moments.variance());
    result.middle = middle;
    result.standardDeviation = sd;
    result.upper = middle + this.multiplier * sd;
    result.lower = middle - this.multiplier * sd;
    return result;
  }

  get value(): BollingerResult | undefined {
    return this.moments.isFull ? this.result : undefined;
  }

  get isReady(): boolean {
    return this.moments.isFull;
  }

  reset(): void {
    this.moments.reset();
  }
}
