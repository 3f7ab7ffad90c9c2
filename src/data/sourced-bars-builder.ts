import type { InstrumentId } from '../core/ids.js';
import { inferTimeframe, type BarSeries } from './bar-series.js';
import type { SourcedBars } from './sourced-bars.js';

/** Columns and origins for bars read one by one, growing by doubling from a capacity guess. */
export class SourcedBarsBuilder {
  private capacity: number;
  private count = 0;
  private ts: Float64Array;
  private open: Float64Array;
  private high: Float64Array;
  private low: Float64Array;
  private close: Float64Array;
  private volume: Float64Array;
  private origins: Uint32Array;

  constructor(expectedBars: number) {
    this.capacity = Math.max(16, Math.ceil(expectedBars));
    this.ts = new Float64Array(this.capacity);
    this.open = new Float64Array(this.capacity);
    this.high = new Float64Array(this.capacity);
    this.low = new Float64Array(this.capacity);
    this.close = new Float64Array(this.capacity);
    this.volume = new Float64Array(this.capacity);
    this.origins = new Uint32Array(this.capacity);
  }

  push(ts: number, open: number, high: number, low: number, close: number, volume: number, origin: number): void {
    if (this.count === this.capacity) this.grow();
    const i = this.count;
    this.ts[i] = ts;
    this.open[i] = open;
    this.high[i] = high;
    this.low[i] = low;
    this.close[i] = close;
    this.volume[i] = volume;
    this.origins[i] = origin;
    this.count = i + 1;
  }

  /** The bars so far (views of the storage); the timeframe is inferred unless given. */
  build(instrumentId: InstrumentId, source: string, originKind: SourcedBars['originKind'], timeframeMs?: number): SourcedBars {
    const n = this.count;
    const ts = this.ts.subarray(0, n);
    const series: BarSeries = {
      instrumentId,
      timeframeMs: timeframeMs ?? inferTimeframe(ts, n),
      length: n,
      ts,
      open: this.open.subarray(0, n),
      high: this.high.subarray(0, n),
      low: this.low.subarray(0, n),
      close: this.close.subarray(0, n),
      volume: this.volume.subarray(0, n),
    };
    return { source, series, origins: this.origins.subarray(0, n), originKind };
  }

  private grow(): void {
    this.capacity *= 2;
    const grow = (column: Float64Array): Float64Array => {
      const grown = new Float64Array(this.capacity);
      grown.set(column);
      return grown;
    };
    this.ts = grow(this.ts);
    this.open = grow(this.open);
    this.high = grow(this.high);
    this.low = grow(this.low);
    this.close = grow(this.close);
    this.volume = grow(this.volume);
    const origins = new Uint32Array(this.capacity);
    origins.set(this.origins);
    this.origins = origins;
  }
}
