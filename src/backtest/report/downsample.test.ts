import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { minMaxDownsample } from './downsample.js';
import { niceTicks, timeTicks } from './svg-chart.js';

describe('minMaxDownsample', () => {
  it('keeps a one-bar spike and dip in a long flat series', () => {
    const n = 200_000;
    const x = Float64Array.from({ length: n }, (_, i) => i * 60_000);
    const y = new Float64Array(n).fill(100);
    y[123_457] = 250;
    y[7] = 3;
    const out = minMaxDownsample(x, y, 500);
    expect(out.x.length).toBeLessThanOrEqual(1000);
    expect(Math.max(...out.y)).toBe(250);
    expect(Math.min(...out.y)).toBe(3);
    expect(out.x).toContain(123_457 * 60_000);
  });

  it('returns short series whole', () => {
    expect(minMaxDownsample([1, 2, 3], [5, 4, 6], 10)).toEqual({ x: [1, 2, 3], y: [5, 4, 6] });
    expect(minMaxDownsample([], [], 10)).toEqual({ x: [], y: [] });
  });

  it('keeps x ascending, stays within 2 points a bucket and preserves the range', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 3000 }),
        fc.integer({ min: 1, max: 200 }),
        (values, buckets) => {
          const x = values.map((_, i) => i * 1000 + (i % 3));
          const out = minMaxDownsample(x, values, buckets);
          expect(out.x.length).toBeLessThanOrEqual(2 * buckets);
          for (let i = 1; i < out.x.length; i++) expect(out.x[i]!).toBeGreaterThan(out.x[i - 1]!);
          expect(Math.max(...out.y)).toBe(Math.max(...values));
          expect(Math.min(...out.y)).toBe(Math.min(...values));
        },
      ),
    );
  });
});

describe('chart axes', () => {
  it('picks round tick values', () => {
    expect(niceTicks(0.3, 9.6, 5)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(-0.237, 0, 5)).toEqual([-0.25, -0.2, -0.15, -0.1, -0.05, 0].map((v) => expect.closeTo(v, 12)));
  });

  it('places time ticks on calendar boundaries', () => {
    const months = timeTicks(Date.UTC(2024, 0, 15), Date.UTC(2024, 6, 20), 8);
    expect(months.ticks).toEqual([1, 2, 3, 4, 5, 6].map((m) => Date.UTC(2024, m, 1)));
    expect(months.format(months.ticks[0]!)).toBe('2024-02');
    const hours = timeTicks(Date.UTC(2024, 0, 1, 0, 10), Date.UTC(2024, 0, 1, 5, 50), 8);
    expect(hours.ticks).toEqual([1, 2, 3, 4, 5].map((h) => Date.UTC(2024, 0, 1, h)));
    expect(hours.format(hours.ticks[0]!)).toBe('01:00');
    const years = timeTicks(Date.UTC(2017, 5, 1), Date.UTC(2024, 5, 1), 8);
    expect(years.ticks).toEqual([2018, 2019, 2020, 2021, 2022, 2023, 2024].map((y) => Date.UTC(y, 0, 1)));
    expect(years.format(years.ticks[0]!)).toBe('2018');
  });
});
