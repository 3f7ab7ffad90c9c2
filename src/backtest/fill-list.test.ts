import { describe, expect, it } from 'vitest';
import { FillList } from './fill-list.js';
import type { BacktestFill } from './result.js';

describe('FillList', () => {
  it('gives back the fills pushed, in order, as objects', () => {
    const fills: BacktestFill[] = Array.from({ length: 10_000 }, (_, i) => ({
      ts: 1_700_000_000_000 + i * 60_000,
      instrument: i % 3 === 0 ? 'X:BTC/USDT' : 'X:ETH/USDT',
      side: i % 2 === 0 ? 'buy' : 'sell',
      qty: i % 7 === 0 ? -0 : i / 8,
      price: 30_000 + i * 0.01,
      fee: i * 1e-9,
    }));
    const list = new FillList();
    for (const f of fills) list.push(f.ts, f.instrument, f.side, f.qty, f.price, f.fee);
    expect(list.length).toBe(fills.length);
    expect(list.toArray()).toEqual(fills);
    expect([...list]).toEqual(fills);
    expect(Object.keys(list.at(5)!)).toEqual(['ts', 'instrument', 'side', 'qty', 'price', 'fee']);
    expect(Object.is(list.at(7)!.qty, -0)).toBe(true);
    expect(list.map((f, i) => [i, f.side])[1]).toEqual([1, 'sell']);
    expect(list.at(fills.length)).toBeUndefined();
    expect(list.at(-1)).toBeUndefined();
  });
});
