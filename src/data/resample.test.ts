import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FixRequestError } from '../core/errors.js';
import { instrumentId } from '../core/ids.js';
import type { BarSeries } from './bar-series.js';
import { resampleBars } from './resample.js';

const ID = instrumentId('TEST:BTC/USDT');
const M = 60_000;
const T0 = Date.UTC(2024, 0, 2);

function series(bars: readonly (readonly [number, number, number, number, number, number])[], timeframeMs = M): BarSeries {
  return {
    instrumentId: ID,
    timeframeMs,
    length: bars.length,
    ts: Float64Array.from(bars, (b) => b[0]),
    open: Float64Array.from(bars, (b) => b[1]),
    high: Float64Array.from(bars, (b) => b[2]),
    low: Float64Array.from(bars, (b) => b[3]),
    close: Float64Array.from(bars, (b) => b[4]),
    volume: Float64Array.from(bars, (b) => b[5]),
  };
}

function rows(s: BarSeries): number[][] {
  return Array.from({ length: s.length }, (_, i) => [s.ts, s.open, s.high, s.low, s.close, s.volume].map((column) => column[i] as number));
}

function errorCode(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof FixRequestError) return error.code;
    throw error;
  }
  throw new Error('expected a FixRequestError');
}

/** Ten 1m bars from 00:03 to 00:12: buckets [00:00, 00:05) and [00:10, 00:15) are cut by the ends. */
const TEN = series(Array.from({ length: 10 }, (_, k) => [T0 + (k + 3) * M, 10 + k, 12 + k, 9 + k, 11 + k, k + 1] as const));

describe('resampleBars', () => {
  it('aggregates open first, high max, low min, close last, volume sum, and drops cut edge buckets by default', () => {
    const out = resampleBars(TEN, 5 * M);
    expect(rows(out)).toEqual([[T0 + 5 * M, 12, 18, 11, 17, 3 + 4 + 5 + 6 + 7]]);
    expect(out.timeframeMs).toBe(5 * M);
  });

  it('keeps the cut edge buckets as partial bars when asked', () => {
    expect(rows(resampleBars(TEN, 5 * M, { incomplete: 'keep' }))).toEqual([
      [T0, 10, 13, 9, 12, 1 + 2],
      [T0 + 5 * M, 12, 18, 11, 17, 25],
      [T0 + 10 * M, 17, 21, 16, 20, 8 + 9 + 10],
    ]);
  });

  it('keeps an inner bucket with missing bars and does not invent empty buckets', () => {
    const gappy = series([
      [T0, 1, 2, 0.5, 1.5, 1],
      [T0 + 4 * M, 1.5, 3, 1, 2, 1],
      [T0 + 5 * M, 2, 2.5, 1.5, 2.2, 1],
      [T0 + 9 * M, 2.2, 2.4, 2, 2.1, 1],
      [T0 + 20 * M, 3, 3, 3, 3, 1],
      [T0 + 24 * M, 3, 3, 3, 3, 1],
    ]);
    expect(rows(resampleBars(gappy, 5 * M)).map((row) => row[0])).toEqual([T0, T0 + 5 * M, T0 + 20 * M]);
  });

  it('buckets hours, four hours and days on the UTC grid', () => {
    const day = series(Array.from({ length: 2 * 1440 }, (_, k) => [T0 + k * M, 100 + (k % 7), 110 + (k % 7), 90, 100, 1] as const));
    expect(resampleBars(day, 3_600_000).length).toBe(48);
    expect(resampleBars(day, 4 * 3_600_000).length).toBe(12);
    const daily = resampleBars(day, 86_400_000);
    expect(rows(daily)).toEqual([
      [T0, 100, 116, 90, 100, 1440],
      [T0 + 86_400_000, 100 + (1440 % 7), 116, 90, 100, 1440],
    ]);
  });

  it('starts weeks on Monday 00:00 UTC by default, as exchanges do, or where the origin says', () => {
    const monday = Date.UTC(2024, 0, 1);
    const DAY = 86_400_000;
    // Two weeks of daily bars, Monday 2024-01-01 to Sunday 2024-01-14, the second week closing 2..15 higher.
    const days = series(Array.from({ length: 14 }, (_, k) => [monday + k * DAY, 1 + k, 2 + k, 0.5 + k, 1.5 + k, 1] as const), DAY);
    expect(rows(resampleBars(days, 7 * DAY))).toEqual([
      [monday, 1, 8, 0.5, 7.5, 7],
      [monday + 7 * DAY, 8, 15, 7.5, 14.5, 7],
    ]);
    expect([...resampleBars(days, 14 * DAY, { incomplete: 'keep' }).ts]).toEqual([Date.UTC(2023, 11, 25), Date.UTC(2024, 0, 8)]);
    // The epoch grid starts weeks on Thursday (1970-01-01 was one).
    expect([...resampleBars(days, 7 * DAY, { originMs: 0, incomplete: 'keep' }).ts]).toEqual([Date.UTC(2023, 11, 28), Date.UTC(2024, 0, 4), Date.UTC(2024, 0, 11)]);
    // Days and shorter stay on the UTC grid.
    expect([...resampleBars(days, 3 * DAY, { incomplete: 'keep' }).ts].slice(0, 2)).toEqual([Date.UTC(2023, 11, 31), Date.UTC(2024, 0, 3)]);
  });

  it('gives the same bars resampled in two steps as in one', () => {
    const bar = fc.tuple(fc.integer({ min: 1, max: 3 }), fc.double({ min: 1, max: 2, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 100 }));
    fc.assert(
      fc.property(fc.array(bar, { minLength: 1, maxLength: 200 }), (bars) => {
        let t = T0;
        const source = series(bars.map(([step, price, spread, volume]) => [(t += step * M), price, price + spread, price - spread / 2, price + spread / 3, volume] as const));
        const direct = resampleBars(source, 15 * M, { incomplete: 'keep' });
        const stepwise = resampleBars(resampleBars(source, 5 * M, { incomplete: 'keep' }), 15 * M, { incomplete: 'keep' });
        expect(rows(stepwise)).toEqual(rows(direct));
      }),
      { numRuns: 200 },
    );
  });

  it('refuses targets that are not multiples, unknown source timeframes and unsorted bars', () => {
    expect(errorCode(() => resampleBars(TEN, 7 * M / 2))).toBe('invalid_timeframe');
    expect(errorCode(() => resampleBars(TEN, 30_000))).toBe('invalid_timeframe');
    expect(errorCode(() => resampleBars(TEN, 0))).toBe('invalid_timeframe');
    expect(errorCode(() => resampleBars(series([[T0, 1, 1, 1, 1, 1]], 0), 5 * M))).toBe('unknown_timeframe');
    expect(resampleBars(series([[T0, 1, 1, 1, 1, 1]], 0), 5 * M, { sourceTimeframeMs: M, incomplete: 'keep' }).length).toBe(1);
    expect(errorCode(() => resampleBars(series([[T0 + M, 1, 1, 1, 1, 1], [T0, 1, 1, 1, 1, 1]]), 5 * M))).toBe('unsorted_bars');
  });

  it('resamples an empty series to an empty series', () => {
    expect(resampleBars(series([]), 5 * M).length).toBe(0);
  });
});
