/**
 * Commodity Channel Index.
 *
 * Conventions: typical price tp = (high + low + close) / 3; CCI(n) = (tp - SMA(tp)) / (0.015 * mean deviation),
 * the mean deviation being the average of |tp_i - SMA| over the same n bars (Lambert's definition, as TradingView
 * and `trading-signals`); 0 when the mean deviation is 0. The mean deviation is recomputed over the window on every
 * bar, O(n), because it depends on the current mean.
 *
 * Distances are measured from the exact mean of the window, not from the SMA's rounded value: that value can sit a
 * rounding step off (20 bars at 123456.789 average one step below it), which gave a flat window a deviation of one
 * step and a CCI of +-66.67 instead of 0. The exact mean is taken as the rounded one plus remainder / n (the
 * remainder sum - n * mean from the exact sum, ExactSum.remainder): to about 2^-100, and on a flat window exactly,
 * so every distance there is exactly 0.
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
    // What the exact mean exceeds the rounded one by (0 when the mean is NaN or infinite: it is used as it is).
    const offset = mean - mean === 0 ? this.sum.remainder(n, mean) / n : 0;
    let deviation = 0;
    for (let k = 0; k < n; k++) deviation += Math.abs((window[k] as number) - mean - offset);
    deviation /= n;
    this.current = deviation === 0 ? 0 : (typical - mean - offset) / (0.015 * deviation);
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
