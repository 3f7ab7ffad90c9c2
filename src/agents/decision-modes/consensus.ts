import { FixRequestError } from '../../core/errors.js';
import { Fixed } from '../../core/fixed.js';
import { byInstrument, checkK, CONVICTION_SCALE, convictionOf, directionSign, emptyResult, hold, latestSignals, positionLookup, signalsCausation, signedBy, sizedQuantity, TARGET_SCALE } from './common.js';
import { planNetted } from './reducing.js';
import type { AnalystSignal, DecisionInput, DecisionResult } from './types.js';

type Direction = 'long' | 'short' | 'flat';
const DIRECTIONS: readonly Direction[] = ['long', 'short', 'flat'];
const ONE = Fixed.fromInt(1);

/**
 * Consensus mode: per instrument, n = the analysts with a signal on it; trade only when at least k of them agree.
 * Flat is a vote of its own: k flat votes flatten the desk position. When no direction reaches k, or two do
 * (possible when k <= n/2), the desk holds. The target is direction x size(mean conviction of the agreeing
 * analysts), with the desk-level `consensus.size` scaled by the agreeing analysts' mean mode multiplier (the judge's
 * modes size the desk book here as they size each analyst's contribution in weighted mode), traded by the manager in
 * `input.deskOwner`. While the desk book is REDUCING the target is held to the reduction it contains (see `planNetted`).
 */
export function consensusMode(input: DecisionInput): DecisionResult {
  const rules = input.consensus;
  if (rules === undefined) throw new FixRequestError('missing_consensus_rules', 'consensus mode needs consensus rules (k and size)');
  checkK(rules.k);
  const out = emptyResult();
  const current = positionLookup(input);
  for (const [instrumentId, entries] of byInstrument(latestSignals(input.signals))) {
    const now = current(input.deskOwner, instrumentId);
    const base = { mode: 'consensus' as const, agentId: input.managerId, owner: input.deskOwner, instrumentId, current: now };
    const instrument = input.instruments.get(instrumentId);
    if (instrument === undefined) {
      hold(out, { ...base, causationId: signalsCausation(entries), reason: `unknown instrument ${instrumentId}` });
      continue;
    }
    const { votes, tally, winner, noWinner } = countVotes(entries, rules.k);
    const n = entries.length;
    if (winner === undefined) {
      hold(out, { ...base, causationId: signalsCausation(entries), reason: `${noWinner}: hold` });
      continue;
    }
    const agreeing = votes.get(winner) ?? [];
    const causationId = signalsCausation(agreeing);
    const head = `${agreeing.length} of ${n} ${winner} (k=${rules.k}; ${tally}): ${agreeing.map((e) => e.analystId).join(', ')}`;
    let target = Fixed.zero();
    let reason = head;
    if (winner !== 'flat') {
      const sum = agreeing.reduce((acc, e) => acc.add(convictionOf(e.signal.conviction)), Fixed.zero(CONVICTION_SCALE));
      const mean = sum.div(Fixed.fromInt(agreeing.length), TARGET_SCALE, 'down');
      const price = input.prices.get(instrumentId);
      const multiplier = meanMultiplier(agreeing, input.sizeMultipliers);
      const size = multiplier === undefined ? rules.size : { ...rules.size, perConviction: rules.size.perConviction.mul(multiplier) };
      const sized = sizedQuantity(size, mean, instrument, price);
      if ('problem' in sized) {
        hold(out, { ...base, causationId, reason: `${head}; ${sized.problem}` });
        continue;
      }
      target = signedBy(sized.quantity, directionSign(winner));
      reason = `${head}; mean conviction ${mean.toPlainString()}${multiplier === undefined ? '' : `, mode size ×${multiplier.toPlainString()}`}`;
    }
    planNetted(
      { mode: 'consensus', agentId: input.managerId, owner: input.deskOwner, instrument, target, current: now, now: input.now, causationId, reason, price: input.prices.get(instrumentId) },
      input.deskReducing === true,
      out,
    );
  }
  return out;
}

/** The agreeing analysts' mean mode multiplier; undefined when it is ×1 (every analyst in standard, or none given). */
function meanMultiplier(agreeing: readonly AnalystSignal[], multipliers: DecisionInput['sizeMultipliers']): Fixed | undefined {
  if (multipliers === undefined || agreeing.length === 0) return undefined;
  const sum = agreeing.reduce((acc, e) => acc.add(multipliers.get(e.analystId) ?? ONE), Fixed.zero(CONVICTION_SCALE));
  const mean = sum.div(Fixed.fromInt(agreeing.length), TARGET_SCALE, 'down');
  return mean.eq(ONE) ? undefined : mean;
}

/**
 * The votes on one instrument: the direction at least k of them agree on, or why there is none (no quorum, or two
 * quorums at once).
 */
export function countVotes(
  entries: readonly AnalystSignal[],
  k: number,
): { votes: Map<Direction, AnalystSignal[]>; tally: string; winner: Direction | undefined; noWinner: string } {
  const votes = new Map<Direction, AnalystSignal[]>(DIRECTIONS.map((d) => [d, []]));
  for (const entry of entries) votes.get(entry.signal.direction)?.push(entry);
  const tally = DIRECTIONS.map((d) => `${votes.get(d)?.length ?? 0} ${d}`).join(', ');
  const winners = DIRECTIONS.filter((d) => (votes.get(d)?.length ?? 0) >= k);
  const winner = winners.length === 1 ? winners[0] : undefined;
  const why = winners.length === 0 ? 'no quorum' : `conflicting quorums (${winners.join(' and ')})`;
  return { votes, tally, winner, noWinner: winner === undefined ? `${why}: ${tally} of ${entries.length} (k=${k})` : '' };
}
