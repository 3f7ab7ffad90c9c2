import { Fixed } from '../core/fixed.js';
import type { Currency } from '../core/ids.js';
import type { CurrencyScales, Instrument } from './instrument.js';
import type { OrderSide } from './order.js';

/** What an order holds back while it is open: cash (quote or settle currency) or, for spot sells, the base asset. */
export interface FundsRequirement {
  readonly currency: Currency;
  readonly from: 'cash' | 'asset';
  /** At the currency's scale, rounded up: a reservation never falls short by a rounding. */
  readonly amount: Fixed;
}

/**
 * Spot buy: notional x (1 + taker fee). Spot sell: the quantity of base. Perpetual: initial margin
 * (notional / leverage) plus the taker fee; reduce-only perpetual orders hold nothing back.
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
    const notional = quantity.mul(instrument.contractSize).mul(price);
    const fee = notional.mul(instrument.takerFee);
    return { currency: instrument.quote, from: 'cash', amount: notional.add(fee).rescale(scale, 'up') };
  }
  const scale = scales.of(instrument.settle);
  if (reduceOnly) return { currency: instrument.settle, from: 'cash', amount: Fixed.zero(scale) };
  const notional = quantity.mul(instrument.contractSize).mul(price);
  const margin = notional.div(leverage, scale + 4, 'up');
  const fee = notional.mul(instrument.takerFee);
  return { currency: instrument.settle, from: 'cash', amount: margin.add(fee).rescale(scale, 'up') };
}
