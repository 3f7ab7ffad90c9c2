import type { Clock } from '../core/clock.js';
import { ConclaveError, FixRequestError, RetryLaterError } from '../core/errors.js';
import type { SeededRandom } from '../core/random.js';
import type { UnixMs } from '../core/time.js';
import type { ChannelPort } from './channel.js';
import { ChannelRetryLaterError } from './channel.js';
import type { DispatchOutcome, RateLimitPolicy, RetryPolicy } from './delivery.js';
import type { Notification, Severity } from './notification.js';
import { moreSevere } from './notification.js';
import { TokenBucket } from './token-bucket.js';

export interface LaneOptions {
  /** The delivery clock: retries, Retry-After and the token bucket run on it. */
  readonly clock: Clock;
  readonly random: SeededRandom;
  readonly retry: RetryPolicy;
  readonly rateLimit: RateLimitPolicy;
  readonly record: (outcome: DispatchOutcome) => void;
}

interface Overflow {
  count: number;
  severity: Severity;
  readonly firstId: string;
}

interface Delivery {
  notification: Notification | undefined;
  overflow: Overflow | undefined;
  attempt: number;
  dueAt: UnixMs;
  rateLimitNoted: boolean;
}

/**
 * One channel's queue and its delivery: in order, one send at a time, with retries, and for a remote channel a
 * token bucket and the collapse of a burst. Each channel delivers on its own, so a service that hangs holds up its
 * own queue only; and asking a channel that is still sending to deliver joins the delivery under way rather than
 * queueing another behind it (a flush per event would otherwise pile up one hung request after another).
 */
export class ChannelLane {
  private readonly queue: Delivery[] = [];
  private readonly bucket: TokenBucket | undefined;
  private delivering: Promise<void> | undefined;
  /** Aborts the delivery under way (the send in flight included). */
  private cut: AbortController | undefined;

  constructor(
    readonly port: ChannelPort,
    private readonly options: LaneOptions,
  ) {
    this.bucket = port.local === true ? undefined : new TokenBucket(options.rateLimit.capacity, options.rateLimit.refillIntervalMs, options.clock.now());
  }

  get local(): boolean {
    return this.port.local === true;
  }

  /** Notifications still held (waiting for a retry, a token or their time, or being sent). */
  get pending(): number {
    return this.queue.length;
  }

  /**
   * When a delivery should next start: the head's due time or the next token, whichever is later. Undefined when
   * there is nothing to send, and while a delivery is under way: it carries on by itself with what falls due.
   */
  nextWakeAt(now: UnixMs): number | undefined {
    const head = this.queue[0];
    if (head === undefined || this.delivering !== undefined) return undefined;
    return Math.max(head.dueAt, this.bucket?.nextTokenAt(now) ?? now);
  }

  /** Queues a notification the channel wants; a remote channel folds a burst past its queue limit into one message. */
  enqueue(notification: Notification, now: UnixMs): void {
    // The channel's filter is applied here, not at sending: what it does not want takes no place in its queue.
    if (this.port.accepts?.(notification) === false) return;
    const queue = this.queue;
    const tail = queue[queue.length - 1];
    if (this.bucket !== undefined && notification.severity !== 'critical' && queue.length >= this.options.rateLimit.maxQueue) {
      if (tail?.overflow !== undefined && tail.attempt === 0) {
        tail.overflow.count += 1;
        tail.overflow.severity = moreSevere(tail.overflow.severity, notification.severity);
      } else {
        queue.push({ notification: undefined, overflow: { count: 1, severity: notification.severity, firstId: notification.id }, attempt: 0, dueAt: now, rateLimitNoted: false });
      }
      this.options.record({ ts: now, kind: 'collapsed', notificationId: notification.id, channel: this.port.name });
      return;
    }
    queue.push({ notification, overflow: undefined, attempt: 0, dueAt: now, rateLimitNoted: false });
  }

  /** Sends what is due; while a delivery is under way, returns that one instead of starting another. */
  deliver(): Promise<void> {
    if (this.delivering === undefined) {
      const cut = new AbortController();
      this.cut = cut;
      this.delivering = this.run(cut.signal).finally(() => {
        this.delivering = undefined;
        this.cut = undefined;
      });
    }
    return this.delivering;
  }

  /** Ends the delivery under way at once; a send in flight is cut off and its notification stays queued. */
  interrupt(): void {
    this.cut?.abort();
  }

  private async run(signal: AbortSignal): Promise<void> {
    for (;;) {
      // Read afresh: what fell due while a send was in flight goes out in the same delivery.
      const now = this.options.clock.now();
      const head = this.queue[0];
      if (signal.aborted || head === undefined || head.dueAt > now) return;
      const notification = this.materialise(head, now);
      const bucket = this.bucket;
      if (bucket !== undefined && !bucket.tryTake(now)) {
        if (!head.rateLimitNoted) {
          head.rateLimitNoted = true;
          this.options.record({ ts: now, kind: 'rate-limited', notificationId: notification.id, channel: this.port.name, retryAt: bucket.nextTokenAt(now) });
        }
        return;
      }
      head.attempt += 1;
      const base = { notificationId: notification.id, channel: this.port.name, attempt: head.attempt };
      try {
        await untilAborted(this.port.send(notification, signal), signal);
        this.queue.shift();
        this.options.record({ ts: now, kind: 'sent', ...base });
      } catch (error) {
        if (signal.aborted) {
          // Cut off by us, not refused by the service: not an attempt, and still owed.
          head.attempt -= 1;
          return;
        }
        const detail = describe(error);
        if (error instanceof RetryLaterError && head.attempt < this.options.retry.maxAttempts) {
          head.dueAt = (now + this.delayFor(error, head.attempt)) as UnixMs;
          this.options.record({ ts: now, kind: 'retried', ...base, retryAt: head.dueAt, detail });
          return;
        }
        this.queue.shift();
        this.options.record({ ts: now, kind: 'gave-up', ...base, detail });
      }
    }
  }

  /** An overflow message is written when it first goes out, so it counts everything folded into it. */
  private materialise(delivery: Delivery, now: UnixMs): Notification {
    if (delivery.notification !== undefined) return delivery.notification;
    const overflow = delivery.overflow;
    if (overflow === undefined) throw new FixRequestError('empty_delivery', 'a queued delivery has nothing to send');
    const notification: Notification = {
      id: `overflow-${overflow.firstId}`,
      ts: now,
      severity: overflow.severity,
      kind: 'overflow',
      title: `${overflow.count} more notifications`,
      text: `${overflow.count} more notifications were collapsed because the channel is rate limited`,
      fields: { collapsed: String(overflow.count) },
      dedupKey: `overflow:${overflow.firstId}`,
    };
    delivery.notification = notification;
    return notification;
  }

  private delayFor(error: RetryLaterError, attempt: number): number {
    if (error instanceof ChannelRetryLaterError && error.retryAfterMs !== undefined) return error.retryAfterMs;
    const retry = this.options.retry;
    const backoff = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(backoff * (1 + retry.jitter * this.options.random.next()));
  }
}

/** Settles as `work` does, or rejects as soon as `signal` aborts: a channel that ignores the signal cannot hold us. */
function untilAborted(work: Promise<void>, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const abort = (): void => reject(signal.reason);
    signal.addEventListener('abort', abort, { once: true });
    void work.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

function describe(error: unknown): string {
  if (error instanceof ConclaveError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
