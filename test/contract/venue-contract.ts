import { describe, expect, it } from 'vitest';
import { Fixed, fx } from '../../src/core/fixed.js';
import { clientOrderId, instrumentId, type ClientOrderId } from '../../src/core/ids.js';
import type { VenueReport } from '../../src/domain/events.js';
import type { Instrument } from '../../src/domain/instrument.js';
import type { OrderSpec } from '../../src/domain/order.js';
import type { VenuePort } from '../../src/execution/venue-port.js';

/**
 * What a venue under contract offers the suite: the venue, the reports it sent, an instrument with a known tick
 * and lot, and a way to make the market trade at a price (a bar, a quote, a fake exchange's ticker ...).
 */
export interface VenueHarness {
  readonly venue: VenuePort;
  readonly reports: VenueReport[];
  /** A spot instrument quoted in a currency the account holds plenty of; its base currency starts at zero. */
  readonly instrument: Instrument;
  /** Moves the market so that takers execute at `price` (buys and sells alike) with ample size. */
  setMarket(price: string): Promise<void> | void;
  /** Lets an asynchronous venue deliver what it owes (a no-op for synchronous ones). */
  settle(): Promise<void> | void;
}

export interface ContractOptions {
  /** A harness whose venue fills at most `maxFillPerStep` per market step (to observe partial fills). */
  readonly partial: (maxFillPerStep: string) => Promise<VenueHarness> | VenueHarness;
}

let counter = 0;
function spec(harness: VenueHarness, fields: Partial<OrderSpec>): OrderSpec {
  counter += 1;
  return {
    clientOrderId: clientOrderId(`k${counter}`),
    instrumentId: harness.instrument.id,
    side: 'buy',
    type: 'market',
    quantity: fx('1'),
    timeInForce: 'GTC',
    postOnly: false,
    reduceOnly: false,
    owner: 'desk',
    ...fields,
  };
}

function reportsFor(harness: VenueHarness, id: ClientOrderId): VenueReport[] {
  return harness.reports.filter((r) => ('fill' in r ? r.fill.clientOrderId : 'clientOrderId' in r ? r.clientOrderId : undefined) === id);
}

function typesFor(harness: VenueHarness, id: ClientOrderId): string[] {
  return reportsFor(harness, id).map((r) => r.type);
}

function filledQuantity(harness: VenueHarness, id: ClientOrderId): Fixed {
  return reportsFor(harness, id).reduce((sum, r) => (r.type === 'OrderFilled' ? sum.add(r.fill.quantity) : sum), Fixed.zero());
}

