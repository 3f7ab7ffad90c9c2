import { describe, expect, it } from 'vitest';
import { fx } from '../core/fixed.js';
import { agentId, clientOrderIdFor, type EventId, intentId } from '../core/ids.js';
import type { UnixMs } from '../core/time.js';
import type { DeskEvent } from '../domain/events.js';
import { makeDesk, PERP, SPOT } from '../../test/integration/fixture.js';
import { causationChain, type CausationChain, type NoSuchOrder } from './causation-chain.js';

function found(result: CausationChain | NoSuchOrder): CausationChain {
  if (!result.found) throw new Error(result.reason);
  return result;
}

/** Two analysts, a decision on their signals, and the intent it produced, through the core on the sim venue. */
function signalledBuy() {
  const desk = makeDesk();
  desk.price('40000');
  const s1 = desk.core.recordAgentEvent({ type: 'SignalEmitted', signalId: 'sig-trend', agentId: agentId('trend'), instrumentId: SPOT, direction: 'long', conviction: 0.8, reason: 'breakout' });
  const s2 = desk.core.recordAgentEvent({ type: 'SignalEmitted', signalId: 'sig-carry', agentId: agentId('carry'), instrumentId: SPOT, direction: 'long', conviction: 0.4, reason: 'funding positive' });
  const decision = desk.core.recordAgentEvent({
    type: 'DecisionMade', agentId: agentId('pm'), mode: 'weighted', owner: 'desk', instrumentId: SPOT, target: fx('0.25'), current: fx('0'), order: fx('0.25'),
    intentId: intentId('i-buy'), reason: 'weighted conviction 0.6', causationId: 'sig-trend,sig-carry',
  });
  desk.core.submitIntent(desk.intent({ id: intentId('i-buy'), side: 'buy', quantity: fx('0.25'), causationId: decision.id }));
  return { desk, events: desk.core.store.read(0), signals: [s1, s2], decision };
}

