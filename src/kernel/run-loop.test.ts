import { describe, it, expect } from 'vitest';
import { TestClock } from '../core/clock.js';
import { FixRequestError, InvariantViolation } from '../core/errors.js';
import type { UnixMs } from '../core/time.js';
import { RunLoop } from './run-loop.js';
import type { RunLoopOptions } from './run-loop.js';
import { Scheduler } from './scheduler.js';

const ms = (n: number): UnixMs => n as UnixMs;

interface Bar {
  readonly ts: number;
  readonly close: number;
}

const bars = (...stamps: number[]): Bar[] => stamps.map((ts, i) => ({ ts, close: 100 + i }));

/** A fresh clock + scheduler pair, and a loop over `data` whose handlers log into `log`. */
function setup(start = 0) {
  const clock = new TestClock(ms(start));
  const scheduler = new Scheduler(clock);
  const log: string[] = [];
  const loop = (data: Iterable<Bar>, overrides: Partial<RunLoopOptions<Bar>> = {}): RunLoop<Bar> =>
    new RunLoop<Bar>({
      clock,
      scheduler,
      data,
      tsOf: (bar) => bar.ts,
      onData: (bar) => {
        log.push(`data@${bar.ts} clock=${clock.now()}`);
      },
      ...overrides,
    });
  const timer = (name: string) => (ts: UnixMs) => {
    log.push(`${name}@${ts} clock=${clock.now()}`);
  };
  return { clock, scheduler, log, loop, timer };
}

async function microtasks(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await Promise.resolve();
}

