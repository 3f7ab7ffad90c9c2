import { describe, expect, it } from 'vitest';
import { TestClock } from '../core/clock.js';
import { FixRequestError, RetryLaterError } from '../core/errors.js';
import { SeededRandom } from '../core/random.js';
import type { UnixMs } from '../core/time.js';
import { DAY_MS, HOUR_MS } from '../core/time.js';
import type { ChannelPort } from './channel.js';
import { ChannelRetryLaterError } from './channel.js';
import type { DispatcherOptions } from './dispatcher.js';
import { Dispatcher } from './dispatcher.js';
import type { Notification } from './notification.js';
import type { DeskEvent } from '../domain/events.js';
import { sampleDenial, sampleFill, sampleLiquidation, sampleStateChange } from '../../test/support/notify-sample-events.js';
import { ScriptedBooks } from '../../test/support/scripted-books.js';

const DAY0 = Date.UTC(2026, 0, 5) as UnixMs;

/** Records what it was given; each send takes the next scripted failure, or succeeds when there is none. */
class ScriptedChannel implements ChannelPort {
  readonly sent: Notification[] = [];
  readonly failures: Error[] = [];
  attempts = 0;

  constructor(readonly name: string) {}

  send(notification: Notification): Promise<void> {
    this.attempts += 1;
    const failure = this.failures.shift();
    if (failure !== undefined) return Promise.reject(failure);
    this.sent.push(notification);
    return Promise.resolve();
  }
}

function setup(options: Partial<DispatcherOptions> = {}) {
  const clock = new TestClock(DAY0);
  const channel = new ScriptedChannel('chat');
  const books = new ScriptedBooks();
  const dispatcher = new Dispatcher({ books, clock, random: new SeededRandom(7), channels: [channel], ...options });
  return { clock, channel, dispatcher, books };
}

