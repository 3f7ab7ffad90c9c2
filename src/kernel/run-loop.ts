/**
 * Drives a backtest: one merged data stream plus the scheduler's timers, on a TestClock, in one fixed order.
 *
 * For each data item at ts: every timer due at or before ts fires first, in (ts, sequence) order, each with
 * the clock at its own ts; then the clock moves to ts and the item is dispatched. A timer due at the same
 * millisecond as an item therefore fires before it, so "on the 1-minute bar close" logic sees the state as
 * of that minute before the next tick lands.
 *
 * When the data runs out the run ends: timers still pending do not fire, because a backtest has no evidence
 * of what the market did after its last data point. Pass `until` to keep going: timers due up to `until`
 * fire and the clock ends at `until`; data after `until` is not dispatched.
 *
 * Async handlers: a handler that returns a promise (anything with a `then` method) is awaited before
 * anything else happens, so the clock never moves while a handler is suspended. Handlers that return
 * nothing cost nothing: the loop is a plain synchronous loop that only hands a promise out to `run()` when
 * one actually appears, and `runSync()` refuses promises outright.
 */
import type { TestClock } from '../core/clock.js';
import { FixRequestError, InvariantViolation } from '../core/errors.js';
import type { UnixMs } from '../core/time.js';
import type { DueTimer, Scheduler } from './scheduler.js';

export interface RunLoopOptions<T> {
  readonly clock: TestClock;
  readonly scheduler: Scheduler;
  /** Already merged into one stream sorted by `tsOf` (see stream-merge.ts). */
  readonly data: Iterable<T>;
  readonly tsOf: (item: T) => number;
  readonly onData: (item: T) => void | Promise<void>;
  /** Fire timers and move the clock up to this time after the data, and dispatch no data beyond it. */
  readonly until?: UnixMs;
}

export interface RunStats {
  /** Data items dispatched to onData. */
  readonly items: number;
  readonly timersFired: number;
  /** Timestamp of the last item or timer dispatched (the clock may end later, at `until`). */
  readonly lastTs: UnixMs | undefined;
}

type Phase = 'ready' | 'running' | 'finished';

export class RunLoop<T> {
  private readonly clock: TestClock;
  private readonly scheduler: Scheduler;
  private readonly data: Iterable<T>;
  private readonly tsOf: (item: T) => number;
  private readonly onData: (item: T) => void | Promise<void>;
  private readonly until: UnixMs | undefined;
  /** `until`, or +Infinity, so the per-item bound check needs no branch on whether `until` was given. */
  private readonly dataLimit: number;

  private phase: Phase = 'ready';
  private stopped = false;
  private iterator: Iterator<T> | undefined;
  private dataDone = false;
  /** An item pulled from the data whose due timers are still firing (possibly across an await). */
  private current: T | undefined;
  private currentTs = 0;
  private hasCurrent = false;
  /** Which handler handed back a promise, so runSync() can name it. */
  private suspendedIn = '';

  private items = 0;
  private timersFired = 0;
  private lastTs: UnixMs | undefined;

  constructor(options: RunLoopOptions<T>) {
    this.clock = options.clock;
    this.scheduler = options.scheduler;
    this.data = options.data;
    this.tsOf = options.tsOf;
    this.onData = options.onData;
    this.until = options.until;
    if (this.until !== undefined && !Number.isSafeInteger(this.until)) {
      throw new FixRequestError('invalid_time', `until must be an integer number of epoch milliseconds, got ${this.until}`);
    }
    this.dataLimit = this.until ?? Number.POSITIVE_INFINITY;
  }

  /**
   * Ends the run once the handler that calls it has returned (and, if async, settled): no further timers
   * or data are dispatched and `until` is not applied. Called before the run starts, the run ends at once.
   */
  stop(): void {
    this.stopped = true;
  }

  /** Runs to the end, awaiting any handler that returns a promise. */
  async run(): Promise<RunStats> {
    this.start();
    try {
      let pending = this.drive();
      while (pending !== undefined) {
        await pending;
        pending = this.drive();
      }
    } catch (error) {
      this.abandon();
      throw error;
    }
    return this.stats();
  }

