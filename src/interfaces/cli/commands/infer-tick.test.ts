import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { instrumentId } from '../../../core/ids.js';
import { BarSeriesBuilder } from '../../../data/bar-series.js';
import { inferTick } from './backtest.js';

function series(prices: number[]) {
  const b = new BarSeriesBuilder();
  prices.forEach((p, i) => b.push(1_700_000_000_000 + i * 60_000, p, p, p, p, 1));
  return b.build(instrumentId('FILE:XRP/USDT:USDT'), 60_000);
}

/** Each price's text at 12 significant digits, its decimal places counted, the most of them kept (at most 12). */
function tickByText(prices: readonly number[]): string {
  let decimals = 0;
  for (const price of prices) {
    const text = String(Number(price.toPrecision(12)));
    const exponent = text.indexOf('e-');
    const dot = text.indexOf('.');
    const places = exponent >= 0 ? Number(text.slice(exponent + 2)) + (dot >= 0 ? exponent - dot - 1 : 0) : dot >= 0 ? text.length - dot - 1 : 0;
    decimals = Math.max(decimals, places);
  }
  decimals = Math.min(decimals, 12);
  return decimals === 0 ? '1' : `0.${'0'.repeat(decimals - 1)}1`;
}

describe('inferTick', () => {
  it('takes the finest decimal the prices use', () => {
    expect(inferTick(series([1.2, 1.21, 1.215]))).toBe('0.001');
    expect(inferTick(series([30000, 30001]))).toBe('1');
  });

  it('reads through float noise in a file instead of taking it for a finer tick', () => {
    expect(inferTick(series([1.1602999999999999, 1.16031, 1.2]))).toBe('0.00001');
  });

  it('reads every bar: whole prices for 5,000 bars, then cents, give a tick of 0.01', () => {
    const prices = [...Array.from({ length: 5000 }, (_, i) => 100 + (i % 3)), 100.87, 101.5];
    expect(inferTick(series(prices))).toBe('0.01');
    expect(inferTick(series([...Array.from({ length: 20_000 }, () => 7), 7.000001]))).toBe('0.000001');
  });

  it('stops at 12 places, for prices that are small or carry more digits than that', () => {
    expect(inferTick(series([0.00000000000123, 5]))).toBe('0.000000000001');
    expect(inferTick(series([1 / 3, 2]))).toBe('0.000000000001');
    expect(inferTick(series([10 / 3, 2]))).toBe('0.00000000001');
    expect(inferTick(series([30000.1234567891]))).toBe('0.0000001');
  });

  it('agrees with reading each price as text at 12 significant digits, float noise or not', () => {
    // Decimals of up to 12 significant digits, each possibly a few units of the last place off, as a parsed or
    // computed float may be.
    const price = fc
      .tuple(fc.integer({ min: 1, max: 999_999_999_999 }), fc.integer({ min: 0, max: 16 }), fc.integer({ min: -3, max: 3 }))
      .map(([digits, places, noise]) => Number(`${digits}e-${places}`) * (1 + noise * Number.EPSILON));
    fc.assert(
      fc.property(fc.array(price, { minLength: 1, maxLength: 20 }), (prices) => {
        expect(inferTick(series(prices))).toBe(tickByText(prices));
      }),
      { numRuns: 3000 },
    );
  });
});
