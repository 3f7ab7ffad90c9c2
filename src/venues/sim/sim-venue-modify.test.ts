import { describe, expect, it } from 'vitest';
import { fx } from '../../core/fixed.js';
import { currency } from '../../core/ids.js';
import { SPOT, setup } from '../../../test/support/sim-venue-harness.js';

const USDT = currency('USDT');

describe('modifying an order at the simulated venue', () => {
  it('refuses a quantity the account cannot hold and keeps the order as it was', () => {
    const s = setup({ balances: { USDT: '10000' } });
    s.bar(100, 100, 100, 100);
    const o = s.order({ type: 'limit', price: fx('99'), quantity: fx('1') });
    expect(s.venue.account.locked(USDT).toPlainString()).toBe('99.099');
    s.venue.modify({ clientOrderId: o.clientOrderId, quantity: fx('500') });
    // 500 x 99 + 49.5 fee, against the 10000 free once the order's own 99.099 is counted
    expect(s.last(o)).toMatchObject({ type: 'OrderModifyRejected', reason: 'insufficient balance: needs 49549.5 USDT, 10000 free' });
    expect(s.venue.account.locked(USDT).toPlainString()).toBe('99.099');
    s.bar(100, 100, 100, 100);
    s.bar(98, 99, 97, 98);
    expect(s.fills(o).map((f) => [f.quantity.toPlainString(), f.price.toPlainString()])).toEqual([['1', '98']]);
    expect(s.venue.account.wallet(USDT).toPlainString()).toBe('9901.9804');
  });

  it('re-locks what a larger quantity needs', () => {
    const s = setup({ balances: { USDT: '10000' } });
    s.bar(100, 100, 100, 100);
    const o = s.order({ type: 'limit', price: fx('99'), quantity: fx('1') });
    s.venue.modify({ clientOrderId: o.clientOrderId, quantity: fx('50') });
    expect(s.last(o)?.type).toBe('OrderUpdated');
    expect(s.venue.account.locked(USDT).toPlainString()).toBe('4954.95');
    expect(s.venue.orderStatus(o.clientOrderId)?.quantity.toPlainString()).toBe('50');
  });

  it('refuses a quantity off the lot and a price off the tick', () => {
    const s = setup();
    s.bar(100, 100, 100, 100);
    const o = s.order({ type: 'limit', price: fx('99'), quantity: fx('1') });
    s.venue.modify({ clientOrderId: o.clientOrderId, quantity: fx('1.0005') });
    expect(s.last(o)).toMatchObject({ type: 'OrderModifyRejected', reason: 'quantity 1.0005 is not a multiple of the lot 0.001' });
    s.venue.modify({ clientOrderId: o.clientOrderId, price: fx('98.995') });
    expect(s.last(o)).toMatchObject({ type: 'OrderModifyRejected', reason: 'price 98.995 is not on the tick 0.01' });
    expect(s.venue.orderStatus(o.clientOrderId)?.quantity.toPlainString()).toBe('1');
  });

  it('refuses to move a post-only limit through the touch', () => {
    const s = setup({ fillModel: 'l1' });
    s.clock.advanceBy(1000);
    s.venue.onQuote({ type: 'quote', instrumentId: SPOT.id, ts: s.clock.now(), bidPrice: 99.9, bidSize: 5, askPrice: 100, askSize: 5 });
    const o = s.order({ type: 'limit', price: fx('99'), postOnly: true });
    expect(s.last(o)?.type).toBe('OrderAccepted');
    s.venue.modify({ clientOrderId: o.clientOrderId, price: fx('100.5') });
    expect(s.last(o)).toMatchObject({ type: 'OrderModifyRejected', reason: 'post-only order would take liquidity' });
    expect(s.fills(o)).toEqual([]);
  });

  it('a limit repriced through the market is a taker at the next open, as a new order would be', () => {
    const s = setup();
    s.bar(100, 100, 100, 100);
    const o = s.order({ type: 'limit', price: fx('95') });
    s.bar(100, 101, 99, 100);
    s.venue.modify({ clientOrderId: o.clientOrderId, price: fx('102') });
    s.bar(101, 101.5, 100.5, 101);
    expect(s.fills(o).map((f) => [f.price.toPlainString(), f.liquidity])).toEqual([['101', 'taker']]);
  });

  it('cancels, not rejects, a partly filled post-only limit that a new price makes take at the open, and frees its lock', () => {
    const s = setup({ balances: { USDT: '10000' }, volumeShare: fx('0.001') }); // 1 of a bar of 1000
    s.bar(100, 100, 100, 100);
    const o = s.order({ type: 'limit', price: fx('99'), quantity: fx('10'), postOnly: true });
    s.bar(100, 100, 98, 100); // 1 filled at 99 as maker
    s.venue.modify({ clientOrderId: o.clientOrderId, price: fx('101') });
    s.bar(100.5, 101, 100, 100.5); // opens through the new price: a post-only would take
    expect(s.last(o)).toMatchObject({ type: 'OrderCanceled', reason: 'post-only order would take liquidity' });
    expect(s.venue.orderStatus(o.clientOrderId)).toMatchObject({ status: 'canceled', reason: 'post-only order would take liquidity' });
    expect(s.venue.orderStatus(o.clientOrderId)?.filled.toPlainString()).toBe('1');
    expect(s.venue.account.locked(USDT).toPlainString()).toBe('0');
  });
});
