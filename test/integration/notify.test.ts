import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConsoleChannel } from '../../src/adapters/notify/console-channel.js';
import { DiscordChannel } from '../../src/adapters/notify/discord-channel.js';
import { JsonlFileChannel } from '../../src/adapters/notify/jsonl-file-channel.js';
import { SlackChannel } from '../../src/adapters/notify/slack-channel.js';
import { TelegramChannel } from '../../src/adapters/notify/telegram-channel.js';
import { WebhookChannel } from '../../src/adapters/notify/webhook-channel.js';
import { TestClock } from '../../src/core/clock.js';
import { FixRequestError, RetryLaterError } from '../../src/core/errors.js';
import { SeededRandom } from '../../src/core/random.js';
import type { UnixMs } from '../../src/core/time.js';
import { HOUR_MS } from '../../src/core/time.js';
import type { ChannelPort } from '../../src/notify/channel.js';
import { ChannelRetryLaterError } from '../../src/notify/channel.js';
import type { DispatcherOptions } from '../../src/notify/dispatcher.js';
import { Dispatcher } from '../../src/notify/dispatcher.js';
import type { Notification } from '../../src/notify/notification.js';
import { notificationFor } from '../../src/notify/notification.js';
import { sampleDenial, sampleFill, sampleStateChange } from '../support/notify-sample-events.js';
import { FakeChatServers } from '../fakes/fake-chat-servers.js';
import { ScriptedBooks } from '../support/scripted-books.js';

const TOKEN = '123456:SECRET-telegram-token';
const SLACK_SECRET = 'XXSlackSecretXX';
const DISCORD_SECRET = 'discord-webhook-secret-token';
const T0 = Date.UTC(2026, 2, 3, 9, 30) as UnixMs;

let fake: FakeChatServers;

beforeAll(async () => {
  fake = await FakeChatServers.start({ telegramToken: TOKEN });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.requests.length = 0;
});

const slack = (): SlackChannel => new SlackChannel({ webhookUrl: `${fake.url}/slack/services/T1/B2/${SLACK_SECRET}` });
const telegram = (token = TOKEN): TelegramChannel =>
  new TelegramChannel({ botToken: token, chatId: '-100200300', baseUrl: `${fake.url}/telegram` });
const discord = (): DiscordChannel => new DiscordChannel({ webhookUrl: `${fake.url}/discord/api/webhooks/42/${DISCORD_SECRET}` });
const hook = (): WebhookChannel =>
  new WebhookChannel({ url: `${fake.url}/hook/desk`, headers: { authorization: 'Bearer hook-secret' } });

function fillNotification(): Notification {
  const notification = notificationFor(sampleFill('f1', T0, 'buy', '0.5', '50000.1', '0.025'), new ScriptedBooks());
  if (notification === undefined) throw new Error('a fill has a notification');
  return notification;
}

function dispatcherWith(channels: ChannelPort[], options: Partial<DispatcherOptions> = {}) {
  const clock = new TestClock(T0);
  const books = new ScriptedBooks();
  return { clock, books, dispatcher: new Dispatcher({ books, clock, random: new SeededRandom(3), channels, ...options }) };
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
  }
  throw new Error('expected the send to fail');
}

