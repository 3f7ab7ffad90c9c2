import { describe, expect, it } from 'vitest';
import { fx } from '../core/fixed.js';
import { clientOrderId, currency, instrumentId, tradeId, venueOrderId, type ClientOrderId, type EventId } from '../core/ids.js';
import { unixMs } from '../core/time.js';
import type { DeskEvent, OrderFilled } from '../domain/events.js';
import type { OrderSpec } from '../domain/order.js';
import { OrderManager } from './oms.js';

const BTC = instrumentId('BINANCE:BTC/USDT');
let seq = 0;
const base = () => ({ id: `e${++seq}` as EventId, tsEvent: unixMs(1000 + seq), tsInit: unixMs(1000 + seq) });

function spec(id: string, fields: Partial<OrderSpec> = {}): OrderSpec {
  return {
    clientOrderId: clientOrderId(id),
    instrumentId: BTC,
    side: 'buy',
    type: 'limit',
    quantity: fx('2'),
    price: fx('100'),
    timeInForce: 'GTC',
    postOnly: false,
    reduceOnly: false,
    owner: 'desk',
    ...fields,
  };
}

const submitted = (order: OrderSpec): DeskEvent => ({ ...base(), type: 'OrderSubmitted', order, reservePrice: order.price ?? fx('1') });
const accepted = (id: ClientOrderId): DeskEvent => ({ ...base(), type: 'OrderAccepted', clientOrderId: id, venueOrderId: venueOrderId(`v-${id}`) });
const filled = (id: ClientOrderId, qty: string, price: string, trade: string): OrderFilled => ({
  ...base(),
  type: 'OrderFilled',
  fill: {
    tradeId: tradeId(trade),
    clientOrderId: id,
    venueOrderId: undefined,
    instrumentId: BTC,
    side: 'buy',
    quantity: fx(qty),
    price: fx(price),
    fee: fx('0.1'),
    feeCurrency: currency('USDT'),
    liquidity: 'maker',
  },
});

function apply(oms: OrderManager, event: DeskEvent): void {
  const problem = oms.validate(event);
  if (problem !== undefined) throw new Error(problem);
  oms.apply(event);
}

