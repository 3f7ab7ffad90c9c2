import { Fixed } from '../../core/fixed.js';
import { directionSign, emptyResult, hold, planTrade, positionLookup, signalCausation } from './common.js';
import { consensusMode, countVotes } from './consensus.js';
import type { AnalystSignal, DecisionInput, DecisionResult } from './types.js';
import { weightedMode } from './weighted.js';

/** The standing view of an analyst that was isolated, and the failure (journaled) that dropped it. */
export interface DroppedView {
  readonly view: AnalystSignal;
  /** Why, e.g. `sma failed and is isolated (threw: ...)`. */
  readonly reason: string;
  /** The failure's event: a cause of the decisions, beside the views that remain. */
  readonly causationId: string;
}

/**
 * Netting modes, once an analyst is isolated: the desk book's target on the instrument of its dropped view, netted
 * again from the views that remain (the other analysts' standing views in `input.signals`) as the mode nets them,
 * so the failed analyst's part of the book goes and the rest stays. Where nothing is left to hold the book — no
 * other view, or in consensus no quorum while the dropped view was on the book's side — the target is flat,
 * reduce-only. Each decision's reason starts with the failure; its cause names the remaining views and the failure.
 */
export function renetWithout(mode: 'weighted' | 'consensus', input: DecisionInput, dropped: DroppedView): DecisionResult {
  const instrumentId = dropped.view.signal.instrumentId;
  const remaining = input.signals.filter((entry) => entry.signal.instrumentId === instrumentId && entry.analystId !== dropped.view.analystId);
  const current = positionLookup(input)(input.deskOwner, instrumentId);
  const head = `${dropped.reason}: its ${dropped.view.signal.direction} view is dropped`;
  const causationId = [...remaining.map(signalCausation), dropped.causationId].join(',');
  let unheld: string | undefined;
  if (remaining.length === 0) unheld = 'no other view: flat';
  else if (mode === 'consensus') {
    const side = current.isPositive() ? 1 : current.isNegative() ? -1 : 0;
    const { winner, noWinner } = countVotes(remaining, input.consensus?.k ?? 1);
    if (winner === undefined && side !== 0 && directionSign(dropped.view.signal.direction) === side) unheld = `${noWinner}; the book stood on its view: flat`;
  }
  if (unheld === undefined) {
    const netted = mode === 'weighted' ? weightedMode({ ...input, signals: remaining }) : consensusMode({ ...input, signals: remaining });
    return {
      intents: netted.intents.map((intent) => ({ ...intent, causationId })),
      decisions: netted.decisions.map((decision) => ({ ...decision, causationId, reason: `${head}; ${decision.reason}` })),
    };
  }
  const out = emptyResult();
  const instrument = input.instruments.get(instrumentId);
  const base = { mode, agentId: input.managerId, owner: input.deskOwner, current, causationId };
  if (instrument === undefined) hold(out, { ...base, instrumentId, reason: `${head}; unknown instrument ${instrumentId}` });
  else planTrade({ ...base, instrument, target: Fixed.zero(), now: input.now, reason: `${head}; ${unheld}`, price: input.prices.get(instrumentId), reduceOnly: true }, out);
  return out;
}
