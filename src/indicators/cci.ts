/**
 * Commodity Channel Index.
 *
 * Conventions: typical price tp = (high + low + close) / 3; CCI(n) = (tp - SMA(tp)) / (0.015 * mean deviation),
 * the mean deviation being the average of |tp_i - SMA| over the same n bars (Lambert's definition, as TradingView
 * and `trading-signals`); 0 when the mean deviation is 0. The SMA is exact (ExactSum); the mean deviation is
 * recomputed over the window on every bar, O(n), because it depends on the current mean.
 */
import { ExactSum } from './exact-sum.js';
import { rejectUpdateArguments, requireInteger, type StreamingIndicator } from './indicator.js';

export class CCI implements StreamingIndicator<number> {
  readonly warmup: number;
  private readonly window: Float64Array;
  private readonly sum = new ExactSum();
  private next = 0;
  private count = 0;
  private current = Number.NaN;

  constructor(readonly period = 20) {
    requireInteger('CCI', 'period', period);
    this.warmup = period;
    this.window = new Float64Array(period);
  }

  update(high: number, low: number, close: number): number | undefined {
    if (typeof high !== 'number' || typeof low !== 'number' || typeof close !== 'number') rejectUpdateArguments('CCI.update', 'high, low, close', high, low, close);
    const n = this.period;
    const window = this.window;
    const typical = (high + low + close) / 3;
    const i = this.next;
    if (this.count === n) this.sum.subtract(window[i] as number);
    else this.count += 1;
    window[i] = typical;
    this.sum.add(typical);
    this.next = i + 1 === n ? 0 : i + 1;
    if (this.count < n) return undefined;
    const mean = this.sum.value() / n;
    let deviation = 0;
    for (let k = 0; k < n; k++) deviation += Math.abs((window[k] as number) - mean);
    deviation /= n;
    this.current = deviation === 0 ? 0 : (typical - mean) / (0.015 * deviation);
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
