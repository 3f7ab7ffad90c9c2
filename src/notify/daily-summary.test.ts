import { describe, expect, it } from 'vitest';
import type { UnixMs } from '../core/time.js';
import { DailySummaryAccumulator } from './daily-summary.js';
import { sampleFill, sampleLiquidation } from '../../test/support/notify-sample-events.js';
import { ScriptedBooks } from '../../test/support/scripted-books.js';

const T = Date.UTC(2026, 0, 5) as UnixMs;
const XRP = 'BINANCE:XRP/USDT:USDT';
const BTC = 'BINANCE:BTC/USDT';

const plain = (figures: ReadonlyMap<string, { toPlainString(): string }>): Record<string, string> =>
  Object.fromEntries([...figures].map(([currency, amount]) => [currency, amount.toPlainString()]));

describe("the daily summary's figures", () => {
  it("count a perpetual's contract size in the volume, a liquidation's too", () => {
    const books = new ScriptedBooks({ [XRP]: '10', 'BYBIT:BTC/USDT:USDT': '0.001' });
    const day = new DailySummaryAccumulator(books);
    day.onEvent(sampleFill('f1', T, 'buy', '300', '0.5', '0.075', XRP));
    // 0.2 contracts of 0.001 BTC at 41000.5.
    day.onEvent(sampleLiquidation('l1', T));
    expect(plain(day.figures().volumeByCurrency)).toEqual({ USDT: '1508.2001' });
  });

  it('take realised PnL from the books: two sleeves in one instrument each realise against their own cost', () => {
    const books = new ScriptedBooks();
    const day = new DailySummaryAccumulator(books);
    // Sleeve a buys 1 at 100, sleeve b buys 1 at 120, a sells its 1 at 110: a realises +10 (the desk's average cost
    // of 110 would say 0).
    day.onEvent(sampleFill('a1', T, 'buy', '1', '100', '0', BTC));
    day.onEvent(sampleFill('b1', T, 'buy', '1', '120', '0', BTC));
    books.realise(BTC, '10');
    day.onEvent(sampleFill('a2', T, 'sell', '1', '110', '0', BTC));
    expect(plain(day.figures().realisedPnlByCurrency)).toEqual({ USDT: '10' });
    // A new day counts only what is realised in it.
    day.resetDay();
    books.realise(BTC, '-30');
    day.onEvent(sampleFill('b2', T, 'sell', '1', '90', '0', BTC));
    expect(plain(day.figures().realisedPnlByCurrency)).toEqual({ USDT: '-30' });
  });
});
