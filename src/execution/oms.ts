import { Fixed } from '../core/fixed.js';
import { IdSet } from '../core/id-set.js';
import { RetiringMap } from '../core/retiring-map.js';
import type { ClientOrderId, EventId, InstrumentId, TradeId, VenueOrderId } from '../core/ids.js';
import type { UnixMs } from '../core/time.js';
import type { DeskEvent, OrderEvent } from '../domain/events.js';
import { canTransition, EVENT_TRANSITIONS, isOpen, nextLifecycle, type OrderStatus, type OrderTransition } from '../domain/order-lifecycle.js';
import type { OrderSpec } from '../domain/order.js';

/** The OMS's record of one order. Mutated only by `OrderManager.apply`. */
export interface OrderRecord {
  spec: OrderSpec;
  status: OrderStatus;
  resumeStatus: OrderStatus | undefined;
  venueOrderId: VenueOrderId | undefined;
  filledQuantity: Fixed;
  /** Sum of fill quantity x price, exact, for the average fill price. */
  filledValue: Fixed;
  fees: Fixed;
  readonly tradeIds: TradeId[];
  readonly eventIds: EventId[];
  readonly submittedAt: UnixMs;
  updatedAt: UnixMs;
  lastReason: string | undefined;
}


function isOrderEvent(event: DeskEvent): event is OrderEvent {
  return event.type === 'OrderFilled' || event.type in EVENT_TRANSITIONS;
}

function clientIdOf(event: OrderEvent): ClientOrderId {
  if (event.type === 'OrderSubmitted') return event.order.clientOrderId;
  if (event.type === 'OrderFilled') return event.fill.clientOrderId;
  return event.clientOrderId;
}

/**
 * The order management system: tracks orders by client order id and moves them through the lifecycle table.
 * `validate` names what is wrong with an event (unknown order, illegal transition, overfill, duplicate trade)
 * before anything changes; `apply` then records it.
 */
export class OrderManager {
  /** Every order; finished ones are kept packed (a long run sees hundreds of thousands). */
  private readonly orders = new RetiringMap<ClientOrderId, OrderRecord>((record) => !isOpen(record.status));
  private readonly open = new Set<ClientOrderId>();
  private readonly history: ClientOrderId[] = [];
  /** Trade ids seen, per instrument (trade ids are unique per instrument at a venue). */
  private readonly tradeIds = new Map<InstrumentId, IdSet>();

  has(id: ClientOrderId): boolean {
    return this.orders.has(id);
  }

  get(id: ClientOrderId): Readonly<OrderRecord> | undefined {
    return this.orders.get(id);
  }

  /** Open orders (submitted and not yet done), in submission order, optionally for one owner or instrument. */
  openOrders(filter: { owner?: string; instrumentId?: InstrumentId } = {}): Readonly<OrderRecord>[] {
    const out: OrderRecord[] = [];
    for (const id of this.open) {
      const record = this.orders.get(id);
      if (record === undefined) continue;
      if (filter.owner !== undefined && record.spec.owner !== filter.owner) continue;
      if (filter.instrumentId !== undefined && record.spec.instrumentId !== filter.instrumentId) continue;
      out.push(record);
    }
    return out;
  }

  /** Whether an open order of this owner and instrument passes `accept` (all do when omitted). Allocates nothing. */
  hasOpen(owner: string, instrumentId: InstrumentId, accept?: (order: Readonly<OrderRecord>) => boolean): boolean {
    if (this.open.size === 0) return false;
    for (const id of this.open) {
      const record = this.orders.get(id);
      if (record === undefined || record.spec.owner !== owner || record.spec.instrumentId !== instrumentId) continue;
      if (accept === undefined || accept(record)) return true;
    }
    return false;
  }

  openCount(owner?: string): number {
    if (owner === undefined) return this.open.size;
    let count = 0;
    for (const id of this.open) if (this.orders.get(id)?.spec.owner === owner) count += 1;
    return count;
  }

  /** Every order ever submitted, oldest first (paged). */
  orderHistory(offset = 0, limit = Number.POSITIVE_INFINITY): Readonly<OrderRecord>[] {
    const ids = this.history.slice(offset, limit === Number.POSITIVE_INFINITY ? undefined : offset + limit);
    return ids.map((id) => this.orders.get(id)).filter((r): r is OrderRecord => r !== undefined);
  }

  averageFillPrice(id: ClientOrderId, scale: number): Fixed | undefined {
    const record = this.orders.get(id);
    if (record === undefined || record.filledQuantity.isZero()) return undefined;
    return record.filledValue.div(record.filledQuantity, scale, 'half-even');
  }

