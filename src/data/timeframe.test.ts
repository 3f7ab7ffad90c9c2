import { describe, expect, it } from 'vitest';
import { FixRequestError } from '../core/errors.js';
import { formatTimeframe, parseTimeframe } from './timeframe.js';

describe('timeframes', () => {
  it('parses counts of seconds, minutes, hours, days and weeks', () => {
    expect(['30s', '1m', '5m', '1h', '4h', '1d', '1w'].map(parseTimeframe)).toEqual([30_000, 60_000, 300_000, 3_600_000, 14_400_000, 86_400_000, 604_800_000]);
  });

  it('refuses months and nonsense', () => {
    for (const text of ['1M', '0m', 'm', '5 minutes', '']) expect(() => parseTimeframe(text)).toThrow(FixRequestError);
  });

  it('formats with the largest whole unit', () => {
    expect([300_000, 3_600_000, 5_400_000, 86_400_000, 1_500].map(formatTimeframe)).toEqual(['5m', '1h', '90m', '1d', '1500ms']);
  });
});
