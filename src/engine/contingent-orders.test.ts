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

function canceled(id: ClientOrderId): DeskEvent {
  sequence += 1;
  return { type: 'OrderCanceled', id: `ev-${sequence}` as EventId, tsEvent: T, tsInit: T, clientOrderId: id, reason: 'one-cancels-other' };
}

describe('ContingentOrders', () => {
  it('pairs a bracket stop and take-profit, and a canceled leg marks only its own sibling as done', () => {
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

    // The take-profit of the first bracket is canceled: a fill on its stop now has nothing left to cancel.
    orders.apply(canceled(take1));
    expect(orders.toCancel(stop1)).toEqual([]);
    expect(orders.toCancel(take1)).toEqual([stop1]);
    expect(orders.toCancel(stop2)).toEqual([take2]);
    expect(orders.snapshot()).toMatchObject({ triggered: [stop1] });
  });

  it('a stop-loss alone has no sibling to cancel', () => {
    const orders = new ContingentOrders();
    orders.apply(approved('i-3', 'entry-3', { stopLoss: '90' }));
    const stop = clientOrderIdFor(intentId('i-3'), 1);
    orders.apply(canceled(stop));
    expect(orders.releasable(clientOrderId('entry-3')).map((child) => child.role)).toEqual(['stop-loss']);
    expect(orders.toCancel(stop)).toEqual([]);
    expect(orders.snapshot()).toMatchObject({ triggered: [] });
  });
});