  validate(event: DeskEvent): string | undefined {
    if (!isOrderEvent(event)) return undefined;
    const id = clientIdOf(event);
    const record = this.orders.get(id);
    if (event.type === 'OrderSubmitted') return record === undefined ? undefined : `order ${id} was already submitted`;
    if (record === undefined) return `${event.type} for unknown order ${id}`;
    const transition = this.transitionOf(event, record);
    if (!canTransition(record.status, transition)) {
      return `${event.type} is not possible for order ${id} while it is ${record.status}`;
    }
    if (event.type === 'OrderRejected' && record.filledQuantity.isPositive()) {
      return `OrderRejected is not possible for order ${id}, which has already filled ${record.filledQuantity.toPlainString()}`;
    }
    if (event.type === 'OrderFilled') {
      const fill = event.fill;
      if (this.tradeIds.get(fill.instrumentId)?.has(fill.tradeId) === true) return `trade ${fill.tradeId} was already recorded`;
      if (!fill.quantity.isPositive()) return `fill quantity must be positive, got ${fill.quantity.toString()}`;
      const leaves = record.spec.quantity.sub(record.filledQuantity);
      if (fill.quantity.gt(leaves)) {
        return `fill of ${fill.quantity.toPlainString()} exceeds the ${leaves.toPlainString()} left on order ${id}`;
      }
    }
    if (event.type === 'OrderUpdated' && event.quantity !== undefined && event.quantity.lte(record.filledQuantity)) {
      return `updated quantity ${event.quantity.toPlainString()} is not above the ${record.filledQuantity.toPlainString()} already filled`;
    }
    return undefined;
  }

  apply(event: DeskEvent): void {
    if (!isOrderEvent(event)) return;
    if (event.type === 'OrderSubmitted') {
      const spec = event.order;
      const zero = Fixed.zero(spec.quantity.scale);
      this.orders.set(spec.clientOrderId, {
        spec,
        status: 'submitted',
        resumeStatus: undefined,
        venueOrderId: undefined,
        filledQuantity: zero,
        filledValue: Fixed.zero(),
        fees: Fixed.zero(),
        tradeIds: [],
        eventIds: [event.id],
        submittedAt: event.tsEvent,
        updatedAt: event.tsEvent,
        lastReason: undefined,
      });
      this.open.add(spec.clientOrderId);
      this.history.push(spec.clientOrderId);
      return;
    }
    const id = clientIdOf(event);
    const record = this.orders.mutable(id);
    if (record === undefined) return;
    const next = nextLifecycle({ status: record.status, resumeStatus: record.resumeStatus }, this.transitionOf(event, record));
    switch (event.type) {
      case 'OrderAccepted':
        record.venueOrderId = event.venueOrderId;
        break;
      case 'OrderRejected':
      case 'OrderCanceled':
      case 'OrderCancelRejected':
      case 'OrderModifyRejected':
        record.lastReason = event.reason;
        break;
      case 'OrderUpdated':
        record.spec = {
          ...record.spec,
          ...(event.quantity === undefined ? {} : { quantity: event.quantity }),
          ...(event.price === undefined ? {} : { price: event.price }),
          ...(event.triggerPrice === undefined ? {} : { triggerPrice: event.triggerPrice }),
        };
        break;
      case 'OrderFilled': {
        const fill = event.fill;
        record.filledQuantity = record.filledQuantity.add(fill.quantity);
        record.filledValue = record.filledValue.add(fill.quantity.mul(fill.price));
        record.fees = record.fees.add(fill.fee);
        record.tradeIds.push(fill.tradeId);
        if (fill.venueOrderId !== undefined) record.venueOrderId ??= fill.venueOrderId;
        let seen = this.tradeIds.get(fill.instrumentId);
        if (seen === undefined) {
          seen = new IdSet();
          this.tradeIds.set(fill.instrumentId, seen);
        }
        seen.add(fill.tradeId);
        break;
      }
      default:
        break;
    }
    record.status = next.status;
    record.resumeStatus = next.resumeStatus;
    record.updatedAt = event.tsEvent;
    record.eventIds.push(event.id);
    if (!isOpen(record.status) && this.open.delete(id)) this.orders.retire(id);
  }

  /** A canonical, comparable picture of every order (for replay checks). */
  snapshot(): unknown {
    return this.history.map((id) => {
      const r = this.orders.get(id);
      return r === undefined
        ? { id }
        : {
            id,
            status: r.status,
            resume: r.resumeStatus,
            venueOrderId: r.venueOrderId,
            quantity: r.spec.quantity.toString(),
            price: r.spec.price?.toString(),
            filled: r.filledQuantity.toString(),
            value: r.filledValue.toString(),
            fees: r.fees.toString(),
            trades: [...r.tradeIds],
            events: [...r.eventIds],
            reason: r.lastReason,
          };
    });
  }

  private transitionOf(event: OrderEvent, record: OrderRecord): OrderTransition {
    if (event.type !== 'OrderFilled') return EVENT_TRANSITIONS[event.type];
    const filled = record.filledQuantity.add(event.fill.quantity);
    return filled.gte(record.spec.quantity) ? 'filled' : 'partially-filled';
  }
}
