import { describe, expect, it } from 'vitest';
import { fx } from '../core/fixed.js';
import { agentId, clientOrderId, clientOrderIdFor, instrumentId, intentId, type ClientOrderId, type EventId } from '../core/ids.js';
import type { UnixMs } from '../core/time.js';
import type { DeskEvent } from '../domain/events.js';
import { ContingentOrders } from './contingent-orders.js';

const T = 1_000 as UnixMs;
let sequence = 0;

function approved(intent: string, entry: string, exits: { stopLoss?: string; takeProfit?: string }): DeskEvent {
  sequence += 1;
  return {
    type: 'IntentApproved',
    id: `ev-${sequence}` as EventId,
    tsEvent: T,
    tsInit: T,
    intent: {
      id: intentId(intent),
      agentId: agentId('trend'),
      owner: 'trend',
      instrumentId: instrumentId('SIM:BTC/USDT'),
      side: 'buy',
      quantity: fx('1'),
      type: 'market',
      tsEvent: T,
      ...(exits.stopLoss === undefined ? {} : { stopLoss: fx(exits.stopLoss) }),
      ...(exits.takeProfit === undefined ? {} : { takeProfit: fx(exits.takeProfit) }),
    },
    clientOrderId: clientOrderId(entry),
    approvedQuantity: fx('1'),
    clamps: [],
  };
}

function stamp(): { id: EventId; tsEvent: UnixMs; tsInit: UnixMs } {
  sequence += 1;
  return { id: `ev-${sequence}` as EventId, tsEvent: T, tsInit: T };
}

function pendingCancel(id: ClientOrderId): DeskEvent {
  return { type: 'OrderPendingCancel', ...stamp(), clientOrderId: id };
}

function ended(type: 'OrderCanceled' | 'OrderRejected' | 'OrderExpired', id: ClientOrderId): DeskEvent {
  return { type, ...stamp(), clientOrderId: id, reason: 'done' } as DeskEvent;
}

function childSubmitted(id: ClientOrderId, parent: string): DeskEvent {
  return {
    type: 'OrderSubmitted',
    ...stamp(),
    order: {
      clientOrderId: id,
      instrumentId: instrumentId('SIM:BTC/USDT'),
      side: 'sell',
      type: 'stop-market',
      quantity: fx('1'),
      triggerPrice: fx('90'),
      timeInForce: 'GTC',
      postOnly: false,
      reduceOnly: true,
      owner: 'trend',
      linkage: { listId: 'i-1', role: 'stop-loss', parent: clientOrderId(parent), ocoWith: [] },
    },
    reservePrice: fx('90'),
  } as DeskEvent;
}

function filled(id: ClientOrderId, quantity: string): DeskEvent {
  return {
    type: 'OrderFilled',
    ...stamp(),
    fill: {
      tradeId: `t-${sequence}`,
      clientOrderId: id,
      venueOrderId: undefined,
      instrumentId: instrumentId('SIM:BTC/USDT'),
      side: 'buy',
      quantity: fx(quantity),
      price: fx('100'),
      fee: fx('0'),
      feeCurrency: 'USDT',
      liquidity: 'taker',
    },
  } as DeskEvent;
}

describe('ContingentOrders', () => {
  it('pairs a bracket stop and take-profit; a leg asked to cancel leaves its sibling nothing to cancel', () => {
    const orders = new ContingentOrders();
    orders.apply(approved('i-1', 'entry-1', { stopLoss: '90', takeProfit: '120' }));
    orders.apply(approved('i-2', 'entry-2', { stopLoss: '80', takeProfit: '130' }));
    const [stop1, take1] = [clientOrderIdFor(intentId('i-1'), 1), clientOrderIdFor(intentId('i-1'), 2)];
    const [stop2, take2] = [clientOrderIdFor(intentId('i-2'), 1), clientOrderIdFor(intentId('i-2'), 2)];
    expect(orders.releasable(clientOrderId('entry-1')).map((child) => [child.role, child.clientOrderId])).toEqual([
      ['stop-loss', stop1],
      ['take-profit', take1],
    ]);
    expect(orders.toCancel(stop1)).toEqual([take1]);

    // The first bracket's take-profit is being canceled: a fill on its stop has nothing left to cancel.
    orders.apply(pendingCancel(take1));
    expect(orders.toCancel(stop1)).toEqual([]);
    expect(orders.toCancel(take1)).toEqual([stop1]);
    expect(orders.toCancel(stop2)).toEqual([take2]);
    expect(orders.snapshot()).toMatchObject({ triggered: [stop1] });

    // Once it is canceled the group is forgotten; the other bracket's is untouched.
    orders.apply(ended('OrderCanceled', take1));
    expect([orders.toCancel(stop1), orders.toCancel(take1), orders.toCancel(stop2)]).toEqual([[], [], [take2]]);
    expect(orders.snapshot()).toMatchObject({ triggered: [] });
  });

  it('forgets a bracket once a child goes out, or once its entry ends unfilled', () => {
    const orders = new ContingentOrders();
    orders.apply(approved('i-1', 'entry-1', { stopLoss: '90' }));
    orders.apply(approved('i-2', 'entry-2', { takeProfit: '130' }));
    orders.apply(approved('i-3', 'entry-3', { stopLoss: '80', takeProfit: '140' }));
    const child = orders.releasable(clientOrderId('entry-1'))[0];
    expect(child?.intent).toMatchObject({ side: 'sell', type: 'stop-market', reduceOnly: true, id: 'i-1.sl' });
    orders.apply(childSubmitted(child?.clientOrderId ?? clientOrderId('none'), 'entry-1'));
    orders.apply(ended('OrderExpired', clientOrderId('entry-2')));
    orders.apply(ended('OrderRejected', clientOrderId('entry-3')));
    expect(orders.releasable(clientOrderId('entry-1'))).toEqual([]);
    expect(orders.releasable(clientOrderId('entry-2'))).toEqual([]);
    expect(orders.releasable(clientOrderId('entry-3'))).toEqual([]);
    expect(orders.snapshot()).toEqual({ brackets: [], triggered: [] });
  });

  it('keeps the children of an entry that ends after filling part of it until they go out', () => {
    const orders = new ContingentOrders();
    for (const [n, end] of [[1, 'OrderCanceled'], [2, 'OrderExpired'], [3, 'OrderRejected']] as const) {
      const entry = clientOrderId(`entry-${n}`);
      orders.apply(approved(`i-${n}`, entry, { stopLoss: '90', takeProfit: '120' }));
      orders.apply(filled(entry, '0.4'));
      orders.apply(ended(end, entry));
      expect(orders.releasable(entry).map((child) => child.role)).toEqual(['stop-loss', 'take-profit']);
      orders.apply(childSubmitted(clientOrderIdFor(intentId(`i-${n}`), 1), entry));
      expect(orders.releasable(entry)).toEqual([]);
    }
    expect(orders.snapshot()).toEqual({ brackets: [], triggered: [] });
  });
});
