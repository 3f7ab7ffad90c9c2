import type { Clock } from '../core/clock.js';
import { ConclaveError, FixRequestError, RetryLaterError } from '../core/errors.js';
import type { SeededRandom } from '../core/random.js';
import type { UnixMs } from '../core/time.js';
import { DAY_MS, utcDayStart } from '../core/time.js';
import type { DeskEvent } from '../domain/events.js';
import type { ChannelPort } from './channel.js';
import { ChannelRetryLaterError } from './channel.js';
import { DailySummaryAccumulator, dailySummaryNotification } from './daily-summary.js';
import type { Notification, Severity } from './notification.js';
import { isAlert, moreSevere, notificationFor } from './notification.js';
import { TokenBucket } from './token-bucket.js';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** The backoff grows by up to this fraction, drawn from the seeded random source. */
  readonly jitter: number;
}

export interface RateLimitPolicy {
  readonly capacity: number;
  readonly refillIntervalMs: number;
  /** Queued notifications past this many collapse into one "N more notifications" message (critical never do). */
  readonly maxQueue: number;
}

export interface DispatcherOptions {
  /** The desk's clock: the daily summary closes market days by it. */
  readonly clock: Clock;
  /**
   * The clock of delivery (dedup windows, rate limits, retries and Retry-After, alert reminders): a service's
   * limits and a person's inbox live in wall time, whatever pace the desk replays at. Default: `clock`.
   */
  readonly deliveryClock?: Clock;
  readonly random: SeededRandom;
  readonly channels: readonly ChannelPort[];
  readonly retry?: Partial<RetryPolicy>;
  readonly rateLimit?: Partial<RateLimitPolicy>;
  readonly dedupWindowMs?: number;
  /** Milliseconds after UTC midnight the daily summary goes out; undefined sends none. */
  readonly dailySummaryAtMs?: number;
  /** Unacknowledged critical alerts are sent again this long after they last went out. */
  readonly alertResendMs?: number;
}

export type OutcomeKind =
  | 'sent'
  | 'retried'
  | 'gave-up'
  | 'deduplicated'
  | 'rate-limited'
  | 'collapsed'
  | 'acknowledged'
  | 'reminded';

export interface DispatchOutcome {
  readonly ts: UnixMs;
  readonly kind: OutcomeKind;
  readonly notificationId: string;
  readonly channel?: string;
  readonly attempt?: number;
  /** When the next attempt is due (retried, rate-limited). */
  readonly retryAt?: UnixMs;
  readonly detail?: string;
}

export interface Alert {
  readonly id: string;
  readonly notification: Notification;
  readonly openedAt: UnixMs;
  readonly lastSentAt: UnixMs;
  readonly reminders: number;
  readonly acknowledgedBy?: string;
  readonly acknowledgedAt?: UnixMs;
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

interface ChannelState {
  readonly port: ChannelPort;
  /** Undefined for a local channel, which is not rate limited. */
  readonly bucket: TokenBucket | undefined;
  readonly queue: Delivery[];
}

const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 300_000, jitter: 0.2 };
const OUTCOME_LOG_LIMIT = 10_000;

const DEFAULT_RATE_LIMIT: RateLimitPolicy = { capacity: 5, refillIntervalMs: 1_000, maxQueue: 20 };

/**
 * Fans notifications out to channels with dedup, a token bucket, retries with jittered backoff, alert reminders
 * and a daily summary. It owns no timers: the runtime asks `nextWakeAt()`, moves time on, and calls `flush()`.
 */