describe('notification channels against fake chat services', () => {
  it("keeps Slack's blocks within Block Kit's limits, and the whole text at the top", async () => {
    const long = { ...fillNotification(), text: 'x'.repeat(3500), fields: { detail: 'y'.repeat(2500) } };
    await slack().send(long);
    const body = fake.requestsTo('slack').at(-1)?.body as { text: string; blocks: { text?: { text: string }; fields?: { text: string }[] }[] };
    expect(body.text.length).toBeGreaterThan(3500);
    expect(body.blocks[0]?.text?.text.length).toBe(3000);
    expect(body.blocks[0]?.text?.text.endsWith('x…')).toBe(true);
    expect(body.blocks[1]?.fields?.[0]?.text.length).toBe(2000);
  });

  it('posts Slack a text with Block Kit sections', async () => {
    await slack().send(fillNotification());
    const [request] = fake.requestsTo('slack');
    expect(request?.path).toBe(`/slack/services/T1/B2/${SLACK_SECRET}`);
    expect(request?.headers['content-type']).toBe('application/json');
    const headline =
      'ℹ️ *Fill: buy 0.5 BINANCE:BTC/USDT @ 50000.1*\n' +
      'Bought 0.5 BINANCE:BTC/USDT at 50000.1 (notional 25000.05, fee 0.025 USDT, taker), order co-f1';
    expect(request?.body).toEqual({
      text: headline,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: headline } },
        {
          type: 'section',
          fields: [
            { type: 'mrkdwn', text: '*instrument*\nBINANCE:BTC/USDT' },
            { type: 'mrkdwn', text: '*side*\nbuy' },
            { type: 'mrkdwn', text: '*quantity*\n0.5' },
            { type: 'mrkdwn', text: '*price*\n50000.1' },
            { type: 'mrkdwn', text: '*notional*\n25000.05' },
            { type: 'mrkdwn', text: '*fee*\n0.025' },
            { type: 'mrkdwn', text: '*feeCurrency*\nUSDT' },
            { type: 'mrkdwn', text: '*liquidity*\ntaker' },
            { type: 'mrkdwn', text: '*clientOrderId*\nco-f1' },
            { type: 'mrkdwn', text: '*tradeId*\ntrade-f1' },
          ],
        },
      ],
    });
  });

  it('calls Telegram sendMessage with chat_id, HTML text and parse_mode', async () => {
    const halt = notificationFor(sampleStateChange('h1', T0, 'ACTIVE', 'HALTED'), new ScriptedBooks());
    if (halt === undefined) throw new Error('a halt has a notification');
    await telegram().send({ ...halt, text: `${halt.text} <drawdown & loss>` });
    const [request] = fake.requestsTo('telegram');
    expect(request?.path).toBe(`/telegram/bot${TOKEN}/sendMessage`);
    expect(request?.body).toEqual({
      chat_id: '-100200300',
      text:
        '🚨 <b>Trading HALTED (daily-loss)</b>\n' +
        'Trading state changed from ACTIVE to HALTED by daily-loss: daily loss 5.2% reached the 5% limit &lt;drawdown &amp; loss&gt;',
      parse_mode: 'HTML',
      disable_web_page_preview: true,
    });
  });

  it('executes the Discord webhook with content and an embed, pinging no one', async () => {
    await discord().send(fillNotification());
    const [request] = fake.requestsTo('discord');
    expect(request?.path).toBe(`/discord/api/webhooks/42/${DISCORD_SECRET}`);
    const body = request?.body as { content: string; allowed_mentions: unknown; embeds: Record<string, unknown>[] };
    expect(body.content).toBe('ℹ️ **Fill: buy 0.5 BINANCE:BTC/USDT @ 50000.1**');
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.embeds).toHaveLength(1);
    expect(body.embeds[0]).toMatchObject({
      title: 'Fill: buy 0.5 BINANCE:BTC/USDT @ 50000.1',
      description: 'Bought 0.5 BINANCE:BTC/USDT at 50000.1 (notional 25000.05, fee 0.025 USDT, taker), order co-f1',
      color: 0x3498db,
      timestamp: '2026-03-03T09:30:00.000Z',
    });
    expect((body.embeds[0]?.fields as unknown[])[0]).toEqual({ name: 'instrument', value: 'BINANCE:BTC/USDT', inline: true });
  });

  it('posts the generic webhook the notification as JSON with its headers', async () => {
    await hook().send(fillNotification());
    const [request] = fake.requestsTo('hook');
    expect(request?.headers.authorization).toBe('Bearer hook-secret');
    expect(request?.body).toMatchObject({
      id: 'notification-f1',
      ts: T0,
      time: '2026-03-03T09:30:00.000Z',
      severity: 'info',
      kind: 'fill',
      dedupKey: 'fill:BINANCE:BTC/USDT:trade-f1',
      causationId: 'order-f1',
      fields: { quantity: '0.5', price: '50000.1', fee: '0.025' },
    });
  });

  it.each([
    ['slack', 3, 3_000],
    ['telegram', 5, 5_000],
    ['discord', 1.5, 1_500],
    ['hook', 2, 2_000],
  ] as const)('reads %s retry-after (%s s) from its 429 and retries then', async (service, seconds, waitMs) => {
    const channel = { slack, telegram, discord, hook }[service]();
    fake.fail(service, { status: 429, retryAfterSeconds: seconds });
    const error = await rejection(channel.send(fillNotification()));
    expect(error).toBeInstanceOf(ChannelRetryLaterError);
    expect((error as ChannelRetryLaterError).retryAfterMs).toBe(waitMs);

    fake.fail(service, { status: 429, retryAfterSeconds: seconds });
    const { clock, dispatcher } = dispatcherWith([channel]);
    dispatcher.notify(fillNotification());
    await dispatcher.flush();
    expect(dispatcher.nextWakeAt()).toBe(T0 + waitMs);
    clock.advanceBy(waitMs - 1);
    await dispatcher.flush();
    expect(fake.requestsTo(service)).toHaveLength(2);
    clock.advanceBy(1);
    await dispatcher.flush();
    expect(fake.requestsTo(service)).toHaveLength(3);
    expect(dispatcher.outcomes().map((o) => o.kind)).toEqual(['retried', 'sent']);
  });

  it.each(['slack', 'telegram', 'discord', 'hook'] as const)('gives up on a 400 from %s, naming channel and status', async (service) => {
    const channel = { slack, telegram, discord, hook }[service]();
    fake.fail(service, { status: 400 });
    const { clock, dispatcher } = dispatcherWith([channel]);
    dispatcher.notify(fillNotification());
    await dispatcher.flush();
    const [outcome] = dispatcher.outcomes();
    expect(outcome?.kind).toBe('gave-up');
    expect(outcome?.detail).toContain(`notify_rejected: ${channel.name}: HTTP 400`);
    clock.advanceBy(HOUR_MS);
    await dispatcher.flush();
    expect(fake.requestsTo(service)).toHaveLength(1);
  });

  it('retries a 500 with backoff', async () => {
    fake.fail('slack', { status: 500 });
    const { clock, dispatcher } = dispatcherWith([slack()], { retry: { baseDelayMs: 2_000, jitter: 0 } });
    dispatcher.notify(fillNotification());
    await dispatcher.flush();
    expect(dispatcher.nextWakeAt()).toBe(T0 + 2_000);
    clock.advanceBy(2_000);
    await dispatcher.flush();
    expect(dispatcher.outcomes().map((o) => o.kind)).toEqual(['retried', 'sent']);
  });

  it('never puts tokens or webhook URLs into errors', async () => {
    const wrongToken = '999:WRONG-secret-token';
    const unauthorised = await rejection(telegram(wrongToken).send(fillNotification()));
    expect(unauthorised).toBeInstanceOf(FixRequestError);
    expect(unauthorised.message).toBe('telegram: HTTP 401: {"ok":false,"error_code":401,"description":"Unauthorized"}');

    fake.fail('slack', { status: 400 });
    const badSlack = await rejection(slack().send(fillNotification()));
    expect(badSlack.message).toBe('slack: HTTP 400: invalid_blocks');

    const closed = await FakeChatServers.start({ telegramToken: TOKEN });
    const deadUrl = closed.url;
    await closed.close();
    const unreachable = [
      new TelegramChannel({ botToken: TOKEN, chatId: '1', baseUrl: `${deadUrl}/telegram` }),
      new SlackChannel({ webhookUrl: `${deadUrl}/slack/services/T1/B2/${SLACK_SECRET}` }),
      new DiscordChannel({ webhookUrl: `${deadUrl}/discord/api/webhooks/42/${DISCORD_SECRET}` }),
    ];
    for (const channel of unreachable) {
      const error = await rejection(channel.send(fillNotification()));
      expect(error).toBeInstanceOf(RetryLaterError);
      expect(error.message).toContain(`${channel.name}: could not reach the service`);
      const everything = `${error.message} ${String(error.cause)} ${error.stack ?? ''}`;
      for (const secret of [TOKEN, SLACK_SECRET, DISCORD_SECRET]) expect(everything).not.toContain(secret);
    }
  });

  it('sends a repeated denial once within the dedup window', async () => {
    const { dispatcher } = dispatcherWith([slack()], { dedupWindowMs: 60_000 });
    dispatcher.onEvent(sampleDenial('d1', T0, 'max_leverage'));
    dispatcher.onEvent(sampleDenial('d2', T0, 'max_leverage'));
    dispatcher.onEvent(sampleDenial('d3', T0, 'price_band'));
    await dispatcher.flush();
    const texts = fake.requestsTo('slack').map((r) => (r.body as { text: string }).text);
    expect(texts).toEqual([
      '⚠️ *Denied: max_leverage on BINANCE:BTC/USDT*\nRisk denied intent intent-d1 from momentum on BINANCE:BTC/USDT: max_leverage (order notional 12000 exceeds 10000)',
      '⚠️ *Denied: price_band on BINANCE:BTC/USDT*\nRisk denied intent intent-d3 from momentum on BINANCE:BTC/USDT: price_band (order notional 12000 exceeds 10000)',
    ]);
  });

  it('collapses a burst into one "N more notifications" message on Telegram', async () => {
    const { clock, dispatcher } = dispatcherWith([telegram()], {
      rateLimit: { capacity: 1, refillIntervalMs: 3_000, maxQueue: 2 },
    });
    for (let i = 1; i <= 12; i += 1) dispatcher.onEvent(sampleFill(`f${i}`, T0, 'sell', '0.01', '60000', '0.6'));
    await dispatcher.flush();
    for (let i = 0; i < 2; i += 1) {
      clock.advanceBy(3_000);
      await dispatcher.flush();
    }
    const texts = fake.requestsTo('telegram').map((r) => (r.body as { text: string }).text.split('\n')[0]);
    expect(texts).toEqual([
      'ℹ️ <b>Fill: sell 0.01 BINANCE:BTC/USDT @ 60000</b>',
      'ℹ️ <b>Fill: sell 0.01 BINANCE:BTC/USDT @ 60000</b>',
      'ℹ️ <b>10 more notifications</b>',
    ]);
    expect(dispatcher.nextWakeAt()).toBeUndefined();
  });

  it('sends the daily summary with fills, volume, fees, PnL, denials and halts', async () => {
    const { clock, dispatcher, books } = dispatcherWith([discord()], { dailySummaryAtMs: 0 });
    dispatcher.onEvent(sampleFill('f1', T0, 'buy', '0.1', '60000', '6'));
    books.realise('BINANCE:BTC/USDT', '100');
    dispatcher.onEvent(sampleFill('f2', T0 + 1, 'sell', '0.1', '61000', '6.1'));
    dispatcher.onEvent(sampleDenial('d1', T0 + 2, 'daily_loss_limit'));
    dispatcher.onEvent(sampleStateChange('h1', T0 + 3, 'ACTIVE', 'HALTED'));
    await dispatcher.flush();
    dispatcher.acknowledge('notification-h1', 'ops');
    fake.requests.length = 0;
    clock.advanceTo(Date.UTC(2026, 2, 4) as UnixMs);
    await dispatcher.flush();
    const [request] = fake.requestsTo('discord');
    const body = request?.body as { content: string; embeds: { description: string }[] };
    expect(body.content).toBe('ℹ️ **Daily summary 2026-03-03**');
    expect(body.embeds[0]?.description).toBe(
      '2 fills, volume 12100 USDT, fees 12.1 USDT, realised PnL 100 USDT; 1 denials (daily_loss_limit x1); 1 halts; 0 liquidations',
    );
  });

  it('re-sends an unacknowledged halt until it is acknowledged', async () => {
    const { clock, dispatcher } = dispatcherWith([slack(), telegram()], { alertResendMs: 10 * 60_000 });
    dispatcher.onEvent(sampleStateChange('h1', T0, 'ACTIVE', 'HALTED'));
    await dispatcher.flush();
    clock.advanceBy(10 * 60_000);
    await dispatcher.flush();
    expect(fake.requestsTo('slack').map((r) => (r.body as { text: string }).text.split('\n')[0])).toEqual([
      '🚨 *Trading HALTED (daily-loss)*',
      '🚨 *Unacknowledged: Trading HALTED (daily-loss)*',
    ]);
    expect(fake.requestsTo('telegram')).toHaveLength(2);
    dispatcher.acknowledge('notification-h1', 'carol');
    expect(dispatcher.alert('notification-h1')).toMatchObject({ acknowledgedBy: 'carol', acknowledgedAt: T0 + 10 * 60_000 });
    clock.advanceBy(HOUR_MS);
    await dispatcher.flush();
    expect(fake.requests).toHaveLength(4);
  });
});

