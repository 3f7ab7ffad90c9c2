import { describe, expect, it } from 'vitest';
import { monthlyReturns } from './monthly-returns.js';

const at = (year: number, month: number, day: number, hour = 0): number => Date.UTC(year, month - 1, day, hour);

describe('monthlyReturns', () => {
  it('measures each month from the previous month end and the first month from the first point', () => {
    const ts = [at(2024, 1, 15), at(2024, 1, 31, 23), at(2024, 2, 10), at(2024, 2, 29), at(2024, 3, 31), at(2024, 4, 2)];
    const equity = [100, 110, 105, 99, 118.8, 112.86];
    const rows = monthlyReturns(ts, equity);
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row.year).toBe(2024);
    expect(row.months[0]).toBeCloseTo(0.1, 12); // 100 -> 110
    expect(row.months[1]).toBeCloseTo(-0.1, 12); // 110 -> 99
    expect(row.months[2]).toBeCloseTo(0.2, 12); // 99 -> 118.8
    expect(row.months[3]).toBeCloseTo(-0.05, 12); // 118.8 -> 112.86
    expect(row.months.slice(4)).toEqual(new Array(8).fill(null));
    expect(row.total).toBeCloseTo(0.1286, 12); // 100 -> 112.86
  });

  it('chains years and skips months without data', () => {
    const ts = [at(2023, 11, 1), at(2023, 12, 31), at(2024, 1, 31), at(2024, 3, 15)];
    const equity = [200, 220, 198, 237.6];
    const [first, second] = monthlyReturns(ts, equity);
    expect(first!.months[10]).toBe(0); // one point in November: no change
    expect(first!.months[11]).toBeCloseTo(0.1, 12);
    expect(first!.total).toBeCloseTo(0.1, 12);
    expect(second!.months[0]).toBeCloseTo(-0.1, 12);
    expect(second!.months[1]).toBeNull(); // no February point
    expect(second!.months[2]).toBeCloseTo(0.2, 12); // from the January end
    expect(second!.total).toBeCloseTo(237.6 / 220 - 1, 12);
  });

  it('gives null after a non-positive equity and nothing for an empty curve', () => {
    const rows = monthlyReturns([at(2024, 1, 1), at(2024, 1, 20), at(2024, 2, 3)], [100, -5, 10]);
    expect(rows[0]!.months[0]).toBeCloseTo(-1.05, 12);
    expect(rows[0]!.months[1]).toBeNull();
    expect(monthlyReturns([], [])).toEqual([]);
  });
});
