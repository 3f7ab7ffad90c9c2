/**
 * Timers on the Clock port. The scheduler only keeps the queue; whoever drives time (the run loop in a
 * backtest, a live runtime) pops due timers and calls them, so the same strategy code runs on simulated
 * and real time.
 *
 * Timers are ordered by (ts, sequence): timers due at the same millisecond fire in the order they were
 * armed, which makes ties reproducible run after run.
 */
import type { Clock } from '../core/clock.js';
import { FixRequestError } from '../core/errors.js';
import type { UnixMs } from '../core/time.js';

declare const timerBrand: unique symbol;
/**
 * An opaque handle for `cancel`, compared by identity. A handle rather than a number so that cancel needs
 * no id-to-timer table, which would cost as much as the heap itself when many timers are pending.
 */
export type TimerId = { readonly [timerBrand]: 'TimerId' };
export type TimerCallback = (ts: UnixMs) => void | Promise<void>;

export interface EveryOptions {
  /** First firing; defaults to now + interval. */
  readonly start?: UnixMs;
  readonly name?: string;
}

/** A timer that has come due; call `callback(ts)` with the clock at `ts`. */
export interface DueTimer {
  readonly id: TimerId;
  readonly ts: UnixMs;
  readonly name: string | undefined;
  readonly callback: TimerCallback;
}

interface Entry {
  readonly owner: Scheduler;
  readonly intervalMs: number | undefined;
  readonly name: string | undefined;
  readonly callback: TimerCallback;
  /** Position in the heap (-1 once out of it), kept current so cancel is O(log n) with no tombstones. */
  index: number;
}

export class Scheduler {
  // The heap keeps its keys in typed arrays beside the entries, so sifting compares contiguous numbers
  // instead of dereferencing an object per comparison.
  private heapTs = new Float64Array(64);
  private heapSeq = new Float64Array(64);
  private readonly heapEntries: Entry[] = [];
  private length = 0;
  private nextSeq = 0;

  constructor(private readonly clock: Clock) {}

  /** Pending timers (a repeating timer counts once). */
  get size(): number {
    return this.length;
  }

  /** One firing at `ts`, which must not be before the clock's now. */
  at(ts: UnixMs, callback: TimerCallback, name?: string): TimerId {
    this.checkTime(ts, 'ts', name);
    return this.arm(ts, undefined, callback, name);
  }

  /**
   * Fires every `intervalMs`, first at `start` (default now + interval). The next firing is the previous
   * due time + interval, not "now + interval": a driver that falls behind fires every missed occurrence,
   * so a repeating timer produces the same firings however the run is paced.
   */
  every(intervalMs: number, callback: TimerCallback, options: EveryOptions = {}): TimerId {
    const { start, name } = options;
    if (!Number.isSafeInteger(intervalMs) || intervalMs <= 0) {
      throw new FixRequestError(
        'invalid_interval',
        `${describe(name)}: intervalMs must be a positive integer number of milliseconds, got ${intervalMs}`,
      );
    }
    const first = start ?? ((this.clock.now() + intervalMs) as UnixMs);
    this.checkTime(first, 'start', name);
    return this.arm(first, intervalMs, callback, name);
  }

  /** False if the timer belongs to another scheduler, is already cancelled, or was one-shot and has been popped. */
  cancel(id: TimerId): boolean {
    const entry = id as unknown as Entry;
    if (entry.owner !== this || entry.index < 0) return false;
    this.removeAt(entry.index);
    return true;
  }

  nextDue(): UnixMs | undefined {
    return this.length === 0 ? undefined : (this.heapTs[0]! as UnixMs);
  }

  /**
   * Removes and returns the earliest timer due at or before `upTo`. A repeating timer is re-armed here,
   * before its callback runs: it keeps its handle (so the callback can cancel it) and takes its tie-break
   * sequence ahead of any timer the callback arms for the same millisecond.
   */
  popDue(upTo: UnixMs): DueTimer | undefined {
    if (this.length === 0) return undefined;
    const ts = this.heapTs[0]! as UnixMs;
    if (ts > upTo) return undefined;
    const entry = this.heapEntries[0]!;
    if (entry.intervalMs === undefined) {
      this.removeAt(0);
    } else {
      this.siftDown(0, entry, ts + entry.intervalMs, this.nextSeq++);
    }
    return { id: entry as unknown as TimerId, ts, name: entry.name, callback: entry.callback };
  }

