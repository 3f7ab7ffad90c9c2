import type { Exchange } from 'ccxt';
import { WallClock, type Clock } from '../../core/clock.js';
import { FixRequestError } from '../../core/errors.js';
import { instrumentId, type InstrumentId } from '../../core/ids.js';
import type { BarSeries } from '../../data/bar-series.js';
import { OhlcvPager, type Candle, type StopReason } from '../../data/ccxt/ohlcv-pager.js';
import { parseCcxtTimeframe } from '../../data/ccxt/timeframe.js';
import { fromCcxtError } from './ccxt-errors.js';
import { createExchange, type ExchangeSettings } from './create-exchange.js';
import { DEFAULT_RETRY_POLICY, withRetry, type RetryNotice, type Sleep } from './retry.js';

export interface OhlcvFetchProgress {
  /** Bars kept so far. */
  readonly bars: number;
  /** Pages received so far. */
  readonly pages: number;
  /** Open time of the newest bar kept so far. */
  readonly lastTs: number | undefined;
  /** Impossible candles the exchange sent and we dropped. */
  readonly dropped: number;
  readonly since: number;
  readonly until: number;
}

export interface OhlcvFetchOptions extends ExchangeSettings {
  /** Unified ccxt symbol: BTC/USDT (spot), BTC/USDT:USDT (linear perpetual). */
  readonly symbol: string;
  /** ccxt timeframe: 1m, 5m, 15m, 1h, 4h, 1d ... (the exchange must list it). */
  readonly timeframe: string;
  /** Open time of the first bar wanted, epoch ms (inclusive). */
  readonly since: number;
  /** Bars opening at or after this are not fetched (exclusive); default and ceiling: now. */
  readonly until?: number;
  /** Bars per request; default the exchange's maximum as ccxt knows it (binance spot 1000), else 500. */
  readonly limit?: number;
  /** Attempts per request before giving up with a RetryLaterError (default 5). */
  readonly maxAttempts?: number;
  /** First backoff delay, doubling per retry (default 1000). */
  readonly initialBackoffMs?: number;
  /** Ceiling on one backoff delay (default 30000). */
  readonly maxBackoffMs?: number;
  /** How to wait between retries (default: wall-clock timers). Tests pass a recorder. */
  readonly sleep?: Sleep;
  /** Safety bound on pages (default: enough for pages a tenth of `limit`). */
  readonly maxPages?: number;
  /** Where "now" comes from: it caps `until` and marks the still-open bar, which is never returned. */
  readonly clock?: Clock;
  /** Id of the returned series (default EXCHANGE:SYMBOL, e.g. BINANCE:BTC/USDT). */
  readonly instrumentId?: InstrumentId;
  readonly onProgress?: (progress: OhlcvFetchProgress) => void;
  readonly onRetry?: (notice: RetryNotice) => void;
}

export interface OhlcvFetchResult {
  readonly series: BarSeries;
  readonly pages: number;
  readonly dropped: number;
  readonly stopReason: StopReason | undefined;
}

/** Fetches closed OHLCV bars in [since, until) with ccxt, page by page; see `fetchOhlcvDetailed`. */
export async function fetchOhlcv(options: OhlcvFetchOptions): Promise<BarSeries> {
  return (await fetchOhlcvDetailed(options)).series;
}

/**
 * Loads the exchange's markets, checks the symbol and timeframe, then pages through history by `since` with ccxt's
 * own throttle (`enableRateLimit`) spacing the requests. A failed request is retried with exponential backoff when
 * ccxt's error class says it is transient (network, 429/418, 5xx, timeout), honouring Retry-After; after
 * `maxAttempts` it fails with a RetryLaterError. A bad symbol, timeframe or request fails with a FixRequestError
 * naming them. Errors are mapped by ccxt class (CCXT_ERROR_RULES), never by message text.
 */
