import { Fixed } from '../core/fixed.js';
import { valueAt } from '../domain/position.js';
import type { Instrument } from '../domain/instrument.js';

/** One owner's part of the funding on an instrument the owners hold in one venue account. */
export interface FundingShare {
  readonly owner: string;
  readonly amount: Fixed;
}

/** What `quantity` of `instrument` pays in funding at `mark` and `rate`: notional x rate, half-even; longs pay. */
export function fundingOwed(instrument: Instrument, quantity: Fixed, mark: Fixed, rate: Fixed, scale: number): Fixed {
  const paid = valueAt(instrument, quantity, mark, scale).mul(rate, scale, 'half-even');
  return quantity.isPositive() ? paid : paid.neg();
}

/**
 * Each owner's funding when the owners' positions are netted in one venue account: what its own position owes at
 * the funding's mark and rate (`fundingOwed`), so a long pays and a short on the other side of the net receives, as
 * each would on an account of its own. The venue charges the net (`settled`: 0 when the positions net to zero, when
 * it settles nothing), and the sum of the owners' own amounts differs from that only by rounding: the owner of the
 * largest position (the first such, in the order given) takes the difference, so the shares add up to what the
 * venue took exactly — between owners that net to zero, what the longs pay the shorts receive.
 */
export function fundingShares(
  instrument: Instrument,
  positions: readonly { readonly owner: string; readonly quantity: Fixed }[],
  settled: { readonly amount: Fixed; readonly markPrice: Fixed; readonly rate: Fixed },
  scale: number,
): FundingShare[] {
  if (positions.length === 0) return [];
  let largest = 0;
  positions.forEach((position, index) => {
    if (position.quantity.abs().gt((positions[largest] as (typeof positions)[number]).quantity.abs())) largest = index;
  });
  const shares = positions.map(({ owner, quantity }) => ({ owner, amount: fundingOwed(instrument, quantity, settled.markPrice, settled.rate, scale) }));
  const others = shares.reduce((sum, share, index) => (index === largest ? sum : sum.add(share.amount)), Fixed.zero(scale));
  shares[largest] = { owner: positions[largest]?.owner ?? '', amount: settled.amount.rescale(scale, 'half-even').sub(others) };
  return shares;
}
