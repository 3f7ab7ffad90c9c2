import { describe, expect, it } from 'vitest';
import { TestClock } from '../core/clock.js';
import { RetryLaterError } from '../core/errors.js';
import { SeededRandom } from '../core/random.js';
import { DAY_MS, HOUR_MS, type UnixMs } from '../core/time.js';
import { Dispatcher } from './dispatcher.js';
import { sampleDenial, sampleFill } from '../../test/support/notify-sample-events.js';
import { RecordingChannel } from '../../test/support/recording-channel.js';
import { ScriptedBooks } from '../../test/support/scripted-books.js';

const DAY0 = Date.UTC(2026, 0, 5) as UnixMs;

describe('Dispatcher on two clocks', () => {
  it('dedups, limits and retries on the delivery clock while the desk races ahead, and summarises market days', async () => {
    const market = new TestClock(DAY0);
    const wall = new TestClock(DAY0);
    const channel = new RecordingChannel('hook');
    const dispatcher = new Dispatcher({ books: new ScriptedBooks(), clock: market, deliveryClock: wall, random: new SeededRandom(3), channels: [channel], dailySummaryAtMs: 0 });
    // A day of hourly bars replayed within one wall-clock second: the same denial every hour is one notification.
    for (let hour = 0; hour < 24; hour++) {
      market.advanceTo((DAY0 + hour * HOUR_MS) as UnixMs);
      dispatcher.onEvent(sampleDenial(`d${hour}`, market.now(), 'insufficient_funds'));
    }
    await dispatcher.flush();
    expect(channel.sent.map((n) => n.id)).toEqual(['notification-d0']);
    // The market day is over: its summary goes out although almost no wall time has passed.
    market.advanceTo((DAY0 + DAY_MS) as UnixMs);
    expect(dispatcher.due()).toBe(true);
    await dispatcher.flush();
    expect(channel.sent.map((n) => n.kind)).toEqual(['denial', 'summary']);
    // A failed send waits its backoff in wall time, however far the market moves.
    channel.failures.push(new RetryLaterError('down', 'down'));
    dispatcher.onEvent(sampleFill('f1', market.now(), 'buy', '1', '100', '0.1'));
    await dispatcher.flush();
    market.advanceTo((DAY0 + 30 * DAY_MS) as UnixMs);
    await dispatcher.flush();
    expect(channel.sent).toHaveLength(2);
    wall.advanceTo((DAY0 + 2_000) as UnixMs);
    await dispatcher.flush();
    expect(channel.sent.map((n) => n.id).slice(2)).toEqual(['notification-f1', 'summary-2026-01-06']);
  });

  it("queues only what a channel accepts, so a warning-only channel's warning is not lost behind fills", async () => {
    const clock = new TestClock(DAY0);
    const warnings = new RecordingChannel('warnings', 'warning');
    const dispatcher = new Dispatcher({ books: new ScriptedBooks(), clock, random: new SeededRandom(3), channels: [warnings] });
    for (let k = 0; k < 30; k++) dispatcher.onEvent(sampleFill(`f${k}`, DAY0, 'buy', '1', String(100 + k), '0.1'));
    dispatcher.onEvent(sampleDenial('d1', DAY0, 'insufficient_funds'));
    await dispatcher.flush();
    expect(warnings.sent.map((n) => n.id)).toEqual(['notification-d1']);
  });
});