  /** Runs to the end without ever yielding; a handler returning a promise is a bug here (use `run()`). */
  runSync(): RunStats {
    this.start();
    let pending: PromiseLike<void> | undefined;
    try {
      pending = this.drive();
    } catch (error) {
      this.abandon();
      throw error;
    }
    if (pending !== undefined) {
      this.abandon();
      // The run is already failing loudly below; an abandoned rejection would only add a confusing
      // unhandled-rejection crash on top of it.
      Promise.resolve(pending).then(undefined, () => undefined);
      throw new InvariantViolation(
        `${this.suspendedIn} returned a promise, but runSync() only drives synchronous handlers; use run() for async handlers`,
      );
    }
    return this.stats();
  }

  private start(): void {
    if (this.phase !== 'ready') {
      throw new FixRequestError('run_loop_reused', 'a RunLoop runs once; create a new one for another run');
    }
    const now = this.clock.now();
    if (this.until !== undefined && this.until < now) {
      throw new FixRequestError('time_in_past', `until ${this.until} is before the clock's now (${now})`);
    }
    this.phase = 'running';
    this.iterator = this.data[Symbol.iterator]();
  }

  /**
   * Advances the run synchronously until it ends (returns undefined) or a handler returns a promise
   * (returns it). All progress lives in fields, so calling it again after the promise settles resumes
   * exactly where it left off.
   */
  private drive(): PromiseLike<void> | undefined {
    while (!this.stopped) {
      if (!this.hasCurrent && !this.pull()) break;
      const ts = this.currentTs as UnixMs;
      const pending = this.fireTimersUpTo(ts);
      if (pending !== undefined) return pending;
      if (this.stopped) break;

      const item = this.current as T;
      this.current = undefined;
      this.hasCurrent = false;
      this.clock.advanceTo(ts);
      this.items++;
      this.lastTs = ts;
      const result = this.onData(item);
      if (isThenable(result)) {
        this.suspendedIn = `onData (item ${this.items - 1}, ts ${ts})`;
        return result;
      }
    }
    return this.finish();
  }

  /** Loads the next data item into `current`; false once the data is exhausted or past `until`. */
  private pull(): boolean {
    if (this.dataDone) return false;
    const next = this.iterator!.next();
    if (next.done === true) {
      this.dataDone = true;
      return false;
    }
    const ts = this.tsOf(next.value);
    if (!Number.isSafeInteger(ts)) {
      throw new FixRequestError(
        'invalid_time',
        `data item ${this.items}: the timestamp must be an integer number of epoch milliseconds, got ${ts}`,
      );
    }
    if (ts > this.dataLimit) {
      this.closeData();
      return false;
    }
    const now = this.clock.now();
    if (ts < now) {
      throw new FixRequestError(
        'out_of_order',
        `data item ${this.items} at ts ${ts} is before the clock (${now}); the data must be sorted by timestamp`,
      );
    }
    this.current = next.value;
    this.currentTs = ts;
    this.hasCurrent = true;
    return true;
  }

  private fireTimersUpTo(upTo: UnixMs): PromiseLike<void> | undefined {
    let due: DueTimer | undefined;
    while (!this.stopped && (due = this.scheduler.popDue(upTo)) !== undefined) {
      this.clock.advanceTo(due.ts);
      this.timersFired++;
      this.lastTs = due.ts;
      const result = due.callback(due.ts);
      if (isThenable(result)) {
        this.suspendedIn = `${due.name === undefined ? 'an unnamed timer' : `timer "${due.name}"`} (ts ${due.ts})`;
        return result;
      }
    }
    return undefined;
  }

  /** The tail after the data: timers up to `until`, then the clock to `until`. Re-entered after an await. */
  private finish(): PromiseLike<void> | undefined {
    if (!this.stopped && this.until !== undefined) {
      const pending = this.fireTimersUpTo(this.until);
      if (pending !== undefined) return pending;
      if (!this.stopped) this.clock.advanceTo(this.until);
    }
    this.closeData();
    this.phase = 'finished';
    return undefined;
  }

  /** Releases the data source (e.g. a file reader behind a generator) when the run ends before it does. */
  private closeData(): void {
    if (this.dataDone) return;
    this.dataDone = true;
    this.iterator?.return?.();
  }

  private abandon(): void {
    this.phase = 'finished';
    this.current = undefined;
    this.hasCurrent = false;
    this.closeData();
  }

  private stats(): RunStats {
    return { items: this.items, timersFired: this.timersFired, lastTs: this.lastTs };
  }
}

function isThenable(value: unknown): value is PromiseLike<void> {
  return typeof (value as PromiseLike<void> | undefined)?.then === 'function';
}
