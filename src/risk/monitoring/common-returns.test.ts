import { describe, expect, it } from 'vitest';
import type { InstrumentId } from '../../core/ids.js';
import { commonReturns, type ClosedBars } from './common-returns.js';

const H = 3_600_000;
const D = 24 * H;

function bars(id: string, timeframeMs: number, closes: readonly number[], start = 0, skip: readonly number[] = []): ClosedBars {
  const ts: number[] = [];
  const close: number[] = [];
  closes.forEach((c, i) => {
    if (skip.includes(i)) return;
    ts.push(start + i * timeframeMs);
    close.push(c);
  });
  return { instrumentId: id as InstrumentId, ts, close, timeframeMs };
}

describe('returns paired by close time', () => {
  it('gives one series its own last returns', () => {
    const { histories, available } = commonReturns([bars('A', H, [100, 110, 99, 99])], 2);
    expect(histories[0]?.returns).toEqual([99 / 110 - 1, 0]);
    expect(available.get('A' as InstrumentId)).toBe(3);
  });

  it('pairs an hourly series with a daily one on the daily closes, as daily returns of both', () => {
    // Hourly closes rise by 1 an hour from 100; daily closes are 10, 20, 40.
    const hourly = bars('H', H, Array.from({ length: 72 }, (_, i) => 100 + i));
    const daily = bars('D', D, [10, 20, 40]);
    const { histories } = commonReturns([hourly, daily], 10);
    // Common close times: end of day 1 (hour 23 closes at 24h), day 2, day 3.
    expect(histories[0]?.returns).toEqual([147 / 123 - 1, 171 / 147 - 1]);
    expect(histories[1]?.returns).toEqual([1, 1]);
  });

  it('spans a bar missing from one series in every series alike', () => {
    const a = bars('A', H, [100, 101, 102, 103, 104]);
    const b = bars('B', H, [50, 60, 70, 80, 90], 0, [2]);
    const { histories } = commonReturns([a, b], 10);
    expect(histories[0]?.returns).toEqual([101 / 100 - 1, 103 / 101 - 1, 104 / 103 - 1]);
    expect(histories[1]?.returns).toEqual([60 / 50 - 1, 80 / 60 - 1, 90 / 80 - 1]);
  });

  it('uses only the times the series share when one starts later, and no more than asked', () => {
    const a = bars('A', H, [1, 2, 3, 4, 5, 6]);
    const b = bars('B', H, [10, 20, 40], 3 * H);
    const { histories, available } = commonReturns([a, b], 1);
    expect(histories.map((h) => h.returns)).toEqual([[6 / 5 - 1], [1]]);
    expect(available.get('B' as InstrumentId)).toBe(2);
  });
});
