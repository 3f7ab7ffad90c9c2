import { Fixed } from '../../core/fixed.js';
import { planTrade, type TradePlan } from './common.js';
import type { DecisionResult } from './types.js';

/**
 * Netting modes: plans the trade to a netted target, held while the desk book is REDUCING (`reducing`) to the
 * reduction it contains. REDUCING blocks growth only, so the views are netted exactly as when ACTIVE — one analyst's
 * flat view is a part of the target, not the target — and the limit applies to the order: toward a target on the
 * book's side no larger than the position it goes through; toward a larger one, or from a flat book, there is none;
 * toward the other side it only closes the book (the part of a flip that reduces). The decision keeps the netted
 * target, as a deadband's does, so the book still disagrees with it once REDUCING is lifted and a manager nudge
 * takes it up again. What goes out is reduce-only: nothing else passes the gate.
 */
export function planNetted(plan: TradePlan, reducing: boolean, out: DecisionResult): void {
  const { target, current } = plan;
  // A short target on spot is planned flat (it cannot be short), which only reduces.
  if (!reducing || target.isZero() || (plan.instrument.kind === 'spot' && target.isNegative())) {
    planTrade(reducing ? { ...plan, reduceOnly: true } : plan, out);
    return;
  }
  const flip = !current.isZero() && target.sign() !== current.sign();
  if (!flip && target.abs().lte(current.abs())) {
    planTrade({ ...plan, reduceOnly: true }, out);
    return;
  }
  if (!flip) {
    const why = current.isZero() ? 'nothing opens from a flat book' : `the growth from ${current.toPlainString()} to ${target.toPlainString()} is held`;
    const { instrument, mode, owner, agentId, causationId } = plan;
    out.decisions.push({ instrumentId: instrument.id, mode, owner, agentId, target, current, order: Fixed.zero(), causationId, reason: `${plan.reason}; REDUCING: ${why}` });
    return;
  }
  const at = out.decisions.length;
  planTrade({ ...plan, target: Fixed.zero(), reason: `${plan.reason}; REDUCING: the flip to ${target.toPlainString()} is cut to a close`, reduceOnly: true }, out);
  const decision = out.decisions[at];
  if (decision !== undefined) out.decisions[at] = { ...decision, target };
}
