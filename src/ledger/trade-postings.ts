import type { Currency } from '../core/ids.js';
import type { Instrument } from '../domain/instrument.js';
import type { OrderSide } from '../domain/order.js';
import type { PositionChange } from '../domain/position.js';
import type { AccountKind, Posting } from './accounts.js';

/**
 * The legs a trade posts, shared by fills and liquidations. Each helper appends balanced pairs to `postings`;
 * amounts are in the currency's units.
 */

/** Moves `amount` of `owner`'s `currency` from one account kind to another (a balanced pair; nothing for 0). */
export function moveLegs(postings: Posting[], owner: string, currency: Currency, from: AccountKind, to: AccountKind, amount: bigint): void {
  if (amount === 0n) return;
  postings.push({ owner, currency, kind: from, amount: -amount }, { owner, currency, kind: to, amount });
}

/**
 * Spot: cash buys (or sells) the traded value through conversion and the base asset moves the other way; realised
 * PnL is recognised from conversion.
 */
export function spotTradeLegs(postings: Posting[], owner: string, instrument: Instrument, side: OrderSide, baseUnits: bigint, change: PositionChange): void {
  const settle = instrument.settle;
  const traded = change.closedValue.units + change.openedValue.units;
  const spent = side === 'buy' ? traded : -traded;
  postings.push({ owner, currency: settle, kind: 'cash', amount: -spent }, { owner, currency: settle, kind: 'conversion', amount: spent });
  moveLegs(postings, owner, settle, 'realised-pnl', 'conversion', change.realisedPnl.units);
  const received = side === 'buy' ? baseUnits : -baseUnits;
  postings.push({ owner, currency: instrument.base, kind: 'asset', amount: received }, { owner, currency: instrument.base, kind: 'conversion', amount: -received });
}

/** Perpetual: realised PnL settles into cash, and posted margin moves from `posted` to `required`. */
export function perpetualTradeLegs(postings: Posting[], owner: string, settle: Currency, realisedPnl: bigint, posted: bigint, required: bigint): void {
  moveLegs(postings, owner, settle, 'realised-pnl', 'cash', realisedPnl);
  moveLegs(postings, owner, settle, 'cash', 'margin', required - posted);
}

/** A fee paid from cash (or from the held asset, for a spot fee charged in the base currency). */
export function feeLegs(postings: Posting[], owner: string, currency: Currency, fee: bigint, payFrom: AccountKind = 'cash'): void {
  moveLegs(postings, owner, currency, payFrom, 'fees', fee);
}
