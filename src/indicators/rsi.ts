/**
 * Relative Strength Index, Wilder's original.
 *
 * Conventions:
 * - Changes start with the second value: gain = max(change, 0), loss = max(-change, 0).
 * - The average gain and loss are Wilder-smoothed (RMA): seeded with the plain average of the first n changes,
 *   then (previous * (n - 1) + current) / n. The first RSI therefore comes with update n + 1 (warmup n + 1).
 * - RSI = 100 - 100 / (1 + averageGain / averageLoss); 100 when the average loss is 0 and the average gain is
 *   not, and 50 when both are 0 (a price that has not moved for the whole smoothing history is neutral).
 * - A NaN price (or a change that is NaN, infinity minus infinity) makes the RSI NaN from then on, as a NaN stays
 *   in EMA, RMA and ATR: the averages are recursive, so the gap never leaves them. Call `reset()` to start over.
 */
import { rejectUpdateArguments, requireInteger, type StreamingIndicator } from './indicator.js';
import { RMA } from './moving-averages.js';

export class RSI implements StreamingIndicator<number> {
  readonly warmup: number;
  private readonly gains: RMA;
  private readonly losses: RMA;
  private previous = Number.NaN;
  private started = false;
  private current = Number.NaN;

  constructor(readonly period: number) {
    requireInteger('RSI', 'period', period);
    this.warmup = period + 1;
    this.gains = new RMA(period);
    this.losses = new RMA(period);
  }

  update(x: number): number | undefined {
    if (typeof x !== 'number') rejectUpdateArguments('RSI.update', 'value', x);
    if (!this.started) {
      this.started = true;
      this.previous = x;
      return undefined;
    }
    const change = x - this.previous;
    this.previous = x;
    let up = 0;
    let down = 0;
    if (change > 0) up = change;
    else if (change < 0) down = -change;
    else if (change !== change) {
      // A NaN change is no move of 0: both averages take it, so it stays in them as in every recursive average.
      up = change;
      down = change;
    }
    const gain = this.gains.update(up);
    const loss = this.losses.update(down);
    if (gain === undefined || loss === undefined) return undefined;
    if (loss === 0) this.current = gain === 0 ? 50 : 100;
    else this.current = 100 - 100 / (1 + gain / loss);
    return this.current;
  }

  get value(): number | undefined {
    return this.gains.isReady ? this.current : undefined;
  }

  get isReady(): boolean {
    return this.gains.isReady;
  }

  reset(): void {
    this.gains.reset();
    this.losses.reset();
    this.previous = Number.NaN;
    this.started = false;
    this.current = Number.NaN;
  }
}
