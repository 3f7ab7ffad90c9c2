import { Fixed } from '../core/fixed.js';
import { valueAt } from '../domain/position.js';
import type { Instrument } from '../domain/instrument.js';

/** One owner's share of a funding payment the venue settled on the netted position. */
export interface FundingShare {
  readonly owner: string;
  readonly amount: Fixed;
}

/**
 * Splits a funding `amount` the venue settled on its netted position across the owners holding the instrument,
 * by signed position size: `amount × quantity / net`, rounded half-even to `scale`, and the owner of the largest
 * position (the first such, in the order given) takes what rounding left, so the shares add up to the venue's
 * amount exactly. An owner on the other side of the net gets a share of the opposite sign (a short under a net long
 * receives what the long pays). Undefined when the positions net to zero: there is no size to split by.
 */
export function splitFunding(amount: Fixed, positions: readonly { readonly owner: string; readonly quantity: Fixed }[], scale: number): FundingShare[] | undefined {
  const net = positions.reduce((sum, position) => sum.add(position.quantity), Fixed.zero());
  if (net.isZero()) return undefined;
  let largest = 0;
  positions.forEach((position, index) => {
    if (position.quantity.abs().gt((positions[largest] as (typeof positions)[number]).quantity.abs())) largest = index;
  });
  const shares = positions.map((position) => ({ owner: position.owner, amount: amount.mul(position.quantity).div(net, scale, 'half-even') }));
  const others = shares.reduce((sum, share, index) => (index === largest ? sum : sum.add(share.amount)), Fixed.zero(scale));
  shares[largest] = { owner: positions[largest]?.owner ?? '', amount: amount.rescale(scale, 'half-even').sub(others) };
  return shares;
}

/** What `quantity` of `instrument` pays in funding at `mark` and `rate`: notional x rate, half-even; longs pay. */
export function fundingOwed(instrument: Instrument, quantity: Fixed, mark: Fixed, rate: Fixed, scale: number): Fixed {
  const paid = valueAt(instrument, quantity, mark, scale).mul(rate, scale, 'half-even');
  return quantity.isPositive() ? paid : paid.neg();
}

/**
 * Each owner's part of the funding the venue settled on its netted position: the venue's `amount` split by
 * position size (`splitFunding`), so the books pay exactly what the venue took. Owners whose positions net to zero
 * (the venue settled them nothing) are each charged what they owe on their own.
 */
export function fundingShares(
  instrument: Instrument,
  positions: readonly { readonly owner: string; readonly quantity: Fixed }[],
  settled: { readonly amount: Fixed; readonly markPrice: Fixed; readonly rate: Fixed },
  scale: number,
): FundingShare[] {
  return (
    splitFunding(settled.amount, positions, scale) ??
    positions.map(({ owner, quantity }) => ({ owner, amount: fundingOwed(instrument, quantity, settled.markPrice, settled.rate, scale) }))
  );
}