describe('local channels', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'conclave-notify-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('appends one JSON line per notification to the file', async () => {
    const path = join(dir, 'notifications.jsonl');
    const { dispatcher } = dispatcherWith([new JsonlFileChannel(path)]);
    dispatcher.onEvent(sampleFill('f1', T0, 'buy', '0.5', '50000.1', '0.025'));
    dispatcher.onEvent(sampleDenial('d1', T0, 'max_leverage'));
    await dispatcher.flush();
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(JSON.parse(lines[0] ?? '')).toEqual({
      id: 'notification-f1',
      ts: T0,
      time: '2026-03-03T09:30:00.000Z',
      severity: 'info',
      kind: 'fill',
      title: 'Fill: buy 0.5 BINANCE:BTC/USDT @ 50000.1',
      text: 'Bought 0.5 BINANCE:BTC/USDT at 50000.1 (notional 25000.05, fee 0.025 USDT, taker), order co-f1',
      fields: {
        instrument: 'BINANCE:BTC/USDT',
        side: 'buy',
        quantity: '0.5',
        price: '50000.1',
        notional: '25000.05',
        fee: '0.025',
        feeCurrency: 'USDT',
        liquidity: 'taker',
        clientOrderId: 'co-f1',
        tradeId: 'trade-f1',
      },
      dedupKey: 'fill:BINANCE:BTC/USDT:trade-f1',
      causationId: 'order-f1',
    });
    expect(JSON.parse(lines[1] ?? '')).toMatchObject({ id: 'notification-d1', severity: 'warning', kind: 'denial' });
  });

  it('gives up on a file in a missing directory', async () => {
    const channel = new JsonlFileChannel(join(dir, 'missing', 'n.jsonl'));
    const error = await rejection(channel.send(fillNotification()));
    expect(error).toBeInstanceOf(FixRequestError);
    expect(error.message).toContain('(ENOENT)');
  });

  it('writes one readable line per notification to the console stream', async () => {
    const lines: string[] = [];
    await new ConsoleChannel({ write: (chunk: string) => lines.push(chunk) }).send(fillNotification());
    expect(lines).toEqual([
      '2026-03-03T09:30:00.000Z INFO fill Fill: buy 0.5 BINANCE:BTC/USDT @ 50000.1: ' +
        'Bought 0.5 BINANCE:BTC/USDT at 50000.1 (notional 25000.05, fee 0.025 USDT, taker), order co-f1\n',
    ]);
  });
});
