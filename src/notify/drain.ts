import type { Clock } from '../core/clock.js';
import type { Dispatcher } from './dispatcher.js';

export interface DrainOptions {
  /** The dispatcher's delivery clock. */
  readonly clock: Clock;
  /** Waits this many milliseconds of that clock. */
  readonly sleep: (ms: number) => Promise<void>;
  /** Gives up on what is still queued this long after it starts. */
  readonly deadlineMs: number;
  /** Gives up at once when this is aborted (a person who does not want to wait). */
  readonly stop?: AbortSignal;
}

/**
 * Delivers what the channels still hold at the end of a run: flushes, then waits for the next send, retry or token
 * the queues are owed, until they are empty or the deadline comes. Alert reminders do not hold it up. Returns the
 * notifications left undelivered.
 */
export async function drainNotifications(dispatcher: Pick<Dispatcher, 'flush' | 'pending' | 'nextWakeAt'>, options: DrainOptions): Promise<number> {
  const deadline = options.clock.now() + options.deadlineMs;
  const queued = (): number => dispatcher.pending().reduce((sum, channel) => sum + channel.count, 0);
  for (;;) {
    await dispatcher.flush();
    const left = queued();
    if (left === 0 || options.stop?.aborted === true) return left;
    const now = options.clock.now();
    const wake = dispatcher.nextWakeAt();
    if (wake === undefined || wake > deadline || now >= deadline) return left;
    await options.sleep(Math.max(1, wake - now));
  }
}
