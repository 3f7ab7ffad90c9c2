import { describe, expect, it } from 'vitest';
import { inferTimeframe } from './infer-timeframe.js';

const M = 60_000;
const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);

/** Bar times from T0 with these gaps (in ms), repeated over `bars` bars. */
function times(bars: number, gaps: readonly number[]): Float64Array {
  const ts = new Float64Array(bars);
  ts[0] = T0;
  for (let i = 1; i < bars; i++) ts[i] = ts[i - 1]! + gaps[(i - 1) % gaps.length]!;
  return ts;
}

const infer = (ts: Float64Array) => inferTimeframe(ts, ts.length);

describe('inferTimeframe', () => {
  it('reads sparse 1m bars as 1m bars even when 2m gaps outnumber 1m ones', () => {
    expect(infer(times(500, [M, 2 * M, 2 * M]))).toBe(M);
    expect(infer(times(500, [M, 2 * M, 2 * M, 5 * M, 3 * M]))).toBe(M);
  });

  it('is not shrunk by a few rows stamped off the grid', () => {
    const ts = times(1000, [M]);
    ts[400] = ts[400]! + 30_000;
    ts[700] = ts[700]! - 15_000;
    expect(infer(ts)).toBe(M);
    // Odd rows up to 2% of the file; beyond that the grid is what they say.
    const odd = times(100, [M]);
    for (const i of [30, 60]) odd[i] = odd[i]! + 30_000;
    expect(infer(odd)).toBe(M);
    odd[80] = odd[80]! + 30_000;
    expect(infer(odd)).toBe(30_000);
  });

  it('reads regular bars, gaps and closed weekends by their length', () => {
    expect(infer(times(2000, [5 * M]))).toBe(5 * M);
    expect(infer(times(300, [60 * M, 60 * M, 180 * M]))).toBe(60 * M);
    // Weekday-only daily bars: four 1d gaps and one 3d gap a week.
    expect(infer(times(260, [DAY, DAY, DAY, DAY, 3 * DAY]))).toBe(DAY);
    expect(infer(times(3, [M, 2 * M]))).toBe(M);
  });

  it('gives the most common gap when no gap divides the others, and 0 without two bars in order', () => {
    // Calendar months: 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30 days.
    const months = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31].map((days) => days * DAY);
    expect(infer(times(24, months))).toBe(31 * DAY);
    expect(infer(times(1, [M]))).toBe(0);
    expect(infer(Float64Array.from([T0, T0, T0 - M]))).toBe(0);
    // Duplicates and rows out of order are skipped, not read as gaps.
    expect(infer(Float64Array.from([T0, T0 + M, T0 + M, T0 + 2 * M, T0 + M, T0 + 3 * M]))).toBe(M);
  });

  it('reads a million bars in one cheap pass', () => {
    const ts = times(1_000_000, [M]);
    ts[500_000] = ts[500_000]! + 1;
    expect(infer(ts)).toBe(M);
  });
});
