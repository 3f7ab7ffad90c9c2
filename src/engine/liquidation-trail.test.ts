import { describe, expect, it } from 'vitest';
import { fx } from '../core/fixed.js';
import { clientOrderIdFor, intentId, type EventId } from '../core/ids.js';
import type { UnixMs } from '../core/time.js';
import type { DeskEvent } from '../domain/events.js';
import { makeDesk, PERP } from '../../test/integration/fixture.js';
import { findLiquidations, liquidationsOfOrders } from './liquidation-trail.js';

/** A long perpetual built by two buys (after an earlier position that went flat), then liquidated by the venue. */
function liquidatedLong(): { events: DeskEvent[] } {
  const desk = makeDesk();
  desk.price('40000');
  desk.core.submitIntent(desk.intent({ id: intentId('i-old'), instrumentId: PERP, side: 'buy', quantity: fx('0.1') }));
  desk.core.submitIntent(desk.intent({ id: intentId('i-old-out'), instrumentId: PERP, side: 'sell', quantity: fx('0.1') }));
  desk.core.submitIntent(desk.intent({ id: intentId('i-a'), instrumentId: PERP, side: 'buy', quantity: fx('0.3') }));
  desk.core.submitIntent(desk.intent({ id: intentId('i-b'), instrumentId: PERP, side: 'buy', quantity: fx('0.2') }));
  const events = [...desk.core.store.read(0)];
  events.push({
    type: 'PositionLiquidated', instrumentId: PERP, side: 'sell', quantity: fx('0.5'), price: fx('36000'), fee: fx('9'),
    reason: 'margin balance at or below maintenance margin', id: 'ev-liq' as EventId, tsEvent: 2 as UnixMs, tsInit: 2 as UnixMs,
  });
  return { events };
}

describe('the trail of a liquidation', () => {
  it('is found by the event id or the instrument, with the position it closed and the fills that built it', () => {
    const { events } = liquidatedLong();
    const [trail] = findLiquidations(events, 'ev-liq') ?? [];
    expect(trail?.positionBefore.toPlainString()).toBe('0.5');
    expect(trail?.entries.map((entry) => [entry.intentId, entry.owner, entry.fill.fill.quantity.toPlainString()])).toEqual([
      ['i-a', 'desk', '0.3'],
      ['i-b', 'desk', '0.2'],
    ]);
    expect(findLiquidations(events, PERP)).toEqual([trail]);
    expect(findLiquidations(events, 'ev-nope')).toBeUndefined();
  });

  it('is named by the orders whose fills built the liquidated position, not by earlier ones', () => {
    const { events } = liquidatedLong();
    expect(liquidationsOfOrders(events, new Set([clientOrderIdFor(intentId('i-b'))])).map((trail) => trail.liquidation.id)).toEqual(['ev-liq']);
    expect(liquidationsOfOrders(events, new Set([clientOrderIdFor(intentId('i-old'))]))).toEqual([]);
  });
});
