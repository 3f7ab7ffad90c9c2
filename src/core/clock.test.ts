import { describe, expect, it } from 'vitest';
import { TestClock, WallClock, monotonicNs } from './clock.js';
import { FixRequestError } from './errors.js';
import { DAY_MS, HOUR_MS, MINUTE_MS, formatUnixMs, unixMs, utcDayStart } from './time.js';
import type { UnixMs } from './time.js';
import { errorOf } from '../../test/support/errors.js';

const ms = (n: number): UnixMs => n as UnixMs;


describe('TestClock', () => {
  it('starts at zero by default, or where told', () => {
    expect(new TestClock().now()).toBe(0);
    expect(new TestClock(ms(1_700_000_000_000)).now()).toBe(1_700_000_000_000);
  });

  it('moves only when advanced, to a time or by a duration', () => {
    const clock = new TestClock(ms(1000));
    expect(clock.now()).toBe(1000);
    clock.advanceTo(ms(5000));
    expect(clock.now()).toBe(5000);
    clock.advanceBy(250);
    expect(clock.now()).toBe(5250);
    clock.advanceTo(ms(5250)); // standing still is fine
    clock.advanceBy(0);
    expect(clock.now()).toBe(5250);
  });

  it('refuses to move backwards, naming both times, and keeps its time', () => {
    const clock = new TestClock(ms(10_000));
    const error = errorOf(() => clock.advanceTo(ms(9_999)));
    expect(error.code).toBe('clock_backwards');
    expect(error.message).toContain('10000');
    expect(error.message).toContain('9999');
    expect(errorOf(() => clock.advanceBy(-1)).code).toBe('clock_backwards');
    expect(clock.now()).toBe(10_000);
  });
});

describe('WallClock and monotonicNs', () => {
  it('WallClock reads an integer epoch time after 2020', () => {
    const now = new WallClock().now();
    expect(Number.isSafeInteger(now)).toBe(true);
    expect(now).toBeGreaterThan(1_577_836_800_000);
  });

  it('monotonicNs never goes backwards', () => {
    const a = monotonicNs();
    const b = monotonicNs();
    expect(b >= a).toBe(true);
  });
});

describe('time helpers', () => {
  it('utcDayStart truncates to midnight UTC', () => {
    const midnight = Date.UTC(2024, 2, 10);
    expect(utcDayStart(ms(midnight))).toBe(midnight);
    expect(utcDayStart(ms(midnight + 13 * HOUR_MS + 5 * MINUTE_MS + 7))).toBe(midnight);
    expect(utcDayStart(ms(midnight + DAY_MS - 1))).toBe(midnight);
    expect(utcDayStart(ms(midnight + DAY_MS))).toBe(midnight + DAY_MS);
  });

  it('utcDayStart works before the epoch too', () => {
    expect(utcDayStart(ms(-1))).toBe(-DAY_MS);
    expect(utcDayStart(ms(-DAY_MS))).toBe(-DAY_MS);
    expect(utcDayStart(ms(-DAY_MS - 1))).toBe(-2 * DAY_MS);
    expect(utcDayStart(ms(0))).toBe(0);
  });

  it('unixMs accepts integers only and formatUnixMs prints ISO UTC', () => {
    expect(unixMs(1_700_000_000_123)).toBe(1_700_000_000_123);
    expect(errorOf(() => unixMs(1.5)).code).toBe('invalid_time');
    expect(errorOf(() => unixMs(Number.NaN)).code).toBe('invalid_time');
    expect(formatUnixMs(ms(Date.UTC(2024, 0, 2, 3, 4, 5, 6)))).toBe('2024-01-02T03:04:05.006Z');
  });
});

describe('TestClock refuses times that are not integer milliseconds', () => {
  it('rejects NaN and fractions and stays where it was', () => {
    const clock = new TestClock(unixMs(1000));
    expect(() => clock.advanceTo(Number.NaN as UnixMs)).toThrow(/integer epoch milliseconds, got NaN/);
    expect(() => clock.advanceTo(1000.5 as UnixMs)).toThrow(FixRequestError);
    expect(clock.now()).toBe(1000);
  });
});
