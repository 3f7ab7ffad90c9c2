import { describe, expect, it } from 'vitest';
import { instrumentId } from '../core/ids.js';
import type { UnixMs } from '../core/time.js';
import { barProblem, byTimeMarksFirst, type FundingRate, type MarkPrice } from './market-data.js';

const GOOD = { ts: 1_700_000_000_000 as UnixMs, open: 100, high: 110, low: 95, close: 105, volume: 12.5 };

describe('barProblem', () => {
  it.each([
    ['a normal bar', GOOD],
    ['a flat bar', { ...GOOD, open: 100, high: 100, low: 100, close: 100 }],
    ['zero volume', { ...GOOD, volume: 0 }],
    ['open at the high, close at the low', { ...GOOD, open: 110, close: 95 }],
  ])('accepts %s', (_name, bar) => {
    expect(barProblem(bar)).toBeUndefined();
  });

  it.each([
    ['NaN close', { ...GOOD, close: Number.NaN }, 'a price or volume is not a finite number'],
    ['infinite high', { ...GOOD, high: Number.POSITIVE_INFINITY }, 'a price or volume is not a finite number'],
    ['NaN volume', { ...GOOD, volume: Number.NaN }, 'a price or volume is not a finite number'],
    ['zero low', { ...GOOD, low: 0 }, 'a price is zero or negative'],
    ['negative open', { ...GOOD, open: -1 }, 'a price is zero or negative'],
    ['negative volume', { ...GOOD, volume: -0.1 }, 'volume is negative'],
    ['high below low', { ...GOOD, high: 90, low: 95, open: 92, close: 93 }, 'high 90 is below low 95'],
    ['open above high', { ...GOOD, open: 111 }, 'open or close is above high'],
    ['close above high', { ...GOOD, close: 110.5 }, 'open or close is above high'],
    ['open below low', { ...GOOD, open: 94 }, 'open or close is below low'],
    ['close below low', { ...GOOD, close: 94.99 }, 'open or close is below low'],
  ])('rejects %s', (_name, bar, problem) => {
    expect(barProblem(bar)).toBe(problem);
  });
});

const ID = instrumentId('TEST:XRP/USDT:USDT');
const funding = (ts: number): FundingRate => ({ type: 'funding-rate', instrumentId: ID, ts: ts as UnixMs, rate: 0.0001 });
const mark = (ts: number, price: number): MarkPrice => ({ type: 'mark-price', instrumentId: ID, ts: ts as UnixMs, price });

describe('byTimeMarksFirst', () => {
  it('orders by time, and puts the mark of a funding time before the funding', () => {
    const sorted = byTimeMarksFirst([funding(200), mark(300, 3), funding(100), mark(100, 1), mark(200, 2)]);
    expect(sorted.map((item) => `${item.type === 'mark-price' ? 'mark' : 'funding'}@${item.ts}`)).toEqual(['mark@100', 'funding@100', 'mark@200', 'funding@200', 'mark@300']);
  });
});