describe('the causation chain of an order', () => {
  it('walks a filled order back to its decision and both signals, by any of its ids', () => {
    const { events, signals, decision } = signalledBuy();
    const clientOrderId = clientOrderIdFor(intentId('i-buy'));
    const chain = found(causationChain(events, clientOrderId));
    expect(chain.matchedBy).toBe('client-order-id');
    expect(chain.signals).toEqual(signals);
    expect(chain.decision).toEqual(decision);
    expect(chain.order.verdicts.map((verdict) => verdict.type)).toEqual(['IntentApproved']);
    expect(chain.order.submitted?.order.clientOrderId).toBe(clientOrderId);
    expect(chain.order.updates.map((event) => event.type)).toEqual(['OrderAccepted']);
    expect(chain.order.fills).toHaveLength(1);
    expect(chain.order.status).toBe('filled');
    expect(chain.order.summary.filledQuantity.toPlainString()).toBe('0.25');
    expect(chain.order.summary.averagePrice?.toPlainString()).toBe('40000');
    expect(chain.order.summary.notional.toPlainString()).toBe('10000');
    expect(chain.order.summary.fees.map((fee) => `${fee.amount.toPlainString()} ${fee.currency}`)).toEqual(['10 USDT']);
    expect(chain.order.children).toEqual([]);
    expect(chain.missing).toEqual([]);

    const accepted = chain.order.updates[0];
    const venueOrderId = accepted?.type === 'OrderAccepted' ? accepted.venueOrderId : '';
    const byVenue = found(causationChain(events, venueOrderId));
    expect(byVenue.matchedBy).toBe('venue-order-id');
    const byIntent = found(causationChain(events, 'i-buy'));
    expect(byIntent.matchedBy).toBe('intent-id');
    expect({ ...byVenue, matchedBy: 'x', query: 'x' }).toEqual({ ...chain, matchedBy: 'x', query: 'x' });
    expect({ ...byIntent, matchedBy: 'x', query: 'x' }).toEqual({ ...chain, matchedBy: 'x', query: 'x' });
  });

  it('follows a bracket to its children: the take-profit filled, the stop-loss canceled', () => {
    const desk = makeDesk();
    desk.price('40000');
    const entry = desk.core.submitIntent(desk.intent({ id: intentId('i-br'), instrumentId: PERP, side: 'buy', quantity: fx('1'), stopLoss: fx('38000'), takeProfit: fx('43000'), causationId: 'sig-x' }));
    desk.clock.advanceBy(60_000);
    desk.price('43000');
    const events = desk.core.store.read(0);
    const chain = found(causationChain(events, entry.status === 'submitted' ? entry.clientOrderId : ''));
    const [stop, take] = chain.order.children;
    expect(stop?.clientOrderId).toBe(clientOrderIdFor(intentId('i-br'), 1));
    expect(stop?.submitted?.order.linkage?.role).toBe('stop-loss');
    expect(stop?.status).toBe('canceled');
    expect(stop?.updates.map((event) => event.type)).toEqual(['OrderAccepted', 'OrderPendingCancel', 'OrderCanceled']);
    expect(take?.submitted?.order.linkage?.role).toBe('take-profit');
    expect(take?.status).toBe('filled');
    expect(take?.summary.averagePrice?.toPlainString()).toBe('43000');
    // The signal the entry named is not in the journal, and no decision was recorded: both are reported.
    expect(chain.missing).toEqual([
      { link: 'decision', detail: 'no DecisionMade event produced this intent' },
      { link: 'signal', detail: 'the intent names sig-x as a cause, which is not in the journal' },
    ]);

    const child = found(causationChain(events, clientOrderIdFor(intentId('i-br'), 2)));
    expect(child.parentClientOrderId).toBe(chain.order.clientOrderId);
    expect(child.order.verdicts[0]?.type === 'IntentApproved' && child.order.verdicts[0].intent.id).toBe('i-br.tp');
    expect(child.missing).toEqual(chain.missing);
  });

  it('explains a denied intent, with the gate reason and no order', () => {
    const desk = makeDesk({ maxOpenOrders: 0 });
    desk.price('40000');
    desk.core.submitIntent(desk.intent({ id: intentId('i-no'), side: 'buy', quantity: fx('0.1') }));
    const chain = found(causationChain(desk.core.store.read(0), 'i-no'));
    expect(chain.order.status).toBe('denied');
    expect(chain.order.clientOrderId).toBeUndefined();
    expect(chain.order.verdicts[0]).toMatchObject({ type: 'IntentDenied', code: 'max_open_orders' });
    expect(chain.missing.map((link) => link.link)).toEqual(['decision', 'signal']);
  });

  it('shows a canceled resting order with its request and the venue confirmation', () => {
    const desk = makeDesk();
    desk.price('40000');
    const outcome = desk.core.submitIntent(desk.intent({ side: 'buy', type: 'limit', price: fx('39000'), quantity: fx('0.1') }));
    if (outcome.status !== 'submitted') throw new Error('not submitted');
    desk.core.cancelOrder(outcome.clientOrderId);
    const chain = found(causationChain(desk.core.store.read(0), outcome.clientOrderId));
    expect(chain.order.status).toBe('canceled');
    expect(chain.order.fills).toEqual([]);
    expect(chain.order.summary.averagePrice).toBeUndefined();
    expect(chain.order.summary.filledQuantity.isZero()).toBe(true);
  });

  it('reports the links a partial journal lacks instead of failing', () => {
    const { events, decision } = signalledBuy();
    // Keep the order but drop one signal, the approval and everything the venue said.
    const partial = events.filter(
      (event) => !(event.type === 'SignalEmitted' && event.signalId === 'sig-carry') && event.type !== 'IntentApproved' && event.type !== 'OrderAccepted' && event.type !== 'OrderFilled',
    );
    const chain = found(causationChain(partial, clientOrderIdFor(intentId('i-buy'))));
    expect(chain.decision).toEqual(decision);
    expect(chain.signals.map((signal) => signal.type === 'SignalEmitted' && signal.signalId)).toEqual(['sig-trend']);
    expect(chain.missing).toEqual([
      { link: 'signal', detail: `decision ${decision.id} names sig-carry as a cause, which is not in the journal` },
      { link: 'risk-verdict', detail: 'no IntentApproved or IntentDenied event for this order' },
      { link: 'venue-response', detail: 'the venue has not acknowledged, rejected or filled the order' },
    ]);
    expect(chain.order.status).toBe('submitted');
  });

  it('finds an intent the manager decided on that never reached the gate', () => {
    const event: DeskEvent = {
      id: 'ev-1' as EventId, tsEvent: 1 as UnixMs, tsInit: 1 as UnixMs, type: 'DecisionMade', agentId: agentId('pm'), mode: 'independent', owner: 'desk',
      instrumentId: SPOT, target: fx('1'), current: fx('0'), order: fx('1'), intentId: intentId('i-lost'), reason: 'go long',
    };
    const chain = found(causationChain([event], 'i-lost'));
    expect(chain.decision).toBe(event);
    expect(chain.order.status).toBeUndefined();
    expect(chain.missing.map((link) => link.link)).toEqual(['signal', 'risk-verdict']);
  });

  it('follows an intent an algorithm worked to its child orders and their exits, and a child back to the decision', () => {
    const desk = makeDesk();
    desk.price('40000');
    const signal = desk.core.recordAgentEvent({ type: 'SignalEmitted', signalId: 'sig-twap', agentId: agentId('trend'), instrumentId: SPOT, direction: 'long', conviction: 1, reason: 'breakout' });
    const decision = desk.core.recordAgentEvent({
      type: 'DecisionMade', agentId: agentId('pm'), mode: 'independent', owner: 'desk', instrumentId: SPOT, target: fx('0.3'), current: fx('0'), order: fx('0.3'),
      intentId: intentId('i-twap'), reason: 'trend is long', causationId: 'sig-twap',
    });
    const parent = desk.intent({ id: intentId('i-twap'), side: 'buy', quantity: fx('0.3'), causationId: 'sig-twap' });
    desk.core.submitIntent({ ...parent, id: intentId('i-twap.1'), quantity: fx('0.1') });
    desk.price('40100');
    desk.core.submitIntent({ ...parent, id: intentId('i-twap.2'), quantity: fx('0.2') });
    desk.core.submitExits(parent, fx('0.3'), { stopLoss: fx('36865.33') });
    const events = desk.core.store.read(0);

    const chain = found(causationChain(events, 'i-twap'));
    expect(chain.matchedBy).toBe('intent-id');
    expect(chain.decision).toEqual(decision);
    expect(chain.signals).toEqual([signal]);
    expect(chain.order.legs?.map((leg) => [leg.intentId, leg.clientOrderId, leg.status, leg.summary.filledQuantity.toPlainString(), leg.summary.averagePrice?.toPlainString()])).toEqual([
      ['i-twap.1', clientOrderIdFor(intentId('i-twap.1')), 'filled', '0.1', '40000'],
      ['i-twap.2', clientOrderIdFor(intentId('i-twap.2')), 'filled', '0.2', '40100'],
    ]);
    expect(chain.order.legs?.map((leg) => leg.verdicts.map((verdict) => verdict.type))).toEqual([['IntentApproved'], ['IntentApproved']]);
    expect(chain.order.legsSummary?.filledQuantity.toPlainString()).toBe('0.3');
    expect(chain.order.legsSummary?.notional.toPlainString()).toBe('12020');
    expect(chain.order.children.map((exit) => [exit.intentId, exit.submitted?.order.linkage?.role, exit.submitted?.order.quantity.toPlainString(), exit.status])).toEqual([
      ['i-twap.sl', 'stop-loss', '0.3', 'accepted'],
    ]);
    expect(chain.missing).toEqual([]);

    const child = found(causationChain(events, 'i-twap.2'));
    expect(child.parentIntentId).toBe('i-twap');
    expect(child.decision).toEqual(decision);
    expect(child.signals).toEqual([signal]);
    expect(child.order.status).toBe('filled');
    expect(child.missing).toEqual([]);
    const exit = found(causationChain(events, clientOrderIdFor(intentId('i-twap'), 1)));
    expect(exit.parentIntentId).toBe('i-twap');
    expect(exit.decision).toEqual(decision);
  });

  it('shows the opening part of a flip worked in slices under its decision, and finds that part by its own id', () => {
    const desk = makeDesk();
    desk.price('40000');
    desk.core.submitIntent(desk.intent({ id: intentId('i-long'), instrumentId: PERP, side: 'buy', quantity: fx('0.2') }));
    desk.core.recordAgentEvent({ type: 'SignalEmitted', signalId: 'sig-short', agentId: agentId('trend'), instrumentId: PERP, direction: 'short', conviction: 1, reason: 'breakdown' });
    const decision = desk.core.recordAgentEvent({
      type: 'DecisionMade', agentId: agentId('pm'), mode: 'independent', owner: 'desk', instrumentId: PERP, target: fx('-0.2'), current: fx('0.2'), order: fx('-0.4'),
      intentId: intentId('i-flip'), reason: 'trend is short', causationId: 'sig-short',
    });
    const parent = desk.intent({ id: intentId('i-flip'), instrumentId: PERP, side: 'sell', quantity: fx('0.4'), causationId: 'sig-short' });
    desk.core.submitIntent({ ...parent, id: intentId('i-flip.1'), quantity: fx('0.1'), reduceOnly: true });
    desk.core.submitIntent({ ...parent, id: intentId('i-flip.2'), quantity: fx('0.1'), reduceOnly: true });
    desk.core.submitIntent({ ...parent, id: intentId('i-flip.open.1'), quantity: fx('0.1') });
    desk.core.submitIntent({ ...parent, id: intentId('i-flip.open.2'), quantity: fx('0.1') });
    const events = desk.core.store.read(0);

    const chain = found(causationChain(events, 'i-flip'));
    expect(chain.order.legs?.map((leg) => leg.intentId)).toEqual(['i-flip.1', 'i-flip.2']);
    expect(chain.opening?.intentId).toBe('i-flip.open');
    expect(chain.opening?.legs?.map((leg) => [leg.intentId, leg.status, leg.summary.filledQuantity.toPlainString()])).toEqual([
      ['i-flip.open.1', 'filled', '0.1'],
      ['i-flip.open.2', 'filled', '0.1'],
    ]);
    expect(chain.order.legsSummary?.filledQuantity.add(chain.opening?.legsSummary?.filledQuantity ?? fx('0')).toPlainString()).toBe('0.4');

    const opening = found(causationChain(events, 'i-flip.open'));
    expect(opening.parentIntentId).toBe('i-flip');
    expect(opening.decision).toEqual(decision);
    expect(opening.order.legs).toHaveLength(2);
  });

  it('says there is no such order for an id the journal does not know', () => {
    const { events } = signalledBuy();
    expect(causationChain(events, 'c-nope')).toEqual({ found: false, query: 'c-nope', reason: `no order, venue order or intent with id "c-nope" in ${events.length} journal events` });
  });
});
