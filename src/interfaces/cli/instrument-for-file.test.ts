import { describe, expect, it } from 'vitest';
import { FixRequestError } from '../../core/errors.js';
import { assertLinearPerpetual, instrumentForFile } from './instrument-for-file.js';

function refusal(symbol: string): FixRequestError {
  try {
    instrumentForFile('bars.csv', symbol);
  } catch (error) {
    if (error instanceof FixRequestError) return error;
    throw error;
  }
  throw new Error('expected a FixRequestError');
}

describe('instrumentForFile', () => {
  it('trades a file as FILE:<symbol> when --symbol names it, else by its name', () => {
    expect(instrumentForFile('bars.csv', 'BTC/USDT')).toBe('FILE:BTC/USDT');
    expect(instrumentForFile('bars.csv', 'XRP/USDT:USDT')).toBe('FILE:XRP/USDT:USDT');
    expect(instrumentForFile('data/ETH_BTC-5m.csv')).toBeUndefined();
    expect(instrumentForFile('data/my-prices.csv')).toBe('FILE:MYPRICES/USD');
  });

  it('refuses a --symbol that is not BASE/QUOTE[:SETTLE] in capitals, suggesting the form that works', () => {
    const lower = refusal('btc/usdt');
    expect([lower.code, lower.message]).toEqual([
      'invalid_option',
      '--symbol btc/usdt: expected BASE/QUOTE or BASE/QUOTE:SETTLE in capitals (the venue is always FILE), e.g. --symbol BTC/USDT',
    ]);
    expect(refusal('binance:xrp/usdt:usdt').message).toBe(
      '--symbol binance:xrp/usdt:usdt: expected BASE/QUOTE or BASE/QUOTE:SETTLE in capitals (the venue is always FILE), e.g. --symbol XRP/USDT:USDT',
    );
    expect(refusal('BTCUSDT').message).toBe('--symbol BTCUSDT: expected BASE/QUOTE or BASE/QUOTE:SETTLE in capitals (the venue is always FILE), e.g. --symbol BTC/USDT');
  });

  it('refuses an inverse or quanto perpetual (settled in another currency than its quote), by --symbol or file name', () => {
    expect(refusal('BTC/USD:BTC').message).toBe(
      '--symbol BTC/USD:BTC: settles in BTC, not in its quote USD (an inverse or quanto contract), which a backtest cannot price; only linear perpetuals, settled in their quote, are supported (e.g. BTC/USD:USD)',
    );
    expect(refusal('ETH/USD:BTC').message).toMatch(/^--symbol ETH\/USD:BTC: settles in BTC, not in its quote USD .*\(e\.g\. ETH\/USD:USD\)$/);
    expect(() => assertLinearPerpetual('BINANCE:BTC/USD:BTC', 'BTC_USD_BTC-1h-futures.csv')).toThrow(/^BTC_USD_BTC-1h-futures\.csv: settles in BTC, not in its quote USD .*\(e\.g\. BTC\/USD:USD\)$/);
    expect(() => assertLinearPerpetual('BINANCE:BTC/USDT:USDT', 'x')).not.toThrow();
    expect(() => assertLinearPerpetual('FILE:BTC/USDT', 'x')).not.toThrow();
  });
});
