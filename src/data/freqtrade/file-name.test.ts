import { describe, expect, it } from 'vitest';
import { parseDataFileName } from './file-name.js';

describe('data file names', () => {
  it("reads freqtrade's names: pair, settlement, timeframe and candle type", () => {
    expect(parseDataFileName('ETH_BTC-5m.feather')).toEqual({ instrumentId: 'FILE:ETH/BTC', timeframeMs: 300_000, candleType: 'spot' });
    expect(parseDataFileName('XRP_USDT_USDT-1h-futures.csv')).toEqual({ instrumentId: 'FILE:XRP/USDT:USDT', timeframeMs: 3_600_000, candleType: 'futures' });
    expect(parseDataFileName('XRP_USDT_USDT-8h-funding_rate.csv.gz')?.candleType).toBe('funding_rate');
  });

  it('reads the names data fetch gives its files, the exchange naming the venue', () => {
    expect(parseDataFileName('binance_XRP_USDT_USDT-1h.csv')).toEqual({ instrumentId: 'BINANCE:XRP/USDT:USDT', timeframeMs: 3_600_000, candleType: 'spot' });
    expect(parseDataFileName('okx_BTC_USDT-1d.csv')?.instrumentId).toBe('OKX:BTC/USDT');
  });

  it('leaves other names alone', () => {
    expect(parseDataFileName('prices.csv')).toBeUndefined();
    expect(parseDataFileName('btc_usdt-1h.csv')).toBeUndefined();
  });
});
