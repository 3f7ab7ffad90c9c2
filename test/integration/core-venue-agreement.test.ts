import { describe, expect, it } from 'vitest';
import { fx } from '../../src/core/fixed.js';
import { BTC, coreOnVenue, PERP, SPOT, USDT } from '../support/core-venue-desk.js';

/** Scenarios where the venue's account and the desk's books must end alike, with nothing refused between them. */
describe('the books follow the simulated venue', () => {
  it("a large market sell on a thin bar with volume-share slippage fills at the bar's low, and the books take it", () => {
    const d = coreOnVenue({ venue: { slippage: { kind: 'volume-share', impact: fx('0.1') } }, cash: '100000' });
    d.bar(100, 100, 100, 100, SPOT, 1000);
    d.submit({ quantity: fx('50') });
    d.bar(100, 101, 99, 100, SPOT, 1000); // 50 of 1000 x 0.1: 0.5% above the open
    d.submit({ side: 'sell', quantity: fx('50') });
    d.bar(100, 101, 99, 100, SPOT, 0.4); // 50 of 0.4 x 0.1 = 1250% below the open: held to the low
    const fills = d.events().flatMap((e) => (e.type === 'OrderFilled' ? [`${e.fill.side} ${e.fill.price.toPlainString()}`] : []));
    expect(fills).toEqual(['buy 100.5', 'sell 99']);
    expect(d.anomalies).toEqual([]);
    expect(d.core.oms.openCount()).toBe(0);
    expect(d.core.ledger.position('desk', SPOT)?.quantity.isZero()).toBe(true);
    expect(d.venue.account.wallet(BTC).isZero()).toBe(true);
    // 100000 - 5025 - 5.025 fee + 4950 - 4.95 fee
    expect(d.core.ledger.balance('desk', 'cash', USDT).toPlainString()).toBe('99915.025');
    expect(d.venue.account.wallet(USDT).toPlainString()).toBe('99915.025');
  });

  it('an entry the venue cut for funds after a partial fill gets its stop-loss for what filled, and the stop protects it', () => {
    const d = coreOnVenue({ cash: '1000' });
    d.bar(100, 100, 100, 100);
    const entry = d.submit({ quantity: fx('9'), stopLoss: fx('96') });
    d.bar(115, 115, 115, 115); // 9 x 115 + fee does not fit in 1000: 8.686 fill, the rest is canceled
    expect([d.core.oms.get(entry)?.status, d.core.oms.get(entry)?.filledQuantity.toPlainString()]).toEqual(['canceled', '8.686']);
    const stops = d.core.oms.openOrders().map((o) => [o.spec.linkage?.role, o.spec.type, o.spec.side, o.spec.quantity.toPlainString(), o.spec.triggerPrice?.toPlainString()]);
    expect(stops).toEqual([['stop-loss', 'stop-market', 'sell', '8.686', '96']]);
    d.bar(90, 90, 50, 50); // opens below the stop: sold at the open
    expect(d.core.ledger.position('desk', SPOT)?.quantity.isZero()).toBe(true);
    expect(d.events().filter((e) => e.type === 'OrderFilled').map((e) => (e.type === 'OrderFilled' ? `${e.fill.side} ${e.fill.quantity.toPlainString()} @ ${e.fill.price.toPlainString()}` : ''))).toEqual([
      'buy 8.686 @ 115',
      'sell 8.686 @ 90',
    ]);
    expect(d.anomalies).toEqual([]);
    expect(d.replayed().snapshot()).toBe(d.core.snapshot());
  });

  it('an entry canceled on request after filling part of it gets its OCO exits for what filled', () => {
    const d = coreOnVenue({ venue: { volumeShare: fx('0.001') } }); // at most 1 of a bar of 1000
    d.bar(100, 100, 100, 100, PERP);
    const entry = d.submit({ instrumentId: PERP, type: 'limit', price: fx('100'), quantity: fx('3'), stopLoss: fx('95'), takeProfit: fx('104') });
    d.bar(100, 100, 99, 100, PERP);
    expect(d.core.oms.get(entry)?.filledQuantity.toPlainString()).toBe('1');
    expect(d.core.oms.openCount()).toBe(1);
    d.core.cancelOrder(entry);
    const exits = d.core.oms.openOrders().map((o) => [o.spec.linkage?.role, o.spec.quantity.toPlainString(), o.spec.reduceOnly]);
    expect(exits).toEqual([
      ['stop-loss', '1', true],
      ['take-profit', '1', true],
    ]);
    d.bar(104.5, 105, 104, 105, PERP); // the take-profit fills at the open, its stop is canceled
    expect(d.core.oms.openCount()).toBe(0);
    expect(d.core.ledger.position('desk', PERP)?.quantity.isZero()).toBe(true);
    expect(d.core.ledger.balance('desk', 'realised-pnl', USDT).toPlainString()).toBe('4.5');
    expect(d.booked().eq(d.venue.account.wallet(USDT))).toBe(true);
    expect(d.anomalies).toEqual([]);
    expect(d.replayed().snapshot()).toBe(d.core.snapshot());
  });

  it("a bracket's take-profit the bar opens beyond fills at the open, before its stop-loss that the bar reaches later", () => {
    const d = coreOnVenue({ limits: { priceBand: fx('0.2') } });
    d.bar(100, 100, 100, 100, PERP);
    d.submit({ instrumentId: PERP, quantity: fx('10'), stopLoss: fx('95'), takeProfit: fx('110') });
    d.bar(100, 100, 100, 100, PERP); // the entry fills at 100; its stop-loss and take-profit go out
    d.bar(112, 113, 94, 100, PERP);
    const fills = d.events().flatMap((e) => (e.type === 'OrderFilled' ? [`${e.fill.side} ${e.fill.quantity.toPlainString()} @ ${e.fill.price.toPlainString()}`] : []));
    expect(fills).toEqual(['buy 10 @ 100', 'sell 10 @ 112']);
    expect(d.core.ledger.balance('desk', 'realised-pnl', USDT).toPlainString()).toBe('120');
    expect(d.core.oms.openCount()).toBe(0);
    expect(d.anomalies).toEqual([]);
  });

  it('a partly filled post-only limit repriced to take ends canceled in the books as at the venue, its reservation freed', () => {
    const d = coreOnVenue({ venue: { volumeShare: fx('0.001') } }); // 1 of a bar of 1000
    d.bar(100, 100, 100, 100);
    const id = d.submit({ type: 'limit', price: fx('99'), quantity: fx('10'), postOnly: true });
    d.bar(100, 100, 98, 100); // 1 fills at 99 as maker
    d.core.modifyOrder({ clientOrderId: id, price: fx('101') });
    d.bar(100.5, 101, 100, 100.5); // opens through the new price: a post-only would take
    expect(d.venue.orderStatus(id)?.status).toBe('canceled');
    expect([d.core.oms.get(id)?.status, d.core.oms.get(id)?.lastReason, d.core.oms.get(id)?.filledQuantity.toPlainString()]).toEqual([
      'canceled',
      'post-only order would take liquidity',
      '1',
    ]);
    expect(d.core.oms.openCount()).toBe(0);
    expect(d.core.ledger.balance('desk', 'reserved', USDT).toPlainString()).toBe('0');
    expect(d.venue.account.locked(USDT).toPlainString()).toBe('0');
    // 10000 - 99 - 0.0198 maker fee
    expect(d.core.ledger.balance('desk', 'cash', USDT).toPlainString()).toBe('9900.9802');
    expect(d.venue.account.wallet(USDT).toPlainString()).toBe('9900.9802');
    expect(d.anomalies).toEqual([]);
    expect(d.replayed().snapshot()).toBe(d.core.snapshot());
  });

  it('with latency, an order sent while a larger modify is on its way cannot take the cash the modify will use', () => {
    const d = coreOnVenue({ venue: { latencyMs: 1000 } });
    d.bar(100, 100, 100, 100);
    const a = d.submit({ type: 'limit', price: fx('99'), quantity: fx('10') });
    d.bar(100, 100, 100, 100); // a reaches the venue and rests
    d.core.modifyOrder({ clientOrderId: a, quantity: fx('90') });
    // The books hold 90 x 99 x 1.001 for a from now on: 50 more at 99 no longer fit in what is left.
    expect(d.core.ledger.balance('desk', 'reserved', USDT).toPlainString()).toBe('8918.910002');
    const b = d.core.submitIntent(d.intent({ type: 'limit', price: fx('99'), quantity: fx('50') }));
    expect(b).toMatchObject({ status: 'denied', code: 'insufficient_funds' });
    d.bar(100, 100, 100, 100); // the modify arrives and is made
    d.bar(99, 99, 98, 99); // a fills whole at the 99 open
    expect(d.anomalies).toEqual([]);
    expect([d.core.oms.get(a)?.status, d.core.oms.get(a)?.filledQuantity.toPlainString()]).toEqual(['filled', '90']);
    expect(d.core.ledger.position('desk', SPOT)?.quantity.toPlainString()).toBe('90');
    expect(d.venue.account.wallet(BTC).toPlainString()).toBe('90');
    expect(d.core.ledger.balance('desk', 'reserved', USDT).toPlainString()).toBe('0');
    expect(d.booked().toPlainString()).toBe(d.venue.account.wallet(USDT).toPlainString());
    expect(d.replayed().snapshot()).toBe(d.core.snapshot());
  });

  it('a modify the venue refuses gives back what the books held for it', () => {
    // The venue account holds less than the books know of (cash still on its way to it, say).
    const d = coreOnVenue({ venue: { latencyMs: 1000, balances: { USDT: '2000' } } });
    d.bar(100, 100, 100, 100);
    const a = d.submit({ type: 'limit', price: fx('99'), quantity: fx('10') });
    d.bar(100, 100, 100, 100);
    d.core.modifyOrder({ clientOrderId: a, quantity: fx('90') });
    expect(d.core.ledger.balance('desk', 'reserved', USDT).toPlainString()).toBe('8918.910002');
    d.bar(100, 100, 100, 100);
    d.bar(100, 100, 100, 100); // the modify arrives and is refused
    expect(d.core.oms.get(a)?.status).toBe('accepted');
    expect(d.events().at(-2)).toMatchObject({ type: 'OrderModifyRejected', reason: 'insufficient balance: needs 8918.91 USDT, 2000 free' });
    expect(d.core.ledger.balance('desk', 'reserved', USDT).toPlainString()).toBe('990.99');
    expect(d.venue.account.locked(USDT).toPlainString()).toBe('990.99');
    expect(d.anomalies).toEqual([]);
    expect(d.replayed().snapshot()).toBe(d.core.snapshot());
  });

  it('two modifies on their way, the first made and the second refused: the order stays as the first made it', () => {
    const d = coreOnVenue({ venue: { latencyMs: 1000, balances: { USDT: '2000' } } });
    d.bar(100, 100, 100, 100);
    const a = d.submit({ type: 'limit', price: fx('99'), quantity: fx('10') });
    d.bar(100, 100, 100, 100);
    d.core.modifyOrder({ clientOrderId: a, quantity: fx('15') });
    d.core.modifyOrder({ clientOrderId: a, quantity: fx('90') }); // more than the venue account can hold
    d.bar(100, 100, 100, 100);
    d.bar(100, 100, 100, 100);
    expect(d.events().slice(-4).map((e) => e.type)).toEqual(['MarksUpdated', 'OrderUpdated', 'OrderModifyRejected', 'MarksUpdated']);
    expect(d.anomalies).toEqual([]);
    expect([d.core.oms.get(a)?.status, d.core.oms.get(a)?.spec.quantity.toPlainString()]).toEqual(['accepted', '15']);
    expect(d.core.ledger.balance('desk', 'reserved', USDT).toPlainString()).toBe('1486.485');
    expect(d.venue.account.locked(USDT).toPlainString()).toBe('1486.485');
    expect(d.replayed().snapshot()).toBe(d.core.snapshot());
  });

  it('a cross-margin liquidation cancels the spot order whose hold the wallet lost, and the books end as the venue does', () => {
    const d = coreOnVenue({ venue: { marginMode: 'cross' }, cash: '1000', limits: { priceBand: fx('0.2') } });
    d.bar(100, 100, 100, 100, SPOT);
    d.bar(100, 100, 100, 100, PERP);
    const buy = d.submit({ instrumentId: SPOT, type: 'limit', price: fx('90'), quantity: fx('4') });
    d.submit({ instrumentId: PERP, quantity: fx('50') });
    d.bar(100, 100, 100, 100, PERP);
    expect(d.core.ledger.balance('desk', 'reserved', USDT).toPlainString()).toBe('360.36');
    d.bar(99, 99, 78, 86, PERP);
    expect(d.events().some((e) => e.type === 'PositionLiquidated')).toBe(true);
    expect(d.core.oms.get(buy)?.status).toBe('canceled');
    expect(d.core.oms.openCount()).toBe(0);
    expect(d.core.ledger.balance('desk', 'cash', USDT).toPlainString()).toBe('0.385');
    expect(d.core.ledger.balance('desk', 'reserved', USDT).toPlainString()).toBe('0');
    expect(d.venue.account.wallet(USDT).toPlainString()).toBe('0.385');
    expect(d.anomalies).toEqual([]);
    expect(d.replayed().snapshot()).toBe(d.core.snapshot());
  });

  it('funding on a perpetual held by several sleeves is split so the books pay exactly what the venue settled', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const d = coreOnVenue();
      d.core.transfer('desk', 'a', USDT, fx('4000'));
      d.core.transfer('desk', 'b', USDT, fx('4000'));
      const long = (1 + ((seed * 37) % 997) / 1000).toFixed(3);
      const short = (0.1 + ((seed * 53) % 491) / 1000).toFixed(3);
      d.bar(100.01, 100.01, 100.01, 100.01, PERP);
      d.submit({ owner: 'a', instrumentId: PERP, quantity: fx(long) });
      d.submit({ owner: 'b', instrumentId: PERP, side: 'sell', quantity: fx(short) });
      d.bar(100.03, 100.03, 100.03, 100.03, PERP);
      d.venue.onFunding({ type: 'funding-rate', instrumentId: PERP, ts: d.clock.now(), rate: 0.0001 + seed * 1.3e-7 });
      const settled = d.events().filter((e) => e.type === 'FundingApplied');
      expect(settled.map((e) => (e.type === 'FundingApplied' ? [e.owner, e.amount.isPositive()] : []))).toEqual([
        ['a', true],
        ['b', false],
      ]);
      expect(d.booked(['desk', 'a', 'b']).toPlainString()).toBe(d.venue.account.wallet(USDT).toPlainString());
      expect(d.anomalies).toEqual([]);
    }
  });
});
