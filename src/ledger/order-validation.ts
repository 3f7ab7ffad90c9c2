/**
 * Why an order's update or fill cannot be applied to the books, judged before anything changes. (A submission is
 * checked by the ledger itself, which keeps what it works out for the posting that follows.)
 */
import type { OrderUpdated } from '../domain/events.js';
import type { Fill } from '../domain/fill.js';
import type { Journal } from './journal.js';
import type { LedgerConfig } from './ledger-config.js';
import { filledOf, reservationAfter, type OpenOrder } from './open-order.js';

export function orderUpdateProblem(config: LedgerConfig, journal: Journal, open: OpenOrder | undefined, event: OrderUpdated): string | undefined {
  if (open === undefined) return `update for unknown order ${event.clientOrderId}`;
  if (event.quantity !== undefined && !event.quantity.isPositive()) return 'an updated quantity must be positive';
  if (event.quantity !== undefined && event.quantity.lte(filledOf(open))) {
    return `updated quantity ${event.quantity.toPlainString()} of ${event.clientOrderId} is not above the ${filledOf(open).toPlainString()} already filled`;
  }
  const extra = reservationAfter(config, open, event) - open.reserved;
  if (extra > 0n && extra > journal.balance(open.owner, open.from, open.currency)) {
    return `insufficient funds to update ${event.clientOrderId}`;
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
