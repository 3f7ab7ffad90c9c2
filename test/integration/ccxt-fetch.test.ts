/**
 * Real ccxt (binance) against a local fake Binance over HTTP: pagination, `until`, rate-limit and failure
 * handling, and the error mapping. Retry sleeps are recorded, not slept; ccxt's throttle is set to 1 ms except
 * in the test that checks it.
 */
import { readFile, stat } from 'node:fs/promises';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ccxt from 'ccxt';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fetchToFile } from '../../src/adapters/ccxt/fetch-command.js';
import { fetchOhlcv, fetchOhlcvDetailed, type OhlcvFetchOptions, type OhlcvFetchProgress } from '../../src/adapters/ccxt/ohlcv-fetcher.js';
import type { RetryNotice } from '../../src/adapters/ccxt/retry.js';
import { TestClock } from '../../src/core/clock.js';
import { ConclaveError, FixRequestError, RetryLaterError } from '../../src/core/errors.js';
import { HOUR_MS, unixMs } from '../../src/core/time.js';
import type { BarSeries } from '../../src/data/bar-series.js';
import { generateMarket } from '../../src/data/synthetic/index.js';
import { FakeBinance, type FakeBinanceOptions } from '../fakes/fake-binance.js';

const START = Date.UTC(2024, 0, 1);
const BARS = 2_500;
const END = START + BARS * HOUR_MS;
const KLINES = '/api/v3/klines';

const market = generateMarket({
  seed: 2024,
  start: START,
  timeframeMs: HOUR_MS,
  bars: BARS,
  instruments: [
    { symbol: 'BTC/USDT', startPrice: 42_000 },
    { symbol: 'ETH/USDT', startPrice: 2_300, annualVol: 0.75 },
    { symbol: 'BTC/USDT:USDT', startPrice: 42_000, tickSize: 0.1 },
  ],
  // The perpetual trades on BTC/USDT's price path.
  correlation: [
    [1, 0.8, 1],
    [0.8, 1, 0.8],
    [1, 0.8, 1],
  ],
});
const BTC = market.instruments[0]!.bars;
const PERP = market.instruments[2]!.bars;
const FAKE_MARKETS: FakeBinanceOptions['markets'] = [
  { symbol: 'BTC/USDT', series: BTC },
  { symbol: 'ETH/USDT', series: market.instruments[1]!.bars },
  { symbol: 'BTC/USDT:USDT', series: PERP, tickSize: '0.1', stepSize: '0.001' },
];

const directory = mkdtempSync(join(tmpdir(), 'ccxt-fetch-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

let fake: FakeBinance;
let sleeps: number[];
let notices: RetryNotice[];

async function startFake(options: Partial<FakeBinanceOptions> = {}): Promise<void> {
  await fake.close();
  fake = await FakeBinance.start({ markets: FAKE_MARKETS, ...options });
}

beforeEach(async () => {
  fake = await FakeBinance.start({ markets: FAKE_MARKETS });
  sleeps = [];
  notices = [];
});
afterEach(async () => {
  await fake.close();
});

/** Options for a fetch against the fake with "now" a year after the data, fast throttle, recorded sleeps. */
function request(overrides: Partial<OhlcvFetchOptions> = {}): OhlcvFetchOptions {
  return {
    exchange: 'binance',
    symbol: 'BTC/USDT',
    timeframe: '1h',
    since: START,
    until: END,
    baseUrl: fake.url,
    clock: new TestClock(unixMs(Date.UTC(2025, 0, 1))),
    rateLimitMs: 1,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    onRetry: (notice) => notices.push(notice),
    ...overrides,
  };
}

function expectSameBars(got: BarSeries, want: BarSeries, from = 0, to = want.length): void {
  expect(got.length).toBe(to - from);
  for (const column of ['ts', 'open', 'high', 'low', 'close', 'volume'] as const) {
    expect(Array.from(got[column])).toEqual(Array.from(want[column].subarray(from, to)));
  }
}

async function failure(promise: Promise<unknown>): Promise<ConclaveError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ConclaveError) return error;
    throw error;
  }
  throw new Error('expected the fetch to fail');
}