export class Dispatcher {
  private readonly clock: Clock;
  private readonly deliveryClock: Clock;
  private readonly random: SeededRandom;
  private readonly retry: RetryPolicy;
  private readonly rateLimit: RateLimitPolicy;
  private readonly dedupWindowMs: number;
  private readonly alertResendMs: number;
  private readonly summaryAtMs: number | undefined;
  private readonly channels: ChannelState[];
  private readonly recentKeys = new Map<string, UnixMs>();
  private readonly alerts = new Map<string, Alert>();
  /**
   * The alerts still owed reminders (critical, not acknowledged), in the order they were raised: what the wake-up
   * and flush look at, rather than every alert ever raised (a long run raises thousands and checks on every event).
   */
  private readonly remindable = new Map<string, Alert>();
  /** The latest outcomes, oldest first; at most `OUTCOME_LOG_LIMIT` are kept for a caller that never takes them. */
  private readonly log: DispatchOutcome[] = [];
  private readonly summary = new DailySummaryAccumulator();
  private nextSummaryAt: UnixMs | undefined;
  private running: Promise<void> = Promise.resolve();
  private alertChanges = 0;

  constructor(options: DispatcherOptions) {
    this.clock = options.clock;
    this.deliveryClock = options.deliveryClock ?? options.clock;
    this.random = options.random;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.rateLimit = { ...DEFAULT_RATE_LIMIT, ...options.rateLimit };
    this.dedupWindowMs = options.dedupWindowMs ?? 300_000;
    this.alertResendMs = options.alertResendMs ?? 900_000;
    this.summaryAtMs = options.dailySummaryAtMs;
    const names = new Set<string>();
    for (const port of options.channels) {
      if (names.has(port.name)) throw new FixRequestError('duplicate_channel', `two notification channels are named "${port.name}"`);
      names.add(port.name);
    }
    if (this.summaryAtMs !== undefined && (this.summaryAtMs < 0 || this.summaryAtMs >= DAY_MS)) {
      throw new FixRequestError('invalid_summary_time', `the daily summary time must be within a day, got ${this.summaryAtMs} ms`);
    }
    const now = this.deliveryClock.now();
    this.channels = options.channels.map((port) => ({
      port,
      bucket: port.local === true ? undefined : new TokenBucket(this.rateLimit.capacity, this.rateLimit.refillIntervalMs, now),
      queue: [],
    }));
    this.nextSummaryAt = this.summaryAtMs === undefined ? undefined : this.summaryAfter(this.clock.now());
  }

  /** Feeds the daily summary and queues the event's notification, if it deserves one. */
  onEvent(event: DeskEvent): void {
    // A day that ended before this event arrived is closed first, so the event counts in the new day.
    this.closeSummaryDay(this.clock.now());
    this.summary.onEvent(event);
    const notification = notificationFor(event);
    if (notification !== undefined) this.notify(notification);
  }

  /** Queues a notification on every channel unless its dedup key was seen within the window. */
  notify(notification: Notification): void {
    const now = this.deliveryClock.now();
    const seenAt = this.recentKeys.get(notification.dedupKey);
    if (seenAt !== undefined && now - seenAt < this.dedupWindowMs) {
      this.record({ ts: now, kind: 'deduplicated', notificationId: notification.id, detail: notification.dedupKey });
      return;
    }
    this.recentKeys.set(notification.dedupKey, now);
    if (isAlert(notification) && !this.alerts.has(notification.id)) {
      const alert: Alert = { id: notification.id, notification, openedAt: now, lastSentAt: now, reminders: 0 };
      this.alerts.set(notification.id, alert);
      this.alertChanges += 1;
      if (this.needsReminder(alert)) this.remindable.set(notification.id, alert);
    }
    this.enqueue(notification, now);
  }

  acknowledge(alertId: string, by: string): Alert {
    const alert = this.alerts.get(alertId);
    if (alert === undefined) throw new FixRequestError('unknown_alert', `there is no alert "${alertId}"`);
    if (alert.acknowledgedAt !== undefined) return alert;
    const now = this.deliveryClock.now();
    const acknowledged: Alert = { ...alert, acknowledgedBy: by, acknowledgedAt: now };
    this.alerts.set(alertId, acknowledged);
    this.alertChanges += 1;
    this.remindable.delete(alertId);
    this.record({ ts: now, kind: 'acknowledged', notificationId: alertId, detail: `by ${by}` });
    return acknowledged;
  }

