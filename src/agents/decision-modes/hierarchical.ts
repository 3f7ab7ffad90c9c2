import { Fixed } from '../../core/fixed.js';
import type { InstrumentId } from '../../core/ids.js';
import { TARGET_SCALE } from './common.js';
import { independentProposals, planProposals } from './independent.js';
import type { Proposal } from './independent.js';
import type { AnalystSignal, DecisionInput, DecisionResult, HierarchicalRules } from './types.js';

/**
 * Instruments where analysts disagree (long against short): among the new proposals, and between them and the
 * other analysts' standing views. Flat neither agrees nor disagrees.
 */
function disagreements(proposals: readonly Proposal[], standing: readonly AnalystSignal[]): Set<InstrumentId> {
  const seen = new Map<InstrumentId, Set<'long' | 'short'>>();
  const add = (entry: AnalystSignal): void => {
    const direction = entry.signal.direction;
    if (direction === 'flat') return;
    const set = seen.get(entry.signal.instrumentId) ?? new Set<'long' | 'short'>();
    set.add(direction);
    seen.set(entry.signal.instrumentId, set);
  };
  const proposing = new Set<string>();
  for (const { entry } of proposals) {
    add(entry);
    proposing.add(`${entry.analystId}|${entry.signal.instrumentId}`);
  }
  // An analyst's own standing view is the one its new proposal replaces.
  for (const entry of standing) if (!proposing.has(`${entry.analystId}|${entry.signal.instrumentId}`)) add(entry);
  return new Set([...seen.entries()].filter(([, set]) => set.size > 1).map(([id]) => id));
}

function applyRules(input: DecisionInput, rules: HierarchicalRules, proposal: Proposal, disputed: Set<InstrumentId>): Proposal {
  if ('problem' in proposal) return proposal;
  const { entry, current } = proposal;
  const id = proposal.instrument.id;
  let target = proposal.target;
  let reason = proposal.reason;
  // A veto stops new exposure, never an exit: a proposal that only reduces the sleeve's position goes through, and a
  // flip is cut to the close of the old position.
  const veto = (why: string): Proposal | undefined => {
    const sameSide = !current.isZero() && target.isNegative() === current.isNegative();
    if (target.isZero() || (sameSide && target.abs().lte(current.abs()))) {
      if (!target.eq(current)) reason += `; a reduction, let through despite: ${why}`;
      return undefined;
    }
    if (!current.isZero() && !sameSide) {
      reason += `; manager veto of the new position (${why}): close only`;
      target = Fixed.zero(target.scale);
      return undefined;
    }
    return { entry, current, problem: `${proposal.reason}; manager veto: ${why}` };
  };
  const vetoed =
    (rules.vetoInstruments?.includes(id) === true ? veto(`${id} is on the veto list`) : undefined) ??
    ((rules.vetoOnDisagreement ?? true) && disputed.has(id) ? veto(`analysts disagree on the direction of ${id}`) : undefined);
  if (vetoed !== undefined) return vetoed;
  const resize = (cap: Fixed, why: string): void => {
    if (target.abs().gt(cap)) {
      const resized = target.isNegative() ? cap.neg() : cap;
      reason += `; manager resized target from ${target.toPlainString()} to ${resized.toPlainString()} (${why})`;
      target = resized;
    }
  };
  const maxQuantity = rules.maxTargetQuantity?.get(id);
  if (maxQuantity !== undefined) resize(maxQuantity.abs(), `cap ${maxQuantity.abs().toPlainString()} on ${id}`);
  if (rules.maxTargetNotional !== undefined && !target.isZero()) {
    const price = input.prices.get(id);
    if (price === undefined || !price.isPositive()) {
      const unchecked = veto(`no reference price for ${id} to check the notional cap`);
      if (unchecked !== undefined) return unchecked;
    } else {
      const cap = rules.maxTargetNotional.abs().div(price.mul(proposal.instrument.contractSize), TARGET_SCALE, 'down');
      resize(cap, `notional cap ${rules.maxTargetNotional.abs().toPlainString()} at price ${price.toPlainString()}`);
    }
  }
  return { entry, instrument: proposal.instrument, current, target, reason };
}

/**
 * Hierarchical mode: the independent proposals, then the manager's rules in this order: veto listed instruments,
 * veto instruments where analysts disagree (long vs short; on by default), cap |target| by quantity, then by
 * notional. A vetoed proposal holds the sleeve's current position, except that a veto never blocks a reduction: an
 * exit or a smaller position goes through, and a vetoed flip only closes. Every veto and resize is in the reason.
 */
export function hierarchicalMode(input: DecisionInput): DecisionResult {
  const rules = input.hierarchy ?? {};
  const proposals = independentProposals(input);
  const disputed = disagreements(proposals, input.standing ?? []);
  const adjusted = proposals.map((proposal) => applyRules(input, rules, proposal, disputed));
  return planProposals('hierarchical', input, adjusted);
}

