import { describe, expect, it } from 'vitest';
import { fx } from '../../core/fixed.js';
import { SPOT, setup } from '../../../test/support/sim-venue-harness.js';

describe('L1: quotes and trades', () => {
  const quote = (s: ReturnType<typeof setup>, bid: number, ask: number, size = 10) => {
    s.clock.advanceBy(1000);
    s.venue.onQuote({ type: 'quote', instrumentId: SPOT.id, ts: s.clock.now(), bidPrice: bid, bidSize: size, askPrice: ask, askSize: size });
  };
  const trade = (s: ReturnType<typeof setup>, price: number, size = 1) => {
    s.clock.advanceBy(1000);
    s.venue.onTrade({ type: 'trade', instrumentId: SPOT.id, ts: s.clock.now(), price, size, aggressor: 'sell', tradeId: 'x' });
  };

  it('fills market orders at the touch: buys at the ask, sells at the bid', () => {
    const s = setup({ fillModel: 'l1', balances: { USDT: '100000', BTC: '5' } });
    quote(s, 99.5, 100.5);
    const buy = s.order({});
    const sell = s.order({ side: 'sell' });
    expect(s.fills(buy).map((f) => f.price.toPlainString())).toEqual(['100.5']);
    expect(s.fills(sell).map((f) => f.price.toPlainString())).toEqual(['99.5']);
  });

  it('fills a resting limit at its price when the quote moves through it', () => {
    const s = setup({ fillModel: 'l1' });
    quote(s, 99.5, 100.5);
    const o = s.order({ type: 'limit', price: fx('99') });
    quote(s, 98.5, 99.2);
    expect(s.fills(o)).toEqual([]);
    quote(s, 98, 98.9);
    expect(s.fills(o).map((f) => [f.price.toPlainString(), f.liquidity])).toEqual([['99', 'maker']]);
  });

  it('fills a resting limit when a trade goes through its price, not when one only touches it', () => {
    const s = setup({ fillModel: 'l1' });
    quote(s, 99.5, 100.5);
    const o = s.order({ type: 'limit', price: fx('99') });
    trade(s, 99);
    expect(s.fills(o)).toEqual([]);
    trade(s, 98.99);
    expect(s.fills(o).map((f) => f.price.toPlainString())).toEqual(['99']);
  });

  it('rejects a post-only limit that would take, and rests one that would not', () => {
    const s = setup({ fillModel: 'l1' });
    quote(s, 99.5, 100.5);
    const taking = s.order({ type: 'limit', price: fx('100.5'), postOnly: true });
    const resting = s.order({ type: 'limit', price: fx('100.4'), postOnly: true });
    expect(s.last(taking)).toMatchObject({ type: 'OrderRejected', reason: 'post-only order would take liquidity' });
    expect(s.venue.orderStatus(resting.clientOrderId)?.status).toBe('open');
  });

  it('triggers a stop on the quote and fills it at the touch', () => {
    const s = setup({ fillModel: 'l1' });
    quote(s, 99.5, 100.5);
    const o = s.order({ type: 'stop-market', triggerPrice: fx('101') });
    quote(s, 100.5, 101.5);
    expect(s.fills(o).map((f) => f.price.toPlainString())).toEqual(['101.5']);
  });
});

