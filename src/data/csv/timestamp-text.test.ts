import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDateText, parseDateTimeText, parseTimeOfDayText } from './timestamp-text.js';

const dateTime = (text: string): number => parseDateTimeText(text, 0, text.length);
const date = (text: string): number => parseDateText(text, 0, text.length);
const time = (text: string): number => parseTimeOfDayText(text, 0, text.length);

describe('date-time text', () => {
  it('reads ISO 8601 with Z, with an offset, and without a zone as UTC', () => {
    expect(dateTime('2024-01-02T13:45:00Z')).toBe(Date.UTC(2024, 0, 2, 13, 45));
    expect(dateTime('2024-01-02T13:45:00.123Z')).toBe(Date.UTC(2024, 0, 2, 13, 45, 0, 123));
    expect(dateTime('2024-01-02T13:45:00+02:00')).toBe(Date.UTC(2024, 0, 2, 11, 45));
    expect(dateTime('2024-01-02T13:45:00-0530')).toBe(Date.UTC(2024, 0, 2, 19, 15));
    expect(dateTime('2024-01-02T13:45:00+01')).toBe(Date.UTC(2024, 0, 2, 12, 45));
    expect(dateTime('2024-01-02T13:45')).toBe(Date.UTC(2024, 0, 2, 13, 45));
    expect(dateTime('2024-01-02 13:45:00')).toBe(Date.UTC(2024, 0, 2, 13, 45));
    expect(dateTime('2018-01-10 05:35:00+00:00')).toBe(1515562500000);
  });

  it('reads a date alone as midnight UTC, in its several spellings', () => {
    const midnight = Date.UTC(2024, 0, 2);
    for (const text of ['2024-01-02', '2024/01/02', '2024.01.02', '20240102', '2024-1-2']) expect(date(text), text).toBe(midnight);
    expect(dateTime('2024-01-02')).toBe(midnight);
    expect(dateTime('20240102T134500')).toBe(Date.UTC(2024, 0, 2, 13, 45));
  });

  it('reads times of day with colons or compact', () => {
    expect(time('13:45')).toBe((13 * 60 + 45) * 60_000);
    expect(time('13:45:30')).toBe(((13 * 60 + 45) * 60 + 30) * 1000);
    expect(time('9:05:00.5')).toBe((9 * 60 + 5) * 60_000 + 500);
    expect(time('134530')).toBe(((13 * 60 + 45) * 60 + 30) * 1000);
    expect(time('1345')).toBe((13 * 60 + 45) * 60_000);
    expect(time('93000')).toBe((9 * 60 + 30) * 60_000);
    expect(time('00:00:00.9999')).toBe(999);
  });

  it('refuses impossible dates and times and trailing text', () => {
    for (const text of ['2023-02-29', '2024-02-30', '2024-13-01', '2024-00-10', '2024-01-32', '24-01-02', '2024-01', '2024-01-02x', '2024-01-02T25:00', '2024-01-02T12:60', '2024-01-02T12:00:61', '2024-01-02T12:00Zx', '2024-01-02T12:00+25:00', 'yesterday', '']) {
      expect(dateTime(text), text).toBeNaN();
    }
    expect(date('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    expect(date('2000-02-29')).toBe(Date.UTC(2000, 1, 29));
    expect(date('1900-02-29')).toBeNaN();
    expect(time('24:00')).toBeNaN();
    expect(time('12:5')).toBeNaN();
    expect(time('12')).toBeNaN();
  });

  it('reads back every instant toISOString writes, and agrees with Date.parse on zoned text', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1971, 0, 1), max: Date.UTC(2200, 0, 1) }), (ms) => {
        const iso = new Date(ms).toISOString();
        expect(dateTime(iso)).toBe(ms);
        expect(dateTime(iso.replace('Z', '+03:30'))).toBe(Date.parse(iso.replace('Z', '+03:30')));
      }),
      { numRuns: 5_000 },
    );
  });

  it('reads a range of a longer string without slicing', () => {
    const line = '1,2024-01-02T00:00:00Z,3';
    expect(parseDateTimeText(line, 2, 22)).toBe(Date.UTC(2024, 0, 2));
  });
});
