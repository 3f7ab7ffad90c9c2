import type { Fixed } from '../../core/fixed.js';
import type { InstrumentId } from '../../core/ids.js';
import { quantizeQuantity, type Instrument } from '../../domain/instrument.js';

/**
 * A spot holding too small to sell: in whole lots it is below the instrument's minimum quantity, or its notional at
 * `price` is below the minimum notional. Partial fills can leave one behind an exit; no order can close it.
 */
export function isSpotDust(instrument: Instrument, quantity: Fixed, price: Fixed): boolean {
  if (instrument.kind !== 'spot' || !quantity.isPositive()) return false;
  const sellable = quantizeQuantity(instrument, quantity);
  return sellable.isZero() || sellable.lt(instrument.minQuantity) || sellable.mul(price).lt(instrument.minNotional);
}

/** The dust each book was told about, by `owner|instrument`: a reduction of it is refused once, then left alone. */
export class DustBooks {
  private readonly noted = new Map<string, Fixed>();

  /** True the first time `quantity` is seen as `owner`'s dust in the instrument (it is then journaled). */
  note(owner: string, instrumentId: InstrumentId, quantity: Fixed): boolean {
    const key = `${owner}|${instrumentId}`;
    if (this.noted.get(key)?.eq(quantity) === true) return false;
    this.noted.set(key, quantity);
    return true;
  }

  /** True while `owner` holds exactly the dust it was told about. */
  holds(owner: string, instrumentId: InstrumentId, quantity: Fixed | undefined): boolean {
    return quantity !== undefined && this.noted.get(`${owner}|${instrumentId}`)?.eq(quantity) === true;
  }
}