describe('RunLoop', () => {
  it('fires due timers before data at the same timestamp, with the clock at each event', () => {
    const { clock, scheduler, log, loop, timer } = setup();
    scheduler.at(ms(200), timer('t200'));
    scheduler.at(ms(100), timer('t100'));
    scheduler.at(ms(150), timer('t150'));
    const stats = loop(bars(100, 200, 300)).runSync();
    expect(log).toEqual([
      't100@100 clock=100',
      'data@100 clock=100',
      't150@150 clock=150',
      't200@200 clock=200',
      'data@200 clock=200',
      'data@300 clock=300',
    ]);
    expect(stats).toEqual({ items: 3, timersFired: 3, lastTs: 300 });
    expect(clock.now()).toBe(300);
  });

  it('fires every missed occurrence of a repeating timer before the next item', () => {
    const { scheduler, log, loop, timer } = setup();
    scheduler.every(30, timer('every30'));
    loop(bars(100)).runSync();
    expect(log).toEqual(['every30@30 clock=30', 'every30@60 clock=60', 'every30@90 clock=90', 'data@100 clock=100']);
  });

  it('fires timers that handlers arm, in (ts, sequence) order', () => {
    const { clock, scheduler, log, loop, timer } = setup();
    const stats = loop(bars(100, 200), {
      onData: (bar) => {
        log.push(`data@${bar.ts}`);
        if (bar.ts === 100) {
          scheduler.at(ms(150), timer('second'));
          scheduler.at(ms(100), timer('now'));
          scheduler.at(ms(150), timer('third'));
        }
      },
    }).runSync();
    expect(log).toEqual(['data@100', 'now@100 clock=100', 'second@150 clock=150', 'third@150 clock=150', 'data@200']);
    expect(stats.timersFired).toBe(3);
    expect(clock.now()).toBe(200);
  });

  it('ends with the data: later timers do not fire and the clock stays at the last item', () => {
    const { clock, scheduler, log, loop, timer } = setup();
    scheduler.at(ms(500), timer('after'));
    const stats = loop(bars(100)).runSync();
    expect(log).toEqual(['data@100 clock=100']);
    expect(stats).toEqual({ items: 1, timersFired: 0, lastTs: 100 });
    expect(clock.now()).toBe(100);
    expect(scheduler.nextDue()).toBe(500);
  });

  it('with until, fires timers up to it, ends the clock there and dispatches no data beyond it', () => {
    const { clock, scheduler, log, loop, timer } = setup();
    let closed = false;
    function* data(): Generator<Bar> {
      try {
        yield* bars(100, 200, 900);
      } finally {
        closed = true;
      }
    }
    scheduler.at(ms(400), timer('t400'));
    scheduler.at(ms(700), timer('t700'));
    scheduler.at(ms(701), timer('t701'));
    const stats = loop(data(), { until: ms(700) }).runSync();
    expect(log).toEqual(['data@100 clock=100', 'data@200 clock=200', 't400@400 clock=400', 't700@700 clock=700']);
    expect(stats).toEqual({ items: 2, timersFired: 2, lastTs: 700 });
    expect(clock.now()).toBe(700);
    expect(closed).toBe(true);
  });

  it('with until and no data, just runs the timers', () => {
    const { clock, scheduler, log, loop, timer } = setup();
    scheduler.every(250, timer('every'));
    const stats = loop([], { until: ms(1000) }).runSync();
    expect(log).toEqual([
      'every@250 clock=250',
      'every@500 clock=500',
      'every@750 clock=750',
      'every@1000 clock=1000',
    ]);
    expect(stats).toEqual({ items: 0, timersFired: 4, lastTs: 1000 });
    expect(clock.now()).toBe(1000);
  });

  it('awaits an async onData before firing timers or moving the clock', async () => {
    const { clock, scheduler, log, loop, timer } = setup();
    scheduler.at(ms(15), timer('t15'));
    const stats = await loop(bars(10, 20), {
      onData: async (bar) => {
        log.push(`start@${bar.ts} clock=${clock.now()}`);
        await microtasks(5);
        log.push(`end@${bar.ts} clock=${clock.now()}`);
      },
    }).run();
    expect(log).toEqual([
      'start@10 clock=10',
      'end@10 clock=10',
      't15@15 clock=15',
      'start@20 clock=20',
      'end@20 clock=20',
    ]);
    expect(stats).toEqual({ items: 2, timersFired: 1, lastTs: 20 });
  });

  it('awaits an async timer callback before the next timer or item', async () => {
    const { clock, scheduler, log, loop, timer } = setup();
    scheduler.at(ms(5), async (ts) => {
      await microtasks(3);
      log.push(`async@${ts} clock=${clock.now()}`);
    });
    scheduler.at(ms(5), timer('sync'));
    scheduler.at(ms(50), async (ts) => {
      await microtasks(3);
      log.push(`tail@${ts} clock=${clock.now()}`);
    });
    const stats = await loop(bars(10), { until: ms(60) }).run();
    expect(log).toEqual(['async@5 clock=5', 'sync@5 clock=5', 'data@10 clock=10', 'tail@50 clock=50']);
    expect(stats.timersFired).toBe(3);
    expect(clock.now()).toBe(60);
  });

  it('awaits any thenable, not only native promises', async () => {
    const { clock, log, loop } = setup();
    const stats = await loop(bars(1, 2), {
      onData: (bar) =>
        ({
          then(resolve: () => void) {
            void microtasks(2).then(() => {
              log.push(`settled@${bar.ts} clock=${clock.now()}`);
              resolve();
            });
          },
        }) as unknown as Promise<void>,
    }).run();
    expect(log).toEqual(['settled@1 clock=1', 'settled@2 clock=2']);
    expect(stats.items).toBe(2);
  });

  it('run() stays synchronous while handlers return nothing', () => {
    const { log, loop } = setup();
    const done = loop(bars(1, 2, 3)).run();
    // Nothing was awaited, so all items were dispatched before run() returned its promise.
    expect(log).toEqual(['data@1 clock=1', 'data@2 clock=2', 'data@3 clock=3']);
    return expect(done).resolves.toEqual({ items: 3, timersFired: 0, lastTs: 3 });
  });

  it('runSync() rejects a handler that returns a promise, pointing to run()', () => {
    const { log, loop } = setup();
    let error: unknown;
    try {
      loop(bars(1, 7), {
        onData: async (bar) => {
          log.push(`data@${bar.ts}`);
        },
      }).runSync();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvariantViolation);
    expect((error as InvariantViolation).message).toBe(
      'onData (item 0, ts 1) returned a promise, but runSync() only drives synchronous handlers; use run() for async handlers',
    );
    expect(log).toEqual(['data@1']);
  });

  it('runSync() rejects an async timer callback, naming it', () => {
    const { scheduler, loop } = setup();
    scheduler.at(ms(3), async () => undefined, 'rebalance');
    expect(() => loop(bars(10)).runSync()).toThrow('timer "rebalance" (ts 3) returned a promise');
  });

  it('stop() from onData ends the run after the current item', () => {
    const { clock, scheduler, log, loop, timer } = setup();
    scheduler.at(ms(200), timer('t200'));
    let closed = false;
    function* data(): Generator<Bar> {
      try {
        yield* bars(100, 200, 300);
      } finally {
        closed = true;
      }
    }
    const runLoop: RunLoop<Bar> = loop(data(), {
      until: ms(1000),
      onData: (bar) => {
        log.push(`data@${bar.ts}`);
        runLoop.stop();
      },
    });
    expect(runLoop.runSync()).toEqual({ items: 1, timersFired: 0, lastTs: 100 });
    expect(log).toEqual(['data@100']);
    expect(clock.now()).toBe(100);
    expect(closed).toBe(true);
  });

  it('stop() from a timer ends the run before the item it preceded', () => {
    const { clock, scheduler, log, loop } = setup();
    const runLoop = loop(bars(100, 200));
    scheduler.at(ms(150), () => {
      log.push('stopper');
      runLoop.stop();
    });
    scheduler.at(ms(150), () => {
      log.push('never');
    });
    expect(runLoop.runSync()).toEqual({ items: 1, timersFired: 1, lastTs: 150 });
    expect(log).toEqual(['data@100 clock=100', 'stopper']);
    expect(clock.now()).toBe(150);
  });

  it('stop() from an async handler takes effect once it settles', async () => {
    const { log, loop } = setup();
    const runLoop: RunLoop<Bar> = loop(bars(1, 2, 3), {
      onData: async (bar) => {
        await microtasks(2);
        log.push(`data@${bar.ts}`);
        if (bar.ts === 2) runLoop.stop();
      },
    });
    expect(await runLoop.run()).toEqual({ items: 2, timersFired: 0, lastTs: 2 });
    expect(log).toEqual(['data@1', 'data@2']);
  });

  it('propagates a handler error and releases the data source', async () => {
    const { loop } = setup();
    let closed = false;
    function* data(): Generator<Bar> {
      try {
        yield* bars(1, 2, 3);
      } finally {
        closed = true;
      }
    }
    const failing = loop(data(), {
      onData: async (bar) => {
        if (bar.ts === 2) throw new Error('strategy failed at 2');
      },
    });
    await expect(failing.run()).rejects.toThrow('strategy failed at 2');
    expect(closed).toBe(true);
  });

  it('rejects data that goes back in time', () => {
    const { loop } = setup();
    let error: unknown;
    try {
      loop(bars(10, 20, 15)).runSync();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(FixRequestError);
    expect((error as FixRequestError).code).toBe('out_of_order');
    expect((error as FixRequestError).message).toBe(
      'data item 2 at ts 15 is before the clock (20); the data must be sorted by timestamp',
    );
  });

  it('rejects data before the clock start and non-integer timestamps', () => {
    expect(() => setup(50).loop(bars(10)).runSync()).toThrow('data item 0 at ts 10 is before the clock (50)');
    expect(() => setup().loop(bars(1.5)).runSync()).toThrow('data item 0: the timestamp must be an integer');
  });

  it('rejects an until before the clock and running twice', () => {
    const { loop } = setup(100);
    expect(() => loop([], { until: ms(99) }).runSync()).toThrow("until 99 is before the clock's now (100)");
    const once = loop([]);
    once.runSync();
    expect(() => once.runSync()).toThrow('a RunLoop runs once');
  });
});
