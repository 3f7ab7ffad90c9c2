/**
 * Why an order's update or fill cannot be applied to the books, judged before anything changes. (A submission is
 * checked by the ledger itself, which keeps what it works out for the posting that follows.)
 */
import type { OrderPendingUpdate, OrderUpdated } from '../domain/events.js';
import type { Fill } from '../domain/fill.js';
import type { Journal } from './journal.js';
import type { LedgerConfig } from './ledger-config.js';
import { filledOf, pendingHoldFor, type OpenOrder, type PendingChange } from './open-order.js';

/**
 * A change about to be sent to the venue: its new total must be above what has filled, and the owner must be able
 * to hold what it needs on top of what the order holds, since the venue may apply it (the books hold it from now
 * until the venue answers). This is the only funds check of a change: the venue's confirmation is never refused.
 */
export function pendingUpdateProblem(config: LedgerConfig, journal: Journal, open: OpenOrder | undefined, event: OrderPendingUpdate): string | undefined {
  if (open === undefined) return `update for unknown order ${event.clientOrderId}`;
  const problem = quantityProblem(open, event);
  if (problem !== undefined) return problem;
  const extra = pendingHoldFor(config, open, [...open.pending, pendingChangeOf(event)]) - open.pendingHold;
  if (extra > 0n && extra > journal.balance(open.owner, open.from, open.currency)) {
    return `insufficient funds to update ${event.clientOrderId}`;
  }
  return undefined;
}

/** A change the venue made: only what cannot be (an unknown order, a total not above what has filled) is refused. */
export function orderUpdateProblem(open: OpenOrder | undefined, event: OrderUpdated): string | undefined {
  if (open === undefined) return `update for unknown order ${event.clientOrderId}`;
  return quantityProblem(open, event);
}

/** What a change on its way changes of the order's funds: its new total quantity and price. */
export function pendingChangeOf(event: OrderPendingUpdate): PendingChange {
  return { ...(event.quantity === undefined ? {} : { quantity: event.quantity }), ...(event.price === undefined ? {} : { price: event.price }) };
}

function quantityProblem(open: OpenOrder, event: OrderUpdated | OrderPendingUpdate): string | undefined {
  if (event.quantity !== undefined && !event.quantity.isPositive()) return 'an updated quantity must be positive';
  if (event.quantity !== undefined && event.quantity.lte(filledOf(open))) {
    return `updated quantity ${event.quantity.toPlainString()} of ${event.clientOrderId} is not above the ${filledOf(open).toPlainString()} already filled`;
  }
  return undefined;
}

export function fillProblem(open: OpenOrder | undefined, fill: Fill): string | undefined {
  if (open === undefined) return `fill for unknown order ${fill.clientOrderId}`;
  if (fill.instrumentId !== open.instrument.id) return `fill instrument ${fill.instrumentId} differs from order's ${open.instrument.id}`;
  if (fill.side !== open.side) return `fill side ${fill.side} differs from order's ${open.side}`;
  if (!fill.quantity.isPositive()) return `fill quantity must be positive, got ${fill.quantity.toString()}`;
  if (!fill.price.isPositive()) return `fill price must be positive, got ${fill.price.toString()}`;
  if (fill.quantity.gt(open.leaves)) {
    return `fill of ${fill.quantity.toPlainString()} exceeds the ${open.leaves.toPlainString()} still open on ${fill.clientOrderId}`;
  }
  return undefined;
}