describe('fetching OHLCV with ccxt from a fake Binance', () => {
  it('fetches 2,500 hourly bars in three pages of 1,000, exactly as served', async () => {
    const progress: OhlcvFetchProgress[] = [];
    const series = await fetchOhlcv(request({ limit: 1_000, onProgress: (update) => progress.push(update) }));

    expectSameBars(series, BTC);
    expect(series.instrumentId).toBe('BINANCE:BTC/USDT');
    expect(series.timeframeMs).toBe(HOUR_MS);
    const klines = fake.klineRequests();
    expect(klines.map((logged) => logged.query)).toEqual([
      { symbol: 'BTCUSDT', interval: '1h', startTime: String(START), limit: '1000' },
      { symbol: 'BTCUSDT', interval: '1h', startTime: String(START + 1_000 * HOUR_MS), limit: '1000' },
      { symbol: 'BTCUSDT', interval: '1h', startTime: String(START + 2_000 * HOUR_MS), limit: '500' },
    ]);
    // Markets are loaded once, for the spot type only.
    expect(fake.requests.map((logged) => logged.path)).toEqual(['/api/v3/exchangeInfo', KLINES, KLINES, KLINES]);
    expect(progress.map((update) => [update.bars, update.pages, update.lastTs])).toEqual([
      [1_000, 1, START + 999 * HOUR_MS],
      [2_000, 2, START + 1_999 * HOUR_MS],
      [2_500, 3, START + 2_499 * HOUR_MS],
    ]);
  });

  it('uses the exchange maximum page size when no limit is given, and stops on the empty page past the data', async () => {
    const result = await fetchOhlcvDetailed(request({ until: undefined }));
    expectSameBars(result.series, BTC);
    expect(fake.klineRequests().map((logged) => logged.query['limit'])).toEqual(['1000', '1000', '1000', '1000']);
    expect(fake.klineRequests()[3]!.query['startTime']).toBe(String(END));
    expect(result.stopReason).toBe('empty-page');
  });

  it('respects until: bars opening before it, and no more is asked for than that', async () => {
    const series = await fetchOhlcv(request({ since: START + 100 * HOUR_MS, until: START + 350 * HOUR_MS }));
    expectSameBars(series, BTC, 100, 350);
    expect(fake.klineRequests().map((logged) => [logged.query['startTime'], logged.query['limit']])).toEqual([
      [String(START + 100 * HOUR_MS), '250'],
    ]);
  });

  it('returns only closed bars: the bar still trading at "now" is left out', async () => {
    const now = START + 1_000 * HOUR_MS + 30 * 60_000;
    const result = await fetchOhlcvDetailed(request({ until: undefined, clock: new TestClock(unixMs(now)) }));
    expectSameBars(result.series, BTC, 0, 1_000);
    expect(result.stopReason).toBe('reached-open-bar');
  });

  it('keeps paging when the exchange serves fewer bars than asked', async () => {
    fake.maxPageSize = 700;
    const series = await fetchOhlcv(request({ limit: 1_000 }));
    expectSameBars(series, BTC);
    expect(fake.klineRequests().map((logged) => logged.query['startTime'])).toEqual(
      [0, 700, 1_400, 2_100].map((bar) => String(START + bar * HOUR_MS)),
    );
  });

  it('fails loudly instead of paging forever when pages are tiny', async () => {
    fake.maxPageSize = 10;
    const error = await failure(fetchOhlcv(request({ limit: 1_000 })));
    expect(error).toBeInstanceOf(FixRequestError);
    expect(error.code).toBe('pagination_runaway');
    // 2,500 bars at 1,000 a page; the bound tolerates pages down to 100 bars: 27 requests.
    expect(fake.klineRequests()).toHaveLength(27);
  });

  it('stops when an exchange ignores startTime and repeats its first page', async () => {
    await startFake({ ignoreStartTime: true });
    const result = await fetchOhlcvDetailed(request({ baseUrl: fake.url }));
    expectSameBars(result.series, BTC, 0, 1_000);
    expect(fake.klineRequests()).toHaveLength(2);
    expect(result.stopReason).toBe('empty-page');
  });

  it('fetches a perpetual from the futures API, loading only futures markets', async () => {
    const series = await fetchOhlcv(request({ symbol: 'BTC/USDT:USDT' }));
    expectSameBars(series, PERP);
    expect(series.instrumentId).toBe('BINANCE:BTC/USDT:USDT');
    const paths = fake.requests.map((logged) => logged.path);
    expect(paths[0]).toBe('/fapi/v1/exchangeInfo');
    // ccxt knows Binance futures pages hold 500 by default here.
    expect(paths.slice(1)).toEqual(Array.from({ length: 5 }, () => '/fapi/v1/klines'));
  });

  it("works with ccxt's default market loading too (spot, USDⓈ-M and COIN-M exchangeInfo)", async () => {
    const series = await fetchOhlcv(request({ ccxtConfig: { options: { fetchMarkets: { types: ['spot', 'linear', 'inverse'] } } } }));
    expectSameBars(series, BTC);
    const infos = fake.requests.filter((logged) => logged.path.endsWith('/exchangeInfo')).map((logged) => logged.path);
    expect(infos.sort()).toEqual(['/api/v3/exchangeInfo', '/dapi/v1/exchangeInfo', '/fapi/v1/exchangeInfo']);
  });

  it("spaces requests by ccxt's own rate limiter", async () => {
    // Binance's rateLimit is 50 ms and exchangeInfo costs 4 units: the first klines request waits about 200 ms.
    await fetchOhlcv(request({ rateLimitMs: undefined, until: START + 10 * HOUR_MS }));
    const [info, klines] = fake.requests;
    expect(info!.path).toBe('/api/v3/exchangeInfo');
    expect(Number(klines!.receivedNs - info!.receivedNs) / 1e6).toBeGreaterThan(150);
  });
});

