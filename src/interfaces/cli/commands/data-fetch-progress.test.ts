import { describe, expect, it } from 'vitest';
import { expectedBars } from './data.js';

const DAY = 86_400_000;

describe('the progress total of conclave data fetch', () => {
  it('counts bars of any exchange timeframe, calendar months included', () => {
    const since = Date.UTC(2024, 0, 1);
    const until = Date.UTC(2025, 0, 1);
    expect(expectedBars('1h', since, until)).toBe(366 * 24);
    expect(expectedBars('1w', since, until)).toBe(53);
    // A month counts as 30 days here (the bar only shows progress): 366 days make 13 of them.
    expect(expectedBars('1M', since, until)).toBe(13);
    expect(expectedBars('1d', since, since)).toBe(1);
    expect(expectedBars('1d', since, since + 10 * DAY)).toBe(10);
  });
});
