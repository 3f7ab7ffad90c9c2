/**
 * A local stand-in for Binance's public REST API, enough for real ccxt's `loadMarkets` and `fetchOHLCV`:
 * `/api/v3/exchangeInfo`, `/fapi/v1/exchangeInfo`, `/dapi/v1/exchangeInfo`, `/api/v3/klines`, `/fapi/v1/klines`,
 * `/api/v3/ping`, `/api/v3/time`. Klines come from the BarSeries you give it, in Binance's array format (prices as
 * strings), selected by startTime / endTime / limit as Binance does. Every request is logged; failures (429 and 418
 * with Binance's error JSON and Retry-After, 5xx, hangs, connection resets) can be injected per path.
 * Listens on 127.0.0.1, port 0.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { monotonicNs } from '../../src/core/clock.js';
import type { BarSeries } from '../../src/data/bar-series.js';

export interface FakeMarket {
  /** Unified symbol: `BTC/USDT` is served as spot (api/v3), `BTC/USDT:USDT` as a USDⓈ-M perpetual (fapi/v1). */
  readonly symbol: string;
  readonly series: BarSeries;
  readonly tickSize?: string;
  readonly stepSize?: string;
}

export type InjectedFailure =
  | { readonly kind: 'status'; readonly status: number; readonly body?: unknown; readonly retryAfterSeconds?: number }
  /** Never answers: the client's timeout has to fire. */
  | { readonly kind: 'hang' }
  /** Drops the connection without an answer. */
  | { readonly kind: 'reset' };

export interface FakeBinanceOptions {
  readonly markets: readonly FakeMarket[];
  /** Most klines one response carries, whatever `limit` asks (default 1000, Binance spot's maximum). */
  readonly maxPageSize?: number;
  /** Intervals served (default: each series' own); others get Binance's -1120 "Invalid interval.". */
  readonly intervals?: readonly string[];
  /** Misbehave like an exchange that ignores startTime: always serve the first page. */
  readonly ignoreStartTime?: boolean;
}

export interface LoggedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly outcome: number | 'hang' | 'reset';
  /** Monotonic arrival time, for spacing assertions. */
  readonly receivedNs: bigint;
}

export const BINANCE_ERRORS = {
  tooManyRequests: {
    code: -1003,
    msg: 'Too many requests; current limit of IP(127.0.0.1) is 6000 requests per minute. Please use WebSocket Streams for live updates to avoid polling the API.',
  },
  banned: {
    code: -1003,
    msg: 'Way too many requests; IP(127.0.0.1) banned until 1704070800000. Please use WebSocket Streams for live updates to avoid bans.',
  },
  internal: { code: -1001, msg: 'Internal error; unable to process your request. Please try again.' },
  invalidSymbol: { code: -1121, msg: 'Invalid symbol.' },
  invalidInterval: { code: -1120, msg: 'Invalid interval.' },
  badLimit: { code: -1130, msg: "Data sent for parameter 'limit' is not valid." },
  mandatory: (name: string) => ({ code: -1102, msg: `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.` }),
} as const;

const INTERVAL_MS: Readonly<Record<string, number>> = {
  '1s': 1_000,
  '1m': 60_000,
  '3m': 180_000,
  '5m': 300_000,
  '15m': 900_000,
  '30m': 1_800_000,
  '1h': 3_600_000,
  '2h': 7_200_000,
  '4h': 14_400_000,
  '6h': 21_600_000,
  '8h': 28_800_000,
  '12h': 43_200_000,
  '1d': 86_400_000,
  '3d': 259_200_000,
  '1w': 604_800_000,
};
const MONTHLY = '1M';

interface ServedMarket {
  readonly venueSymbol: string;
  readonly base: string;
  readonly quote: string;
  readonly kind: 'spot' | 'linear';
  readonly market: FakeMarket;
}

export class FakeBinance {
  readonly requests: LoggedRequest[] = [];
  /** Most klines one response carries; change it between fetches to simulate a stingier exchange. */
  maxPageSize: number;
  private readonly failures = new Map<string, { failure: InjectedFailure; remaining: number }[]>();
  private readonly markets: ServedMarket[];
  private readonly sockets = new Set<Socket>();
  private readonly pending = new Set<ServerResponse>();

  private constructor(
    private readonly server: Server,
    private readonly options: FakeBinanceOptions,
  ) {
    this.maxPageSize = options.maxPageSize ?? 1000;
    this.markets = options.markets.map(servedMarket);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => this.handle(request, response));
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  static async start(options: FakeBinanceOptions): Promise<FakeBinance> {
    const server = createServer();
    const fake = new FakeBinance(server, options);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return fake;
  }

