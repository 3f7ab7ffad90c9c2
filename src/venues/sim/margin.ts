import { Fixed } from '../../core/fixed.js';
import type { Instrument } from '../../domain/instrument.js';

/**
 * Perpetual margin arithmetic, pure and exact. Notional N = |qty| x contractSize x price.
 *
 * - Initial margin: N / leverage (rounded up to the settlement scale).
 * - Maintenance margin, tiered and continuous: each slice of notional pays its own tier's rate,
 *   MM(N) = sum_i rate_i x (min(N, cap_i) - cap_(i-1))+ — the same as the venues' "N x rate - cumulative amount".
 *   Without tiers an instrument uses `DEFAULT_MAINTENANCE_RATE`.
 * - A position's margin balance is its posted margin (isolated) or the account's collateral (cross) plus its
 *   unrealised PnL at the mark; it is liquidated when that balance is at or below its maintenance margin.
 */
export const DEFAULT_MAINTENANCE_RATE = Fixed.parse('0.005');

export function initialMargin(notional: Fixed, leverage: Fixed, scale: number): Fixed {
  return notional.div(leverage, scale, 'up');
}

/** The maintenance rate and the cumulative amount of the tier `notional` falls in: MM = N x rate - cum. */
export function maintenanceTier(instrument: Instrument, notional: Fixed): { rate: Fixed; cum: Fixed; maxLeverage: Fixed } {
  const tiers = instrument.marginTiers;
  if (tiers.length === 0) return { rate: DEFAULT_MAINTENANCE_RATE, cum: Fixed.zero(), maxLeverage: instrument.maxLeverage };
  let cum = Fixed.zero();
  let floor = Fixed.zero();
  let previousRate = Fixed.zero();
  for (const tier of tiers) {
    // Continuity at each boundary: cum_i = cum_(i-1) + floor x (rate_i - rate_(i-1)).
    cum = cum.add(floor.mul(tier.maintenanceRate.sub(previousRate)));
    if (tier.maxNotional === null || notional.lte(tier.maxNotional)) {
      return { rate: tier.maintenanceRate, cum, maxLeverage: tier.maxLeverage };
    }
    floor = tier.maxNotional;
    previousRate = tier.maintenanceRate;
  }
  const last = tiers[tiers.length - 1];
  return { rate: last?.maintenanceRate ?? DEFAULT_MAINTENANCE_RATE, cum, maxLeverage: last?.maxLeverage ?? instrument.maxLeverage };
}

export function maintenanceMargin(instrument: Instrument, notional: Fixed, scale: number): Fixed {
  const { rate, cum } = maintenanceTier(instrument, notional);
  return notional.mul(rate).sub(cum).rescale(scale, 'up');
}

/**
 * The mark price at which a position's margin balance equals its maintenance margin:
 * long  P = (basis - collateral - cum) / (q (1 - rate)),
 * short P = (basis + collateral + cum) / (q (1 + rate)),
 * where q = |qty| x contractSize, basis = entry value, collateral = posted margin (isolated) or the collateral
 * available to it (cross), and rate and cum are those of the tier that holds the notional q x P at that price (not
 * the entry's: a short's notional grows as the price rises to its liquidation, and may cross into a tier with a
 * higher rate). Maintenance margin is continuous in the notional, so exactly one tier holds the answer (at a
 * boundary, both give it). Undefined when the position cannot be liquidated (a long with collateral >= basis).
 */
export function liquidationPrice(
  instrument: Instrument,
  quantity: Fixed,
  basis: Fixed,
  collateral: Fixed,
  priceScale: number,
): Fixed | undefined {
  if (quantity.isZero()) return undefined;
  const q = quantity.abs().mul(instrument.contractSize);
  const long = quantity.isPositive();
  const one = Fixed.fromInt(1);
  const exact = priceScale + 12;
  for (const tier of tierSlices(instrument)) {
    const numerator = long ? basis.sub(collateral).sub(tier.cum) : basis.add(collateral).add(tier.cum);
    if (!numerator.isPositive()) continue;
    const denominator = q.mul(long ? one.sub(tier.rate) : one.add(tier.rate));
    const notional = q.mul(numerator.div(denominator, exact, 'half-even'));
    if (notional.lt(tier.floor) || (tier.cap !== null && notional.gt(tier.cap))) continue;
    return numerator.div(denominator, priceScale, long ? 'ceil' : 'floor');
  }
  return undefined;
}

interface TierSlice {
  readonly floor: Fixed;
  readonly cap: Fixed | null;
  readonly rate: Fixed;
  readonly cum: Fixed;
}

/**
 * The maintenance tiers as notional ranges [floor, cap] with their rate and cumulative amount, as maintenanceTier
 * reads them (the last tier also covers any notional beyond its cap).
 */
function tierSlices(instrument: Instrument): TierSlice[] {
  const tiers = instrument.marginTiers;
  if (tiers.length === 0) return [{ floor: Fixed.zero(), cap: null, rate: DEFAULT_MAINTENANCE_RATE, cum: Fixed.zero() }];
  const slices: TierSlice[] = [];
  let cum = Fixed.zero();
  let floor = Fixed.zero();
  let previousRate = Fixed.zero();
  for (const [index, tier] of tiers.entries()) {
    cum = cum.add(floor.mul(tier.maintenanceRate.sub(previousRate)));
    const last = index === tiers.length - 1 || tier.maxNotional === null;
    slices.push({ floor, cap: last ? null : tier.maxNotional, rate: tier.maintenanceRate, cum });
    if (last || tier.maxNotional === null) break;
    floor = tier.maxNotional;
    previousRate = tier.maintenanceRate;
  }
  return slices;
}

/** Funding on a position: N at mark x rate, positive = paid by the holder. Longs pay positive rates. */
export function fundingPayment(instrument: Instrument, quantity: Fixed, mark: Fixed, rate: Fixed, scale: number): Fixed {
  const notional = quantity.abs().mul(instrument.contractSize).mul(mark);
  const amount = notional.mul(rate, scale, 'half-even');
  return quantity.isPositive() ? amount : amount.neg();
}
