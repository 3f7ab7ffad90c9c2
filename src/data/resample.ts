/**
 * Resampling to a larger timeframe (1m -> 5m, 15m, 1h, 4h, 1d ...): bars are grouped into buckets
 * `floor((ts - origin) / target) * target + origin` (origin 0: buckets on the UTC grid, days start at midnight UTC);
 * a bucket's open is its first bar's open, high the maximum, low the minimum, close the last bar's close and
 * volume the sum. Buckets with no bars are not invented: a gap in the source stays a gap.
 *
 * The first and the last bucket may be cut by the ends of the data (a file starting at 00:03 or ending at
 * 00:07 for 5m buckets). With `incomplete: 'drop'` (the default) such an edge bucket is dropped, so every bar out
 * has its true open and close; with `'keep'` it is kept as a partial bar. Inner buckets are always kept, even
 * when the source misses some of their bars (the data check reports those gaps).
 *
 * Targets of whole weeks start on Monday 00:00 UTC by default, as exchanges' 1w candles do (the epoch grid would
 * start them on Thursday, 1970-01-01 being one); pass `originMs: 0` for that grid.
 */
import { FixRequestError } from '../core/errors.js';
import type { BarSeries } from './bar-series.js';
import { formatTimeframe } from './timeframe.js';

export interface ResampleOptions {
  /** Edge buckets not fully covered by the data: dropped (default) or kept as partial bars. */
  readonly incomplete?: 'drop' | 'keep';
  /** The source bar length when the series does not know it (timeframeMs 0). */
  readonly sourceTimeframeMs?: number;
  /** Where the bucket grid starts, in epoch ms (default 0, or a Monday for whole-week targets). */
  readonly originMs?: number;
}

const WEEK_MS = 7 * 86_400_000;
/** 1970-01-05 00:00 UTC, the first Monday of the epoch. */
export const MONDAY_ORIGIN_MS = 4 * 86_400_000;

export function resampleBars(series: BarSeries, targetMs: number, options: ResampleOptions = {}): BarSeries {
  const sourceMs = options.sourceTimeframeMs ?? series.timeframeMs;
  const origin = options.originMs ?? (targetMs % WEEK_MS === 0 ? MONDAY_ORIGIN_MS : 0);
  if (!Number.isSafeInteger(targetMs) || targetMs <= 0) {
    throw new FixRequestError('invalid_timeframe', `cannot resample to ${targetMs} ms; the target must be a positive whole number of ms`);
  }
  if (!(sourceMs > 0)) {
    throw new FixRequestError('unknown_timeframe', 'the source timeframe is unknown; pass sourceTimeframeMs to resample');
  }
  if (targetMs < sourceMs || targetMs % sourceMs !== 0) {
    throw new FixRequestError(
      'invalid_timeframe',
      `cannot resample ${formatTimeframe(sourceMs)} bars to ${formatTimeframe(targetMs)}: the target must be a multiple of the source`,
    );
  }
  const { ts, open, high, low, close, volume, length } = series;
  for (let i = 1; i < length; i++) {
    if (!((ts[i] as number) > (ts[i - 1] as number))) {
      throw new FixRequestError('unsorted_bars', `cannot resample: bar ${i} is not after bar ${i - 1}; run the data check and fix the order first`);
    }
  }

  // At most one bucket per source bar, and no more than the span holds.
  const span = length === 0 ? 0 : (ts[length - 1] as number) - (ts[0] as number);
  const capacity = Math.max(1, Math.min(length, Math.floor(span / targetMs) + 2));
  const outTs = new Float64Array(capacity);
  const outOpen = new Float64Array(capacity);
  const outHigh = new Float64Array(capacity);
  const outLow = new Float64Array(capacity);
  const outClose = new Float64Array(capacity);
  const outVolume = new Float64Array(capacity);
  let count = 0;
  let i = 0;
  while (i < length) {
    const bucket = Math.floor(((ts[i] as number) - origin) / targetMs) * targetMs + origin;
    const bucketEnd = bucket + targetMs;
    let h = high[i] as number;
    let l = low[i] as number;
    let v = volume[i] as number;
    const o = open[i] as number;
    let j = i + 1;
    while (j < length && (ts[j] as number) < bucketEnd) {
      h = Math.max(h, high[j] as number);
      l = Math.min(l, low[j] as number);
      v += volume[j] as number;
      j++;
    }
    outTs[count] = bucket;
    outOpen[count] = o;
    outHigh[count] = h;
    outLow[count] = l;
    outClose[count] = close[j - 1] as number;
    outVolume[count] = v;
    count++;
    i = j;
  }

  let from = 0;
  let to = count;
  if ((options.incomplete ?? 'drop') === 'drop' && length > 0) {
    if ((ts[0] as number) > (outTs[0] as number)) from = 1;
    if ((ts[length - 1] as number) + sourceMs < (outTs[count - 1] as number) + targetMs && to > from) to -= 1;
  }
  return {
    instrumentId: series.instrumentId,
    timeframeMs: targetMs,
    length: to - from,
    ts: outTs.subarray(from, to),
    open: outOpen.subarray(from, to),
    high: outHigh.subarray(from, to),
    low: outLow.subarray(from, to),
    close: outClose.subarray(from, to),
    volume: outVolume.subarray(from, to),
  };
}