export async function fetchOhlcvDetailed(options: OhlcvFetchOptions): Promise<OhlcvFetchResult> {
  const { symbol, since } = options;
  const timeframe = parseCcxtTimeframe(options.timeframe);
  const context = `${options.exchange} ${symbol} ${timeframe.text}`;
  const clock = options.clock ?? new WallClock();
  const now = clock.now();
  if (!Number.isSafeInteger(since)) throw new FixRequestError('invalid_time', `${context}: since must be integer epoch ms, got ${since}`);
  if (options.until !== undefined && !Number.isSafeInteger(options.until)) {
    throw new FixRequestError('invalid_time', `${context}: until must be integer epoch ms, got ${options.until}`);
  }
  const until = Math.min(options.until ?? now, now);
  if (since >= until) {
    const reason = since >= now ? 'since is in the future' : 'since is not before until';
    throw new FixRequestError('invalid_range', `${context}: ${reason} (${new Date(since).toISOString()} .. ${new Date(until).toISOString()})`);
  }
  if (options.instrumentId === undefined && !/^[A-Z0-9]+\/[A-Z0-9]+(?::[A-Z0-9]+)?$/.test(symbol)) {
    const upper = symbol.toUpperCase();
    const hint = /^[A-Z0-9]+\/[A-Z0-9]+(?::[A-Z0-9]+)?$/.test(upper) ? ` (did you mean ${upper}?)` : '';
    throw new FixRequestError('invalid_symbol', `${context}: the symbol "${symbol}" is not BASE/QUOTE or BASE/QUOTE:SETTLE in capitals${hint}`);
  }
  const id = options.instrumentId ?? instrumentId(`${options.exchange.toUpperCase()}:${symbol}`);

  const policy = {
    maxAttempts: options.maxAttempts ?? DEFAULT_RETRY_POLICY.maxAttempts,
    initialDelayMs: options.initialBackoffMs ?? DEFAULT_RETRY_POLICY.initialDelayMs,
    maxDelayMs: options.maxBackoffMs ?? DEFAULT_RETRY_POLICY.maxDelayMs,
    sleep: options.sleep ?? DEFAULT_RETRY_POLICY.sleep,
  };
  if (!(Number.isInteger(policy.maxAttempts) && policy.maxAttempts >= 1)) {
    throw new FixRequestError('invalid_retry', `${context}: maxAttempts must be a positive integer, got ${policy.maxAttempts}`);
  }
  const exchange = createExchange(options);
  const call = <T>(operation: (attempt: number) => Promise<T>, what: string): Promise<T> =>
    withRetry(
      (attempt) => {
        exchange.last_response_headers = undefined;
        return operation(attempt);
      },
      policy,
      {
        classify: (error) => fromCcxtError(error, `${context} (${what})`),
        serverDelayMs: () => retryAfterMs(exchange, clock.now()),
        onRetry: options.onRetry,
      },
    );

  try {
    // A failed load leaves ccxt holding the rejected promise: later attempts must ask for a reload.
    await call((attempt) => exchange.loadMarkets(attempt > 1), 'loading markets');
    checkMarket(exchange, symbol, timeframe.text, context);
    const limit = options.limit ?? defaultLimit(exchange, symbol);
    const pager = new OhlcvPager({
      timeframe,
      since,
      until,
      limit,
      closedBy: now,
      maxPages: options.maxPages,
    });
    for (let request = pager.next(); request !== undefined; request = pager.next()) {
      const { since: from, limit: count } = request;
      const page = await call(() => exchange.fetchOHLCV(symbol, timeframe.text, from, count), `bars from ${new Date(from).toISOString()}`);
      pager.accept(page as readonly Candle[]);
      options.onProgress?.({ bars: pager.bars, pages: pager.pages, lastTs: pager.lastBarTs, dropped: pager.dropped, since, until });
    }
    return { series: pager.build(id), pages: pager.pages, dropped: pager.dropped, stopReason: pager.stopReason };
  } finally {
    await closeExchange(exchange);
  }
}

function checkMarket(exchange: Exchange, symbol: string, timeframe: string, context: string): void {
  if (exchange.markets?.[symbol] === undefined) {
    const base = symbol.split('/')[0] ?? symbol;
    const similar = exchange.symbols.filter((candidate) => candidate.startsWith(`${base}/`)).slice(0, 8);
    const hint = similar.length > 0 ? `; it has ${similar.join(', ')}` : '';
    throw new FixRequestError('unknown_symbol', `${context}: ${exchange.id} has no market ${symbol}${hint}`);
  }
  if (exchange.has['fetchOHLCV'] !== true && exchange.has['fetchOHLCV'] !== 'emulated') {
    throw new FixRequestError('not_supported', `${context}: ${exchange.id} does not serve OHLCV candles`);
  }
  const timeframes = Object.keys(exchange.timeframes ?? {});
  if (timeframes.length > 0 && !timeframes.includes(timeframe)) {
    throw new FixRequestError('unsupported_timeframe', `${context}: ${exchange.id} has no ${timeframe} candles; it has ${timeframes.join(', ')}`);
  }
}

function defaultLimit(exchange: Exchange, symbol: string): number {
  const limit: unknown = exchange.featureValue(symbol, 'fetchOHLCV', 'limit');
  return typeof limit === 'number' && Number.isInteger(limit) && limit > 0 ? limit : 500;
}

/** The wait the last response asked for (Retry-After in seconds or as an HTTP date), if any. */
function retryAfterMs(exchange: Exchange, now: number): number | undefined {
  const headers = exchange.last_response_headers ?? {};
  const key = Object.keys(headers).find((name) => name.toLowerCase() === 'retry-after');
  const value = key === undefined ? undefined : headers[key];
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Releases ccxt's keep-alive sockets so a CLI run can exit as soon as it is done. */
async function closeExchange(exchange: Exchange): Promise<void> {
  await exchange.close();
  const dispatcher = (exchange as unknown as { fetchDispatcher?: { close(): Promise<void> } }).fetchDispatcher;
  await dispatcher?.close();
}