  alert(alertId: string): Alert | undefined {
    return this.alerts.get(alertId);
  }

  openAlerts(): readonly Alert[] {
    return [...this.alerts.values()].filter((alert) => alert.acknowledgedAt === undefined);
  }

  /** Counts every change to the alerts (raised, reminded, acknowledged): a watcher rewrites its view when it moves. */
  get alertsRevision(): number {
    return this.alertChanges;
  }

  /** The outcomes recorded and not yet taken (the latest `OUTCOME_LOG_LIMIT` of them at most). */
  outcomes(): readonly DispatchOutcome[] {
    return [...this.log];
  }

  /** Notifications each channel still holds (waiting for a retry, a token or their time). */
  pending(): { readonly channel: string; readonly count: number }[] {
    return this.channels.map((channel) => ({ channel: channel.port.name, count: channel.queue.length }));
  }

  /** Returns the outcomes recorded so far and forgets them (for a caller that turns them into events). */
  takeOutcomes(): readonly DispatchOutcome[] {
    return this.log.splice(0, this.log.length);
  }

  /**
   * The earliest delivery-clock time something is due (a send, a retry, a token, a reminder; the summary too when
   * both clocks are one), or undefined.
   */
  nextWakeAt(): UnixMs | undefined {
    const now = this.deliveryClock.now();
    let earliest: number | undefined = this.deliveryClock === this.clock ? this.nextSummaryAt : undefined;
    const consider = (ts: number): void => {
      if (earliest === undefined || ts < earliest) earliest = ts;
    };
    for (const channel of this.channels) {
      const head = channel.queue[0];
      if (head !== undefined) consider(Math.max(head.dueAt, channel.bucket?.nextTokenAt(now) ?? now));
    }
    for (const alert of this.remindable.values()) consider(alert.lastSentAt + this.alertResendMs);
    return earliest as UnixMs | undefined;
  }

  due(): boolean {
    if (this.nextSummaryAt !== undefined && this.nextSummaryAt <= this.clock.now()) return true;
    const wake = this.nextWakeAt();
    return wake !== undefined && wake <= this.deliveryClock.now();
  }

  /** Does everything due at the clock's now: the summary, reminders, then each channel's queue in order. */
  flush(): Promise<void> {
    // A failed flush must not poison every later one: the next starts afresh whatever this one did.
    const run = this.running.catch(() => undefined).then(() => this.runDue());
    this.running = run;
    return run;
  }

  private async runDue(): Promise<void> {
    const now = this.deliveryClock.now();
    this.pruneKeys(now);
    this.closeSummaryDay(this.clock.now());
    for (const alert of [...this.remindable.values()]) {
      if (now >= alert.lastSentAt + this.alertResendMs) this.remind(alert, now);
    }
    for (const channel of this.channels) await this.drain(channel, now);
  }

  private closeSummaryDay(now: UnixMs): void {
    if (this.nextSummaryAt === undefined || now < this.nextSummaryAt) return;
    const dayStart = utcDayStart((this.nextSummaryAt - 1) as UnixMs);
    this.notify(dailySummaryNotification(this.summary.figures(), dayStart, now));
    this.summary.resetDay();
    this.nextSummaryAt = this.summaryAfter(now);
  }

