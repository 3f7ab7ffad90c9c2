import { FixRequestError } from '../../core/errors.js';
import type { InstrumentId } from '../../core/ids.js';
import { barProblem } from '../../domain/market-data.js';
import type { UnixMs } from '../../core/time.js';
import { BarSeriesBuilder, type BarSeries } from '../bar-series.js';
import { barEnd, type CcxtTimeframe } from './timeframe.js';

/** One candle as ccxt returns it: [open time ms, open, high, low, close, volume]; any field may be missing. */
export type Candle = readonly (number | undefined)[];

export interface PageRequest {
  readonly since: number;
  readonly limit: number;
}

export interface PagerOptions {
  readonly timeframe: CcxtTimeframe;
  /** First bar open time wanted (inclusive). */
  readonly since: number;
  /** Bars opening at or after this are not wanted (exclusive). */
  readonly until: number;
  /** Bars per request. */
  readonly limit: number;
  /** Only bars that have closed by this time are kept (the last one may still be trading). */
  readonly closedBy: number;
  /** Safety bound on requests; default allows pages down to a tenth of `limit`. */
  readonly maxPages?: number;
}

export type StopReason = 'reached-until' | 'empty-page' | 'nothing-new' | 'reached-open-bar';

/**
 * Paging through OHLCV history by `since`, without I/O: ask `next()` for the request to send, hand the page to
 * `accept()`, repeat until `next()` returns undefined. Pages are sorted, bars outside [since, until), already seen
 * (duplicates and overlaps) or still open are skipped, and impossible bars (see `barProblem`) are dropped and
 * counted. The cursor moves to the last bar + one timeframe (+1 ms for calendar timeframes), so it strictly
 * advances; paging stops at `until`, on an empty page, on a page with nothing new, or at the still-open bar.
 * An exchange that returns far fewer bars per page than asked hits `maxPages` and fails loudly.
 */
export class OhlcvPager {
  private cursor: number;
  private lastTs = Number.NEGATIVE_INFINITY;
  private pageCount = 0;
  private droppedCount = 0;
  private stopped: StopReason | undefined;
  private readonly builder = new BarSeriesBuilder();
  private readonly maxPages: number;

  constructor(private readonly options: PagerOptions) {
    const { since, until, limit, timeframe } = options;
    if (!(Number.isSafeInteger(limit) && limit > 0)) throw new FixRequestError('invalid_limit', `the page limit must be a positive integer, got ${limit}`);
    if (!(until > since)) {
      throw new FixRequestError('invalid_range', `until (${formatTime(until)}) must be after since (${formatTime(since)})`);
    }
    this.cursor = since;
    const expectedBars = Math.ceil((until - since) / timeframe.approximateMs);
    this.maxPages = options.maxPages ?? Math.ceil(expectedBars / Math.max(1, Math.floor(limit / 10))) + 2;
  }

  /** The next request to send, or undefined when done. Throws when the page bound is exhausted. */
  next(): PageRequest | undefined {
    if (this.stopped !== undefined) return undefined;
    if (this.cursor >= this.options.until) {
      this.stopped = 'reached-until';
      return undefined;
    }
    if (this.pageCount >= this.maxPages) {
      throw new FixRequestError(
        'pagination_runaway',
        `gave up after ${this.pageCount} pages (${this.builder.length} bars, up to ${formatTime(this.lastTs)}): the exchange returns far ` +
          `fewer than ${this.options.limit} bars a page; narrow the range or raise maxPages`,
      );
    }
    const { timeframe, limit, until } = this.options;
    const remaining = timeframe.calendar ? limit : Math.ceil((until - this.cursor) / timeframe.approximateMs);
    return { since: this.cursor, limit: Math.min(limit, remaining) };
  }

  /** Takes one page; returns how many new bars it added. */
  accept(page: readonly Candle[]): number {
    this.pageCount += 1;
    if (page.length === 0) {
      this.stopped = 'empty-page';
      return 0;
    }
    const { since, until, closedBy, timeframe } = this.options;
    const sorted = isSorted(page) ? page : [...page].sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0));
    const before = this.lastTs;
    let added = 0;
    for (const candle of sorted) {
      const ts = candle[0];
      if (ts === undefined || !Number.isSafeInteger(ts) || ts < since || ts <= this.lastTs) continue;
      if (ts >= until) {
        this.stopped = 'reached-until';
        break;
      }
      if (barEnd(ts, timeframe) > closedBy) {
        this.stopped = 'reached-open-bar';
        break;
      }
      const [, open, high, low, close, volume] = candle;
      const bar = { ts: ts as UnixMs, open: open ?? Number.NaN, high: high ?? Number.NaN, low: low ?? Number.NaN, close: close ?? Number.NaN, volume: volume ?? 0 };
      this.lastTs = ts;
      if (barProblem(bar) !== undefined) {
        this.droppedCount += 1;
        continue;
      }
      this.builder.push(ts, bar.open, bar.high, bar.low, bar.close, bar.volume);
      added += 1;
    }
    if (this.stopped === undefined) {
      if (this.lastTs === before) this.stopped = 'nothing-new';
      else this.cursor = timeframe.calendar ? this.lastTs + 1 : this.lastTs + timeframe.approximateMs;
    }
    return added;
  }

  get bars(): number {
    return this.builder.length;
  }

  get pages(): number {
    return this.pageCount;
  }

  /** Candles dropped because they were impossible (high below low, a missing price, ...). */
  get dropped(): number {
    return this.droppedCount;
  }

  /** Open time of the newest bar taken so far, undefined before the first. */
  get lastBarTs(): number | undefined {
    return Number.isFinite(this.lastTs) ? this.lastTs : undefined;
  }

  get stopReason(): StopReason | undefined {
    return this.stopped;
  }

  build(instrumentId: InstrumentId): BarSeries {
    const { timeframe } = this.options;
    return timeframe.calendar ? this.builder.build(instrumentId) : this.builder.build(instrumentId, timeframe.approximateMs);
  }
}

function isSorted(page: readonly Candle[]): boolean {
  for (let i = 1; i < page.length; i++) if ((page[i]?.[0] ?? 0) < (page[i - 1]?.[0] ?? 0)) return false;
  return true;
}

function formatTime(ts: number): string {
  return Number.isFinite(ts) ? new Date(ts).toISOString() : 'the start';
}
