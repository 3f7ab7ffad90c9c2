import { describe, expect, it } from 'vitest';
import { TestClock } from '../core/clock.js';
import { ChannelRetryLaterError } from './channel.js';
import { SeededRandom } from '../core/random.js';
import type { UnixMs } from '../core/time.js';
import { Dispatcher } from './dispatcher.js';
import { drainNotifications } from './drain.js';
import { sampleFill, sampleStateChange } from '../../test/support/notify-sample-events.js';
import { HangingChannel, RecordingChannel } from '../../test/support/recording-channel.js';
import { ScriptedBooks } from '../../test/support/scripted-books.js';

const DAY0 = Date.UTC(2026, 0, 5) as UnixMs;
/** A deadline that only the clock enforces: nothing is ever in flight long in these tests. */
const never = (): AbortSignal => new AbortController().signal;

function burst(dispatcher: Dispatcher, count: number): void {
  for (let i = 0; i < count; i++) dispatcher.onEvent(sampleFill(`f${i}`, DAY0, 'buy', String(i + 1), '100', '0.1'));
}

describe('draining the channels at the end of a run', () => {
  it('waits out the rate limit until every queued notification is sent', async () => {
    const clock = new TestClock(DAY0);
    const hook = new RecordingChannel('hook');
    const dispatcher = new Dispatcher({ books: new ScriptedBooks(), clock, random: new SeededRandom(1), channels: [hook], rateLimit: { capacity: 5, refillIntervalMs: 1000, maxQueue: 50 } });
    burst(dispatcher, 21);
    await dispatcher.flush();
    expect(hook.sent).toHaveLength(5);
    const slept: number[] = [];
    const left = await drainNotifications(dispatcher, { clock, deadlineMs: 60_000, timeout: never, sleep: (ms) => (slept.push(ms), clock.advanceBy(ms), Promise.resolve()) });
    expect(left).toBe(0);
    expect(hook.sent).toHaveLength(21);
    // One token a second for the 16 left.
    expect(slept.reduce((a, b) => a + b, 0)).toBe(16_000);
  });

  it('gives up at the deadline, and is not held up by an alert reminder', async () => {
    const clock = new TestClock(DAY0);
    const slow = new RecordingChannel('slow');
    const dispatcher = new Dispatcher({ books: new ScriptedBooks(), clock, random: new SeededRandom(1), channels: [slow], retry: { maxAttempts: 10 } });
    slow.failures.push(new ChannelRetryLaterError('http_429', 'HTTP 429', 120_000));
    dispatcher.onEvent(sampleStateChange('h1', DAY0, 'ACTIVE', 'HALTED'));
    const left = await drainNotifications(dispatcher, { clock, deadlineMs: 60_000, timeout: never, sleep: (ms) => (clock.advanceBy(ms), Promise.resolve()) });
    expect(left).toBe(1);
    expect(clock.now()).toBe(DAY0);
    const quiet = new Dispatcher({ books: new ScriptedBooks(), clock, random: new SeededRandom(1), channels: [new RecordingChannel('ok')] });
    quiet.onEvent(sampleStateChange('h2', DAY0, 'ACTIVE', 'HALTED'));
    // Sent at once; the reminder due in 15 minutes is not waited for.
    expect(await drainNotifications(quiet, { clock, deadlineMs: 60_000, timeout: never, sleep: () => Promise.reject(new Error('should not wait')) })).toBe(0);
  });

  it('stops at once when asked to', async () => {
    const clock = new TestClock(DAY0);
    const hook = new RecordingChannel('hook');
    const dispatcher = new Dispatcher({ books: new ScriptedBooks(), clock, random: new SeededRandom(1), channels: [hook], rateLimit: { capacity: 5, refillIntervalMs: 1000, maxQueue: 50 } });
    burst(dispatcher, 21);
    const giveUp = new AbortController();
    // The person presses Ctrl-C during the first wait.
    const sleep = (ms: number): Promise<void> => (giveUp.abort(), clock.advanceBy(ms), Promise.resolve());
    expect(await drainNotifications(dispatcher, { clock, deadlineMs: 60_000, timeout: never, sleep, stop: giveUp.signal })).toBe(16);
    // Nothing more goes out once asked to stop, not even what the wait made due.
    expect(hook.sent).toHaveLength(5);
  });

  it('ends at the deadline while a service never answers, however many flushes the run started, cutting the request off', async () => {
    const clock = new TestClock(DAY0);
    const hook = new HangingChannel('hook');
    const dispatcher = new Dispatcher({ books: new ScriptedBooks(), clock, random: new SeededRandom(1), channels: [hook] });
    // As the run does: a flush after every event that finds something due.
    for (let i = 0; i < 8; i++) {
      dispatcher.onEvent(sampleFill(`f${i}`, DAY0, 'buy', String(i + 1), '100', '0.1'));
      if (dispatcher.due()) void dispatcher.flush();
    }
    // One request in flight, not eight queued behind each other.
    expect(hook.started.map((n) => n.id)).toEqual(['notification-f0']);
    const deadline = new AbortController();
    const timeouts: number[] = [];
    const timeout = (ms: number): AbortSignal => (timeouts.push(ms), deadline.signal);
    const drained = drainNotifications(dispatcher, { clock, deadlineMs: 60_000, timeout, sleep: () => Promise.reject(new Error('should not wait')) });
    // The deadline passes while the first request still waits for its answer.
    deadline.abort();
    expect(await drained).toBe(8);
    expect(timeouts).toEqual([60_000]);
    expect(hook.cutOff).toBe(1);
    expect(hook.started).toHaveLength(1);
    // Cut off by us, so neither an attempt that failed nor given up: all eight are still owed.
    expect(dispatcher.outcomes().filter((o) => o.kind !== 'deduplicated')).toEqual([]);
    expect(dispatcher.pending()).toEqual([{ channel: 'hook', count: 8 }]);
  });

  it('stops at once on Ctrl-C while a request hangs', async () => {
    const clock = new TestClock(DAY0);
    const hook = new HangingChannel('hook');
    const file = Object.assign(new RecordingChannel('file'), { local: true });
    const dispatcher = new Dispatcher({ books: new ScriptedBooks(), clock, random: new SeededRandom(1), channels: [hook, file] });
    dispatcher.onEvent(sampleStateChange('h1', DAY0, 'ACTIVE', 'HALTED'));
    const stop = new AbortController();
    const drained = drainNotifications(dispatcher, { clock, deadlineMs: 60_000, timeout: never, sleep: () => Promise.reject(new Error('should not wait')), stop: stop.signal });
    await hook.sendsStarted(1);
    stop.abort();
    expect(await drained).toBe(1);
    expect(hook.cutOff).toBe(1);
    expect(file.sent.map((n) => n.id)).toEqual(['notification-h1']);
  });

  it('never rate limits or collapses a local channel (console, file)', async () => {
    const clock = new TestClock(DAY0);
    const file = Object.assign(new RecordingChannel('file'), { local: true });
    const dispatcher = new Dispatcher({ books: new ScriptedBooks(), clock, random: new SeededRandom(1), channels: [file], rateLimit: { capacity: 5, refillIntervalMs: 1000, maxQueue: 10 } });
    burst(dispatcher, 30);
    await dispatcher.flush();
    expect(file.sent).toHaveLength(30);
    expect(file.sent.some((n) => n.kind === 'overflow')).toBe(false);
  });
});
