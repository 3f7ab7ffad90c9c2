import { describe, expect, it } from 'vitest';
import { FixRequestError } from '../../core/errors.js';
import type { InstrumentId } from '../../core/ids.js';
import { HOUR_MS } from '../../core/time.js';
import { OhlcvPager, type Candle, type PagerOptions } from './ohlcv-pager.js';
import { parseCcxtTimeframe } from './timeframe.js';

const T0 = Date.UTC(2024, 0, 1);
const ID = 'BINANCE:BTC/USDT' as InstrumentId;
const HOUR = parseCcxtTimeframe('1h');

function candle(hour: number, close = 100 + hour): Candle {
  return [T0 + hour * HOUR_MS, close, close + 1, close - 1, close, 10];
}

function hours(from: number, to: number): Candle[] {
  return Array.from({ length: to - from }, (_, i) => candle(from + i));
}

function pager(overrides: Partial<PagerOptions> = {}): OhlcvPager {
  return new OhlcvPager({ timeframe: HOUR, since: T0, until: T0 + 25 * HOUR_MS, limit: 10, closedBy: T0 + 1_000 * HOUR_MS, ...overrides });
}

describe('OhlcvPager', () => {
  it('pages by since, advancing to the last bar plus one timeframe, and asks only for what is left', () => {
    const paging = pager();
    expect(paging.next()).toEqual({ since: T0, limit: 10 });
    expect(paging.accept(hours(0, 10))).toBe(10);
    expect(paging.next()).toEqual({ since: T0 + 10 * HOUR_MS, limit: 10 });
    expect(paging.accept(hours(10, 20))).toBe(10);
    expect(paging.next()).toEqual({ since: T0 + 20 * HOUR_MS, limit: 5 });
    expect(paging.accept(hours(20, 25))).toBe(5);
    expect(paging.next()).toBeUndefined();
    expect(paging.stopReason).toBe('reached-until');
    const series = paging.build(ID);
    expect(series.length).toBe(25);
    expect(series.timeframeMs).toBe(HOUR_MS);
    expect(series.ts[24]).toBe(T0 + 24 * HOUR_MS);
    expect(series.close[24]).toBe(124);
  });

  it('skips overlapping and duplicated bars and sorts an unsorted page', () => {
    const paging = pager();
    paging.accept(hours(0, 10));
    const overlapping = [candle(12), ...hours(8, 12), candle(12, 999)];
    expect(paging.accept(overlapping)).toBe(3);
    const series = paging.build(ID);
    expect(Array.from(series.ts, (ts) => (ts - T0) / HOUR_MS)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(series.close[12]).toBe(112);
  });

  it('ignores bars before since and stops at the first bar at or after until', () => {
    const paging = pager({ since: T0 + 2 * HOUR_MS, until: T0 + 5 * HOUR_MS });
    expect(paging.accept(hours(0, 10))).toBe(3);
    expect(paging.stopReason).toBe('reached-until');
    expect(paging.next()).toBeUndefined();
  });

  it('stops on an empty page and on a page with nothing new', () => {
    const empty = pager();
    empty.accept(hours(0, 10));
    empty.accept([]);
    expect(empty.stopReason).toBe('empty-page');
    expect(empty.next()).toBeUndefined();

    const repeated = pager();
    repeated.accept(hours(0, 10));
    expect(repeated.accept(hours(0, 10))).toBe(0);
    expect(repeated.stopReason).toBe('nothing-new');
    expect(repeated.next()).toBeUndefined();
    expect(repeated.bars).toBe(10);
  });

  it('keeps only closed bars: the one still trading ends the fetch', () => {
    const paging = pager({ closedBy: T0 + 7 * HOUR_MS + 30 * 60_000 });
    expect(paging.accept(hours(0, 10))).toBe(7);
    expect(paging.stopReason).toBe('reached-open-bar');
  });

  it('drops and counts impossible candles but keeps paging past them', () => {
    const paging = pager();
    const page = hours(0, 10);
    page[3] = [T0 + 3 * HOUR_MS, 100, 90, 110, 100, 1];
    page[4] = [T0 + 4 * HOUR_MS, undefined, 1, 1, 1, 1];
    expect(paging.accept(page)).toBe(8);
    expect(paging.dropped).toBe(2);
    expect(paging.next()).toEqual({ since: T0 + 10 * HOUR_MS, limit: 10 });
  });

  it('fails loudly when pages are far smaller than asked instead of paging forever', () => {
    const paging = pager({ until: T0 + 1_000 * HOUR_MS, limit: 100 });
    // 1,000 bars at 100 a page need 10 pages; the bound allows pages down to 10 bars: 102 requests.
    let error: unknown;
    try {
      for (let request = paging.next(), hour = 0; request !== undefined; request = paging.next(), hour += 1) paging.accept([candle(hour)]);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(FixRequestError);
    expect((error as FixRequestError).code).toBe('pagination_runaway');
    expect((error as FixRequestError).message).toContain('gave up after 102 pages (102 bars');
  });

  it('steps calendar timeframes past the last bar and lets the series infer its length', () => {
    const month = parseCcxtTimeframe('1M');
    const paging = new OhlcvPager({ timeframe: month, since: T0, until: Date.UTC(2024, 6, 1), limit: 3, closedBy: Date.UTC(2030, 0, 1) });
    const bar = (m: number): Candle => [Date.UTC(2024, m, 1), 1, 1, 1, 1, 1];
    paging.accept([bar(0), bar(1), bar(2)]);
    expect(paging.next()).toEqual({ since: Date.UTC(2024, 2, 1) + 1, limit: 3 });
    paging.accept([bar(3), bar(4), bar(5)]);
    expect(paging.next()).toEqual({ since: Date.UTC(2024, 5, 1) + 1, limit: 3 });
    paging.accept([]);
    expect(paging.build(ID).length).toBe(6);
  });

  it('refuses an empty range and a bad limit', () => {
    expect(() => pager({ until: T0 })).toThrow('must be after since');
    expect(() => pager({ limit: 0 })).toThrow('positive integer');
  });
});
