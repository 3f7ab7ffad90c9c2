import * as ccxt from 'ccxt';
import type { Exchange } from 'ccxt';
import { FixRequestError } from '../../core/errors.js';

export interface ExchangeSettings {
  /** A ccxt exchange id: binance, bybit, okx, kraken ... */
  readonly exchange: string;
  /** The market this instance is for; lets us load only that market type where the exchange allows. */
  readonly symbol?: string;
  /** Replaces scheme and host of every REST URL (paths kept): `http://127.0.0.1:8080` for a local fake. */
  readonly baseUrl?: string;
  /** Overrides ccxt's minimum ms between requests (its `rateLimit`; binance 50). Throttling stays on. */
  readonly rateLimitMs?: number;
  /** ccxt's per-request timeout (default 10s). */
  readonly timeoutMs?: number;
  /** Extra ccxt constructor settings (proxies, keys, options); merged over ours. */
  readonly ccxtConfig?: Readonly<Record<string, unknown>>;
}

type ExchangeConstructor = new (config?: Record<string, unknown>) => Exchange;

/**
 * Exchange-specific settings for loading markets. Binance loads spot, USDⓈ-M and COIN-M markets by default (three
 * requests, the spot one weighing 20); for one symbol we only need its own type.
 */
const MARKET_LOADING: Readonly<Record<string, (symbol: string) => Record<string, unknown>>> = {
  binance: (symbol) => ({ fetchMarkets: { types: [binanceMarketType(symbol)] } }),
};

/** A ccxt exchange instance with rate limiting on, optionally pointed at another host. */
export function createExchange(settings: ExchangeSettings): Exchange {
  const id = settings.exchange;
  const classes = ccxt.exchanges as unknown as Readonly<Record<string, ExchangeConstructor | undefined>>;
  const ExchangeClass = Object.hasOwn(classes, id) ? classes[id] : undefined;
  if (ExchangeClass === undefined) {
    throw new FixRequestError('unknown_exchange', `"${id}" is not a ccxt exchange id (lower case, e.g. binance, bybit, okx, kraken, coinbase)`);
  }
  const loading = settings.symbol === undefined ? undefined : MARKET_LOADING[id]?.(settings.symbol);
  const extra = settings.ccxtConfig ?? {};
  const config: Record<string, unknown> = {
    enableRateLimit: true,
    ...(settings.rateLimitMs === undefined ? {} : { rateLimit: settings.rateLimitMs }),
    ...(settings.timeoutMs === undefined ? {} : { timeout: settings.timeoutMs }),
    ...extra,
    options: { ...loading, ...(extra['options'] as Record<string, unknown> | undefined) },
  };
  const exchange = new ExchangeClass(config);
  if (settings.baseUrl !== undefined) pointAt(exchange, settings.baseUrl);
  return exchange;
}

/** Rewrites the origin of every URL in `urls.api`, keeping the paths (`https://api.binance.com/api/v3` -> `<base>/api/v3`). */
export function pointAt(exchange: Exchange, baseUrl: string): void {
  const base = baseUrl.replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+$/.test(base)) {
    throw new FixRequestError('invalid_base_url', `base URL "${baseUrl}" must be scheme and host only, like http://127.0.0.1:8080`);
  }
  const rewrite = (value: unknown): unknown => {
    if (typeof value === 'string') return value.replace(/^[a-z]+:\/\/[^/]+/i, base);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record)) record[key] = rewrite(record[key]);
    }
    return value;
  };
  exchange.urls.api = rewrite(exchange.urls.api) as Exchange['urls']['api'];
}

/** Binance's market type for a unified symbol: spot, linear (settled in the quote) or inverse (in the base). */
function binanceMarketType(symbol: string): string {
  const [pair = '', settlePart] = symbol.split(':');
  if (settlePart === undefined) return 'spot';
  const [, quote] = pair.split('/');
  const settle = settlePart.split('-')[0];
  return settle === quote ? 'linear' : 'inverse';
}
