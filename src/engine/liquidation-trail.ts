import { Fixed } from '../core/fixed.js';
import type { ClientOrderId } from '../core/ids.js';
import type { DeskEvent, OrderFilled, OrderSubmitted, PositionLiquidated } from '../domain/events.js';

/**
 * A liquidation walked back through the journal: the venue's netted position on the instrument that it closed, and
 * the fills that built that position (since the position was last flat or turned), each with the order and book it
 * came from, so every entry can be explained in turn.
 */
export interface LiquidationTrail {
  readonly liquidation: PositionLiquidated;
  /** The netted position just before the liquidation (signed: negative is short). */
  readonly positionBefore: Fixed;
  readonly entries: readonly { readonly fill: OrderFilled; readonly owner?: string; readonly intentId?: string }[];
}

/** Every liquidation in the journal, in order, with the fills behind the position it closed. */
export function liquidationTrails(events: readonly DeskEvent[]): LiquidationTrail[] {
  const submitted = new Map<string, OrderSubmitted>();
  const net = new Map<string, Fixed>();
  const building = new Map<string, OrderFilled[]>();
  const trails: LiquidationTrail[] = [];
  for (const event of events) {
    if (event.type === 'OrderSubmitted') {
      submitted.set(event.order.clientOrderId, event);
    } else if (event.type === 'OrderFilled' || event.type === 'PositionLiquidated') {
      const id = event.type === 'OrderFilled' ? event.fill.instrumentId : event.instrumentId;
      const side = event.type === 'OrderFilled' ? event.fill.side : event.side;
      const quantity = event.type === 'OrderFilled' ? event.fill.quantity : event.quantity;
      const before = net.get(id) ?? Fixed.zero();
      const after = side === 'buy' ? before.add(quantity) : before.sub(quantity);
      net.set(id, after);
      if (event.type === 'PositionLiquidated') {
        const entries = (building.get(id) ?? []).map((fill) => {
          const order = submitted.get(fill.fill.clientOrderId)?.order;
          return { fill, ...(order === undefined ? {} : { owner: order.owner, intentId: order.intentId }) };
        });
        trails.push({ liquidation: event, positionBefore: before, entries });
      }
      // A position that went flat or turned starts a new one: its entries begin with the fill that turned it.
      const turned = after.isZero() || (!before.isZero() && after.isPositive() !== before.isPositive());
      if (turned) building.set(id, after.isZero() || event.type === 'PositionLiquidated' ? [] : [event]);
      else if (event.type === 'OrderFilled' && after.abs().gt(before.abs())) building.set(id, [...(building.get(id) ?? []), event]);
    }
  }
  return trails;
}

/**
 * The liquidations a query names: the event's id, or an instrument id (every liquidation of its position).
 * Undefined when the query names none.
 */
export function findLiquidations(events: readonly DeskEvent[], query: string): LiquidationTrail[] | undefined {
  const trails = liquidationTrails(events).filter((trail) => trail.liquidation.id === query || trail.liquidation.instrumentId === query);
  return trails.length === 0 ? undefined : trails;
}

/** The liquidations that closed a position these orders' fills helped build. */
export function liquidationsOfOrders(events: readonly DeskEvent[], clientOrderIds: ReadonlySet<ClientOrderId | string>): LiquidationTrail[] {
  if (clientOrderIds.size === 0) return [];
  return liquidationTrails(events).filter((trail) => trail.entries.some((entry) => clientOrderIds.has(entry.fill.fill.clientOrderId)));
}