describe('Dispatcher', () => {
  it('sends a fill to every channel and records it', async () => {
    const clock = new TestClock(DAY0);
    const a = new ScriptedChannel('a');
    const b = new ScriptedChannel('b');
    const dispatcher = new Dispatcher({ books: new ScriptedBooks(), clock, random: new SeededRandom(1), channels: [a, b] });
    dispatcher.onEvent(sampleFill('f1', DAY0, 'buy', '1', '100', '0.1'));
    expect(dispatcher.due()).toBe(true);
    await dispatcher.flush();
    expect(a.sent.map((n) => n.id)).toEqual(['notification-f1']);
    expect(b.sent.map((n) => n.id)).toEqual(['notification-f1']);
    expect(dispatcher.outcomes().map((o) => `${o.kind}:${o.channel}`)).toEqual(['sent:a', 'sent:b']);
    expect(dispatcher.due()).toBe(false);
  });

  it('retries with exponential backoff and seeded jitter, then gives up after the last attempt', async () => {
    const { clock, channel, dispatcher } = setup({ retry: { maxAttempts: 3, baseDelayMs: 1_000, jitter: 0.5 } });
    channel.failures.push(new RetryLaterError('down', 'down'), new RetryLaterError('down', 'down'), new RetryLaterError('down', 'down'));
    dispatcher.onEvent(sampleFill('f1', DAY0, 'buy', '1', '100', '0.1'));
    await dispatcher.flush();
    const first = dispatcher.outcomes()[0];
    expect(first?.kind).toBe('retried');
    const firstDelay = (first?.retryAt ?? 0) - DAY0;
    expect(firstDelay).toBeGreaterThanOrEqual(1_000);
    expect(firstDelay).toBeLessThanOrEqual(1_500);
    expect(dispatcher.nextWakeAt()).toBe(first?.retryAt);

    clock.advanceTo(((first?.retryAt ?? 0) - 1) as UnixMs);
    await dispatcher.flush();
    expect(channel.attempts).toBe(1);

    clock.advanceTo(first?.retryAt as UnixMs);
    await dispatcher.flush();
    const second = dispatcher.outcomes()[1];
    expect(second?.kind).toBe('retried');
    const secondDelay = (second?.retryAt ?? 0) - clock.now();
    expect(secondDelay).toBeGreaterThanOrEqual(2_000);
    expect(secondDelay).toBeLessThanOrEqual(3_000);

    clock.advanceTo(second?.retryAt as UnixMs);
    await dispatcher.flush();
    expect(dispatcher.outcomes().map((o) => o.kind)).toEqual(['retried', 'retried', 'gave-up']);
    expect(dispatcher.outcomes()[2]?.attempt).toBe(3);
    expect(dispatcher.nextWakeAt()).toBeUndefined();
  });

  it('gives the same delays for the same seed', async () => {
    const delays = async (): Promise<number[]> => {
      const { clock, channel, dispatcher } = setup();
      channel.failures.push(new RetryLaterError('x', 'x'), new RetryLaterError('x', 'x'));
      dispatcher.onEvent(sampleFill('f1', DAY0, 'buy', '1', '100', '0.1'));
      for (let i = 0; i < 3; i += 1) {
        await dispatcher.flush();
        const wake = dispatcher.nextWakeAt();
        if (wake !== undefined) clock.advanceTo(wake);
      }
      return dispatcher.outcomes().flatMap((o) => (o.retryAt === undefined ? [] : [o.retryAt - DAY0]));
    };
    const first = await delays();
    expect(first).toHaveLength(2);
    expect(await delays()).toEqual(first);
  });

  it('waits exactly what the service asked for when it said', async () => {
    const { clock, channel, dispatcher } = setup();
    channel.failures.push(new ChannelRetryLaterError('rate', 'slow down', 7_000));
    dispatcher.onEvent(sampleFill('f1', DAY0, 'buy', '1', '100', '0.1'));
    await dispatcher.flush();
    expect(dispatcher.nextWakeAt()).toBe(DAY0 + 7_000);
    clock.advanceBy(7_000);
    await dispatcher.flush();
    expect(channel.sent).toHaveLength(1);
  });

  it('gives up at once on a FixRequestError', async () => {
    const { channel, dispatcher } = setup();
    channel.failures.push(new FixRequestError('bad', 'HTTP 400'));
    dispatcher.onEvent(sampleFill('f1', DAY0, 'buy', '1', '100', '0.1'));
    await dispatcher.flush();
    expect(dispatcher.outcomes()).toEqual([
      { ts: DAY0, kind: 'gave-up', notificationId: 'notification-f1', channel: 'chat', attempt: 1, detail: 'bad: HTTP 400' },
    ]);
  });

  it('deduplicates the same key within the window and lets it through after', async () => {
    const { clock, channel, dispatcher } = setup({ dedupWindowMs: 60_000 });
    dispatcher.onEvent(sampleDenial('d1', DAY0, 'max_leverage'));
    dispatcher.onEvent(sampleDenial('d2', DAY0, 'max_leverage'));
    clock.advanceBy(59_999);
    dispatcher.onEvent(sampleDenial('d3', DAY0, 'max_leverage'));
    clock.advanceBy(1);
    dispatcher.onEvent(sampleDenial('d4', DAY0, 'max_leverage'));
    await dispatcher.flush();
    expect(channel.sent.map((n) => n.id)).toEqual(['notification-d1', 'notification-d4']);
    expect(dispatcher.outcomes().filter((o) => o.kind === 'deduplicated').map((o) => o.notificationId)).toEqual([
      'notification-d2',
      'notification-d3',
    ]);
  });

  it('raises every halt as an alert of its own, however soon after the last one', async () => {
    const { clock, channel, dispatcher } = setup();
    dispatcher.onEvent(sampleStateChange('h1', DAY0, 'ACTIVE', 'HALTED'));
    clock.advanceBy(60_000);
    dispatcher.onEvent(sampleStateChange('r1', DAY0 + 60_000, 'HALTED', 'ACTIVE'));
    clock.advanceBy(60_000);
    dispatcher.onEvent(sampleStateChange('h2', DAY0 + 120_000, 'ACTIVE', 'HALTED'));
    const sleeveHalted = (id: string): DeskEvent =>
      ({ type: 'SleeveStateChanged', id, tsEvent: clock.now(), tsInit: clock.now(), sleeve: 'trend', from: 'ACTIVE', to: 'HALTED', reason: 'drawdown budget' }) as DeskEvent;
    dispatcher.onEvent(sleeveHalted('s1'));
    dispatcher.onEvent(sleeveHalted('s2'));
    await dispatcher.flush();
    expect(dispatcher.openAlerts().map((a) => [a.id, a.notification.severity])).toEqual([
      ['notification-h1', 'critical'],
      ['notification-h2', 'critical'],
      ['notification-s1', 'critical'],
      ['notification-s2', 'critical'],
    ]);
    expect(channel.sent.map((n) => n.id)).toEqual(['notification-h1', 'notification-r1', 'notification-h2', 'notification-s1', 'notification-s2']);
    expect(dispatcher.outcomes().filter((o) => o.kind === 'deduplicated')).toEqual([]);
  });

  it('rate limits with a token bucket and collapses a burst past the queue limit', async () => {
    const { clock, channel, dispatcher } = setup({ rateLimit: { capacity: 2, refillIntervalMs: 10_000, maxQueue: 4 } });
    for (let i = 1; i <= 9; i += 1) dispatcher.onEvent(sampleFill(`f${i}`, DAY0, 'buy', '1', '100', '0.1'));
    await dispatcher.flush();
    expect(channel.sent.map((n) => n.id)).toEqual(['notification-f1', 'notification-f2']);
    expect(dispatcher.outcomes().filter((o) => o.kind === 'collapsed')).toHaveLength(5);
    expect(dispatcher.outcomes().filter((o) => o.kind === 'rate-limited')).toEqual([
      { ts: DAY0, kind: 'rate-limited', notificationId: 'notification-f3', channel: 'chat', retryAt: DAY0 + 10_000 },
    ]);
    expect(dispatcher.nextWakeAt()).toBe(DAY0 + 10_000);
    for (let i = 0; i < 3; i += 1) {
      clock.advanceBy(10_000);
      await dispatcher.flush();
    }
    expect(channel.sent.map((n) => n.title)).toEqual([
      'Fill: buy 1 BINANCE:BTC/USDT @ 100',
      'Fill: buy 1 BINANCE:BTC/USDT @ 100',
      'Fill: buy 1 BINANCE:BTC/USDT @ 100',
      'Fill: buy 1 BINANCE:BTC/USDT @ 100',
      '5 more notifications',
    ]);
    expect(channel.sent[4]?.kind).toBe('overflow');
    expect(dispatcher.nextWakeAt()).toBeUndefined();
  });

  it('never collapses a critical alert', async () => {
    const { channel, dispatcher } = setup({ rateLimit: { capacity: 10, refillIntervalMs: 1_000, maxQueue: 1 } });
    dispatcher.onEvent(sampleFill('f1', DAY0, 'buy', '1', '100', '0.1'));
    dispatcher.onEvent(sampleFill('f2', DAY0, 'buy', '1', '100', '0.1'));
    dispatcher.onEvent(sampleLiquidation('l1', DAY0));
    await dispatcher.flush();
    expect(channel.sent.map((n) => n.kind)).toEqual(['fill', 'overflow', 'liquidation']);
  });

  it('re-sends an unacknowledged critical alert until someone acknowledges it', async () => {
    const { clock, channel, dispatcher } = setup({ alertResendMs: 15 * 60_000 });
    dispatcher.onEvent(sampleStateChange('h1', DAY0, 'ACTIVE', 'HALTED'));
    await dispatcher.flush();
    expect(dispatcher.openAlerts().map((a) => a.id)).toEqual(['notification-h1']);
    expect(dispatcher.nextWakeAt()).toBe(DAY0 + 15 * 60_000);
    clock.advanceBy(15 * 60_000);
    await dispatcher.flush();
    clock.advanceBy(15 * 60_000);
    await dispatcher.flush();
    expect(channel.sent.map((n) => n.id)).toEqual([
      'notification-h1',
      'notification-h1-reminder-1',
      'notification-h1-reminder-2',
    ]);
    expect(channel.sent[1]?.title).toBe('Unacknowledged: Trading HALTED (daily-loss)');

    clock.advanceBy(60_000);
    const acknowledged = dispatcher.acknowledge('notification-h1', 'alice');
    expect(acknowledged).toMatchObject({ acknowledgedBy: 'alice', acknowledgedAt: DAY0 + 31 * 60_000, reminders: 2 });
    expect(dispatcher.openAlerts()).toEqual([]);
    expect(dispatcher.nextWakeAt()).toBeUndefined();
    clock.advanceBy(HOUR_MS);
    await dispatcher.flush();
    expect(channel.sent).toHaveLength(3);
    expect(dispatcher.outcomes().find((o) => o.kind === 'acknowledged')).toEqual({
      ts: DAY0 + 31 * 60_000,
      kind: 'acknowledged',
      notificationId: 'notification-h1',
      detail: 'by alice',
    });
  });

  it('keeps warnings open without reminders, and refuses an unknown alert id', async () => {
    const { clock, channel, dispatcher } = setup();
    dispatcher.onEvent(sampleDenial('d1', DAY0, 'max_leverage'));
    await dispatcher.flush();
    expect(dispatcher.openAlerts().map((a) => a.id)).toEqual(['notification-d1']);
    clock.advanceBy(DAY_MS - 1);
    await dispatcher.flush();
    expect(channel.sent).toHaveLength(1);
    expect(() => dispatcher.acknowledge('nope', 'bob')).toThrow(FixRequestError);
  });

  it('sends a daily summary at the configured UTC time with the day figures', async () => {
    const { clock, channel, dispatcher, books } = setup({ dailySummaryAtMs: 21 * HOUR_MS, dedupWindowMs: 1 });
    expect(dispatcher.nextWakeAt()).toBe(DAY0 + 21 * HOUR_MS);
    dispatcher.onEvent(sampleFill('f1', DAY0 + 1, 'buy', '2', '100', '0.2'));
    // The books realise 0.5 × (110 − 100) on the first sale and 1.5 × (90 − 100) on the second.
    books.realise('BINANCE:BTC/USDT', '5');
    dispatcher.onEvent(sampleFill('f2', DAY0 + 2, 'sell', '0.5', '110', '0.055'));
    books.realise('BINANCE:BTC/USDT', '-15');
    dispatcher.onEvent(sampleFill('f3', DAY0 + 3, 'sell', '1.5', '90', '0.135'));
    dispatcher.onEvent(sampleDenial('d1', DAY0 + 4, 'max_leverage'));
    dispatcher.onEvent(sampleDenial('d2', DAY0 + 5, 'max_leverage', 'other'));
    dispatcher.onEvent(sampleDenial('d3', DAY0 + 6, 'price_band'));
    dispatcher.onEvent(sampleStateChange('h1', DAY0 + 7, 'ACTIVE', 'HALTED'));
    await dispatcher.flush();
    channel.sent.length = 0;
    clock.advanceTo((DAY0 + 21 * HOUR_MS) as UnixMs);
    await dispatcher.flush();
    const summary = channel.sent.find((n) => n.kind === 'summary');
    expect(summary).toMatchObject({
      id: 'summary-2026-01-05',
      title: 'Daily summary 2026-01-05',
      text:
        '3 fills, volume 390 USDT, fees 0.39 USDT, realised PnL -10 USDT; ' +
        '3 denials (max_leverage x2, price_band x1); 1 halts; 0 liquidations',
    });
    expect(summary?.fields.realisedPnl).toBe('-10 USDT');
    expect(dispatcher.nextWakeAt()).toBeLessThanOrEqual(DAY0 + 21 * HOUR_MS + DAY_MS);

    dispatcher.acknowledge('notification-h1', 'ops');
    clock.advanceTo((DAY0 + 21 * HOUR_MS + DAY_MS) as UnixMs);
    await dispatcher.flush();
    expect(channel.sent.at(-1)?.text).toBe('0 fills, volume 0, fees 0, realised PnL 0; 0 denials (none); 0 halts; 0 liquidations');
  });
});

