import { FixRequestError } from '../core/errors.js';
import { Fixed } from '../core/fixed.js';
import type { Currency } from '../core/ids.js';

export interface SweepInput {
  readonly sleeveId: string;
  readonly currency: Currency;
  /** The sleeve's cumulative realised PnL now. */
  readonly realisedPnl: Fixed;
  /** The high-water mark: realised PnL up to which profit has already been swept. */
  readonly sweptMark: Fixed;
  /** Cash the sleeve can give now (not reserved for orders). */
  readonly availableCash: Fixed;
}

export interface SweepDecision {
  readonly sleeveId: string;
  readonly currency: Currency;
  /** Zero when nothing is swept. */
  readonly amount: Fixed;
  /** The mark to remember for the next sweep. */
  readonly newMark: Fixed;
  readonly reason: string;
}

/**
 * Profit scraping: `share` (0..1) of each sleeve's realised profit above its mark goes to the sleeve's reserve.
 * Losses sweep nothing and leave the mark where it is, so a sleeve earns back what it lost before sweeping again.
 * Amounts are rounded down to `scale` and limited by available cash; when cash limits a sweep the mark advances only
 * over the profit that was actually swept, so the rest is swept later. Nothing is swept (and the mark kept) when the
 * amount rounds to zero, so small profits accumulate.
 */
export function planProfitSweep(inputs: readonly SweepInput[], share: Fixed, scale: number): SweepDecision[] {
  if (share.isNegative() || share.gt(Fixed.fromInt(1))) {
    throw new FixRequestError('invalid_sweep_share', `a sweep share must be within [0, 1], got ${share.toPlainString()}`);
  }
  const zero = Fixed.zero(scale);
  return inputs.map((input) => {
    const { sleeveId, currency, realisedPnl, sweptMark } = input;
    const keep = (reason: string): SweepDecision => ({ sleeveId, currency, amount: zero, newMark: sweptMark, reason });
    const fresh = realisedPnl.sub(sweptMark);
    if (!fresh.isPositive()) {
      return keep(`${sleeveId}: realised PnL ${realisedPnl.toPlainString()} is not above the swept mark ${sweptMark.toPlainString()}; nothing to sweep`);
    }
    if (share.isZero()) return keep(`${sleeveId}: the sweep share is 0`);
    const wanted = fresh.mul(share).rescale(scale, 'down');
    const cash = input.availableCash.rescale(scale, 'down').max(zero);
    const amount = wanted.min(cash);
    if (!amount.isPositive()) {
      return keep(
        wanted.isPositive()
          ? `${sleeveId}: ${wanted.toPlainString()} ${currency} is due but no cash is available`
          : `${sleeveId}: ${share.toPlainString()} of the new profit ${fresh.toPlainString()} rounds to nothing`,
      );
    }
    if (amount.eq(wanted)) {
      return {
        sleeveId,
        currency,
        amount,
        newMark: realisedPnl,
        reason: `${sleeveId}: sweeping ${amount.toPlainString()} ${currency}, ${share.toPlainString()} of the new realised profit ${fresh.toPlainString()} (realised ${realisedPnl.toPlainString()} above the mark ${sweptMark.toPlainString()}) into its reserve.`,
      };
    }
    const covered = amount.div(share, Math.max(scale, realisedPnl.scale), 'down').min(fresh);
    return {
      sleeveId,
      currency,
      amount,
      newMark: sweptMark.add(covered),
      reason: `${sleeveId}: ${wanted.toPlainString()} ${currency} is due but only ${amount.toPlainString()} cash is available; sweeping that and advancing the mark by the ${covered.toPlainString()} of profit it covers.`,
    };
  });
}
