import { Fixed } from '../../core/fixed.js';
import {
  byInstrument,
  convictionOf,
  directionSign,
  emptyResult,
  hold,
  latestSignals,
  positionLookup,
  signalsCausation,
  signedBy,
  sizedQuantity,
} from './common.js';
import { planNetted } from './reducing.js';
import type { DecisionInput, DecisionResult } from './types.js';

/**
 * Weighted mode: per instrument, desk target = sum over analysts of weight x conviction x direction x size
 * (each analyst's own sizing), netted into one position of the desk owner (`input.deskOwner`), traded by the
 * manager (`input.managerId`). Weights are plain multipliers (not normalised); an analyst without a weight counts 0.
 * Flat signals contribute 0. Instruments without any signal are left alone. Trades smaller than `input.deadband`
 * (quantity and/or notional, after lot rounding) are skipped, except a trade to a flat target. While the desk book is
 * REDUCING the netted target is held to the reduction it contains (see `planNetted`).
 */
export function weightedMode(input: DecisionInput): DecisionResult {
  const out = emptyResult();
  const current = positionLookup(input);
  for (const [instrumentId, entries] of byInstrument(latestSignals(input.signals))) {
    const now = current(input.deskOwner, instrumentId);
    const causationId = signalsCausation(entries);
    const base = { mode: 'weighted' as const, agentId: input.managerId, owner: input.deskOwner, instrumentId, current: now, causationId };
    const instrument = input.instruments.get(instrumentId);
    if (instrument === undefined) {
      hold(out, { ...base, reason: `unknown instrument ${instrumentId}` });
      continue;
    }
    const price = input.prices.get(instrumentId);
    let target = Fixed.zero();
    const parts: string[] = [];
    const problems: string[] = [];
    for (const entry of entries) {
      const sign = directionSign(entry.signal.direction);
      const weight = input.weights?.get(entry.analystId) ?? Fixed.zero();
      const conviction = convictionOf(entry.signal.conviction);
      if (sign === 0 || weight.isZero() || conviction.isZero()) {
        parts.push(`${entry.analystId} ${entry.signal.direction} w=${weight.toPlainString()}: 0`);
        continue;
      }
      const sizing = input.sizing.get(entry.analystId);
      if (sizing === undefined) {
        problems.push(`no sizing for analyst ${entry.analystId}`);
        continue;
      }
      const sized = sizedQuantity(sizing, conviction, instrument, price);
      if ('problem' in sized) {
        problems.push(sized.problem);
        continue;
      }
      const contribution = signedBy(sized.quantity.mul(weight), sign);
      parts.push(`${entry.analystId} ${entry.signal.direction} w=${weight.toPlainString()} c=${conviction.toPlainString()}: ${contribution.toPlainString()}`);
      target = target.add(contribution);
    }
    if (problems.length > 0) {
      hold(out, { ...base, reason: `cannot net ${instrumentId}: ${problems.join('; ')}` });
      continue;
    }
    planNetted(
      {
        mode: 'weighted',
        agentId: input.managerId,
        owner: input.deskOwner,
        instrument,
        target,
        current: now,
        now: input.now,
        causationId,
        reason: `net target ${target.toPlainString()} = ${parts.join(' + ')}`,
        price,
        deadband: input.deadband,
      },
      input.deskReducing === true,
      out,
    );
  }
  return out;
}
