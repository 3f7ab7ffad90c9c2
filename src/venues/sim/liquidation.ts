import { Fixed } from '../../core/fixed.js';
import type { EventBase, PositionLiquidated } from '../../domain/events.js';
import { notionalOf, type CurrencyScales } from '../../domain/instrument.js';
import type { LiquidationCandidate } from './account.js';

/** What the venue reports (and trades) when it closes a position whose margin is exhausted. */
export type Liquidation = Omit<PositionLiquidated, keyof EventBase>;

/**
 * How a position whose margin is exhausted at the current marks is closed: at its liquidation price, with a fee on
 * the notional (`feeRate`, 0.5% unless set). `gap` is a price the market jumped to (a bar's open, a new mark or
 * tick): a position whose liquidation price it skipped over is closed there instead, but never beyond its
 * bankruptcy price (where its collateral is used up), and then without a fee.
 */
export function liquidationOf(
  candidate: LiquidationCandidate,
  gap: Fixed | undefined,
  feeRate: Fixed | undefined,
  scales: CurrencyScales,
): Liquidation {
  const { instrument } = candidate;
  const long = candidate.quantity.isPositive();
  let price = candidate.price;
  if (gap !== undefined && (long ? gap.lt(price) : gap.gt(price))) price = gap;
  // A gap beyond the bankruptcy price costs the position its collateral and no more (the venue takes the rest, as
  // an insurance fund does), and leaves nothing to pay a fee from.
  const bankrupt = long ? !price.gt(candidate.bankruptcy) : !price.lt(candidate.bankruptcy);
  if (bankrupt) price = candidate.bankruptcy;
  const quantity = candidate.quantity.abs();
  const side = long ? 'sell' : 'buy';
  const scale = scales.of(instrument.settle);
  // The fee comes out of what collateral is left at the close price, and never more than that.
  const left = notionalOf(instrument, quantity, price.sub(candidate.bankruptcy).abs()).rescale(scale, 'down');
  const fee = bankrupt ? Fixed.zero(scale) : notionalOf(instrument, quantity, price).mul(feeRate ?? Fixed.parse('0.005'), scale, 'half-even').min(left);
  return {
    type: 'PositionLiquidated',
    instrumentId: instrument.id,
    side,
    quantity,
    price,
    fee,
    reason: `margin balance ${candidate.marginBalance.toPlainString()} at or below maintenance margin ${candidate.maintenance.toPlainString()}`,
  };
}
