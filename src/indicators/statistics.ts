/**
 * Rolling standard deviation and z-score over exact moments (see WindowMoments).
 *
 * Conventions:
 * - Population standard deviation (divide by n, as Bollinger Bands, TradingView's `ta.stdev` and
 *   `trading-signals`), from exact moments: within an ulp of the exact value, 0 for a window of equal values, at
 *   any magnitude of the values (see WindowMoments).
 * - z-score = (x - mean) / standard deviation over the window that includes x; 0 when the window has no variance.
 */
import { rejectUpdateArguments, requireInteger, type StreamingIndicator } from './indicator.js';
import { WindowMoments } from './rolling-moments.js';

export class StandardDeviation implements StreamingIndicator<number> {
  readonly warmup: number;
  private readonly moments: WindowMoments;
  private current = Number.NaN;
  /** Mean of the window at the last update. */
  mean = Number.NaN;

  constructor(readonly period: number) {
    requireInteger('StandardDeviation', 'period', period);
    this.warmup = period;
    this.moments = new WindowMoments(period);
  }

  update(x: number): number | undefined {
    if (typeof x !== 'number') rejectUpdateArguments('StandardDeviation.update', 'value', x);
    const moments = this.moments;
    moments.push(x);
    if (!moments.isFull) return undefined;
    this.mean = moments.mean();
    this.current = moments.standardDeviation();
    return this.current;
  }

  /** (x - mean) / standard deviation over the window at the last update (0 without variance), at full precision. */
  score(x: number): number {
    return this.moments.score(x);
  }

  get value(): number | undefined {
    return this.moments.isFull ? this.current : undefined;
  }

  get isReady(): boolean {
    return this.moments.isFull;
  }

  reset(): void {
    this.moments.reset();
    this.current = Number.NaN;
    this.mean = Number.NaN;
  }
}

export class ZScore implements StreamingIndicator<number> {
  readonly warmup: number;
  private readonly deviation: StandardDeviation;
  private current = Number.NaN;

  constructor(readonly period: number) {
    requireInteger('ZScore', 'period', period);
    this.warmup = period;
    this.deviation = new StandardDeviation(period);
  }

  update(x: number): number | undefined {
    if (typeof x !== 'number') rejectUpdateArguments('ZScore.update', 'value', x);
    const sd = this.deviation.update(x);
    if (sd === undefined) return undefined;
    this.current = this.deviation.score(x);
    return this.current;
  }

  get value(): number | undefined {
    return this.deviation.isReady ? this.current : undefined;
  }

  get isReady(): boolean {
    return this.deviation.isReady;
  }

  /** Mean and standard deviation of the window at the last update. */
  get mean(): number {
    return this.deviation.mean;
  }

  get standardDeviation(): number | undefined {
    return this.deviation.value;
  }

  reset(): void {
    this.deviation.reset();
    this.current = Number.NaN;
  }
}
