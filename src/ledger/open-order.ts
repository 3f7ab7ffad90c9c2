/** The books' record of an order while it is open: what it holds back and how much of it has filled. */
import type { Fixed } from '../core/fixed.js';
import type { Currency } from '../core/ids.js';
import type { OrderUpdated } from '../domain/events.js';
import type { Instrument } from '../domain/instrument.js';
import type { OrderSide } from '../domain/order.js';
import { requirementFor, toUnits, type LedgerConfig } from './ledger-config.js';

/** A change to an order that has been sent to the venue and not yet answered: the new total quantity or price. */
export interface PendingChange {
  readonly quantity?: Fixed;
  readonly price?: Fixed;
}

export interface OpenOrder {
  readonly owner: string;
  readonly instrument: Instrument;
  readonly side: OrderSide;
  readonly reduceOnly: boolean;
  readonly currency: Currency;
  readonly from: 'cash' | 'asset';
  /** Still reserved, in the currency's units. */
  reserved: bigint;
  /** The price the reservation is sized at (the reserve price, or the latest updated limit). */
  reservePrice: Fixed;
  /** The order's quantity: an update's quantity is the new total, so leaves are that less what has filled. */
  quantity: Fixed;
  /** Quantity still open. */
  leaves: Fixed;
  /**
   * The exact value of the fills so far (undefined while it equals what was booked), and what the books have taken
   * as their value: its rounding half-even, in units.
   */
  filledValue: Fixed | undefined;
  bookedValue: bigint;
  /** Changes on their way to the venue, oldest first (the venue answers them in order). */
  readonly pending: PendingChange[];
  /**
   * Held on top of `reserved` while changes are on their way, in units: what the most demanding of them needs beyond
   * what the order holds, so that the venue may make any of them and the books still hold what it then needs.
   */
  pendingHold: bigint;
  /** Looked up once at submission for the fills: the position's key and the settlement and base scales. */
  readonly positionKey: string;
  readonly settleScale: number;
  readonly baseScale: number;
}

export function filledOf(open: OpenOrder): Fixed {
  return open.quantity.sub(open.leaves);
}

/** What an order should hold back once `event` changes its quantity (the new total) or price. */
export function reservationAfter(config: LedgerConfig, open: OpenOrder, event: OrderUpdated): bigint {
  const leaves = event.quantity === undefined ? open.leaves : event.quantity.sub(filledOf(open));
  return holdFor(config, open, leaves, event.price ?? open.reservePrice, !filledOf(open).isZero());
}

/**
 * What `pending` changes (each applied on top of the ones before, as the venue applies them) need held beyond what
 * the order holds now. Sized as for a partly filled order: a fill may come before the venue's answer.
 */
export function pendingHoldFor(config: LedgerConfig, open: OpenOrder, pending: readonly PendingChange[] = open.pending): bigint {
  const filled = filledOf(open);
  let quantity = open.quantity;
  let price = open.reservePrice;
  let most = 0n;
  for (const change of pending) {
    quantity = change.quantity ?? quantity;
    price = change.price ?? price;
    const leaves = quantity.sub(filled);
    if (!leaves.isPositive()) continue; // the venue will refuse it: nothing to hold for it
    const extra = holdFor(config, open, leaves, price, true) - open.reserved;
    if (extra > most) most = extra;
  }
  return most;
}

/**
 * Units to hold back for `leaves` of the order at `price`. Once part of the order has filled, two units more of
 * cash: the rest is valued, and charged its fee, as the order's running total rounded half-even less what the parts
 * before took, which can come to one unit more than the rest's own value (and fee) rounded up.
 */
export function holdFor(config: LedgerConfig, open: OpenOrder, leaves: Fixed, price: Fixed, partlyFilled: boolean): bigint {
  const need = requirementFor(config, open.instrument, open.side, leaves, price, open.reduceOnly);
  const units = toUnits(config.scales, need.currency, need.amount);
  // A held asset is the quantity itself, which no rounding touches.
  return partlyFilled && units !== 0n && need.from === 'cash' ? units + RUNNING_TOTAL_SLACK : units;
}

const RUNNING_TOTAL_SLACK = 2n;
