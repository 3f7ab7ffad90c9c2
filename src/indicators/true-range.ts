/**
 * True range and the Average True Range.
 *
 * Conventions:
 * - True range = max(high - low, |high - previous close|, |low - previous close|); on the first bar, with no
 *   previous close, it is high - low (as TradingView's `ta.atr` and `trading-signals`; TA-Lib instead starts
 *   one bar later).
 * - ATR(n) is the Wilder smoothing (RMA) of the true range: the first value is the plain average of the first n
 *   true ranges (so it comes with bar n, warmup n), then (previous * (n - 1) + tr) / n.
 */
import { rejectUpdateArguments, requireInteger, type StreamingIndicator } from './indicator.js';
import { RMA } from './moving-averages.js';

export class TrueRange implements StreamingIndicator<number> {
  readonly warmup = 1;
  private previousClose = Number.NaN;
  private current = Number.NaN;
  private started = false;

  update(high: number, low: number, close: number): number {
    if (typeof high !== 'number' || typeof low !== 'number' || typeof close !== 'number') rejectUpdateArguments('TrueRange.update', 'high, low, close', high, low, close);
    let range = high - low;
    if (this.started) {
      const up = Math.abs(high - this.previousClose);
      const down = Math.abs(low - this.previousClose);
      if (up > range) range = up;
      if (down > range) range = down;
    }
    this.started = true;
    this.previousClose = close;
    this.current = range;
    return range;
  }

  get value(): number | undefined {
    return this.started ? this.current : undefined;
  }

  get isReady(): boolean {
    return this.started;
  }

  reset(): void {
    this.previousClose = Number.NaN;
    this.current = Number.NaN;
    this.started = false;
  }
}

export class ATR implements StreamingIndicator<number> {
  readonly warmup: number;
  private readonly trueRange = new TrueRange();
  private readonly average: RMA;

  constructor(readonly period: number) {
    requireInteger('ATR', 'period', period);
    this.warmup = period;
    this.average = new RMA(period);
  }

  update(high: number, low: number, close: number): number | undefined {
    if (typeof high !== 'number' || typeof low !== 'number' || typeof close !== 'number') rejectUpdateArguments('ATR.update', 'high, low, close', high, low, close);
    return this.average.update(this.trueRange.update(high, low, close));
  }

  get value(): number | undefined {
    return this.average.value;
  }

  get isReady(): boolean {
    return this.average.isReady;
  }

  reset(): void {
    this.trueRange.reset();
    this.average.reset();
  }
}
