import { Fixed } from '../core/fixed.js';
import type { Currency } from '../core/ids.js';
import { notionalOf, type CurrencyScales, type Instrument } from './instrument.js';
import type { OrderSide } from './order.js';

/** What an order holds back while it is open: cash (quote or settle currency) or, for spot sells, the base asset. */
export interface FundsRequirement {
  readonly currency: Currency;
  readonly from: 'cash' | 'asset';
  /** At the currency's scale, rounded up: a reservation never falls short by a rounding. */
  readonly amount: Fixed;
}

/**
 * Spot buy: notional plus taker fee. Spot sell: the quantity of base. Perpetual: initial margin (notional /
 * leverage) plus the taker fee; reduce-only perpetual orders hold nothing back.
 *
 * Each part is rounded up to the currency on its own (the margin from the notional rounded up), so the hold covers
 * the most the fills can take: the books value a fill, and the simulated venue charges its fee, as the rounded
 * running total of the order's fills less what earlier fills took, which sums to at most the rounded-up total at
 * the reserve price. One rounding of the sum could fall a unit short of two half-even roundings that both go up.
 */
export function fundsRequired(
  instrument: Instrument,
  side: OrderSide,
  quantity: Fixed,
  price: Fixed,
  leverage: Fixed,
  reduceOnly: boolean,
  scales: CurrencyScales,
): FundsRequirement {
  if (instrument.kind === 'spot') {
    if (side === 'sell') {
      const scale = scales.of(instrument.base);
      return { currency: instrument.base, from: 'asset', amount: quantity.rescale(scale, 'up') };
    }
    const scale = scales.of(instrument.quote);
    const notional = notionalOf(instrument, quantity, price);
    const fee = notional.mul(instrument.takerFee, scale, 'up');
    return { currency: instrument.quote, from: 'cash', amount: notional.rescale(scale, 'up').add(fee) };
  }
  const scale = scales.of(instrument.settle);
  if (reduceOnly) return { currency: instrument.settle, from: 'cash', amount: Fixed.zero(scale) };
  const notional = notionalOf(instrument, quantity, price);
  const margin = notional.rescale(scale, 'up').div(leverage, scale, 'up');
  const fee = notional.mul(instrument.takerFee, scale, 'up');
  return { currency: instrument.settle, from: 'cash', amount: margin.add(fee) };
}