describe('Dispatcher bookkeeping', () => {
  it('counts an event that arrives after the summary time in the new day', async () => {
    const { clock, channel, dispatcher, books } = setup({ dailySummaryAtMs: 0 });
    dispatcher.onEvent(sampleFill('f1', DAY0, 'buy', '1', '100', '0.1'));
    clock.advanceTo((DAY0 + DAY_MS + 5) as UnixMs);
    books.realise('BINANCE:BTC/USDT', '20');
    dispatcher.onEvent(sampleFill('f2', DAY0 + DAY_MS + 5, 'sell', '1', '120', '0.12'));
    await dispatcher.flush();
    const summary = channel.sent.find((n) => n.kind === 'summary');
    expect(summary?.fields.fills).toBe('1');
    expect(summary?.fields.volume).toBe('100 USDT');
    clock.advanceTo((DAY0 + 2 * DAY_MS) as UnixMs);
    await dispatcher.flush();
    const next = channel.sent.filter((n) => n.kind === 'summary')[1];
    expect(next?.title).toBe('Daily summary 2026-01-06');
    expect(next?.fields.realisedPnl).toBe('20 USDT');
  });

  it('hands outcomes over once with takeOutcomes', async () => {
    const { dispatcher } = setup();
    dispatcher.onEvent(sampleFill('f1', DAY0, 'buy', '1', '100', '0.1'));
    await dispatcher.flush();
    expect(dispatcher.takeOutcomes().map((o) => o.kind)).toEqual(['sent']);
    expect(dispatcher.takeOutcomes()).toEqual([]);
  });

  it('keeps only the latest outcomes for a caller that never takes them', async () => {
    const { clock, dispatcher } = setup({ rateLimit: { capacity: 100_000, refillIntervalMs: 1, maxQueue: 100_000 } });
    for (let i = 0; i < 12_000; i++) {
      dispatcher.onEvent(sampleFill(`f${i}`, clock.now(), 'buy', '1', '100', '0.1'));
      await dispatcher.flush();
      clock.advanceBy(1);
    }
    const outcomes = dispatcher.outcomes();
    // At the limit of 10,000 the older half goes, so 12,000 sends leave the latest 7,000.
    expect(outcomes).toHaveLength(7_000);
    expect(outcomes.at(-1)).toMatchObject({ kind: 'sent', notificationId: 'notification-f11999' });
    expect(outcomes[0]).toMatchObject({ kind: 'sent', notificationId: 'notification-f5000' });
  });

  it('still reminds of a critical alert raised after thousands of warnings, and of nothing once acknowledged', async () => {
    const { clock, channel, dispatcher } = setup({
      alertResendMs: 15 * 60_000,
      dedupWindowMs: 1,
      rateLimit: { capacity: 100_000, refillIntervalMs: 1, maxQueue: 100_000 },
    });
    for (let i = 0; i < 3_000; i++) {
      dispatcher.onEvent(sampleDenial(`d${i}`, clock.now(), 'max_leverage'));
      clock.advanceBy(1);
    }
    dispatcher.onEvent(sampleStateChange('h1', clock.now(), 'ACTIVE', 'HALTED'));
    const raisedAt = clock.now();
    expect(dispatcher.openAlerts()).toHaveLength(3_001);
    await dispatcher.flush();
    clock.advanceTo((raisedAt + 15 * 60_000) as UnixMs);
    await dispatcher.flush();
    expect(channel.sent.filter((n) => n.kind === 'reminder').map((n) => n.id)).toEqual(['notification-h1-reminder-1']);
    dispatcher.acknowledge('notification-h1', 'alice');
    expect(dispatcher.nextWakeAt()).toBeUndefined();
  });

  it('refuses two channels with one name', () => {
    const clock = new TestClock(DAY0);
    expect(
      () => new Dispatcher({ books: new ScriptedBooks(), clock, random: new SeededRandom(1), channels: [new ScriptedChannel('x'), new ScriptedChannel('x')] }),
    ).toThrow(FixRequestError);
  });
});