describe('retrying what may succeed later', () => {
  it('retries a 429 twice, waiting as long as Retry-After asks, then succeeds', async () => {
    fake.failNext(KLINES, { kind: 'status', status: 429, retryAfterSeconds: 3 }, 2);
    const series = await fetchOhlcv(request({ limit: 1_000 }));
    expectSameBars(series, BTC);
    expect(fake.klineRequests().map((logged) => logged.outcome)).toEqual([429, 429, 200, 200, 200]);
    // Backoff alone would wait 1 s then 2 s; the exchange asked for 3 s.
    expect(sleeps).toEqual([3_000, 3_000]);
    expect(notices.map((notice) => [notice.attempt, notice.error.code])).toEqual([
      [1, 'rate_limited'],
      [2, 'rate_limited'],
    ]);
  });

  it('gives up at once on a 418 ban longer than it is willing to wait', async () => {
    fake.failNext(KLINES, { kind: 'status', status: 418, retryAfterSeconds: 7_200 });
    const error = await failure(fetchOhlcv(request()));
    expect(error).toBeInstanceOf(RetryLaterError);
    expect(error.code).toBe('rate_limited');
    expect(error.message).toContain('asks us to wait 7200s');
    expect(error.cause).toBeInstanceOf(ccxt.DDoSProtection);
    expect(sleeps).toEqual([]);
  });

  it('fails with RetryLaterError after N attempts of a persistent 500, backing off exponentially', async () => {
    fake.failNext(KLINES, { kind: 'status', status: 500 }, Number.POSITIVE_INFINITY);
    const error = await failure(fetchOhlcv(request({ maxAttempts: 4 })));
    expect(error).toBeInstanceOf(RetryLaterError);
    expect(error.code).toBe('exchange_failed');
    expect(error.message).toContain('binance BTC/USDT 1h (bars from 2024-01-01T00:00:00.000Z)');
    expect(error.message).toContain('gave up after 4 attempts');
    expect(error.cause).toBeInstanceOf(ccxt.OperationFailed);
    expect(fake.klineRequests()).toHaveLength(4);
    expect(sleeps).toEqual([1_000, 2_000, 4_000]);
  });

  it('retries a 503, a dropped connection and a timeout', async () => {
    fake.failNext(KLINES, { kind: 'status', status: 503, body: 'Service Unavailable' });
    fake.failNext(KLINES, { kind: 'reset' });
    fake.failNext(KLINES, { kind: 'hang' });
    const series = await fetchOhlcv(request({ timeoutMs: 300, maxAttempts: 4, initialBackoffMs: 10 }));
    expectSameBars(series, BTC);
    expect(notices.map((notice) => notice.error.code)).toEqual(['exchange_unavailable', 'network_error', 'timeout']);
    expect(sleeps).toEqual([10, 20, 40]);
  });

  it('retries loading markets, asking ccxt to reload after a failed load', async () => {
    fake.failNext('/api/v3/exchangeInfo', { kind: 'status', status: 502, body: 'Bad Gateway' });
    const series = await fetchOhlcv(request());
    expectSameBars(series, BTC);
    expect(fake.requests.filter((logged) => logged.path === '/api/v3/exchangeInfo').map((logged) => logged.outcome)).toEqual([502, 200]);
  });
});

