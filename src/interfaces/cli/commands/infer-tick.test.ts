import { describe, expect, it } from 'vitest';
import { instrumentId } from '../../../core/ids.js';
import { BarSeriesBuilder } from '../../../data/bar-series.js';
import { inferTick } from './backtest.js';

function series(prices: number[]) {
  const b = new BarSeriesBuilder();
  prices.forEach((p, i) => b.push(1_700_000_000_000 + i * 60_000, p, p, p, p, 1));
  return b.build(instrumentId('FILE:XRP/USDT:USDT'), 60_000);
}

describe('inferTick', () => {
  it('takes the finest decimal the prices use', () => {
    expect(inferTick(series([1.2, 1.21, 1.215]))).toBe('0.001');
    expect(inferTick(series([30000, 30001]))).toBe('1');
  });

  it('reads through float noise in a file instead of taking it for a finer tick', () => {
    expect(inferTick(series([1.1602999999999999, 1.16031, 1.2]))).toBe('0.00001');
  });
});