describe('L2: book walking and queue position', () => {
  const book = (s: ReturnType<typeof setup>, bids: [number, number][], asks: [number, number][]) => {
    s.clock.advanceBy(1000);
    s.venue.onBook({ type: 'book-snapshot', instrumentId: SPOT.id, ts: s.clock.now(), sequence: 1, bids, asks });
  };
  const trade = (s: ReturnType<typeof setup>, price: number, size: number, aggressor: 'buy' | 'sell') => {
    s.clock.advanceBy(1000);
    s.venue.onTrade({ type: 'trade', instrumentId: SPOT.id, ts: s.clock.now(), price, size, aggressor, tradeId: 't' });
  };

  it('walks the levels with a market order: partial fills across levels at the average price', () => {
    const s = setup({ fillModel: 'l2' });
    book(s, [[99, 5]], [[100, 1], [101, 2], [102, 5]]);
    const o = s.order({ quantity: fx('2.5') });
    // 1 @ 100 + 1.5 @ 101 = 251.5 / 2.5 = 100.6
    expect(s.fills(o).map((f) => [f.quantity.toPlainString(), f.price.toPlainString()])).toEqual([['2.5', '100.6']]);
  });

  it('a marketable limit walks only up to its price and rests the remainder', () => {
    const s = setup({ fillModel: 'l2' });
    book(s, [[99, 5]], [[100, 1], [101, 2]]);
    const o = s.order({ type: 'limit', price: fx('100'), quantity: fx('3') });
    expect(s.fills(o).map((f) => [f.quantity.toPlainString(), f.price.toPlainString()])).toEqual([['1', '100']]);
    expect(s.venue.orderStatus(o.clientOrderId)?.status).toBe('open');
  });

  it('a resting limit fills only when trades at its price have exhausted the queue ahead of it', () => {
    const s = setup({ fillModel: 'l2' });
    book(s, [[99, 3]], [[100, 5]]);
    const o = s.order({ type: 'limit', price: fx('99'), quantity: fx('2') });
    trade(s, 99, 2, 'sell');
    expect(s.fills(o)).toEqual([]);
    trade(s, 99, 2, 'sell'); // 1 left ahead, then 1 for us
    expect(s.fills(o).map((f) => [f.quantity.toPlainString(), f.liquidity])).toEqual([['1', 'maker']]);
    trade(s, 99, 5, 'sell');
    expect(s.fills(o).map((f) => f.quantity.toPlainString())).toEqual(['1', '1']);
    expect(s.venue.orderStatus(o.clientOrderId)?.status).toBe('filled');
  });

  it('a limit that took part of its quantity and rests queues for the rest: a trade at its price fills the rest', () => {
    const s = setup({ fillModel: 'l2' });
    book(s, [[99, 5]], [[100, 0.4], [101, 5]]);
    const o = s.order({ type: 'limit', price: fx('100'), quantity: fx('1') }); // takes 0.4 @ 100, rests 0.6 at 100
    book(s, [[99, 5]], [[101, 5]]);
    trade(s, 100, 0.5, 'sell'); // nothing ahead of it at 100
    expect(s.fills(o).map((f) => [f.quantity.toPlainString(), f.price.toPlainString(), f.liquidity])).toEqual([
      ['0.4', '100', 'taker'],
      ['0.5', '100', 'maker'],
    ]);
    trade(s, 100, 0.5, 'sell');
    expect(s.fills(o).map((f) => f.quantity.toPlainString())).toEqual(['0.4', '0.5', '0.1']);
    expect(s.venue.orderStatus(o.clientOrderId)?.status).toBe('filled');
  });

  it('a limit moved to a new price queues at the back there, and trades at its old price no longer fill it', () => {
    const s = setup({ fillModel: 'l2' });
    book(s, [[99, 2], [98, 50]], [[100, 5]]);
    const o = s.order({ type: 'limit', price: fx('99'), quantity: fx('1') }); // behind 2 at 99
    s.venue.modify({ clientOrderId: o.clientOrderId, price: fx('98') }); // behind 50 at 98
    trade(s, 99, 3, 'sell');
    expect(s.fills(o)).toEqual([]);
    trade(s, 98, 50.5, 'sell');
    expect(s.fills(o).map((f) => [f.quantity.toPlainString(), f.price.toPlainString(), f.liquidity])).toEqual([['0.5', '98', 'maker']]);
  });

  it('a larger quantity sends a resting limit to the back of its queue', () => {
    const s = setup({ fillModel: 'l2' });
    book(s, [[99, 2]], [[100, 5]]);
    const o = s.order({ type: 'limit', price: fx('99'), quantity: fx('1') }); // behind 2
    trade(s, 99, 1, 'sell'); // 1 left ahead
    s.venue.modify({ clientOrderId: o.clientOrderId, quantity: fx('2') }); // behind the 2 the book shows at 99
    trade(s, 99, 2.5, 'sell');
    expect(s.fills(o).map((f) => f.quantity.toPlainString())).toEqual(['0.5']);
  });

  it('a smaller quantity keeps its place, and a trade never fills more than the order has left', () => {
    const s = setup({ fillModel: 'l2' });
    book(s, [[99, 2]], [[100, 5]]);
    const o = s.order({ type: 'limit', price: fx('99'), quantity: fx('1') }); // behind 2
    s.venue.modify({ clientOrderId: o.clientOrderId, quantity: fx('0.4') });
    trade(s, 99, 3, 'sell');
    expect(s.fills(o).map((f) => f.quantity.toPlainString())).toEqual(['0.4']);
    expect(s.venue.orderStatus(o.clientOrderId)).toMatchObject({ status: 'filled' });
  });
});
