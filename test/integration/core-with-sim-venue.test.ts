import { describe, expect, it, vi } from 'vitest';
import { TestClock } from '../../src/core/clock.js';
import { fx } from '../../src/core/fixed.js';
import { currency, intentId } from '../../src/core/ids.js';
import { TradingCore } from '../../src/engine/trading-core.js';
import type { SimVenueOptions } from '../../src/venues/sim/options.js';
import { coreOnVenue, PERP, SPOT, USDT } from '../support/core-venue-desk.js';

const desk = (venue: Partial<SimVenueOptions> = {}, cash = '10000') => coreOnVenue({ venue, cash });
const sleeves = (cash = '10000') => coreOnVenue({ cash, ownersShareVenueAccount: true });

describe('the trading core against the simulated venue', () => {
  it('books a round trip exactly as the venue filled it, and the two agree', () => {
    const d = desk();
    d.bar(100, 100, 100, 100);
    d.core.submitIntent(d.intent({ quantity: fx('10') }));
    d.bar(101, 102, 100, 101.5);
    d.core.submitIntent(d.intent({ side: 'sell', type: 'limit', price: fx('103'), quantity: fx('10') }));
    d.bar(101.5, 104, 101, 103.5);
    const ledger = d.core.ledger;
    // bought 10 @ 101 (fee 1.01), sold 10 @ 103 as maker (fee 0.206)
    expect(ledger.balance('desk', 'realised-pnl', USDT).toPlainString()).toBe('20');
    expect(ledger.balance('desk', 'fees', USDT).toPlainString()).toBe('1.216');
    expect(ledger.balance('desk', 'cash', USDT).toPlainString()).toBe('10018.784');
    expect(d.venue.account.wallet(USDT).toPlainString()).toBe('10018.784');
    expect(d.venue.snapshot().positions).toEqual([]);
    expect(d.core.oms.openCount()).toBe(0);
  });

  it('books a market buy the venue cut at a gap to what the account could pay, and the books agree with the venue', () => {
    const d = desk({}, '1000');
    const anomalies: string[] = [];
    d.core.anomalies.subscribe((anomaly) => anomalies.push(anomaly.problem));
    d.bar(100, 100, 100, 100);
    // The gate holds 9 x 105 (the band's edge) + fee = 945.945; the venue holds 9 x 100 + fee = 900.9.
    const outcome = d.core.submitIntent(d.intent({ quantity: fx('9') }));
    if (outcome.status !== 'submitted') throw new Error(`not submitted: ${outcome.status}`);
    expect(d.core.ledger.balance('desk', 'reserved', USDT).toPlainString()).toBe('945.945');
    d.bar(115, 115, 115, 115); // 9 x 115 + fee = 1036.035 > 1000: 8.686 fit (998.89 + 0.99889)
    const order = d.core.oms.get(outcome.clientOrderId);
    expect([order?.status, order?.filledQuantity.toPlainString()]).toEqual(['canceled', '8.686']);
    expect(d.core.ledger.position('desk', SPOT)?.quantity.toPlainString()).toBe('8.686');
    expect(d.core.ledger.balance('desk', 'fees', USDT).toPlainString()).toBe('0.99889');
    expect(d.core.ledger.balance('desk', 'reserved', USDT).toPlainString()).toBe('0');
    expect(d.core.ledger.balance('desk', 'cash', USDT).toPlainString()).toBe('0.11111');
    expect(d.venue.account.wallet(USDT).toPlainString()).toBe('0.11111');
    expect(d.venue.account.wallet(currency('BTC')).toPlainString()).toBe('8.686');
    expect(anomalies).toEqual([]);
    const replayed = TradingCore.replay(d.config, d.core.store.read(0), { clock: new TestClock(d.clock.now()) });
    expect(replayed.snapshot()).toBe(d.core.snapshot());
  });

  it('books a perpetual entry the venue cut at a gap to the margin it had, and the books agree with the venue', () => {
    const d = desk({}, '1000');
    d.bar(100, 100, 100, 100, PERP);
    // 10x: the gate holds 90 x 105 / 10 + fee = 949.725; at the 115 open the entry needs 1035 + 5.175.
    const outcome = d.core.submitIntent(d.intent({ instrumentId: PERP, quantity: fx('90') }));
    if (outcome.status !== 'submitted') throw new Error(`not submitted: ${outcome.status}`);
    d.bar(115, 115, 115, 115, PERP);
    const order = d.core.oms.get(outcome.clientOrderId);
    // 86.523 x 115 / 10 = 995.0145 margin + 4.975072 fee fits in 1000; 86.524 would not
    expect([order?.status, order?.filledQuantity.toPlainString()]).toEqual(['canceled', '86.523']);
    expect(d.core.ledger.balance('desk', 'margin', USDT).toPlainString()).toBe('995.0145');
    expect(d.core.ledger.balance('desk', 'cash', USDT).toPlainString()).toBe('0.010428');
    expect(d.core.ledger.balance('desk', 'reserved', USDT).toPlainString()).toBe('0');
    expect(d.venue.account.wallet(USDT).toPlainString()).toBe('995.024928');
    expect(d.venue.account.free(USDT, new Map()).toPlainString()).toBe('0.010428');
  });

  it('refuses a modify the books cannot take before journaling or sending it, and re-reserves one they can', () => {
    const d = desk();
    d.bar(100, 100, 100, 100);
    const outcome = d.core.submitIntent(d.intent({ type: 'limit', price: fx('99'), quantity: fx('1') }));
    if (outcome.status !== 'submitted') throw new Error(`not submitted: ${outcome.status}`);
    const id = outcome.clientOrderId;
    d.bar(100, 100, 100, 100);
    const journaled = d.core.store.read(0).length;
    // 500 x 99 = 49500 > 10000 cash
    expect(() => d.core.modifyOrder({ clientOrderId: id, quantity: fx('500') })).toThrow(`cannot modify ${id}: insufficient funds to update ${id}`);
    expect(() => d.core.modifyOrder({ clientOrderId: id, quantity: fx('2.0005') })).toThrow(`cannot modify ${id}: quantity 2.0005 is not a multiple of the lot 0.001`);
    expect(() => d.core.modifyOrder({ clientOrderId: id, price: fx('98.995') })).toThrow(`cannot modify ${id}: price 98.995 is not on the tick 0.01`);
    expect(d.core.store.read(0).length).toBe(journaled);
    expect(d.core.oms.get(id)?.status).toBe('accepted');
    expect(d.venue.orderStatus(id)?.quantity.toPlainString()).toBe('1');

    d.core.modifyOrder({ clientOrderId: id, quantity: fx('50') });
    expect(d.core.oms.get(id)?.status).toBe('accepted');
    expect(d.core.ledger.balance('desk', 'reserved', USDT).toPlainString()).toBe('4954.95');
    expect(d.venue.account.locked(USDT).toPlainString()).toBe('4954.95');
    d.bar(98, 99, 97, 98);
    // 50 filled as maker at the 98 open: 4900 + 0.98 fee
    expect(d.core.ledger.position('desk', SPOT)?.quantity.toPlainString()).toBe('50');
    expect(d.core.ledger.balance('desk', 'cash', USDT).toPlainString()).toBe('5099.02');
    expect(d.venue.account.wallet(USDT).toPlainString()).toBe('5099.02');
    expect(d.core.ledger.balance('desk', 'reserved', USDT).toPlainString()).toBe('0');
  });

  it('books the venue funding per owner and a liquidation it reports', () => {
    const d = desk({}, '1000');
    d.bar(100, 100, 100, 100, PERP);
    d.core.submitIntent(d.intent({ instrumentId: PERP, quantity: fx('10') }));
    d.bar(100, 100, 100, 100, PERP);
    d.venue.onFunding({ type: 'funding-rate', instrumentId: PERP, ts: d.clock.now(), rate: 0.0001 });
    expect(d.core.ledger.balance('desk', 'funding', USDT).toPlainString()).toBe('0.1');
    d.bar(95, 96, 90, 91, PERP);
    const liquidated = d.core.store.read(0).find((e) => e.type === 'PositionLiquidated');
    expect(liquidated).toMatchObject({ type: 'PositionLiquidated', side: 'sell' });
    expect(d.core.ledger.position('desk', PERP)?.quantity.isZero()).toBe(true);
    expect(d.core.ledger.balance('desk', 'margin', USDT).isZero()).toBe(true);
    // 1000 - 0.5 entry fee - 0.1 funding - 95.4 loss - 4.523 liquidation fee
    expect(d.core.ledger.balance('desk', 'cash', USDT).toPlainString()).toBe('899.477');
    expect(d.venue.account.wallet(USDT).toPlainString()).toBe('899.477');
    const replayed = TradingCore.replay(d.config, d.core.store.read(0), { clock: new TestClock(d.clock.now()) });
    expect(replayed.snapshot()).toBe(d.core.snapshot());
  });

  it('moves protective exits given as fractions to the price the entry filled at, for a long and a short', () => {
    const d = desk();
    d.bar(100, 100, 100, 100, PERP);
    const exits = { stopLoss: fx('0.08'), takeProfit: fx('0.2') };
    // Priced at the reference (100) for the gate; the entry fills at the next open, 105.
    d.core.submitIntent(d.intent({ instrumentId: PERP, side: 'buy', quantity: fx('1'), stopLoss: fx('92'), takeProfit: fx('120'), exitFractions: exits }));
    d.bar(105, 106, 104, 105, PERP);
    const triggers = () => d.core.oms.openOrders().map((o) => [o.spec.linkage?.role, o.spec.triggerPrice?.toPlainString()]);
    expect(triggers()).toEqual([
      ['stop-loss', '96.6'],
      ['take-profit', '126'],
    ]);
    for (const order of d.core.oms.openOrders()) d.core.cancelOrder(order.spec.clientOrderId);
    d.core.submitIntent(d.intent({ instrumentId: PERP, side: 'sell', quantity: fx('2'), reduceOnly: false, stopLoss: fx('113.4'), takeProfit: fx('84'), exitFractions: exits }));
    d.bar(103, 104, 102, 103, PERP);
    // Net short 1 after selling 2 at 103: its stop 8% above, its take-profit 20% below (rounded away from the fill).
    expect(triggers()).toEqual([
      ['stop-loss', '111.24'],
      ['take-profit', '82.4'],
    ]);
  });

  it('ends a post-only order rejected while its cancel is on the way, releasing its reservation, with no anomaly', () => {
    const d = desk({ latencyMs: 50 });
    const anomalies: string[] = [];
    d.core.anomalies.subscribe((anomaly) => anomalies.push(anomaly.problem));
    d.bar(100, 100, 100, 100);
    const outcome = d.core.submitIntent(d.intent({ type: 'limit', price: fx('100'), quantity: fx('2'), postOnly: true }));
    if (outcome.status !== 'submitted') throw new Error(`not submitted: ${outcome.status}`);
    const id = outcome.clientOrderId;
    expect(d.core.ledger.balance('desk', 'reserved', USDT).toPlainString()).toBe('200.2');
    d.bar(100.5, 101, 100.2, 100.6);
    d.core.cancelOrder(id);
    // The order reaches the venue before its cancel does; the open (99) is through the limit: a post-only would take.
    d.bar(99, 99.5, 98, 99);
    expect(d.core.oms.get(id)?.status).toBe('rejected');
    expect(d.core.oms.get(id)?.lastReason).toBe('post-only order would take liquidity');
    d.bar(99, 99.5, 98, 99);
    // The cancel arrives after the rejection: the venue refuses it ("order is rejected"), which changes nothing.
    expect(d.core.oms.get(id)?.status).toBe('rejected');
    expect(d.core.oms.openCount()).toBe(0);
    expect(d.core.ledger.balance('desk', 'reserved', USDT).toPlainString()).toBe('0');
    expect(d.core.ledger.balance('desk', 'cash', USDT).toPlainString()).toBe('10000');
    expect(d.venue.account.locked(USDT).toPlainString()).toBe('0');
    expect(d.core.store.read(0).filter((e) => 'clientOrderId' in e && e.clientOrderId === id).map((e) => e.type)).toEqual([
      'IntentApproved',
      'OrderPendingCancel',
      'OrderAccepted',
      'OrderRejected',
    ]);
    expect(anomalies).toEqual([]);
    const replayed = TradingCore.replay(d.config, d.core.store.read(0), { clock: new TestClock(d.clock.now()) });
    expect(replayed.snapshot()).toBe(d.core.snapshot());
  });

  it('submits exits for a position built by several orders as one OCO pair, once: the take-profit fills, the stop is canceled', () => {
    const d = desk();
    d.bar(100, 100, 100, 100, PERP);
    d.core.submitIntent(d.intent({ id: intentId('slice.1'), instrumentId: PERP, quantity: fx('1') }));
    d.core.submitIntent(d.intent({ id: intentId('slice.2'), instrumentId: PERP, quantity: fx('2') }));
    d.bar(101, 101, 101, 101, PERP);
    const parent = d.intent({ id: intentId('slice'), instrumentId: PERP, quantity: fx('3') });
    const outcomes = d.core.submitExits(parent, fx('3'), { stopLoss: fx('92.92'), takeProfit: fx('121.2') });
    expect(outcomes.map((o) => o.status)).toEqual(['submitted', 'submitted']);
    expect(d.core.submitExits(parent, fx('3'), { stopLoss: fx('92.92'), takeProfit: fx('121.2') }).map((o) => o.status)).toEqual(['duplicate', 'duplicate']);
    const exits = d.core.oms.openOrders().map((o) => [o.spec.linkage?.role, o.spec.type, o.spec.side, o.spec.quantity.toPlainString(), o.spec.triggerPrice?.toPlainString(), o.spec.reduceOnly]);
    expect(exits).toEqual([
      ['stop-loss', 'stop-market', 'sell', '3', '92.92', true],
      ['take-profit', 'take-profit-market', 'sell', '3', '121.2', true],
    ]);
    d.bar(110, 125, 109, 124, PERP);
    expect(d.core.oms.openCount()).toBe(0);
    const [stop, take] = outcomes.map((o) => (o.status === 'submitted' ? d.core.oms.get(o.clientOrderId)?.status : o.status));
    expect([stop, take]).toEqual(['canceled', 'filled']);
    expect(d.core.ledger.position('desk', PERP)?.quantity.isZero()).toBe(true);
    const replayed = TradingCore.replay(d.config, d.core.store.read(0), { clock: new TestClock(d.clock.now()) });
    expect(replayed.snapshot()).toBe(d.core.snapshot());
  });

  it("lets a sleeve close its own long while another sleeve's short makes the venue's net position short", () => {
    const d = sleeves();
    d.core.transfer('desk', 'long-sleeve', USDT, fx('4000'));
    d.core.transfer('desk', 'short-sleeve', USDT, fx('4000'));
    d.bar(100, 100, 100, 100, PERP);
    d.core.submitIntent(d.intent({ owner: 'long-sleeve', instrumentId: PERP, side: 'buy', quantity: fx('2') }));
    d.core.submitIntent(d.intent({ owner: 'short-sleeve', instrumentId: PERP, side: 'sell', quantity: fx('3') }));
    d.bar(100, 101, 99, 100, PERP);
    // The venue nets the sleeves: short 1. The long sleeve's close (reduce-only for it) adds to that net short.
    d.core.submitIntent(d.intent({ owner: 'long-sleeve', instrumentId: PERP, side: 'sell', quantity: fx('2'), reduceOnly: true }));
    d.bar(100, 101, 99, 100, PERP);
    expect(d.core.ledger.position('long-sleeve', PERP)?.quantity.isZero() ?? true).toBe(true);
    expect(d.core.ledger.position('short-sleeve', PERP)?.quantity.toPlainString()).toBe('-3');
    expect(d.venue.snapshot().positions.map((p) => p.quantity.toPlainString())).toEqual(['-3']);
  });

  it("fills a sleeve's resting stop-loss after another sleeve's short turned the venue's net position short", () => {
    const d = sleeves();
    d.core.transfer('desk', 'long-sleeve', USDT, fx('4000'));
    d.core.transfer('desk', 'short-sleeve', USDT, fx('4000'));
    d.bar(100, 100, 100, 100, PERP);
    // The stop goes out while the venue is net long 2 (its own long); the short sleeve's sale then makes it net short 1.
    d.core.submitIntent(d.intent({ owner: 'long-sleeve', instrumentId: PERP, side: 'buy', quantity: fx('2'), stopLoss: fx('95') }));
    d.bar(100, 101, 99, 100, PERP);
    d.core.submitIntent(d.intent({ owner: 'short-sleeve', instrumentId: PERP, side: 'sell', quantity: fx('3') }));
    d.bar(100, 101, 99, 100, PERP);
    expect(d.venue.snapshot().positions.map((p) => p.quantity.toPlainString())).toEqual(['-1']);
    d.bar(99, 99, 94, 94, PERP);
    const stop = d.core.store.read(0).find((e) => e.type === 'OrderFilled' && d.core.oms.get(e.fill.clientOrderId)?.spec.linkage?.role === 'stop-loss');
    expect(stop?.type === 'OrderFilled' ? [stop.fill.side, stop.fill.quantity.toPlainString(), stop.fill.price.toPlainString()] : undefined).toEqual(['sell', '2', '95']);
    expect(d.core.ledger.position('long-sleeve', PERP)?.quantity.isZero() ?? true).toBe(true);
    expect(d.core.ledger.position('short-sleeve', PERP)?.quantity.toPlainString()).toBe('-3');
    expect(d.venue.snapshot().positions.map((p) => p.quantity.toPlainString())).toEqual(['-3']);
    expect(d.anomalies).toEqual([]);
  });

  it('flattens every sleeve reduce-only in the books while the venue nets them, none of the closes refused or cut', () => {
    const d = sleeves();
    for (const sleeve of ['a', 'b', 'c']) d.core.transfer('desk', sleeve, USDT, fx('3000'));
    d.bar(100, 100, 100, 100, PERP);
    d.core.submitIntent(d.intent({ owner: 'a', instrumentId: PERP, side: 'buy', quantity: fx('2') }));
    d.core.submitIntent(d.intent({ owner: 'b', instrumentId: PERP, side: 'buy', quantity: fx('1') }));
    d.core.submitIntent(d.intent({ owner: 'c', instrumentId: PERP, side: 'sell', quantity: fx('1') }));
    d.bar(100, 101, 99, 100, PERP);
    // Net long 2 at the venue: a's sale of 2 alone takes it to 0, after which b's sale of 1 would be refused there.
    d.core.submitIntent(d.intent({ owner: 'a', instrumentId: PERP, side: 'sell', quantity: fx('2'), reduceOnly: true }));
    d.core.submitIntent(d.intent({ owner: 'b', instrumentId: PERP, side: 'sell', quantity: fx('1'), reduceOnly: true }));
    d.core.submitIntent(d.intent({ owner: 'c', instrumentId: PERP, side: 'buy', quantity: fx('1'), reduceOnly: true }));
    d.bar(100, 101, 99, 100, PERP);
    for (const sleeve of ['a', 'b', 'c']) expect(d.core.ledger.position(sleeve, PERP)?.quantity.isZero() ?? true).toBe(true);
    expect(d.venue.snapshot().positions).toEqual([]);
    expect(d.core.store.read(0).filter((e) => e.type === 'OrderCanceled' || e.type === 'OrderRejected')).toEqual([]);
  });

  it("keeps the venue's reduce-only on the orders of a core whose one owner is the venue account's", () => {
    const d = desk();
    d.bar(100, 100, 100, 100, PERP);
    d.core.submitIntent(d.intent({ instrumentId: PERP, side: 'buy', quantity: fx('1') }));
    d.bar(100, 101, 99, 100, PERP);
    const sent = vi.spyOn(d.venue, 'submit');
    d.submit({ instrumentId: PERP, side: 'sell', quantity: fx('1'), reduceOnly: true });
    expect(sent.mock.calls.map(([spec]) => spec.reduceOnly)).toEqual([true]);
  });
});
