import { describe, expect, it } from 'vitest';
import { unixMs } from '../core/time.js';
import { isRebalanceDue, nextRebalanceAt } from './rebalance-schedule.js';

const at = (iso: string) => unixMs(Date.parse(iso));
const iso = (ts: number) => new Date(ts).toISOString();

describe('rebalance schedule', () => {
  it('is due daily at 00:00 UTC once the day turns', () => {
    const last = at('2024-03-05T00:00:00Z');
    expect(iso(nextRebalanceAt(last, { kind: 'daily' }))).toBe('2024-03-06T00:00:00.000Z');
    expect(isRebalanceDue(last, at('2024-03-05T23:59:59.999Z'), { kind: 'daily' })).toBe(false);
    expect(isRebalanceDue(last, at('2024-03-06T00:00:00Z'), { kind: 'daily' })).toBe(true);
    expect(iso(nextRebalanceAt(at('2024-03-05T07:00:00Z'), { kind: 'daily', hourUtc: 8 }))).toBe('2024-03-05T08:00:00.000Z');
  });

  it('is due weekly on the given weekday', () => {
    // 2024-03-05 is a Tuesday; Monday (1) next is 2024-03-11.
    expect(iso(nextRebalanceAt(at('2024-03-05T12:00:00Z'), { kind: 'weekly', weekday: 1 }))).toBe('2024-03-11T00:00:00.000Z');
    expect(iso(nextRebalanceAt(at('2024-03-11T00:00:00Z'), { kind: 'weekly', weekday: 1 }))).toBe('2024-03-18T00:00:00.000Z');
    expect(iso(nextRebalanceAt(at('2024-03-05T01:00:00Z'), { kind: 'weekly', weekday: 2, hourUtc: 6 }))).toBe('2024-03-05T06:00:00.000Z');
  });

  it('is due every N hours, and always when never rebalanced', () => {
    const last = at('2024-03-05T10:30:00Z');
    expect(isRebalanceDue(last, at('2024-03-05T14:29:59Z'), { kind: 'every', hours: 4 })).toBe(false);
    expect(isRebalanceDue(last, at('2024-03-05T14:30:00Z'), { kind: 'every', hours: 4 })).toBe(true);
    expect(isRebalanceDue(undefined, last, { kind: 'every', hours: 4 })).toBe(true);
    expect(() => nextRebalanceAt(last, { kind: 'every', hours: 0 })).toThrow('schedule.hours must be positive');
    expect(() => nextRebalanceAt(last, { kind: 'weekly', weekday: 7 })).toThrow('schedule.weekday');
  });
});