  /** `http://127.0.0.1:<port>`: give it to the fetcher as its base URL. */
  get url(): string {
    const address = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${address.port}`;
  }

  /** Requests to a klines endpoint, in arrival order. */
  klineRequests(): LoggedRequest[] {
    return this.requests.filter((request) => request.path.endsWith('/klines'));
  }

  /** The next `times` requests to `path` (e.g. `/api/v3/klines`) fail this way; Infinity for every one. */
  failNext(path: string, failure: InjectedFailure, times = 1): void {
    const queue = this.failures.get(path) ?? [];
    queue.push({ failure, remaining: times });
    this.failures.set(path, queue);
  }

  clearFailures(): void {
    this.failures.clear();
  }

  async close(): Promise<void> {
    for (const response of this.pending) response.destroy();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const query = Object.fromEntries(url.searchParams);
    const path = url.pathname;
    const log = (outcome: LoggedRequest['outcome']): void => {
      this.requests.push({ method: request.method ?? 'GET', path, query, outcome, receivedNs: monotonicNs() });
    };
    const failure = this.takeFailure(path);
    if (failure !== undefined) {
      if (failure.kind === 'hang') {
        log('hang');
        this.pending.add(response);
        response.on('close', () => this.pending.delete(response));
        return;
      }
      if (failure.kind === 'reset') {
        log('reset');
        request.socket.destroy();
        return;
      }
      log(failure.status);
      const headers: Record<string, string> = {};
      if (failure.retryAfterSeconds !== undefined) headers['Retry-After'] = String(failure.retryAfterSeconds);
      const body = failure.body ?? defaultErrorBody(failure.status);
      send(response, failure.status, body, headers);
      return;
    }
    const [status, body] = this.route(request.method ?? 'GET', path, url.searchParams);
    log(status);
    send(response, status, body, { 'X-MBX-USED-WEIGHT-1M': String(this.requests.length) });
  }

  private takeFailure(path: string): InjectedFailure | undefined {
    const queue = this.failures.get(path);
    const head = queue?.[0];
    if (queue === undefined || head === undefined) return undefined;
    head.remaining -= 1;
    if (head.remaining <= 0) queue.shift();
    return head.failure;
  }

  private route(method: string, path: string, params: URLSearchParams): [number, unknown] {
    if (method !== 'GET') return [405, { code: -1, msg: `${method} is not served by the fake` }];
    switch (path) {
      case '/api/v3/ping':
        return [200, {}];
      case '/api/v3/time':
        return [200, { serverTime: this.serverTime() }];
      case '/api/v3/exchangeInfo':
        return [200, this.exchangeInfo('spot')];
      case '/fapi/v1/exchangeInfo':
        return [200, this.exchangeInfo('linear')];
      case '/dapi/v1/exchangeInfo':
        return [200, { timezone: 'UTC', serverTime: this.serverTime(), rateLimits: [], exchangeFilters: [], symbols: [] }];
      case '/api/v3/klines':
        return this.klines('spot', params, 1000);
      case '/fapi/v1/klines':
        return this.klines('linear', params, 1500);
      default:
        return [404, { code: -1, msg: `the fake does not serve ${path}` }];
    }
  }

  /** The close time of the newest bar served: the fake's idea of "now". */
  private serverTime(): number {
    let latest = 0;
    for (const { market } of this.markets) {
      const { series } = market;
      if (series.length > 0) latest = Math.max(latest, series.ts[series.length - 1]! + series.timeframeMs);
    }
    return latest;
  }

  private exchangeInfo(kind: 'spot' | 'linear'): unknown {
    const symbols = this.markets.filter((served) => served.kind === kind).map((served) => symbolInfo(served));
    return {
      timezone: 'UTC',
      serverTime: this.serverTime(),
      rateLimits: [
        { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 },
        { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 100 },
        { rateLimitType: 'RAW_REQUESTS', interval: 'MINUTE', intervalNum: 5, limit: 61000 },
      ],
      exchangeFilters: [],
      symbols,
    };
  }

  private klines(kind: 'spot' | 'linear', params: URLSearchParams, maxLimit: number): [number, unknown] {
    const symbol = params.get('symbol');
    const interval = params.get('interval');
    if (symbol === null || symbol === '') return [400, BINANCE_ERRORS.mandatory('symbol')];
    if (interval === null || interval === '') return [400, BINANCE_ERRORS.mandatory('interval')];
    const served = this.markets.find((candidate) => candidate.kind === kind && candidate.venueSymbol === symbol);
    if (served === undefined) return [400, BINANCE_ERRORS.invalidSymbol];
    const series = served.market.series;
    const intervalMs = INTERVAL_MS[interval];
    const allowed = this.options.intervals ?? [intervalName(series.timeframeMs)];
    if ((intervalMs === undefined && interval !== MONTHLY) || !allowed.includes(interval)) return [400, BINANCE_ERRORS.invalidInterval];
    const limit = params.has('limit') ? Number(params.get('limit')) : 500;
    if (!(Number.isInteger(limit) && limit >= 1 && limit <= maxLimit)) return [400, BINANCE_ERRORS.badLimit];
    const count = Math.min(limit, this.maxPageSize);
    const startTime = params.has('startTime') ? Number(params.get('startTime')) : undefined;
    const endTime = params.has('endTime') ? Number(params.get('endTime')) : undefined;

    // Binance: with startTime, the first `limit` bars opening at or after it (and at or before endTime);
    // with only endTime, the last `limit` bars opening at or before it; with neither, the latest `limit`.
    let from: number;
    let to: number;
    const end = endTime === undefined ? series.length : firstAtOrAfter(series.ts, endTime + 1);
    if (this.options.ignoreStartTime === true) {
      from = 0;
      to = Math.min(end, count);
    } else if (startTime !== undefined) {
      from = firstAtOrAfter(series.ts, startTime);
      to = Math.min(end, from + count);
    } else {
      to = end;
      from = Math.max(0, to - count);
    }
    const step = intervalMs ?? series.timeframeMs;
    const rows: unknown[] = [];
    for (let i = from; i < to; i++) {
      const volume = series.volume[i]!;
      const close = series.close[i]!;
      rows.push([
        series.ts[i]!,
        decimal(series.open[i]!),
        decimal(series.high[i]!),
        decimal(series.low[i]!),
        decimal(close),
        decimal(volume),
        series.ts[i]! + step - 1,
        decimal(volume * close),
        100 + (i % 900),
        decimal(volume / 2),
        decimal((volume / 2) * close),
        '0',
      ]);
    }
    return [200, rows];
  }
}

function servedMarket(market: FakeMarket): ServedMarket {
  const [pair = '', settle] = market.symbol.split(':');
  const [base = '', quote = ''] = pair.split('/');
  return { venueSymbol: `${base}${quote}`, base, quote, kind: settle === undefined ? 'spot' : 'linear', market };
}

function symbolInfo(served: ServedMarket): unknown {
  const tickSize = served.market.tickSize ?? '0.01';
  const stepSize = served.market.stepSize ?? '0.00001';
  const filters = [
    { filterType: 'PRICE_FILTER', minPrice: tickSize, maxPrice: '1000000.00000000', tickSize },
    { filterType: 'LOT_SIZE', minQty: stepSize, maxQty: '9000.00000000', stepSize },
    { filterType: 'MARKET_LOT_SIZE', minQty: '0.00000000', maxQty: '100.00000000', stepSize: '0.00000000' },
  ];
  if (served.kind === 'spot') {
    return {
      symbol: served.venueSymbol,
      status: 'TRADING',
      baseAsset: served.base,
      baseAssetPrecision: 8,
      quoteAsset: served.quote,
      quotePrecision: 8,
      quoteAssetPrecision: 8,
      orderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT_LIMIT'],
      icebergAllowed: true,
      ocoAllowed: true,
      isSpotTradingAllowed: true,
      isMarginTradingAllowed: false,
      filters: [...filters, { filterType: 'NOTIONAL', minNotional: '5.00000000', applyMinToMarket: true, maxNotional: '9000000.00000000' }],
      permissions: [],
      permissionSets: [['SPOT']],
    };
  }
  return {
    symbol: served.venueSymbol,
    pair: served.venueSymbol,
    contractType: 'PERPETUAL',
    deliveryDate: 4133404800000,
    onboardDate: 1569398400000,
    status: 'TRADING',
    baseAsset: served.base,
    quoteAsset: served.quote,
    marginAsset: served.quote,
    pricePrecision: 2,
    quantityPrecision: 3,
    baseAssetPrecision: 8,
    quotePrecision: 8,
    underlyingType: 'COIN',
    triggerProtect: '0.0500',
    filters: [...filters, { filterType: 'MIN_NOTIONAL', notional: '100' }],
    orderTypes: ['LIMIT', 'MARKET', 'STOP', 'STOP_MARKET', 'TAKE_PROFIT', 'TAKE_PROFIT_MARKET', 'TRAILING_STOP_MARKET'],
    timeInForce: ['GTC', 'IOC', 'FOK', 'GTX'],
  };
}

function defaultErrorBody(status: number): unknown {
  if (status === 429) return BINANCE_ERRORS.tooManyRequests;
  if (status === 418) return BINANCE_ERRORS.banned;
  if (status >= 500) return BINANCE_ERRORS.internal;
  return { code: -1, msg: `HTTP ${status}` };
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': typeof body === 'string' ? 'text/plain' : 'application/json;charset=UTF-8', ...headers });
  response.end(text);
}

/** Binance prints 8 decimals; fall back to the shortest exact form for values that would not survive that. */
function decimal(value: number): string {
  const fixed = value.toFixed(8);
  return Number(fixed) === value ? fixed : String(value);
}

function firstAtOrAfter(ts: Float64Array, value: number): number {
  let low = 0;
  let high = ts.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (ts[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

function intervalName(timeframeMs: number): string {
  const entry = Object.entries(INTERVAL_MS).find(([, ms]) => ms === timeframeMs);
  return entry?.[0] ?? MONTHLY;
}
