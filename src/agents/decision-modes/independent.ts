import type { Fixed } from '../../core/fixed.js';
import type { Instrument } from '../../domain/instrument.js';
import {
  convictionOf,
  directionSign,
  emptyResult,
  hold,
  latestSignals,
  planTrade,
  positionLookup,
  signalCausation,
  signedBy,
  sizedQuantity,
} from './common.js';
import type { AnalystSignal, DecisionInput, DecisionMode, DecisionResult } from './types.js';

/** What one analyst would do to its own sleeve: a target, or a reason it cannot propose one. */
export type Proposal =
  | {
      readonly entry: AnalystSignal;
      readonly instrument: Instrument;
      readonly current: Fixed;
      readonly target: Fixed;
      readonly reason: string;
    }
  | { readonly entry: AnalystSignal; readonly current: Fixed; readonly problem: string };

function describe(entry: AnalystSignal): string {
  const { direction, conviction, reason } = entry.signal;
  const head = direction === 'flat' ? `${entry.analystId} flat` : `${entry.analystId} ${direction} at conviction ${convictionOf(conviction).toPlainString()}`;
  return reason === '' ? head : `${head} (${reason})`;
}

/** Each analyst's latest signal as a target for its own sleeve: direction x sizing x conviction. */
export function independentProposals(input: DecisionInput): Proposal[] {
  const current = positionLookup(input);
  const signals = latestSignals(input.signals);
  // Two analysts trading the same sleeve and instrument would fight over one position: neither proposes.
  const holders = new Map<string, number>();
  for (const entry of signals) {
    const key = `${entry.sleeve}\u0000${entry.signal.instrumentId}`;
    holders.set(key, (holders.get(key) ?? 0) + 1);
  }
  return signals.map((entry): Proposal => {
    const instrumentId = entry.signal.instrumentId;
    const now = current(entry.sleeve, instrumentId);
    const instrument = input.instruments.get(instrumentId);
    if (instrument === undefined) return { entry, current: now, problem: `unknown instrument ${instrumentId}` };
    if ((holders.get(`${entry.sleeve}\u0000${instrumentId}`) ?? 0) > 1) {
      return { entry, current: now, problem: `sleeve ${entry.sleeve} is shared by several analysts on ${instrumentId}: no order` };
    }
    const sign = directionSign(entry.signal.direction);
    if (sign === 0) return { entry, instrument, current: now, target: signedBy(now, 0), reason: describe(entry) };
    const sizing = input.sizing.get(entry.analystId);
    if (sizing === undefined) return { entry, current: now, problem: `no sizing for analyst ${entry.analystId}` };
    const sized = sizedQuantity(sizing, convictionOf(entry.signal.conviction), instrument, input.prices.get(instrumentId));
    if ('problem' in sized) return { entry, current: now, problem: sized.problem };
    return { entry, instrument, current: now, target: signedBy(sized.quantity, sign), reason: describe(entry) };
  });
}

/** Plans proposals (possibly adjusted) as intents of each analyst in its sleeve. */
export function planProposals(mode: DecisionMode, input: DecisionInput, proposals: readonly Proposal[]): DecisionResult {
  const out = emptyResult();
  for (const proposal of proposals) {
    const causationId = signalCausation(proposal.entry);
    if ('problem' in proposal) {
      hold(out, {
        mode,
        agentId: proposal.entry.analystId,
        owner: proposal.entry.sleeve,
        instrumentId: proposal.entry.signal.instrumentId,
        current: proposal.current,
        causationId,
        reason: proposal.problem,
      });
      continue;
    }
    planTrade(
      {
        mode,
        agentId: proposal.entry.analystId,
        owner: proposal.entry.sleeve,
        instrument: proposal.instrument,
        target: proposal.target,
        current: proposal.current,
        now: input.now,
        causationId,
        reason: proposal.reason,
        price: input.prices.get(proposal.instrument.id),
      },
      out,
    );
  }
  return out;
}

/** Independent mode: each analyst moves its own sleeve toward its signal (long/short sized, flat to zero). */
export function independentMode(input: DecisionInput): DecisionResult {
  return planProposals('independent', input, independentProposals(input));
}
