/**
 * Rate of Change.
 *
 * Convention: ROC(n) = 100 * (x - x[n bars ago]) / x[n bars ago], in percent (TradingView's `ta.roc`, TA-Lib's
 * ROC; `trading-signals` returns the fraction); first with update n + 1.
 */
import { rejectUpdateArguments, requireInteger, type StreamingIndicator } from './indicator.js';

export class ROC implements StreamingIndicator<number> {
  readonly warmup: number;
  /** The last n + 1 values. */
  private readonly window: Float64Array;
  private next = 0;
  private count = 0;
  private current = Number.NaN;

  constructor(readonly period: number) {
    requireInteger('ROC', 'period', period);
    this.warmup = period + 1;
    this.window = new Float64Array(period + 1);
  }

  update(x: number): number | undefined {
    if (typeof x !== 'number') rejectUpdateArguments('ROC.update', 'value', x);
    const size = this.period + 1;
    const i = this.next;
    this.window[i] = x;
    this.next = i + 1 === size ? 0 : i + 1;
    if (this.count < size) this.count += 1;
    if (this.count < size) return undefined;
    const past = this.window[this.next] as number;
    this.current = (100 * (x - past)) / past;
    return this.current;
  }

  get value(): number | undefined {
    return this.count === this.period + 1 ? this.current : undefined;
  }

  get isReady(): boolean {
    return this.count === this.period + 1;
  }

  reset(): void {
    this.next = 0;
    this.count = 0;
    this.current = Number.NaN;
  }
}
