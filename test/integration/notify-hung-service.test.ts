import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebhookChannel } from '../../src/adapters/notify/webhook-channel.js';
import { TestClock } from '../../src/core/clock.js';
import { SeededRandom } from '../../src/core/random.js';
import type { UnixMs } from '../../src/core/time.js';
import { Dispatcher } from '../../src/notify/dispatcher.js';
import { drainNotifications } from '../../src/notify/drain.js';
import { sampleFill } from '../support/notify-sample-events.js';
import { RecordingChannel } from '../support/recording-channel.js';
import { ScriptedBooks } from '../support/scripted-books.js';

const T0 = Date.UTC(2026, 2, 3, 9, 30) as UnixMs;

/** A service that takes requests and never answers them; it tells when one arrives and when its client hangs up. */
let server: Server;
let url: string;
let requests: IncomingMessage[];
let arrived: Promise<void>;
let hungUp: Promise<void>;

beforeEach(async () => {
  requests = [];
  let onArrival = (): void => undefined;
  let onHangUp = (): void => undefined;
  arrived = new Promise((resolve) => (onArrival = resolve));
  hungUp = new Promise((resolve) => (onHangUp = resolve));
  server = createServer((request) => {
    requests.push(request);
    request.socket.once('close', onHangUp);
    onArrival();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Eight fills, each followed by the flush the run does when something is due. */
function deskWithHungWebhook(): { dispatcher: Dispatcher; clock: TestClock; file: RecordingChannel } {
  const clock = new TestClock(T0);
  const file = Object.assign(new RecordingChannel('file'), { local: true });
  // The service's own timeout is far longer than the test may take: only our abort can end the request.
  const dispatcher = new Dispatcher({ books: new ScriptedBooks(), clock, random: new SeededRandom(3), channels: [new WebhookChannel({ url, name: 'hook', timeoutMs: 600_000 }), file] });
  for (let i = 0; i < 8; i++) {
    dispatcher.onEvent(sampleFill(`f${i}`, T0, 'buy', String(i + 1), '100', '0.1'));
    if (dispatcher.due()) void dispatcher.flush();
  }
  return { dispatcher, clock, file };
}

const noWaiting = (): Promise<void> => Promise.reject(new Error('the drain should not wait for a wake-up'));

describe('the end of a run while a webhook never answers', () => {
  it('ends at the delivery deadline, cutting off the request in flight, with all eight still owed', async () => {
    const { dispatcher, clock, file } = deskWithHungWebhook();
    await arrived;
    const deadline = new AbortController();
    const drained = drainNotifications(dispatcher, { clock, deadlineMs: 60_000, timeout: () => deadline.signal, sleep: noWaiting });
    deadline.abort();
    expect(await drained).toBe(8);
    await hungUp;
    expect(requests).toHaveLength(1);
    expect(file.sent).toHaveLength(8);
    expect(dispatcher.pending()).toEqual([
      { channel: 'file', count: 0 },
      { channel: 'hook', count: 8 },
    ]);
  });

  it('ends at once on Ctrl-C, cutting off the request in flight', async () => {
    const { dispatcher, clock } = deskWithHungWebhook();
    const stop = new AbortController();
    const never = new AbortController();
    const drained = drainNotifications(dispatcher, { clock, deadlineMs: 60_000, timeout: () => never.signal, sleep: noWaiting, stop: stop.signal });
    await arrived;
    stop.abort();
    expect(await drained).toBe(8);
    await hungUp;
    expect(requests).toHaveLength(1);
  });
});