  private async drain(channel: ChannelState, now: UnixMs): Promise<void> {
    for (;;) {
      const head = channel.queue[0];
      if (head === undefined || head.dueAt > now) return;
      const notification = this.materialise(head, now);
      const bucket = channel.bucket;
      if (bucket !== undefined && !bucket.tryTake(now)) {
        if (!head.rateLimitNoted) {
          head.rateLimitNoted = true;
          this.record({
            ts: now,
            kind: 'rate-limited',
            notificationId: notification.id,
            channel: channel.port.name,
            retryAt: bucket.nextTokenAt(now),
          });
        }
        return;
      }
      head.attempt += 1;
      const base = { notificationId: notification.id, channel: channel.port.name, attempt: head.attempt };
      try {
        await channel.port.send(notification);
        channel.queue.shift();
        this.record({ ts: now, kind: 'sent', ...base });
      } catch (error) {
        const detail = describe(error);
        if (error instanceof RetryLaterError && head.attempt < this.retry.maxAttempts) {
          head.dueAt = (now + this.delayFor(error, head.attempt)) as UnixMs;
          this.record({ ts: now, kind: 'retried', ...base, retryAt: head.dueAt, detail });
          return;
        }
        channel.queue.shift();
        this.record({ ts: now, kind: 'gave-up', ...base, detail });
      }
    }
  }

  private enqueue(notification: Notification, now: UnixMs): void {
    for (const channel of this.channels) {
      // A channel's filter is applied here, not at sending: what it does not want takes no place in its queue.
      if (channel.port.accepts?.(notification) === false) continue;
      const queue = channel.queue;
      const tail = queue[queue.length - 1];
      if (channel.bucket !== undefined && notification.severity !== 'critical' && queue.length >= this.rateLimit.maxQueue) {
        if (tail?.overflow !== undefined && tail.attempt === 0) {
          tail.overflow.count += 1;
          tail.overflow.severity = moreSevere(tail.overflow.severity, notification.severity);
        } else {
          queue.push({
            notification: undefined,
            overflow: { count: 1, severity: notification.severity, firstId: notification.id },
            attempt: 0,
            dueAt: now,
            rateLimitNoted: false,
          });
        }
        this.record({ ts: now, kind: 'collapsed', notificationId: notification.id, channel: channel.port.name });
        continue;
      }
      queue.push({ notification, overflow: undefined, attempt: 0, dueAt: now, rateLimitNoted: false });
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

  private remind(alert: Alert, now: UnixMs): void {
    const reminders = alert.reminders + 1;
    const reminded: Alert = { ...alert, reminders, lastSentAt: now };
    this.alerts.set(alert.id, reminded);
    this.alertChanges += 1;
    this.remindable.set(alert.id, reminded);
    const original = alert.notification;
    const reminder: Notification = {
      ...original,
      id: `${original.id}-reminder-${reminders}`,
      ts: now,
      kind: 'reminder',
      title: `Unacknowledged: ${original.title}`,
      text: `${original.text} (reminder ${reminders}; conclave alerts ack ${alert.id} stops these)`,
      dedupKey: `${original.dedupKey}:reminder:${reminders}`,
      causationId: original.causationId ?? original.id,
    };
    this.record({ ts: now, kind: 'reminded', notificationId: alert.id, detail: reminder.id });
    this.enqueue(reminder, now);
  }

  private needsReminder(alert: Alert): boolean {
    return alert.acknowledgedAt === undefined && alert.notification.severity === 'critical';
  }

  private delayFor(error: RetryLaterError, attempt: number): number {
    if (error instanceof ChannelRetryLaterError && error.retryAfterMs !== undefined) return error.retryAfterMs;
    const backoff = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(backoff * (1 + this.retry.jitter * this.random.next()));
  }

  private summaryAfter(now: UnixMs): UnixMs {
    const today = utcDayStart(now) + (this.summaryAtMs ?? 0);
    return (today > now ? today : today + DAY_MS) as UnixMs;
  }

  private pruneKeys(now: UnixMs): void {
    for (const [key, seenAt] of this.recentKeys) {
      if (now - seenAt >= this.dedupWindowMs) this.recentKeys.delete(key);
    }
  }

  private record(outcome: DispatchOutcome): void {
    // Dropping the older half at once keeps the cost per record constant.
    if (this.log.length >= OUTCOME_LOG_LIMIT) this.log.splice(0, OUTCOME_LOG_LIMIT / 2);
    this.log.push(outcome);
  }
}

function describe(error: unknown): string {
  if (error instanceof ConclaveError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
