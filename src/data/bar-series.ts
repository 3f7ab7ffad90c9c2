import { FixRequestError } from '../core/errors.js';
import type { InstrumentId } from '../core/ids.js';
import { inferTimeframe } from './infer-timeframe.js';

/**
 * A bar series in columns: one Float64Array per field, bar open times in epoch ms. 48 bytes a bar, no object per
 * bar: backtests over tens of millions of bars read these directly.
 */
export interface BarSeries {
  readonly instrumentId: InstrumentId;
  /** Bar length; 0 when the source does not say and it could not be inferred. */
  readonly timeframeMs: number;
  readonly length: number;
  readonly ts: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
}

/** Column storage for a series being built row by row (grows by doubling). */
export class BarSeriesBuilder {
  private capacity: number;
  private count = 0;
  private ts: Float64Array;
  private open: Float64Array;
  private high: Float64Array;
  private low: Float64Array;
  private close: Float64Array;
  private volume: Float64Array;

  constructor(initialCapacity = 1024) {
    this.capacity = Math.max(16, initialCapacity);
    this.ts = new Float64Array(this.capacity);
    this.open = new Float64Array(this.capacity);
    this.high = new Float64Array(this.capacity);
    this.low = new Float64Array(this.capacity);
    this.close = new Float64Array(this.capacity);
    this.volume = new Float64Array(this.capacity);
  }

  get length(): number {
    return this.count;
  }

  push(ts: number, open: number, high: number, low: number, close: number, volume: number): void {
    if (this.count === this.capacity) this.grow();
    const i = this.count;
    this.ts[i] = ts;
    this.open[i] = open;
    this.high[i] = high;
    this.low[i] = low;
    this.close[i] = close;
    this.volume[i] = volume;
    this.count = i + 1;
  }

  /** The finished series (the columns are trimmed views of the storage). */
  build(instrumentId: InstrumentId, timeframeMs = inferTimeframe(this.ts, this.count)): BarSeries {
    const n = this.count;
    return {
      instrumentId,
      timeframeMs,
      length: n,
      ts: this.ts.subarray(0, n),
      open: this.open.subarray(0, n),
      high: this.high.subarray(0, n),
      low: this.low.subarray(0, n),
      close: this.close.subarray(0, n),
      volume: this.volume.subarray(0, n),
    };
  }

  private grow(): void {
    this.capacity *= 2;
    const grow = (a: Float64Array): Float64Array => {
      const b = new Float64Array(this.capacity);
      b.set(a);
      return b;
    };
    this.ts = grow(this.ts);
    this.open = grow(this.open);
    this.high = grow(this.high);
    this.low = grow(this.low);
    this.close = grow(this.close);
    this.volume = grow(this.volume);
  }
}

/** A view of bars [from, to) of a series, sharing its storage. */
export function sliceSeries(series: BarSeries, from: number, to: number): BarSeries {
  if (from < 0 || to > series.length || from > to) {
    throw new FixRequestError('invalid_range', `cannot slice bars ${from}..${to} of a series of ${series.length}`);
  }
  return {
    instrumentId: series.instrumentId,
    timeframeMs: series.timeframeMs,
    length: to - from,
    ts: series.ts.subarray(from, to),
    open: series.open.subarray(from, to),
    high: series.high.subarray(from, to),
    low: series.low.subarray(from, to),
    close: series.close.subarray(from, to),
    volume: series.volume.subarray(from, to),
  };
}

/** A replay position in one series. */
export interface SeriesCursor {
  readonly series: BarSeries;
  index: number;
}

/**
 * The cursor whose next bar closes first (open time + timeframe), ties to the earlier cursor; undefined when every
 * series is done. Replays order bars by close time, so a 1h bar comes after the 1m bars inside it.
 */
export function nextToClose<C extends SeriesCursor>(cursors: readonly C[]): C | undefined {
  let next: C | undefined;
  let closeTs = Infinity;
  for (const cursor of cursors) {
    if (cursor.index >= cursor.series.length) continue;
    const t = (cursor.series.ts[cursor.index] as number) + cursor.series.timeframeMs;
    if (t < closeTs) {
      closeTs = t;
      next = cursor;
    }
  }
  return next;
}

/** Writes bar `i` of a series into a reused object (bar loops allocate nothing per bar). */
export function readBar(series: BarSeries, i: number, into: { ts: number; open: number; high: number; low: number; close: number; volume: number }): void {
  into.ts = series.ts[i] as number;
  into.open = series.open[i] as number;
  into.high = series.high[i] as number;
  into.low = series.low[i] as number;
  into.close = series.close[i] as number;
  into.volume = series.volume[i] as number;
}
