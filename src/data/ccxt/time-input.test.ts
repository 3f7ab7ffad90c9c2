import { describe, expect, it } from 'vitest';
import { parseTimeInput } from './time-input.js';
import { barEnd, parseCcxtTimeframe } from './timeframe.js';

describe('parseTimeInput', () => {
  it('reads a date as UTC midnight', () => {
    expect(parseTimeInput('2024-01-01', '--since')).toBe(Date.UTC(2024, 0, 1));
  });

  it('reads ISO date-times, as UTC unless they carry an offset', () => {
    expect(parseTimeInput('2024-03-10T12:30', '--since')).toBe(Date.UTC(2024, 2, 10, 12, 30));
    expect(parseTimeInput('2024-03-10T12:30:15.5Z', '--since')).toBe(Date.UTC(2024, 2, 10, 12, 30, 15, 500));
    expect(parseTimeInput('2024-03-10T12:30:00+02:00', '--since')).toBe(Date.UTC(2024, 2, 10, 10, 30));
    expect(parseTimeInput('2024-03-10 12:30:00-0130', '--since')).toBe(Date.UTC(2024, 2, 10, 14, 0));
  });

  it('reads epoch milliseconds as text or number', () => {
    expect(parseTimeInput('1704067200000', '--since')).toBe(1_704_067_200_000);
    expect(parseTimeInput(1_704_067_200_000, '--since')).toBe(1_704_067_200_000);
  });

  it('refuses what is not a time, naming the option', () => {
    expect(() => parseTimeInput('yesterday', '--since')).toThrow('--since "yesterday" is not a time');
    expect(() => parseTimeInput('2024-02-30', '--until')).toThrow('--until "2024-02-30" is not a real date');
    expect(() => parseTimeInput('2024-01-01T24:00', '--until')).toThrow('not a real date or time');
    expect(() => parseTimeInput('1704067200', '--since')).toThrow('looks like epoch seconds; give milliseconds (1704067200000)');
    expect(() => parseTimeInput(1.5, '--since')).toThrow('whole, non-negative');
  });
});

describe('timeframes', () => {
  it('knows fixed lengths and calendar months', () => {
    expect(parseCcxtTimeframe('5m').approximateMs).toBe(300_000);
    expect(parseCcxtTimeframe('4h')).toMatchObject({ approximateMs: 14_400_000, calendar: false });
    expect(parseCcxtTimeframe('1M').calendar).toBe(true);
    expect(barEnd(Date.UTC(2024, 0, 31), parseCcxtTimeframe('1d'))).toBe(Date.UTC(2024, 1, 1));
    expect(barEnd(Date.UTC(2024, 1, 1), parseCcxtTimeframe('1M'))).toBe(Date.UTC(2024, 2, 1));
  });

  it('refuses a timeframe it cannot read', () => {
    expect(() => parseCcxtTimeframe('1hour')).toThrow('"1hour" is not a timeframe');
    expect(() => parseCcxtTimeframe('0m')).toThrow('is not a timeframe');
  });
});
