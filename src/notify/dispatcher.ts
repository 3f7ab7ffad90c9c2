import type { Clock } from '../core/clock.js';
import { FixRequestError } from '../core/errors.js';
import type { SeededRandom } from '../core/random.js';
import type { UnixMs } from '../core/time.js';
import { DAY_MS, utcDayStart } from '../core/time.js';
import type { DeskEvent } from '../domain/events.js';
import type { ChannelPort } from './channel.js';
import { ChannelLane } from './channel-lane.js';
import { DailySummaryAccumulator, dailySummaryNotification } from './daily-summary.js';
import type { DispatchOutcome, RateLimitPolicy, RetryPolicy } from './delivery.js';
import type { DeskBooks } from './desk-books.js';
import type { Notification } from './notification.js';
import { isAlert, notificationFor } from './notification.js';

export type { DispatchOutcome, OutcomeKind, RateLimitPolicy, RetryPolicy } from './delivery.js';

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
  /** The desk's books (made before the desk trades): contract sizes, and the realised PnL the daily summary reports. */
  readonly books: DeskBooks;
  readonly retry?: Partial<RetryPolicy>;
  readonly rateLimit?: Partial<RateLimitPolicy>;
  readonly dedupWindowMs?: number;
  /** Milliseconds after UTC midnight the daily summary goes out; undefined sends none. */
  readonly dailySummaryAtMs?: number;
  /** Unacknowledged critical alerts are sent again this long after they last went out. */
  readonly alertResendMs?: number;
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

const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 300_000, jitter: 0.2 };
const OUTCOME_LOG_LIMIT = 10_000;

const DEFAULT_RATE_LIMIT: RateLimitPolicy = { capacity: 5, refillIntervalMs: 1_000, maxQueue: 20 };

/**
 * Fans notifications out to channels with dedup, a token bucket, retries with jittered backoff, alert reminders
 * and a daily summary. It owns no timers: the runtime asks `nextWakeAt()`, moves time on, and calls `flush()`.
 * Each channel delivers on its own (channel-lane.ts): the local ones (console, file) first, the remote ones side by
 * side, so a service that hangs delays nothing but itself.
 */
export class Dispatcher {
  private readonly clock: Clock;
  private readonly deliveryClock: Clock;
  private readonly dedupWindowMs: number;
  private readonly alertResendMs: number;
  private readonly summaryAtMs: number | undefined;
  /** Local channels first: a flush starts them before any remote one. */
  private readonly lanes: readonly ChannelLane[];
  private readonly recentKeys = new Map<string, UnixMs>();
  private readonly alerts = new Map<string, Alert>();
  /**
   * The alerts still owed reminders (critical, not acknowledged), in the order they were raised: what the wake-up
   * and flush look at, rather than every alert ever raised (a long run raises thousands and checks on every event).
   */
  private readonly remindable = new Map<string, Alert>();
  /** The latest outcomes, oldest first; at most `OUTCOME_LOG_LIMIT` are kept for a caller that never takes them. */
  private readonly log: DispatchOutcome[] = [];
  private readonly books: DeskBooks;
  private readonly summary: DailySummaryAccumulator;
  private nextSummaryAt: UnixMs | undefined;
  private alertChanges = 0;

  constructor(options: DispatcherOptions) {
    this.clock = options.clock;
    this.deliveryClock = options.deliveryClock ?? options.clock;
    this.books = options.books;
    this.summary = new DailySummaryAccumulator(options.books);
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
    const lane = {
      clock: this.deliveryClock,
      random: options.random,
      retry: { ...DEFAULT_RETRY, ...options.retry },
      rateLimit: { ...DEFAULT_RATE_LIMIT, ...options.rateLimit },
      record: (outcome: DispatchOutcome) => this.record(outcome),
    };
    const lanes = options.channels.map((port) => new ChannelLane(port, lane));
    this.lanes = [...lanes.filter((l) => l.local), ...lanes.filter((l) => !l.local)];
    this.nextSummaryAt = this.summaryAtMs === undefined ? undefined : this.summaryAfter(this.clock.now());
  }