  private checkTime(ts: number, field: string, name: string | undefined): void {
    if (!Number.isSafeInteger(ts)) {
      throw new FixRequestError(
        'invalid_time',
        `${describe(name)}: ${field} must be an integer number of epoch milliseconds, got ${ts}`,
      );
    }
    const now = this.clock.now();
    if (ts < now) {
      throw new FixRequestError('time_in_past', `${describe(name)}: ${field} ${ts} is before the clock's now (${now})`);
    }
  }

  private arm(ts: UnixMs, intervalMs: number | undefined, callback: TimerCallback, name: string | undefined): TimerId {
    const entry: Entry = { owner: this, intervalMs, name, callback, index: -1 };
    if (this.length === this.heapTs.length) this.grow();
    this.siftUp(this.length++, entry, ts, this.nextSeq++);
    return entry as unknown as TimerId;
  }

  private grow(): void {
    const ts = new Float64Array(this.heapTs.length * 2);
    ts.set(this.heapTs);
    this.heapTs = ts;
    const seq = new Float64Array(this.heapSeq.length * 2);
    seq.set(this.heapSeq);
    this.heapSeq = seq;
  }

  private removeAt(index: number): void {
    this.heapEntries[index]!.index = -1;
    const lastIndex = --this.length;
    const last = this.heapEntries[lastIndex]!;
    const ts = this.heapTs[lastIndex]!;
    const seq = this.heapSeq[lastIndex]!;
    this.heapEntries.pop();
    if (index === lastIndex) return;
    // The moved entry may belong above or below the vacated slot; only one direction can apply.
    if (index > 0 && before(ts, seq, this.heapTs[(index - 1) >> 1]!, this.heapSeq[(index - 1) >> 1]!)) {
      this.siftUp(index, last, ts, seq);
    } else {
      this.siftDown(index, last, ts, seq);
    }
  }

  /** Moves the hole at `index` up until (ts, seq) fits, then puts `entry` there. */
  private siftUp(index: number, entry: Entry, ts: number, seq: number): void {
    const heapTs = this.heapTs;
    const heapSeq = this.heapSeq;
    const entries = this.heapEntries;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!before(ts, seq, heapTs[parent]!, heapSeq[parent]!)) break;
      this.place(index, entries[parent]!, heapTs[parent]!, heapSeq[parent]!);
      index = parent;
    }
    this.place(index, entry, ts, seq);
  }

  /** Moves the hole at `index` down until (ts, seq) fits, then puts `entry` there. */
  private siftDown(index: number, entry: Entry, ts: number, seq: number): void {
    const heapTs = this.heapTs;
    const heapSeq = this.heapSeq;
    const entries = this.heapEntries;
    const length = this.length;
    for (;;) {
      let child = 2 * index + 1;
      if (child >= length) break;
      const right = child + 1;
      if (right < length && before(heapTs[right]!, heapSeq[right]!, heapTs[child]!, heapSeq[child]!)) child = right;
      if (!before(heapTs[child]!, heapSeq[child]!, ts, seq)) break;
      this.place(index, entries[child]!, heapTs[child]!, heapSeq[child]!);
      index = child;
    }
    this.place(index, entry, ts, seq);
  }

  private place(index: number, entry: Entry, ts: number, seq: number): void {
    this.heapTs[index] = ts;
    this.heapSeq[index] = seq;
    this.heapEntries[index] = entry;
    entry.index = index;
  }
}

function before(ts: number, seq: number, otherTs: number, otherSeq: number): boolean {
  return ts < otherTs || (ts === otherTs && seq < otherSeq);
}

function describe(name: string | undefined): string {
  return name === undefined ? 'timer' : `timer "${name}"`;
}
