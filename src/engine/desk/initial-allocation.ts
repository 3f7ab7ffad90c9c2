import { Fixed } from '../../core/fixed.js';
import type { Currency } from '../../core/ids.js';
import type { TradingCore } from '../trading-core.js';
import { targetWeights, type AllocationPolicy } from '../../portfolio/allocation.js';
import type { SleeveDefinition } from '../../portfolio/sleeves.js';

/**
 * Splits the master account's cash across the sleeves by the allocation policy at the start of a run
 * (`CapitalReallocated`, then one `FundsTransferred` per sleeve caused by it). The last sleeve takes what rounding
 * left, so every unit of cash is placed.
 */
export function allocateInitialCapital(
  core: TradingCore,
  sleeves: readonly SleeveDefinition[],
  policy: AllocationPolicy,
  from: string,
  currency: Currency,
  scale: number,
): void {
  const target = targetWeights(sleeves, policy);
  const reallocated = core.recordAgentEvent({
    type: 'CapitalReallocated',
    policy: policy.kind,
    weights: sleeves.map((s) => ({ sleeve: s.id, weight: target.weights.get(s.id) ?? Fixed.zero() })),
    reason: `initial allocation: ${target.reasons.join('; ')}`,
  });
  const total = core.ledger.balance(from, 'cash', currency);
  let left = total;
  sleeves.forEach((sleeve, index) => {
    const weight = target.weights.get(sleeve.id) ?? Fixed.zero();
    const amount = index === sleeves.length - 1 ? left : total.mul(weight).quantize(Fixed.fromUnits(1n, scale), 'down');
    if (amount.isPositive()) core.transfer(from, sleeve.id, currency, amount, reallocated.id);
    left = left.sub(amount);
  });
}