/** The behaviours every VenuePort must show, simulated or real. */
export function describeVenueContract(name: string, make: () => Promise<VenueHarness> | VenueHarness, options: ContractOptions): void {
  describe(`venue contract: ${name}`, () => {
    it('accepts and fills a market order at the market price, with the taker fee', async () => {
      const h = await make();
      await h.setMarket('100');
      const order = spec(h, { quantity: fx('2') });
      h.venue.submit(order);
      await h.setMarket('100');
      await h.settle();
      expect(typesFor(h, order.clientOrderId)).toEqual(['OrderAccepted', 'OrderFilled']);
      const fill = reportsFor(h, order.clientOrderId).find((r) => r.type === 'OrderFilled');
      if (fill?.type !== 'OrderFilled') throw new Error('no fill');
      expect(fill.fill.quantity.toPlainString()).toBe('2');
      expect(fill.fill.price.toPlainString()).toBe('100');
      expect(fill.fill.liquidity).toBe('taker');
      expect(fill.fill.fee.eq(fx('200').mul(h.instrument.takerFee))).toBe(true);
      expect((await h.venue.orderStatus(order.clientOrderId))?.status).toBe('filled');
    });

    it('rests a limit order away from the market and cancels it on request', async () => {
      const h = await make();
      await h.setMarket('100');
      const order = spec(h, { type: 'limit', price: fx('90') });
      h.venue.submit(order);
      await h.setMarket('100');
      await h.settle();
      expect((await h.venue.orderStatus(order.clientOrderId))?.status).toBe('open');
      const snapshot = await h.venue.snapshot();
      expect(snapshot.openOrders.map((o) => o.clientOrderId)).toEqual([order.clientOrderId]);
      h.venue.cancel(order.clientOrderId);
      await h.settle();
      expect(typesFor(h, order.clientOrderId)).toEqual(['OrderAccepted', 'OrderCanceled']);
      expect((await h.venue.orderStatus(order.clientOrderId))?.status).toBe('canceled');
      expect((await h.venue.snapshot()).openOrders).toEqual([]);
    });

    it('fills a resting limit when the market comes to it, at the limit, as maker', async () => {
      const h = await make();
      await h.setMarket('100');
      const order = spec(h, { type: 'limit', price: fx('95') });
      h.venue.submit(order);
      await h.setMarket('100');
      await h.setMarket('94');
      await h.settle();
      const fill = reportsFor(h, order.clientOrderId).find((r) => r.type === 'OrderFilled');
      if (fill?.type !== 'OrderFilled') throw new Error(`no fill: ${typesFor(h, order.clientOrderId).join(',')}`);
      // At the limit or better (a bar that opens below it fills at its open, DESIGN §5).
      expect(fill.fill.price.lte(fx('95'))).toBe(true);
      expect(fill.fill.price.gte(fx('94'))).toBe(true);
      expect(fill.fill.liquidity).toBe('maker');
    });

    it('rejects an order it cannot take, with a reason: off the lot, unknown instrument', async () => {
      const h = await make();
      await h.setMarket('100');
      const offLot = spec(h, { quantity: h.instrument.lotSize.div(fx('2'), h.instrument.lotSize.scale + 1, 'down').add(fx('1')) });
      h.venue.submit(offLot);
      const unknown = spec(h, { instrumentId: instrumentId('NOWHERE:FOO/BAR') });
      h.venue.submit(unknown);
      await h.settle();
      for (const id of [offLot.clientOrderId, unknown.clientOrderId]) {
        const rejected = reportsFor(h, id);
        expect(rejected.map((r) => r.type)).toEqual(['OrderRejected']);
        const first = rejected[0];
        expect(first?.type === 'OrderRejected' && first.reason.length > 5).toBe(true);
      }
      expect((await h.venue.orderStatus(offLot.clientOrderId))?.status).toBe('rejected');
    });

    it('rejects a buy the account cannot pay for', async () => {
      const h = await make();
      await h.setMarket('100');
      const order = spec(h, { quantity: fx('100000000') });
      h.venue.submit(order);
      await h.settle();
      const [rejected] = reportsFor(h, order.clientOrderId);
      expect(rejected?.type === 'OrderRejected' && /insufficient/.test(rejected.reason)).toBe(true);
    });

    it('never makes a second order from a resubmitted client order id', async () => {
      const h = await make();
      await h.setMarket('100');
      const order = spec(h, { type: 'limit', price: fx('90') });
      h.venue.submit(order);
      h.venue.submit(order);
      h.venue.submit({ ...order, price: fx('91') });
      await h.settle();
      expect(typesFor(h, order.clientOrderId)).toEqual(['OrderAccepted']);
      expect((await h.venue.snapshot()).openOrders).toHaveLength(1);
    });

    it('refuses a reduce-only order that would open a position', async () => {
      const h = await make();
      await h.setMarket('100');
      const order = spec(h, { side: 'sell', reduceOnly: true });
      h.venue.submit(order);
      await h.setMarket('100');
      await h.settle();
      const last = reportsFor(h, order.clientOrderId).at(-1);
      expect(last?.type === 'OrderRejected' || last?.type === 'OrderCanceled').toBe(true);
      expect(last !== undefined && 'reason' in last && /reduce-only/.test(last.reason)).toBe(true);
      expect(filledQuantity(h, order.clientOrderId).isZero()).toBe(true);
    });

    it('lets a reduce-only order close a position but not flip it', async () => {
      const h = await make();
      await h.setMarket('100');
      const buy = spec(h, { quantity: fx('1') });
      h.venue.submit(buy);
      await h.setMarket('100');
      const sell = spec(h, { side: 'sell', quantity: fx('3'), reduceOnly: true });
      h.venue.submit(sell);
      await h.setMarket('100');
      await h.settle();
      expect(filledQuantity(h, sell.clientOrderId).toPlainString()).toBe('1');
      const position = (await h.venue.snapshot()).positions.find((p) => p.instrumentId === h.instrument.id);
      expect(position === undefined || position.quantity.isZero()).toBe(true);
    });

    it('rejects a post-only order that would take liquidity', async () => {
      const h = await make();
      await h.setMarket('100');
      const order = spec(h, { type: 'limit', price: fx('105'), postOnly: true });
      h.venue.submit(order);
      await h.setMarket('100');
      await h.settle();
      const last = reportsFor(h, order.clientOrderId).at(-1);
      expect(last?.type).toBe('OrderRejected');
      expect(last?.type === 'OrderRejected' && /post-only/.test(last.reason)).toBe(true);
      expect(filledQuantity(h, order.clientOrderId).isZero()).toBe(true);
    });

    it('answers status queries: unknown ids are undefined', async () => {
      const h = await make();
      expect(await h.venue.orderStatus(clientOrderId('never-sent'))).toBeUndefined();
    });

    it('rejects a cancel for an order it does not have open', async () => {
      const h = await make();
      h.venue.cancel(clientOrderId('never-sent'));
      await h.settle();
      expect(typesFor(h, clientOrderId('never-sent'))).toEqual(['OrderCancelRejected']);
    });

    it('fills in parts when liquidity is limited, and the parts add up', async () => {
      const h = await options.partial('0.4');
      await h.setMarket('100');
      const order = spec(h, { quantity: fx('1') });
      h.venue.submit(order);
      for (let i = 0; i < 4; i++) await h.setMarket('100');
      await h.settle();
      const fills = reportsFor(h, order.clientOrderId).filter((r) => r.type === 'OrderFilled');
      expect(fills.map((f) => (f.type === 'OrderFilled' ? f.fill.quantity.toPlainString() : ''))).toEqual(['0.4', '0.4', '0.2']);
      expect((await h.venue.orderStatus(order.clientOrderId))?.status).toBe('filled');
    });

    it('reports a reconciliation snapshot: positions, balances and open orders', async () => {
      const h = await make();
      await h.setMarket('100');
      const buy = spec(h, { quantity: fx('2') });
      h.venue.submit(buy);
      await h.setMarket('100');
      const rest = spec(h, { type: 'limit', price: fx('50'), quantity: fx('1') });
      h.venue.submit(rest);
      await h.settle();
      const snapshot = await h.venue.snapshot();
      const position = snapshot.positions.find((p) => p.instrumentId === h.instrument.id);
      expect(position?.quantity.toPlainString()).toBe('2');
      expect(snapshot.openOrders.map((o) => o.clientOrderId)).toEqual([rest.clientOrderId]);
      const base = snapshot.balances.find((b) => b.currency === h.instrument.base);
      expect(base?.total.eq(fx('2'))).toBe(true);
      const quote = snapshot.balances.find((b) => b.currency === h.instrument.quote);
      expect(quote !== undefined && quote.free.lt(quote.total)).toBe(true);
    });
  });
}
