import { Fixed } from '../../core/fixed.js';
import type { CurrencyScales, Instrument } from '../../domain/instrument.js';
import type { OrderSpec } from '../../domain/order.js';
import type { Slippage } from './options.js';

const TEN_THOUSAND = Fixed.fromInt(10_000);
const ONE = Fixed.fromInt(1);

const POW10 = Array.from({ length: 16 }, (_, i) => 10 ** i);

/**
 * A market-data float as an exact price on the instrument's tick (nearest tick, ties to even). The fast path
 * scales and rounds the float; values within float error of a half-tick take the exact decimal path.
 */
export function toPrice(instrument: Instrument, value: number): Fixed {
  const tick = instrument.tickSize;
  const factor = POW10[tick.scale];
  if (factor !== undefined) {
    const scaled = value * factor;
    const rounded = Math.round(scaled);
    const fraction = scaled - Math.floor(scaled);
    if (Number.isSafeInteger(rounded) && Math.abs(fraction - 0.5) > 1e-6) {
      const price = Fixed.fromUnits(BigInt(rounded), tick.scale);
      return tick.units === 1n ? price : price.quantize(tick, 'half-even');
    }
  }
  return Fixed.parse(String(value)).quantize(tick, 'half-even').rescale(tick.scale);
}

/** A market-data float as a quantity, rounded down to the lot. */
export function toQuantity(instrument: Instrument, value: number): Fixed {
  if (!(value > 0)) return Fixed.zero(instrument.lotSize.scale);
  return Fixed.fromNumberApprox(value, instrument.lotSize.scale + 2, 'down').quantize(instrument.lotSize, 'down');
}

/** An order's running total over its fills: the exact sum, and that sum rounded half-even (what was booked). */
export interface RunningTotal {
  readonly exact: Fixed;
  readonly rounded: Fixed;
}

export const NOTHING_YET: RunningTotal = { exact: Fixed.zero(), rounded: Fixed.zero() };

/**
 * What a fill adds to a running total, at `scale`: the new total rounded half-even less the rounded total before.
 * One fill gets its own amount rounded once, and the parts of an order add up to the whole rounded once, never a
 * unit per part more than the order's reservation holds. The books value fills the same way.
 */
export function addToRunning(before: RunningTotal, exact: Fixed, scale: number): { readonly part: Fixed; readonly total: RunningTotal } {
  const sum = before.exact.add(exact);
  const rounded = sum.rescale(scale, 'half-even');
  return { part: rounded.sub(before.rounded).rescale(scale), total: { exact: sum, rounded } };
}

/** Fee = notional (|qty| x contractSize x price) x rate (maker or taker), added to the order's running fee total. */
export function feeFor(
  instrument: Instrument,
  notional: Fixed,
  liquidity: 'maker' | 'taker',
  scales: CurrencyScales,
  before: RunningTotal = NOTHING_YET,
): { readonly part: Fixed; readonly total: RunningTotal } {
  const rate = liquidity === 'maker' ? instrument.makerFee : instrument.takerFee;
  return addToRunning(before, notional.mul(rate), scales.of(instrument.settle));
}

/** The prices a fill could have traded at: a bar's low and high. */
export interface PriceRange {
  readonly low: Fixed;
  readonly high: Fixed;
}

/**
 * Moves a taker's price against it: fixed bps, or impact x (quantity / volume) for volume-share slippage.
 * Rounded to the tick against the order, and never past a limit price. The move is bounded by what the market
 * could have given: within `range` (a bar fill never trades above the bar's high or below its low), and a sell
 * never below one tick (a large order on a thin bar would otherwise be priced at zero or below).
 */
export function applySlippage(
  instrument: Instrument,
  order: OrderSpec,
  price: Fixed,
  quantity: Fixed,
  volume: number | undefined,
  slippage: Slippage | undefined,
  range?: PriceRange,
): Fixed {
  if (slippage === undefined || slippage.kind === 'none') return price;
  let fraction: Fixed;
  if (slippage.kind === 'fixed-bps') fraction = slippage.bps.div(TEN_THOUSAND, 12, 'half-even');
  else {
    if (volume === undefined || !(volume > 0)) return price;
    const share = quantity.toNumber() / volume;
    fraction = slippage.impact.mul(Fixed.fromNumberApprox(share, 12));
  }
  const buy = order.side === 'buy';
  let moved = price.mul(buy ? ONE.add(fraction) : ONE.sub(fraction)).quantize(instrument.tickSize, buy ? 'ceil' : 'floor');
  // A bound never moves the price in the order's favour: the price before slippage stays where it was.
  if (buy && range !== undefined) moved = moved.min(range.high.max(price));
  else if (!buy) moved = moved.max((range?.low ?? instrument.tickSize).max(instrument.tickSize).min(price));
  if (order.price === undefined) return moved;
  return buy ? moved.min(order.price.max(price)) : moved.max(order.price.min(price));
}
