import type { Clock } from '../core/clock.js';
import type { Dispatcher } from './dispatcher.js';

export interface DrainOptions {
  /** The dispatcher's delivery clock. */
  readonly clock: Clock;
  /** Waits this many milliseconds of that clock, or less when `signal` aborts. */
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Gives up on what is still queued this long after it starts. */
  readonly deadlineMs: number;
  /**
   * A signal that aborts `ms` milliseconds of that clock from now (`AbortSignal.timeout` in wall time): the deadline
   * also cuts off a request in flight, so a service that never answers cannot hold the end of a run past it.
   */
  readonly timeout: (ms: number) => AbortSignal;
  /** Gives up at once when this is aborted (a person who does not want to wait), the request in flight too. */
  readonly stop?: AbortSignal;
}

/**
 * Delivers what the channels still hold at the end of a run: flushes, then waits for the next send, retry or token
 * the queues are owed, until they are empty, the deadline comes or `stop` aborts. Alert reminders do not hold it up.
 * Returns the notifications left undelivered.
 */
export async function drainNotifications(dispatcher: Pick<Dispatcher, 'flush' | 'pending' | 'nextWakeAt'>, options: DrainOptions): Promise<number> {
  const deadline = options.clock.now() + options.deadlineMs;
  const giveUp = AbortSignal.any([options.timeout(options.deadlineMs), ...(options.stop === undefined ? [] : [options.stop])]);
  const queued = (): number => dispatcher.pending().reduce((sum, channel) => sum + channel.count, 0);
  for (;;) {
    await dispatcher.flush(giveUp);
    const left = queued();
    if (left === 0 || giveUp.aborted) return left;
    const now = options.clock.now();
    const wake = dispatcher.nextWakeAt();
    if (wake === undefined || wake > deadline || now >= deadline) return left;
    await options.sleep(Math.max(1, wake - now), giveUp);
  }
}