  /** Feeds the daily summary and queues the event's notification, if it deserves one. */
  onEvent(event: DeskEvent): void {
    // A day that ended before this event arrived is closed first, so the event counts in the new day.
    this.closeSummaryDay(this.clock.now());
    this.summary.onEvent(event);
    const notification = notificationFor(event, this.books);
    if (notification !== undefined) this.notify(notification);
  }

  /**
   * Queues a notification on every channel unless its dedup key was seen within the window. A critical one is never
   * deduplicated: a second halt minutes after the first is a new fact a person must see and acknowledge.
   */
  notify(notification: Notification): void {
    const now = this.deliveryClock.now();
    if (notification.severity !== 'critical') {
      const seenAt = this.recentKeys.get(notification.dedupKey);
      if (seenAt !== undefined && now - seenAt < this.dedupWindowMs) {
        this.record({ ts: now, kind: 'deduplicated', notificationId: notification.id, detail: notification.dedupKey });
        return;
      }
      this.recentKeys.set(notification.dedupKey, now);
    }
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

  /** Notifications each channel still holds (waiting for a retry, a token or their time, or being sent). */
  pending(): { readonly channel: string; readonly count: number }[] {
    return this.lanes.map((lane) => ({ channel: lane.port.name, count: lane.pending }));
  }

  /** Returns the outcomes recorded so far and forgets them (for a caller that turns them into events). */
  takeOutcomes(): readonly DispatchOutcome[] {
    return this.log.splice(0, this.log.length);
  }

  /**
   * The earliest delivery-clock time something is due (a send, a retry, a token, a reminder; the summary too when
   * both clocks are one), or undefined. A channel still sending is not counted: its delivery carries on by itself.
   */
  nextWakeAt(): UnixMs | undefined {
    const now = this.deliveryClock.now();
    let earliest: number | undefined = this.deliveryClock === this.clock ? this.nextSummaryAt : undefined;
    const consider = (ts: number): void => {
      if (earliest === undefined || ts < earliest) earliest = ts;
    };
    for (const lane of this.lanes) {
      const wake = lane.nextWakeAt(now);
      if (wake !== undefined) consider(wake);
    }
    for (const alert of this.remindable.values()) consider(alert.lastSentAt + this.alertResendMs);
    return earliest as UnixMs | undefined;
  }

  due(): boolean {
    if (this.nextSummaryAt !== undefined && this.nextSummaryAt <= this.clock.now()) return true;
    const wake = this.nextWakeAt();
    return wake !== undefined && wake <= this.deliveryClock.now();
  }

  /**
   * Does everything due at the clock's now: the summary, reminders, then each channel's queue. A channel still
   * sending from an earlier flush is not asked again: that delivery is joined, never queued behind. Aborting
   * `signal` cuts off every send in flight (what it was sending stays queued) and ends the flush at once.
   */
  flush(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted === true) return Promise.resolve();
    const now = this.deliveryClock.now();
    this.pruneKeys(now);
    this.closeSummaryDay(this.clock.now());
    for (const alert of [...this.remindable.values()]) {
      if (now >= alert.lastSentAt + this.alertResendMs) this.remind(alert, now);
    }
    const interrupt = (): void => {
      for (const lane of this.lanes) lane.interrupt();
    };
    signal?.addEventListener('abort', interrupt, { once: true });
    return Promise.all(this.lanes.map((lane) => lane.deliver())).then(
      () => signal?.removeEventListener('abort', interrupt),
      (error: unknown) => {
        signal?.removeEventListener('abort', interrupt);
        throw error;
      },
    );
  }

  private closeSummaryDay(now: UnixMs): void {
    if (this.nextSummaryAt === undefined || now < this.nextSummaryAt) return;
    const dayStart = utcDayStart((this.nextSummaryAt - 1) as UnixMs);
    this.notify(dailySummaryNotification(this.summary.figures(), dayStart, now));
    this.summary.resetDay();
    this.nextSummaryAt = this.summaryAfter(now);
  }

  private enqueue(notification: Notification, now: UnixMs): void {
    for (const lane of this.lanes) lane.enqueue(notification, now);
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
