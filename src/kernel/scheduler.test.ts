import { describe, it, expect } from 'vitest';
import { TestClock } from '../core/clock.js';
import { SeededRandom } from '../core/random.js';
import type { UnixMs } from '../core/time.js';
import { Scheduler } from './scheduler.js';
import type { DueTimer, TimerId } from './scheduler.js';
import { errorOf } from '../../test/support/errors.js';

const ms = (n: number): UnixMs => n as UnixMs;
const noop = (): void => undefined;

function drain(scheduler: Scheduler, upTo: number): DueTimer[] {
  const out: DueTimer[] = [];
  for (let due = scheduler.popDue(ms(upTo)); due !== undefined; due = scheduler.popDue(ms(upTo))) out.push(due);
  return out;
}


describe('Scheduler', () => {
  it('pops timers in timestamp order, only when due', () => {
    const scheduler = new Scheduler(new TestClock(ms(100)));
    scheduler.at(ms(300), noop, 'c');
    scheduler.at(ms(150), noop, 'a');
    scheduler.at(ms(200), noop, 'b');
    expect(scheduler.nextDue()).toBe(150);
    expect(scheduler.popDue(ms(149))).toBeUndefined();
    expect(drain(scheduler, 250).map((d) => [d.name, d.ts])).toEqual([
      ['a', 150],
      ['b', 200],
    ]);
    expect(scheduler.nextDue()).toBe(300);
    expect(drain(scheduler, 1000).map((d) => d.name)).toEqual(['c']);
    expect(scheduler.nextDue()).toBeUndefined();
    expect(scheduler.size).toBe(0);
  });

  it('breaks ties by the order timers were armed', () => {
    const scheduler = new Scheduler(new TestClock(ms(0)));
    const names = ['t0', 't1', 't2', 't3', 't4', 't5', 't6', 't7'];
    for (const name of names) scheduler.at(ms(500), noop, name);
    scheduler.at(ms(400), noop, 'early');
    expect(drain(scheduler, 500).map((d) => d.name)).toEqual(['early', ...names]);
  });

  it('hands back the callback and the due time', () => {
    const scheduler = new Scheduler(new TestClock(ms(0)));
    const calls: number[] = [];
    const id = scheduler.at(ms(10), (ts) => {
      calls.push(ts);
    });
    const due = scheduler.popDue(ms(10))!;
    expect(due.id).toBe(id);
    expect(due.name).toBeUndefined();
    void due.callback(due.ts);
    expect(calls).toEqual([10]);
  });

  it('cancels pending timers anywhere in the heap', () => {
    const scheduler = new Scheduler(new TestClock(ms(0)));
    const ids = [50, 10, 40, 20, 30, 60].map((ts) => scheduler.at(ms(ts), noop, `t${ts}`));
    expect(scheduler.cancel(ids[1]!)).toBe(true); // t10, the root
    expect(scheduler.cancel(ids[2]!)).toBe(true); // t40
    expect(scheduler.cancel(ids[2]!)).toBe(false);
    expect(scheduler.size).toBe(4);
    expect(drain(scheduler, 100).map((d) => d.name)).toEqual(['t20', 't30', 't50', 't60']);
  });

  it('cannot cancel a one-shot timer that has already been popped', () => {
    const scheduler = new Scheduler(new TestClock(ms(0)));
    const id = scheduler.at(ms(5), noop);
    expect(scheduler.popDue(ms(5))?.id).toBe(id);
    expect(scheduler.cancel(id)).toBe(false);
  });

  it('ignores handles from another scheduler', () => {
    const clock = new TestClock(ms(0));
    const mine = new Scheduler(clock);
    const other = new Scheduler(clock);
    const id = other.at(ms(5), noop);
    mine.at(ms(6), noop);
    expect(mine.cancel(id)).toBe(false);
    expect(mine.size).toBe(1);
    expect(other.cancel(id)).toBe(true);
  });

  it('lets a repeating timer cancel itself from its callback', () => {
    const scheduler = new Scheduler(new TestClock(ms(0)));
    let fired = 0;
    const id = scheduler.every(10, () => {
      if (++fired === 2) scheduler.cancel(id);
    });
    const firedAt: number[] = [];
    for (let due = scheduler.popDue(ms(1000)); due !== undefined; due = scheduler.popDue(ms(1000))) {
      firedAt.push(due.ts);
      void due.callback(due.ts);
    }
    expect(firedAt).toEqual([10, 20]);
    expect(fired).toBe(2);
    expect(scheduler.size).toBe(0);
  });

  it('re-arms a repeating timer at due time + interval, keeping its id', () => {
    const clock = new TestClock(ms(1000));
    const scheduler = new Scheduler(clock);
    const id = scheduler.every(100, noop, { name: 'tick' });
    scheduler.at(ms(1250), noop, 'once');
    const fired = drain(scheduler, 1400).map((d) => `${d.name}@${d.ts}`);
    expect(fired).toEqual(['tick@1100', 'tick@1200', 'once@1250', 'tick@1300', 'tick@1400']);
    expect(scheduler.nextDue()).toBe(1500);
    expect(scheduler.cancel(id)).toBe(true);
    expect(scheduler.nextDue()).toBeUndefined();
  });

  it('starts a repeating timer at options.start', () => {
    const scheduler = new Scheduler(new TestClock(ms(0)));
    scheduler.every(60_000, noop, { start: ms(5) });
    expect(drain(scheduler, 120_005).map((d) => d.ts)).toEqual([5, 60_005, 120_005]);
  });

  it('orders a re-armed timer after timers already armed for that millisecond', () => {
    const scheduler = new Scheduler(new TestClock(ms(0)));
    scheduler.every(10, noop, { name: 'repeat' });
    scheduler.at(ms(20), noop, 'armed-early');
    expect(drain(scheduler, 20).map((d) => `${d.name}@${d.ts}`)).toEqual([
      'repeat@10',
      'armed-early@20',
      'repeat@20',
    ]);
  });

  it('allows scheduling at exactly now but not before', () => {
    const scheduler = new Scheduler(new TestClock(ms(1000)));
    scheduler.at(ms(1000), noop);
    const error = errorOf(() => scheduler.at(ms(999), noop, 'late'));
    expect(error.code).toBe('time_in_past');
    expect(error.message).toBe(`timer "late": ts 999 is before the clock's now (1000)`);
    expect(errorOf(() => scheduler.every(10, noop, { start: ms(5) })).code).toBe('time_in_past');
  });

  it('rejects non-integer and NaN times', () => {
    const scheduler = new Scheduler(new TestClock(ms(0)));
    const fractional = errorOf(() => scheduler.at(ms(1.5), noop));
    expect(fractional.code).toBe('invalid_time');
    expect(fractional.message).toContain('got 1.5');
    expect(errorOf(() => scheduler.at(ms(Number.NaN), noop)).message).toContain('got NaN');
    expect(errorOf(() => scheduler.every(10, noop, { start: ms(Number.POSITIVE_INFINITY) })).code).toBe('invalid_time');
  });

  it('rejects non-positive and non-integer intervals', () => {
    const scheduler = new Scheduler(new TestClock(ms(0)));
    for (const interval of [0, -5, 1.5, Number.NaN]) {
      const error = errorOf(() => scheduler.every(interval, noop, { name: 'bad' }));
      expect(error.code).toBe('invalid_interval');
      expect(error.message).toContain(`got ${interval}`);
    }
    expect(scheduler.size).toBe(0);
  });

  it('matches a sorted reference under interleaved arm, cancel and pop', () => {
    const scheduler = new Scheduler(new TestClock(ms(0)));
    const reference: { ts: number; seq: number; id: TimerId }[] = [];
    let seq = 0;
    const random = new SeededRandom(12345);
    const nextInt = (n: number): number => random.int(0, n - 1);
    const popped: TimerId[] = [];
    const expected: TimerId[] = [];
    let horizon = 0;
    for (let step = 0; step < 5000; step++) {
      const op = nextInt(20);
      if (op < 11) {
        const ts = horizon + nextInt(10_000);
        reference.push({ ts, seq: seq++, id: scheduler.at(ms(ts), noop) });
      } else if (op < 19 && reference.length > 0) {
        const [victim] = reference.splice(nextInt(reference.length), 1);
        expect(scheduler.cancel(victim!.id)).toBe(true);
      } else {
        horizon += nextInt(100);
        reference.sort((a, b) => a.ts - b.ts || a.seq - b.seq);
        while (reference.length > 0 && reference[0]!.ts <= horizon) expected.push(reference.shift()!.id);
        for (const due of drain(scheduler, horizon)) popped.push(due.id);
      }
    }
    expect(scheduler.size).toBe(reference.length);
    reference.sort((a, b) => a.ts - b.ts || a.seq - b.seq);
    expected.push(...reference.map((r) => r.id));
    for (const due of drain(scheduler, Number.MAX_SAFE_INTEGER)) popped.push(due.id);
    expect(popped).toEqual(expected);
    expect(scheduler.size).toBe(0);
  });
});
