import { describe, expect, it } from 'vitest';
import { TestClock } from '../../core/clock.js';
import { fx } from '../../core/fixed.js';
import { clientOrderId, currency } from '../../core/ids.js';
import type { UnixMs } from '../../core/time.js';
import { CurrencyScales, defineInstrument } from '../../domain/instrument.js';
import { SimulatedVenue } from './sim-venue.js';
import { MIN, PERP, SPOT, T0, setup } from '../../../test/support/sim-venue-harness.js';

/** Feeds flat 1m bars as the runtimes do: one bar object, rewritten for every bar. */
function reusedBarFeed(s: ReturnType<typeof setup>): (index: number, price: number) => void {
  const bar = { type: 'bar' as const, instrumentId: SPOT.id, ts: T0, timeframeMs: MIN, open: 100, high: 100, low: 100, close: 100, volume: 1000 };
  return (index, price) => {
    bar.ts = (T0 + index * MIN) as typeof bar.ts;
    bar.open = bar.high = bar.low = bar.close = price;
    s.clock.advanceTo((bar.ts + MIN) as typeof bar.ts);
    s.venue.onBar(bar);
  };
}

describe('bar fills (DESIGN §5)', () => {
  it('answers status queries and refuses resubmits for orders finished long ago (kept packed)', () => {
    const s = setup();
    s.bar(100, 101, 99, 100);
    const specs = Array.from({ length: 150 }, (_, i) => s.order({ quantity: fx(i % 2 === 0 ? '0.2' : '0.1') }));
    s.bar(100, 101, 99, 100);
    const first = specs[0]!;
    expect(s.venue.orderStatus(first.clientOrderId)).toEqual({ clientOrderId: first.clientOrderId, venueOrderId: 's1', status: 'filled', quantity: fx('0.2'), filled: fx('0.2'), reason: undefined });
    expect(s.venue.ordersReceived).toBe(150);
    const reportsBefore = s.reports.length;
    s.venue.submit(first);
    s.bar(100, 101, 99, 100);
    expect(s.reports.length).toBe(reportsBefore);
    expect(s.venue.ordersReceived).toBe(150);
  });

  it('fills a market order placed on bar t at the open of bar t+1, stamped with that bar', () => {
    const s = setup();
    s.bar(100, 101, 99, 100.5);
    const o = s.order({});
    const t1 = s.bar(102, 103, 101, 102.5);
    expect(s.fills(o).map((f) => [f.price.toPlainString(), f.ts])).toEqual([['102', t1]]);
  });

  it('optionally fills at the close of bar t', () => {
    const s = setup({ barExecution: 'close' });
    const t0 = s.bar(100, 101, 99, 100.5);
    const o = s.order({});
    expect(s.fills(o).map((f) => [f.price.toPlainString(), f.ts])).toEqual([['100.5', t0]]);
  });

  it('close execution caps each fill at the bar volume share, as next-open does, and works the rest at later closes', () => {
    for (const barExecution of ['next-open', 'close'] as const) {
      const s = setup({ barExecution, volumeShare: fx('0.001') }); // at most 1 of a 1000 bar
      s.bar(100, 100, 100, 100, 1000);
      const o = s.order({ quantity: fx('5') });
      const other = s.order({ quantity: fx('0.5') });
      s.bar(101, 101.5, 101, 101.5, 1000);
      const expected = barExecution === 'close' ? [['1', '100'], ['1', '101.5']] : [['1', '101']];
      expect(s.fills(o).map((f) => [f.quantity.toPlainString(), f.price.toPlainString()])).toEqual(expected);
      expect(s.fills(other)).toEqual([]); // the first order took the whole share of each bar
      const status = s.venue.orderStatus(o.clientOrderId);
      expect([status?.status, status?.filled.toPlainString()]).toEqual(['open', barExecution === 'close' ? '2' : '1']);
    }
  });

  it('never fills an order placed on the last bar', () => {
    const s = setup();
    s.bar(100, 101, 99, 100);
    const o = s.order({});
    expect(s.fills(o)).toEqual([]);
    expect(s.venue.orderStatus(o.clientOrderId)?.status).toBe('open');
  });

  it('limit buy: at the open when the open is at or below the limit, else at the limit when the low reaches it', () => {
    const s = setup();
    s.bar(100, 100, 100, 100);
    const gapped = s.order({ type: 'limit', price: fx('99') });
    const touched = s.order({ type: 'limit', price: fx('97') });
    const missed = s.order({ type: 'limit', price: fx('90') });
    s.bar(100, 100, 100, 100);
    s.bar(98, 99, 96, 97);
    expect(s.fills(gapped).map((f) => [f.price.toPlainString(), f.liquidity])).toEqual([['98', 'maker']]);
    expect(s.fills(touched).map((f) => [f.price.toPlainString(), f.liquidity])).toEqual([['97', 'maker']]);
    expect(s.fills(missed)).toEqual([]);
  });

  it('limit sell mirrors: at the open when at or above the limit, else at the limit when the high reaches it', () => {
    const s = setup({ balances: { USDT: '100000', BTC: '10' } });
    s.bar(100, 100, 100, 100);
    const a = s.order({ side: 'sell', type: 'limit', price: fx('101') });
    const b = s.order({ side: 'sell', type: 'limit', price: fx('104') });
    s.bar(100, 100, 100, 100);
    s.bar(102, 105, 101, 103);
    expect(s.fills(a).map((f) => f.price.toPlainString())).toEqual(['102']);
    expect(s.fills(b).map((f) => f.price.toPlainString())).toEqual(['104']);
  });

  it('a limit the first bar opens through is marketable on arrival: taker', () => {
    const s = setup();
    s.bar(100, 100, 100, 100);
    const o = s.order({ type: 'limit', price: fx('101') });
    s.bar(100.5, 101, 100, 100.5);
    expect(s.fills(o).map((f) => [f.price.toPlainString(), f.liquidity])).toEqual([['100.5', 'taker']]);
  });

  it('stop buy: at the open when the open is at or above the stop, else at the stop when the high reaches it', () => {
    const s = setup();
    s.bar(100, 100, 100, 100);
    const gapped = s.order({ type: 'stop-market', triggerPrice: fx('101') });
    const touched = s.order({ type: 'stop-market', triggerPrice: fx('104') });
    s.bar(100, 100, 100, 100);
    s.bar(102, 105, 101, 103);
    expect(s.fills(gapped).map((f) => [f.price.toPlainString(), f.liquidity])).toEqual([['102', 'taker']]);
    expect(s.fills(touched).map((f) => f.price.toPlainString())).toEqual(['104']);
    expect(s.reports.filter((r) => r.type === 'OrderTriggered')).toHaveLength(2);
  });

  it('stop sell mirrors; take-profit sell triggers when the high reaches it', () => {
    const s = setup({ balances: { USDT: '100000', BTC: '10' } });
    s.bar(100, 100, 100, 100);
    const stop = s.order({ side: 'sell', type: 'stop-market', triggerPrice: fx('97') });
    const take = s.order({ side: 'sell', type: 'take-profit-market', triggerPrice: fx('103') });
    s.bar(100, 104, 96, 100);
    expect(s.fills(stop).map((f) => f.price.toPlainString())).toEqual(['97']);
    expect(s.fills(take).map((f) => f.price.toPlainString())).toEqual(['103']);
  });

  it('stop-limit: fills at the trigger when its limit allows, else rests as a limit', () => {
    const s = setup();
    s.bar(100, 100, 100, 100);
    const marketable = s.order({ type: 'stop-limit', triggerPrice: fx('102'), price: fx('103') });
    const resting = s.order({ type: 'stop-limit', triggerPrice: fx('102'), price: fx('101.5') });
    s.bar(100, 100, 100, 100);
    s.bar(101, 104, 100.5, 103.5);
    expect(s.fills(marketable).map((f) => f.price.toPlainString())).toEqual(['102']);
    expect(s.fills(resting)).toEqual([]);
    s.bar(103, 103, 101, 102);
    expect(s.fills(resting).map((f) => [f.price.toPlainString(), f.liquidity])).toEqual([['101.5', 'maker']]);
  });

  it('trailing stop (sell, 2%): the level follows the highs and triggers when a low reaches it', () => {
    const s = setup({ balances: { USDT: '100000', BTC: '10' } });
    s.bar(100, 100, 100, 100);
    const o = s.order({ side: 'sell', type: 'trailing-stop', trailing: { kind: 'percent', value: fx('2') } });
    s.bar(100, 110, 99, 109); // level 98 before the bar (anchor 100): low 99 does not reach it; anchor -> 110
    expect(s.fills(o)).toEqual([]);
    s.bar(109, 109.5, 107, 108); // level 107.8: low 107 reaches it
    expect(s.fills(o).map((f) => f.price.toPlainString())).toEqual(['107.8']);
  });

  it('a trailing stop level off the tick is rounded against the order: down for a sell, up for a buy', () => {
    const s = setup({ balances: { USDT: '100000', BTC: '5' } });
    s.bar(100.01, 100.01, 100.01, 100.01);
    const sell = s.order({ side: 'sell', type: 'trailing-stop', trailing: { kind: 'percent', value: fx('2') } });
    s.bar(100.01, 100.03, 100, 100.02); // anchor 100.03: level 98.0294 -> 98.02
    s.bar(99.5, 99.6, 97, 97.5);
    expect(s.fills(sell).map((f) => [f.price.toPlainString(), f.fee.toPlainString()])).toEqual([['98.02', '0.09802']]);

    const b = setup();
    b.bar(100.01, 100.01, 100.01, 100.01);
    const buy = b.order({ side: 'buy', type: 'trailing-stop', trailing: { kind: 'percent', value: fx('2') } });
    b.bar(100.01, 100.02, 99.97, 100); // anchor 99.97: level 101.9694 -> 101.97
    b.bar(101, 102.5, 100.5, 102);
    expect(b.fills(buy).map((f) => [f.price.toPlainString(), f.fee.toPlainString()])).toEqual([['101.97', '0.10197']]);
  });

  it('IOC gets only the first open; FOK is canceled when the volume cap cannot fill it', () => {
    const s = setup({ volumeShare: fx('0.1') });
    s.bar(100, 100, 100, 100);
    const ioc = s.order({ type: 'limit', price: fx('99'), timeInForce: 'IOC' });
    const fok = s.order({ quantity: fx('5'), timeInForce: 'FOK' });
    s.bar(100, 100, 98, 99, 10);
    expect(s.last(ioc)).toMatchObject({ type: 'OrderCanceled', reason: 'IOC limit not marketable at the open' });
    expect(s.last(fok)).toMatchObject({ type: 'OrderCanceled', reason: 'FOK order could not be filled in full' });
  });

  it('caps fills at a share of bar volume and fills the rest on later bars', () => {
    const s = setup({ volumeShare: fx('0.1') });
    s.bar(100, 100, 100, 100);
    const o = s.order({ quantity: fx('2.5') });
    s.bar(100, 100, 100, 100, 10);
    s.bar(101, 101, 101, 101, 10);
    s.bar(102, 102, 102, 102, 10);
    expect(s.fills(o).map((f) => [f.quantity.toPlainString(), f.price.toPlainString()])).toEqual([
      ['1', '100'],
      ['1', '101'],
      ['0.5', '102'],
    ]);
  });

  it('books the parts of an order at its running value, rounded once, as the ledger does', () => {
    const cheap = defineInstrument({ id: 'SIM:ETH/USDT', tickSize: '0.01', lotSize: '0.001' });
    const clock = new TestClock(T0);
    const venue = new SimulatedVenue([cheap], new CurrencyScales({ USDT: 2, ETH: 8 }), clock, {
      fillModel: 'bar',
      volumeShare: fx('0.1'),
      balances: { USDT: '100' },
    });
    const fills: { quantity: string }[] = [];
    venue.onReport((r) => {
      if (r.type === 'OrderFilled') fills.push({ quantity: r.fill.quantity.toPlainString() });
    });
    const bar = (index: number) => {
      const ts = (T0 + index * MIN) as UnixMs;
      clock.advanceTo((ts + MIN) as UnixMs);
      venue.onBar({ type: 'bar', instrumentId: cheap.id, ts, timeframeMs: MIN, open: 1.01, high: 1.01, low: 1.01, close: 1.01, volume: 0.05 });
    };
    bar(0);
    venue.submit({ clientOrderId: clientOrderId('parts'), instrumentId: cheap.id, side: 'buy', type: 'market', quantity: fx('0.015'), timeInForce: 'GTC', postOnly: false, reduceOnly: false, owner: 'desk' });
    for (let i = 1; i <= 3; i++) bar(i);
    // Three parts of 0.005 at 1.01 are worth 0.00505 each, which alone would round to 0.01 three times (0.03). As
    // a running total the order costs 0.01, 0.00 and 0.01: the 0.01515 of the whole rounded once.
    expect(fills.map((fill) => fill.quantity)).toEqual(['0.005', '0.005', '0.005']);
    expect(venue.account.wallet(currency('USDT')).toPlainString()).toBe('99.98');
    expect(venue.account.wallet(currency('ETH')).toPlainString()).toBe('0.015');
  });

  it('expires a GTD order at its expiry, before a bar at that time can fill it', () => {
    const s = setup();
    s.bar(100, 100, 100, 100);
    const o = s.order({ type: 'limit', price: fx('99'), timeInForce: 'GTD', expireAt: (T0 + 2 * MIN) as UnixMs });
    s.bar(100, 100, 99.5, 100);
    s.bar(98, 98, 97, 98);
    expect(s.fills(o)).toEqual([]);
    expect(s.last(o)).toMatchObject({ type: 'OrderExpired', tsEvent: T0 + 2 * MIN });
  });

  it('cancels the other leg of an OCO when one fills', () => {
    const s = setup({ balances: { USDT: '100000', BTC: '10' } });
    s.bar(100, 100, 100, 100);
    const stop = clientOrderId('oco-stop');
    const take = clientOrderId('oco-take');
    s.order({ clientOrderId: stop, side: 'sell', type: 'stop-market', triggerPrice: fx('95'), linkage: { listId: 'L', role: 'oco-leg', ocoWith: [take] } });
    s.order({ clientOrderId: take, side: 'sell', type: 'limit', price: fx('105'), linkage: { listId: 'L', role: 'oco-leg', ocoWith: [stop] } });
    s.bar(100, 106, 99, 105);
    expect(s.venue.orderStatus(take)?.status).toBe('filled');
    expect(s.venue.orderStatus(stop)).toMatchObject({ status: 'canceled', reason: `one-cancels-other: ${take} filled` });
  });

  it('an OCO leg the bar opens beyond fills at the open, before a leg placed earlier that the bar reaches later', () => {
    const s = setup({ balances: { USDT: '100000' } });
    s.bar(100, 100, 100, 100, 1000, PERP.id);
    s.order({ instrumentId: PERP.id, quantity: fx('10') });
    s.bar(100, 100, 100, 100, 1000, PERP.id);
    const stop = clientOrderId('oco-stop');
    const take = clientOrderId('oco-take');
    const linked = (other: typeof stop) => ({ listId: 'L', role: 'oco-leg' as const, ocoWith: [other] });
    s.order({ clientOrderId: stop, instrumentId: PERP.id, side: 'sell', type: 'stop-market', triggerPrice: fx('95'), reduceOnly: true, linkage: linked(take) });
    s.order({ clientOrderId: take, instrumentId: PERP.id, side: 'sell', type: 'take-profit-market', triggerPrice: fx('110'), reduceOnly: true, linkage: linked(stop) });
    s.bar(112, 113, 94, 100, 1000, PERP.id); // opens above the take-profit; trades through the stop later
    expect(s.fills().slice(1).map((f) => [f.clientOrderId, f.price.toPlainString()])).toEqual([[take, '112']]);
    expect(s.venue.orderStatus(stop)).toMatchObject({ status: 'canceled', reason: `one-cancels-other: ${take} filled` });
  });

  it('fills at the open come before fills at prices inside the bar for every resting order, then in arrival order', () => {
    const s = setup({ balances: { USDT: '100000', BTC: '2' } });
    s.bar(100, 100, 100, 100);
    // Two sells, not linked: the stop came first, but the bar opens through the later limit.
    const stop = s.order({ side: 'sell', type: 'stop-market', triggerPrice: fx('95') });
    const take = s.order({ side: 'sell', type: 'limit', price: fx('110') });
    s.bar(112, 113, 94, 100);
    expect(s.fills().map((f) => [f.clientOrderId, f.price.toPlainString()])).toEqual([
      [take.clientOrderId, '112'],
      [stop.clientOrderId, '95'],
    ]);
  });

  it('with a volume cap, the open takes the bar share first: a market order beats a resting limit hit inside the bar', () => {
    const s = setup({ volumeShare: fx('0.001') }); // 1 of a bar of 1000
    s.bar(100, 100, 100, 100);
    const limit = s.order({ type: 'limit', price: fx('99') });
    const market = s.order({});
    s.bar(100, 100, 98, 99);
    expect(s.fills().map((f) => [f.clientOrderId, f.price.toPlainString()])).toEqual([[market.clientOrderId, '100']]);
    expect(s.fills(limit)).toEqual([]);
  });

  it('latency: an order arriving after a bar opened waits for the next one', () => {
    const s = setup({ latencyMs: 90_000 });
    s.bar(100, 100, 100, 100);
    const o = s.order({}); // sent at T0+1m, arrives at T0+2m30s
    expect(s.reports).toEqual([]);
    s.bar(101, 101, 101, 101); // opens at T0+1m
    s.bar(103, 103, 103, 103); // opens at T0+2m, 30 s before the order arrives
    s.bar(102, 102, 102, 102);
    expect(s.reports.map((r) => r.type)).toEqual(['OrderAccepted', 'OrderFilled']);
    expect(s.reports[0]?.tsEvent).toBe(T0 + 2 * MIN + 30_000);
    expect(s.fills(o).map((f) => f.price.toPlainString())).toEqual(['102']);
  });

  it('latency with one bar object reused for every bar (as the runtimes feed it): the order waits one bar, not two', () => {
    const s = setup({ latencyMs: 50 });
    const feed = reusedBarFeed(s);
    feed(0, 100);
    const o = s.order({}); // sent at bar 0's close, arrives 50 ms into bar 1
    feed(1, 101);
    feed(2, 102);
    feed(3, 103);
    expect(s.fills(o).map((f) => [f.price.toPlainString(), f.ts])).toEqual([['102', T0 + 2 * MIN]]);
  });

  it('after a bar in which an order filled at the open, the last price is the bar close, not the fill', () => {
    const s = setup({ balances: { USDT: '1000' } });
    s.bar(100, 100, 100, 100);
    s.order({ quantity: fx('1') });
    s.bar(101, 106, 100, 105); // fills at the open, 101; the bar closes at 105
    expect(s.venue.referencePrice(SPOT)?.toPlainString()).toBe('105');
    // An order that costs just under the free cash at the close is taken: 8.5 x 105 = 892.5 (+0.8925 fee) < 898.899.
    const next = s.order({ quantity: fx('8.5') });
    expect(s.last(next)?.type).toBe('OrderAccepted');
  });

  it('close execution with latency fills at the close of the bar the order arrived in, not of a later bar', () => {
    const s = setup({ latencyMs: 50, barExecution: 'close' });
    const feed = reusedBarFeed(s);
    feed(0, 100);
    const o = s.order({});
    feed(1, 101);
    feed(2, 102);
    expect(s.fills(o).map((f) => f.price.toPlainString())).toEqual(['101']);
  });

  it('a market buy that a gap makes dearer than its lock plus the free balance is cut to the lots that fit', () => {
    const s = setup({ balances: { USDT: '1000' } });
    s.bar(100, 100, 100, 100);
    const o = s.order({ quantity: fx('9.99') }); // 999 + 0.999 fee at the 100 close: admitted
    s.bar(110, 110, 110, 110);
    // 9.081 x 110 = 998.91 + 0.99891 fee fits in 1000; 9.082 would not
    expect(s.fills(o).map((f) => [f.quantity.toPlainString(), f.price.toPlainString(), f.fee.toPlainString()])).toEqual([['9.081', '110', '0.99891']]);
    expect(s.last(o)).toMatchObject({
      type: 'OrderCanceled',
      reason: 'insufficient balance at the fill price 110: 9.99 needs 1099.9989 USDT, 1000 available; the rest is canceled',
    });
    expect(s.venue.account.wallet(currency('USDT')).toPlainString()).toBe('0.09109');
    expect(s.venue.account.wallet(currency('BTC')).toPlainString()).toBe('9.081');
  });

  it('an order of which not one lot fits when it comes to fill is rejected', () => {
    const s = setup({ balances: { USDT: '100.2' } });
    // Limits placed before any price hold nothing until they fill: both are admitted against the 100.2 balance.
    const first = s.order({ type: 'limit', price: fx('100') });
    const second = s.order({ type: 'limit', price: fx('100') });
    s.bar(100, 100, 100, 100);
    expect(s.fills(first).map((f) => f.quantity.toPlainString())).toEqual(['1']);
    expect(s.fills(second)).toEqual([]);
    expect(s.last(second)).toMatchObject({ type: 'OrderRejected', reason: 'insufficient balance at the fill price 100: 1 needs 100.1 USDT, 0.1 available' });
    expect(s.venue.account.wallet(currency('USDT')).toPlainString()).toBe('0.1');
  });

  it('slippage: fixed bps moves takers against them, rounded to the tick', () => {
    const s = setup({ slippage: { kind: 'fixed-bps', bps: fx('10') }, balances: { USDT: '100000', BTC: '10' } });
    s.bar(100, 100, 100, 100);
    const buy = s.order({});
    const sell = s.order({ side: 'sell' });
    s.bar(100.03, 101, 99, 100);
    expect(s.fills(buy).map((f) => f.price.toPlainString())).toEqual(['100.14']);
    expect(s.fills(sell).map((f) => f.price.toPlainString())).toEqual(['99.92']);
  });

  it('slippage: volume-share impact grows with the order share of volume', () => {
    const s = setup({ slippage: { kind: 'volume-share', impact: fx('0.1') } });
    s.bar(100, 100, 100, 100);
    const o = s.order({ quantity: fx('5') });
    s.bar(100, 102, 99, 100, 50); // 10% of volume x 0.1 = 1% impact
    expect(s.fills(o).map((f) => f.price.toPlainString())).toEqual(['101']);
  });

  it("slippage: a large taker on a thin bar fills at the bar's worst price, never beyond it", () => {
    const s = setup({ slippage: { kind: 'volume-share', impact: fx('0.1') }, balances: { USDT: '100000', BTC: '50' } });
    s.bar(100, 100, 100, 100);
    const sell = s.order({ side: 'sell', quantity: fx('50') });
    const buy = s.order({ quantity: fx('50') });
    s.bar(100, 101, 99, 100, 0.4); // 50 of 0.4 x 0.1 = 1250% against each order: held to the low and the high
    expect(s.fills(sell).map((f) => f.price.toPlainString())).toEqual(['99']);
    expect(s.fills(buy).map((f) => f.price.toPlainString())).toEqual(['101']);
  });

  it('slippage: fixed bps that would move past the bar stops at its high or low, at the open and at the close', () => {
    for (const barExecution of ['next-open', 'close'] as const) {
      const s = setup({ barExecution, slippage: { kind: 'fixed-bps', bps: fx('100') } });
      s.bar(100, 100.2, 99.9, 100);
      const buy = s.order({});
      s.bar(100, 100.2, 99.9, 100);
      expect(s.fills(buy).map((f) => f.price.toPlainString())).toEqual(['100.2']);
    }
  });

  it('charges maker and taker fees per instrument, rounded half-even', () => {
    const s = setup();
    s.bar(100, 100, 100, 100);
    const taker = s.order({ quantity: fx('0.333') });
    const maker = s.order({ type: 'limit', price: fx('99.99'), quantity: fx('0.333') });
    s.bar(100.01, 100.01, 99.5, 100);
    expect(s.fills(taker)[0]?.fee.toPlainString()).toBe('0.033303'); // 0.333 x 100.01 x 0.001 = 0.03330333 -> 6 dp
    expect(s.fills(maker)[0]?.fee.toPlainString()).toBe('0.006659'); // 0.333 x 99.99 x 0.0002 = 0.006659334
  });
});
