/**
 * Bar series on shared memory: the six columns of a series copied once into one SharedArrayBuffer, which every
 * worker thread then reads in place. No bar crosses a thread boundary per trial.
 */
import type { InstrumentId } from '../../core/ids.js';
import type { BarSeries } from '../../data/bar-series.js';

export interface SharedSeries {
  readonly instrumentId: InstrumentId;
  readonly timeframeMs: number;
  readonly length: number;
  /** ts, open, high, low, close, volume, each `length` float64 values, in that order. */
  readonly buffer: SharedArrayBuffer;
}

const COLUMNS = ['ts', 'open', 'high', 'low', 'close', 'volume'] as const;

export function shareSeries(series: BarSeries): SharedSeries {
  const n = series.length;
  const buffer = new SharedArrayBuffer(COLUMNS.length * n * Float64Array.BYTES_PER_ELEMENT);
  COLUMNS.forEach((column, c) => new Float64Array(buffer, c * n * Float64Array.BYTES_PER_ELEMENT, n).set(series[column].subarray(0, n)));
  return { instrumentId: series.instrumentId, timeframeMs: series.timeframeMs, length: n, buffer };
}

export function seriesFromShared(shared: SharedSeries): BarSeries {
  const n = shared.length;
  const column = (c: number): Float64Array => new Float64Array(shared.buffer, c * n * Float64Array.BYTES_PER_ELEMENT, n);
  return {
    instrumentId: shared.instrumentId,
    timeframeMs: shared.timeframeMs,
    length: n,
    ts: column(0),
    open: column(1),
    high: column(2),
    low: column(3),
    close: column(4),
    volume: column(5),
  };
}
