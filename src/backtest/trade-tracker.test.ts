import { describe, expect, it } from 'vitest';
import { TradeTracker } from './trade-tracker.js';

describe('round trips from fills', () => {
  it('values what an open trade still holds at the last close, its exit price averaged with the part already sold', () => {
    const trades = new TradeTracker(() => 1);
    trades.onFill('X', 0, 0, 'buy', 2, 100, 0);
    trades.onFill('X', 3, 180_000, 'sell', 1, 110, 0);
    trades.closeAtEnd(300_000, new Map([['X', { price: 105, index: 5 }]]));
    expect(trades.trades).toEqual([{ instrument: 'X', direction: 'long', entryTs: 0, exitTs: 300_000, qty: 2, entryPrice: 100, exitPrice: 107.5, pnl: 15, fees: 0, returnPct: 0.075, bars: 5, open: true }]);
  });

  it('leaves a trade a fill closed without the open flag', () => {
    const trades = new TradeTracker(() => 1);
    trades.onFill('X', 0, 0, 'buy', 2, 100, 0);
    trades.onFill('X', 3, 180_000, 'sell', 2, 110, 0);
    trades.closeAtEnd(300_000, new Map([['X', { price: 105, index: 5 }]]));
    expect(trades.trades.map((trade) => [trade.exitPrice, trade.open])).toEqual([[110, undefined]]);
  });
});