describe('refusing what has to be fixed', () => {
  it('names an unknown symbol, suggesting ones the exchange has, without fetching bars', async () => {
    const error = await failure(fetchOhlcv(request({ symbol: 'DOGE/USDT' })));
    expect(error).toBeInstanceOf(FixRequestError);
    expect(error.code).toBe('unknown_symbol');
    expect(error.message).toContain('binance has no market DOGE/USDT');

    const suggested = await failure(fetchOhlcv(request({ symbol: 'BTC/EUR' })));
    expect(suggested.message).toContain('it has BTC/USDT');
    expect(fake.klineRequests()).toHaveLength(0);
  });

  it('names a timeframe the exchange does not list, without fetching bars', async () => {
    const error = await failure(fetchOhlcv(request({ timeframe: '7m' })));
    expect(error).toBeInstanceOf(FixRequestError);
    expect(error.code).toBe('unsupported_timeframe');
    expect(error.message).toContain('binance BTC/USDT 7m: binance has no 7m candles; it has 1s, 1m');
    expect(fake.klineRequests()).toHaveLength(0);
  });

  it('maps the exchange refusing an interval (-1120) to FixRequestError, without retrying', async () => {
    const error = await failure(fetchOhlcv(request({ timeframe: '1s', until: START + 60_000 })));
    expect(error).toBeInstanceOf(FixRequestError);
    expect(error.code).toBe('bad_request');
    expect(error.message).toContain('binance BTC/USDT 1s');
    expect(error.cause).toBeInstanceOf(ccxt.BadRequest);
    expect(fake.klineRequests()).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('refuses an unknown exchange, an empty range and a symbol not in capitals before any request', async () => {
    expect((await failure(fetchOhlcv(request({ exchange: 'binanse' })))).code).toBe('unknown_exchange');
    expect((await failure(fetchOhlcv(request({ until: START })))).code).toBe('invalid_range');
    const lower = await failure(fetchOhlcv(request({ symbol: 'btc/usdt' })));
    expect([lower.code, lower.message]).toEqual(['invalid_symbol', 'binance btc/usdt 1h: the symbol "btc/usdt" is not BASE/QUOTE or BASE/QUOTE:SETTLE in capitals (did you mean BTC/USDT?)']);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('fetchToFile', () => {
  it('writes the canonical CSV and reports what it wrote', async () => {
    const out = join(directory, 'nested', 'btc-1h.csv');
    const result = await fetchToFile({
      exchange: 'binance',
      symbol: 'BTC/USDT',
      timeframe: '1h',
      since: '2024-01-01',
      until: '2024-02-01T00:00:00Z',
      out,
      baseUrl: fake.url,
      clock: new TestClock(unixMs(Date.UTC(2025, 0, 1))),
      rateLimitMs: 1,
    });
    expect(result).toEqual({ bars: 744, first: START, last: START + 743 * HOUR_MS, path: out, pages: 1, dropped: 0 });
    const lines = (await readFile(out, 'utf8')).trimEnd().split('\n');
    expect(lines[0]).toBe('timestamp,open,high,low,close,volume');
    expect(lines).toHaveLength(745);
    expect(lines[1]).toBe(`${START},${BTC.open[0]},${BTC.high[0]},${BTC.low[0]},${BTC.close[0]},${BTC.volume[0]}`);
    lines.slice(1).forEach((line, i) => {
      expect(line.split(',').map(Number)).toEqual([BTC.ts[i], BTC.open[i], BTC.high[i], BTC.low[i], BTC.close[i], BTC.volume[i]]);
    });
    await expect(stat(`${out}.partial`)).rejects.toThrow();
  });

  it('writes nothing and says so when the range holds no bars', async () => {
    const out = join(directory, 'empty.csv');
    const error = await failure(
      fetchToFile({ exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h', since: '2024-06-01', until: '2024-07-01', out, baseUrl: fake.url, rateLimitMs: 1 }),
    );
    expect(error.code).toBe('no_data');
    expect(error.message).toContain('no closed BTC/USDT 1h bars in 2024-06-01T00:00:00.000Z .. 2024-07-01T00:00:00.000Z');
    await expect(stat(out)).rejects.toThrow();
  });

  it('refuses a since it cannot read before contacting the exchange', async () => {
    const error = await failure(fetchToFile({ exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h', since: '01/01/2024', out: join(directory, 'x.csv') }));
    expect(error).toBeInstanceOf(FixRequestError);
    expect(error.message).toContain('--since "01/01/2024" is not a time');
    expect(fake.requests).toHaveLength(0);
  });
});
