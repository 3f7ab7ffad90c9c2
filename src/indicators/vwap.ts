/**
 * Volume-weighted average price, anchored.
 *
 * Conventions: typical price tp = (high + low + close) / 3; VWAP = sum(tp * volume) / sum(volume) over every bar
 * since the anchor (the first update, or the last `reset()`: call it at a session boundary for a session VWAP).
 * Both sums are exact (ExactSum with exact products), so the VWAP is the ratio of the two correctly rounded sums
 * however long the run. No value until some volume has traded.
 */
import { ExactSum } from './exact-sum.js';
import { rejectUpdateArguments, type StreamingIndicator } from './indicator.js';

export class VWAP implements StreamingIndicator<number> {
  readonly warmup = 1;
  private readonly priceVolume = new ExactSum();
  private readonly volume = new ExactSum();
  private current = Number.NaN;
  private ready = false;

  update(high: number, low: number, close: number, volume: number): number | undefined {
    if (typeof high !== 'number' || typeof low !== 'number' || typeof close !== 'number' || typeof volume !== 'number') rejectUpdateArguments('VWAP.update', 'high, low, close, volume', high, low, close, volume);
    this.priceVolume.addProduct((high + low + close) / 3, volume);
    this.volume.add(volume);
    const totalVolume = this.volume.value();
    if (totalVolume === 0) return this.ready ? this.current : undefined;
    this.ready = true;
    this.current = this.priceVolume.value() / totalVolume;
    return this.current;
  }

  get value(): number | undefined {
    return this.ready ? this.current : undefined;
  }

  get isReady(): boolean {
    return this.ready;
  }

  reset(): void {
    this.priceVolume.reset();
    this.volume.reset();
    this.current = Number.NaN;
    this.ready = false;
  }
}
