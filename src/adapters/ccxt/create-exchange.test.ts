import { describe, expect, it } from 'vitest';
import { createExchange } from './create-exchange.js';

describe('createExchange', () => {
  it('turns rate limiting on and applies our timing settings', () => {
    const exchange = createExchange({ exchange: 'binance', rateLimitMs: 7, timeoutMs: 1_234 });
    expect(exchange.enableRateLimit).toBe(true);
    expect(exchange.rateLimit).toBe(7);
    expect(exchange.timeout).toBe(1_234);
  });

  it('points every REST URL at a base URL, keeping the paths', () => {
    const exchange = createExchange({ exchange: 'binance', baseUrl: 'http://127.0.0.1:8080/' });
    const api = exchange.urls.api as Record<string, string>;
    expect(api['public']).toBe('http://127.0.0.1:8080/api/v3');
    expect(api['fapiPublic']).toBe('http://127.0.0.1:8080/fapi/v1');
    expect(api['dapiPublic']).toBe('http://127.0.0.1:8080/dapi/v1');
    expect(Object.values(api).every((url) => url.startsWith('http://127.0.0.1:8080/'))).toBe(true);
  });

  it('rewrites URLs with host placeholders too', () => {
    const exchange = createExchange({ exchange: 'bybit', baseUrl: 'http://127.0.0.1:9' });
    expect(Object.values(exchange.urls.api as Record<string, string>).every((url) => url.startsWith('http://127.0.0.1:9'))).toBe(true);
  });

  it('loads only the Binance market type the symbol needs', () => {
    const types = (symbol: string): unknown => (createExchange({ exchange: 'binance', symbol }).options['fetchMarkets'] as { types: unknown }).types;
    expect(types('BTC/USDT')).toEqual(['spot']);
    expect(types('BTC/USDT:USDT')).toEqual(['linear']);
    expect(types('BTC/USD:BTC')).toEqual(['inverse']);
    expect(types('BTC/USD:BTC-250328')).toEqual(['inverse']);
  });

  it('lets explicit ccxt options win over ours', () => {
    const exchange = createExchange({ exchange: 'binance', symbol: 'BTC/USDT', ccxtConfig: { options: { fetchMarkets: { types: ['spot', 'linear'] } } } });
    expect((exchange.options['fetchMarkets'] as { types: unknown }).types).toEqual(['spot', 'linear']);
  });

  it('refuses an id ccxt does not know, and a base URL with a path', () => {
    expect(() => createExchange({ exchange: 'Binance' })).toThrow('"Binance" is not a ccxt exchange id');
    expect(() => createExchange({ exchange: 'constructor' })).toThrow('is not a ccxt exchange id');
    expect(() => createExchange({ exchange: 'binance', baseUrl: 'http://127.0.0.1:8080/api' })).toThrow('scheme and host only');
  });
});
