import { Fixed } from '../core/fixed.js';
import type { Currency, InstrumentId } from '../core/ids.js';
import type { Instrument } from '../domain/instrument.js';
import type { OrderManager } from '../execution/oms.js';
import type { Ledger } from '../ledger/ledger.js';

/** An owner's open, unfilled quantity in one instrument of the orders that can grow a position, per side. */
export interface OpenQuantities {
  readonly buy: Fixed;
  readonly sell: Fixed;
}

/**
 * The quantity left to fill on the owner's open orders in `instrumentId`, buys and sells apart. Reduce-only orders
 * are left out: the venue cuts them to the position, so they can never grow one.
 */
export function openQuantities(oms: OrderManager, owner: string, instrumentId: InstrumentId, scale: number): OpenQuantities {
  let buy = Fixed.zero(scale);
  let sell = Fixed.zero(scale);
  if (oms.openCount() === 0) return { buy, sell };
  for (const order of oms.openOrders({ owner, instrumentId })) {
    if (order.spec.reduceOnly) continue;
    const left = order.spec.quantity.sub(order.filledQuantity);
    if (!left.isPositive()) continue;
    if (order.spec.side === 'buy') buy = buy.add(left);
    else sell = sell.add(left);
  }
  return { buy, sell };
}

/**
 * How much the gross exposure of `owner` (undefined: of every owner) in `currency` could still grow if its open
 * orders filled, in the worst case: per owner and instrument, every open order on one side fills, whichever side
 * takes the position further from flat (`max(|P + buys|, |P − sells|) − |P|`). The growth is valued at the latest
 * price the desk has for the instrument (else the order's own price), as the gate values a new order.
 */
export function openOrderExposure(
  oms: OrderManager,
  ledger: Ledger,
  instrumentOf: (id: InstrumentId) => Instrument | undefined,
  priceOf: (id: InstrumentId) => Fixed | undefined,
  owner: string | undefined,
  currency: Currency,
  scale: number,
): Fixed {
  let total = Fixed.zero(scale);
  if (oms.openCount() === 0) return total;
  const books = new Map<string, { owner: string; instrument: Instrument; buy: Fixed; sell: Fixed; price: Fixed | undefined }>();
  for (const order of oms.openOrders(owner === undefined ? {} : { owner })) {
    const spec = order.spec;
    if (spec.reduceOnly) continue;
    const instrument = instrumentOf(spec.instrumentId);
    if (instrument === undefined || instrument.settle !== currency) continue;
    const left = spec.quantity.sub(order.filledQuantity);
    if (!left.isPositive()) continue;
    const key = `${spec.owner}|${spec.instrumentId}`;
    let book = books.get(key);
    if (book === undefined) {
      book = { owner: spec.owner, instrument, buy: Fixed.zero(), sell: Fixed.zero(), price: priceOf(spec.instrumentId) ?? spec.price ?? spec.triggerPrice };
      books.set(key, book);
    }
    if (spec.side === 'buy') book.buy = book.buy.add(left);
    else book.sell = book.sell.add(left);
  }
  for (const book of books.values()) {
    if (book.price === undefined) continue;
    const held = ledger.position(book.owner, book.instrument.id)?.quantity ?? Fixed.zero();
    const worst = held.add(book.buy).abs().max(held.sub(book.sell).abs());
    const growth = worst.sub(held.abs());
    if (growth.isPositive()) total = total.add(growth.mul(book.instrument.contractSize).mul(book.price).rescale(scale, 'up'));
  }
  return total;
}
