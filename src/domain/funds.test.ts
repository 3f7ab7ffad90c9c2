import { describe, expect, it } from 'vitest';
import { FixRequestError } from '../core/errors.js';
import { fx } from '../core/fixed.js';
import { fundsRequired } from './funds.js';
import { CurrencyScales, defineInstrument } from './instrument.js';

const scales = new CurrencyScales({ USDT: 2, BTC: 8 });
const spot = defineInstrument({ id: 'BINANCE:BTC/USDT', tickSize: '0.01', lotSize: '0.00001', takerFee: '0.001' });
const perp = defineInstrument({ id: 'BYBIT:BTC/USDT:USDT', tickSize: '0.1', lotSize: '0.001', takerFee: '0.00055', maxLeverage: '100' });
const centi = defineInstrument({ id: 'OKX:BTC/USDT:USDT', tickSize: '0.1', lotSize: '1', contractSize: '0.01', takerFee: '0.0005', maxLeverage: '50' });
const one = fx('1');

describe('fundsRequired', () => {
  it('a spot buy holds notional plus taker fee in quote, each rounded up to the quote scale', () => {
    // 0.5 x 100.01 = 50.005 -> 50.01; fee 0.050005 -> 0.06; 50.07
    const need = fundsRequired(spot, 'buy', fx('0.5'), fx('100.01'), one, false, scales);
    expect(need.currency).toBe('USDT');
    expect(need.from).toBe('cash');
    expect(need.amount.toString()).toBe('50.07');
  });

  it('a spot buy with an exact total is not rounded further', () => {
    // 2 x 100 = 200; fee 0.2; 200.20
    expect(fundsRequired(spot, 'buy', fx('2'), fx('100'), one, false, scales).amount.toString()).toBe('200.20');
  });

  it('a fee-free spot buy still rounds the notional up', () => {
    const free = defineInstrument({ id: 'BINANCE:ETH/USDT', tickSize: '0.01', lotSize: '0.0001' });
    expect(fundsRequired(free, 'buy', fx('0.0001'), fx('0.01'), one, false, scales).amount.toString()).toBe('0.01');
  });

  it('a spot sell holds the base asset quantity at the base scale', () => {
    const need = fundsRequired(spot, 'sell', fx('0.12345'), fx('100'), one, false, scales);
    expect([need.currency, need.from, need.amount.toString()]).toEqual(['BTC', 'asset', '0.12345000']);
  });

  it('a spot sell finer than the base scale rounds the hold up', () => {
    const coarse = new CurrencyScales({ USDT: 2, BTC: 3 });
    expect(fundsRequired(spot, 'sell', fx('0.12341'), fx('100'), one, false, coarse).amount.toString()).toBe('0.124');
  });

  it('a perpetual holds notional / leverage + taker fee in the settle currency', () => {
    // 0.3 x 30000 = 9000; margin at 10x = 900; fee 4.95; 904.95
    const need = fundsRequired(perp, 'buy', fx('0.3'), fx('30000'), fx('10'), false, scales);
    expect([need.currency, need.from, need.amount.toString()]).toEqual(['USDT', 'cash', '904.95']);
    // The side does not matter for a perpetual.
    expect(fundsRequired(perp, 'sell', fx('0.3'), fx('30000'), fx('10'), false, scales).amount.toString()).toBe('904.95');
  });

  it('a perpetual margin that does not divide evenly is rounded up', () => {
    // 0.001 x 100 = 0.1; / 3 = 0.0333.. -> 0.04; fee 0.000055 -> 0.01; 0.05
    expect(fundsRequired(perp, 'buy', fx('0.001'), fx('100'), fx('3'), false, scales).amount.toString()).toBe('0.05');
    // 1 x 100 / 3 = 33.3333.. -> 33.34; fee 0.055 -> 0.06; 33.40
    expect(fundsRequired(perp, 'buy', fx('1'), fx('100'), fx('3'), false, scales).amount.toString()).toBe('33.40');
  });

  it('contract size scales the perpetual notional', () => {
    // 5 contracts x 0.01 x 30000 = 1500; / 20 = 75; fee 0.75; 75.75
    expect(fundsRequired(centi, 'buy', fx('5'), fx('30000'), fx('20'), false, scales).amount.toString()).toBe('75.75');
  });

  it('covers a notional and a fee that both round half-even upward, which one rounding of their sum would not', () => {
    const costly = defineInstrument({ id: 'TEST:X/USDT', tickSize: '0.001', lotSize: '1', takerFee: '0.2' });
    // 1 x 0.075 = 0.075 -> booked 0.08; fee 0.015 -> charged 0.02; together 0.10, where ceil(0.090) is only 0.09.
    expect(fundsRequired(costly, 'buy', fx('1'), fx('0.075'), one, false, scales).amount.toString()).toBe('0.10');
  });

  it('a reduce-only perpetual order holds nothing', () => {
    const need = fundsRequired(perp, 'sell', fx('0.3'), fx('30000'), fx('10'), true, scales);
    expect([need.currency, need.from, need.amount.toString()]).toEqual(['USDT', 'cash', '0.00']);
  });

  it('zero leverage is a request error', () => {
    expect(() => fundsRequired(perp, 'buy', fx('1'), fx('100'), fx('0'), false, scales)).toThrow(FixRequestError);
  });
});