describe('order manager', () => {
  it('answers for finished orders the same once they are packed away, and still refuses their trade ids again', () => {
    const oms = new OrderManager();
    const ids: ClientOrderId[] = [];
    const seen = new Map<string, unknown>();
    for (let i = 0; i < 200; i++) {
      const order = spec(`o${i}`, i % 3 === 0 ? { side: 'sell', reduceOnly: true } : {});
      ids.push(order.clientOrderId);
      apply(oms, submitted(order));
      apply(oms, accepted(order.clientOrderId));
      const fill = filled(order.clientOrderId, '2', `${100 + i}`, `sim-${i}`);
      apply(oms, order.side === 'sell' ? { ...fill, fill: { ...fill.fill, side: 'sell' } } : fill);
      seen.set(order.clientOrderId, structuredClone(oms.get(order.clientOrderId)));
    }
    for (const id of ids) expect(structuredClone(oms.get(id))).toEqual(seen.get(id));
    expect(oms.orderHistory().map((r) => r.spec.clientOrderId)).toEqual(ids);
    expect(oms.averageFillPrice(ids[0]!, 2)?.toPlainString()).toBe('100');
    expect(oms.has(ids[0]!)).toBe(true);
    expect(oms.validate(filled(clientOrderId('o199'), '1', '1', 'sim-0'))).toMatch(/not possible|already recorded/);
    const again = spec('fresh');
    apply(oms, submitted(again));
    expect(oms.validate(filled(again.clientOrderId, '1', '1', 'sim-5'))).toBe('trade sim-5 was already recorded');
  });

  it('tracks an order from submission through partial fills to filled, with the average price', () => {
    const oms = new OrderManager();
    const order = spec('a');
    apply(oms, submitted(order));
    apply(oms, accepted(order.clientOrderId));
    apply(oms, filled(order.clientOrderId, '0.5', '100', 't1'));
    expect(oms.get(order.clientOrderId)?.status).toBe('partially-filled');
    apply(oms, filled(order.clientOrderId, '1.5', '98', 't2'));
    const record = oms.get(order.clientOrderId);
    expect(record?.status).toBe('filled');
    expect(record?.filledQuantity.toPlainString()).toBe('2');
    expect(oms.averageFillPrice(order.clientOrderId, 4)?.toPlainString()).toBe('98.5');
    expect(record?.fees.toPlainString()).toBe('0.2');
    expect(record?.venueOrderId).toBe('v-a');
    expect(oms.openOrders()).toHaveLength(0);
    expect(oms.orderHistory().map((r) => r.spec.clientOrderId)).toEqual(['a']);
  });

  it('handles a fill that races a cancel request', () => {
    const oms = new OrderManager();
    const order = spec('b');
    apply(oms, submitted(order));
    apply(oms, accepted(order.clientOrderId));
    apply(oms, { ...base(), type: 'OrderPendingCancel', clientOrderId: order.clientOrderId });
    apply(oms, filled(order.clientOrderId, '1', '100', 't3'));
    expect(oms.get(order.clientOrderId)?.status).toBe('pending-cancel');
    apply(oms, { ...base(), type: 'OrderCanceled', clientOrderId: order.clientOrderId, reason: 'user' });
    expect(oms.get(order.clientOrderId)?.status).toBe('canceled');
    expect(oms.get(order.clientOrderId)?.filledQuantity.toPlainString()).toBe('1');
  });

  it('returns to partially filled when a cancel is rejected after a partial fill', () => {
    const oms = new OrderManager();
    const order = spec('c');
    apply(oms, submitted(order));
    apply(oms, accepted(order.clientOrderId));
    apply(oms, { ...base(), type: 'OrderPendingCancel', clientOrderId: order.clientOrderId });
    apply(oms, filled(order.clientOrderId, '1', '100', 't4'));
    apply(oms, { ...base(), type: 'OrderCancelRejected', clientOrderId: order.clientOrderId, reason: 'too late' });
    expect(oms.get(order.clientOrderId)?.status).toBe('partially-filled');
    expect(oms.get(order.clientOrderId)?.lastReason).toBe('too late');
    expect(oms.openCount()).toBe(1);
  });

  it('ends an order rejected while its cancel is pending, but refuses a rejection of an order that has fills', () => {
    const oms = new OrderManager();
    const order = spec('r');
    apply(oms, submitted(order));
    apply(oms, accepted(order.clientOrderId));
    apply(oms, { ...base(), type: 'OrderPendingCancel', clientOrderId: order.clientOrderId });
    apply(oms, { ...base(), type: 'OrderRejected', clientOrderId: order.clientOrderId, reason: 'post-only order would take liquidity' });
    expect(oms.get(order.clientOrderId)?.status).toBe('rejected');
    expect(oms.openCount()).toBe(0);
    const part = spec('r2');
    apply(oms, submitted(part));
    apply(oms, accepted(part.clientOrderId));
    apply(oms, { ...base(), type: 'OrderPendingCancel', clientOrderId: part.clientOrderId });
    apply(oms, filled(part.clientOrderId, '1', '100', 't9'));
    expect(oms.validate({ ...base(), type: 'OrderRejected', clientOrderId: part.clientOrderId, reason: 'late' })).toBe(
      `OrderRejected is not possible for order r2, which has already filled 1`,
    );
  });

  it('applies an update to the order it tracks', () => {
    const oms = new OrderManager();
    const order = spec('d');
    apply(oms, submitted(order));
    apply(oms, accepted(order.clientOrderId));
    apply(oms, { ...base(), type: 'OrderPendingUpdate', clientOrderId: order.clientOrderId });
    apply(oms, { ...base(), type: 'OrderUpdated', clientOrderId: order.clientOrderId, price: fx('101') });
    expect(oms.get(order.clientOrderId)?.status).toBe('accepted');
    expect(oms.get(order.clientOrderId)?.spec.price?.toPlainString()).toBe('101');
  });

  it('answers open orders by owner and instrument', () => {
    const oms = new OrderManager();
    apply(oms, submitted(spec('e1')));
    apply(oms, submitted(spec('e2', { owner: 'sleeve-a' })));
    apply(oms, submitted(spec('e3', { instrumentId: instrumentId('BINANCE:ETH/USDT') })));
    expect(oms.openOrders({ owner: 'desk' }).map((o) => o.spec.clientOrderId)).toEqual(['e1', 'e3']);
    expect(oms.openOrders({ instrumentId: BTC }).map((o) => o.spec.clientOrderId)).toEqual(['e1', 'e2']);
    expect(oms.openCount('sleeve-a')).toBe(1);
    expect(oms.orderHistory(1, 1).map((o) => o.spec.clientOrderId)).toEqual(['e2']);
  });

  describe('refuses what does not fit, changing nothing', () => {
    it('an event for an unknown order', () => {
      const oms = new OrderManager();
      expect(oms.validate(accepted(clientOrderId('nope')))).toBe('OrderAccepted for unknown order nope');
      expect(oms.validate(filled(clientOrderId('nope'), '1', '1', 'tx'))).toBe('OrderFilled for unknown order nope');
    });

    it('a second submission of the same client order id', () => {
      const oms = new OrderManager();
      apply(oms, submitted(spec('f')));
      expect(oms.validate(submitted(spec('f')))).toBe('order f was already submitted');
    });

    it('an illegal transition, an overfill and a duplicate trade', () => {
      const oms = new OrderManager();
      const order = spec('g');
      apply(oms, submitted(order));
      apply(oms, filled(order.clientOrderId, '1', '100', 't9'));
      const before = JSON.stringify(oms.snapshot());
      expect(oms.validate(filled(order.clientOrderId, '1.5', '100', 't10'))).toBe('fill of 1.5 exceeds the 1 left on order g');
      expect(oms.validate(filled(order.clientOrderId, '0.5', '100', 't9'))).toBe('trade t9 was already recorded');
      apply(oms, filled(order.clientOrderId, '1', '100', 't11'));
      expect(oms.validate({ ...base(), type: 'OrderCanceled', clientOrderId: order.clientOrderId, reason: 'x' })).toBe(
        'OrderCanceled is not possible for order g while it is filled',
      );
      expect(JSON.stringify(oms.snapshot())).not.toBe(before);
      const after = JSON.stringify(oms.snapshot());
      oms.validate(accepted(order.clientOrderId));
      expect(JSON.stringify(oms.snapshot())).toBe(after);
    });

    it('an illegal transition applied anyway throws (a bug, not an input)', () => {
      const oms = new OrderManager();
      const order = spec('h');
      apply(oms, submitted(order));
      oms.apply({ ...base(), type: 'OrderRejected', clientOrderId: order.clientOrderId, reason: 'r' });
      expect(() => oms.apply(accepted(order.clientOrderId))).toThrow(/illegal order transition: accepted while rejected/);
    });
  });
});
