import type { InstrumentId } from '../core/ids.js';
import { BarSeriesBuilder } from './bar-series.js';
import type { SourcedBars } from './sourced-bars.js';

/** Columns and origins (line or record numbers) for bars read one by one, growing by doubling. */
export class SourcedBarsBuilder {
  private readonly bars: BarSeriesBuilder;
  private origins: Uint32Array;

  constructor(expectedBars: number) {
    this.bars = new BarSeriesBuilder(Math.ceil(expectedBars));
    this.origins = new Uint32Array(Math.max(16, Math.ceil(expectedBars)));
  }

  push(ts: number, open: number, high: number, low: number, close: number, volume: number, origin: number): void {
    const i = this.bars.length;
    if (i === this.origins.length) {
      const grown = new Uint32Array(this.origins.length * 2);
      grown.set(this.origins);
      this.origins = grown;
    }
    this.origins[i] = origin;
    this.bars.push(ts, open, high, low, close, volume);
  }

  /** The bars so far (views of the storage); the timeframe is inferred unless given. */
  build(instrumentId: InstrumentId, source: string, originKind: SourcedBars['originKind'], timeframeMs?: number): SourcedBars {
    const series = timeframeMs === undefined ? this.bars.build(instrumentId) : this.bars.build(instrumentId, timeframeMs);
    return { source, series, origins: this.origins.subarray(0, series.length), originKind };
  }
}
