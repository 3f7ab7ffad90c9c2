import { describe, expect, it } from 'vitest';
import { instrumentId } from '../../core/ids.js';
import { DataFileError } from '../data-file-error.js';
import { parseDataFileName } from './file-name.js';
import { parseFreqtradeJson } from './json-candles.js';

const ID = instrumentId('TEST:BTC/USDT');

function jsonError(text: string): DataFileError {
  try {
    parseFreqtradeJson(text, { instrumentId: ID, source: 'c.json' });
  } catch (error) {
    if (error instanceof DataFileError) return error;
    throw error;
  }
  throw new Error('expected a DataFileError');
}

describe('freqtrade JSON candles', () => {
  it('reads [[ts, o, h, l, c, v], ...] with record numbers as origins', () => {
    const bars = parseFreqtradeJson('[[1509836520000, 0.00162008, 0.00162008, 0.00162008, 0.00162008, 108.14853839], [1509836580000, 0.00161, 0.00161, 0.00161, 0.00161, 82.390199]]', {
      instrumentId: ID,
      source: 'c.json',
    });
    expect([...bars.series.ts]).toEqual([1509836520000, 1509836580000]);
    expect([...bars.series.volume]).toEqual([108.14853839, 82.390199]);
    expect(bars.series.timeframeMs).toBe(60_000);
    expect([...bars.origins]).toEqual([1, 2]);
    expect(bars.originKind).toBe('record');
  });

  it('reads a null price as NaN for the check, and a null volume as 0', () => {
    const bars = parseFreqtradeJson(new TextEncoder().encode('[[1509836520000, null, 1, 1, 1, null]]'), { instrumentId: ID });
    expect(bars.series.open[0]).toBeNaN();
    expect(bars.series.volume[0]).toBe(0);
  });

  it('names the record and field that is wrong', () => {
    expect(jsonError('{"a": 1}').code).toBe('json_bad_layout');
    expect(jsonError('[[1, 2').code).toBe('json_invalid');
    const short = jsonError('[[1509836520000, 1, 1, 1, 1, 0], [1509836580000, 1, 1]]');
    expect([short.code, short.line]).toEqual(['json_bad_record', 2]);
    const text = jsonError('[[1509836520000, 1, "1.5", 1, 1, 0]]');
    expect([text.line, text.column, text.message]).toEqual([1, 3, 'c.json: record 1, field 3 (high): "1.5" is not a number']);
    expect(jsonError('[[1509836520000.5, 1, 1, 1, 1, 0]]').message).toContain('not whole epoch milliseconds');
  });
});

describe('freqtrade file names', () => {
  it('reads the pair, settle currency, timeframe and candle type', () => {
    expect(parseDataFileName('ETH_BTC-5m.feather')).toEqual({ instrumentId: 'FILE:ETH/BTC', timeframeMs: 300_000, candleType: 'spot' });
    expect(parseDataFileName('XRP_USDT_USDT-1h-futures.feather')).toEqual({ instrumentId: 'FILE:XRP/USDT:USDT', timeframeMs: 3_600_000, candleType: 'futures' });
    expect(parseDataFileName('XRP_USDT_USDT-8h-funding_rate.csv', 'BINANCE')).toEqual({
      instrumentId: 'BINANCE:XRP/USDT:USDT',
      timeframeMs: 28_800_000,
      candleType: 'funding_rate',
    });
    expect(parseDataFileName('UNITTEST_BTC-1m.json.gz')?.timeframeMs).toBe(60_000);
  });

  it('says nothing about other names', () => {
    expect(parseDataFileName('prices.csv')).toBeUndefined();
    expect(parseDataFileName('btc-usdt-1m.csv')).toBeUndefined();
  });
});
