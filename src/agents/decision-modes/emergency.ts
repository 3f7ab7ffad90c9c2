import { Fixed } from '../../core/fixed.js';
import { emptyResult, hold, planTrade } from './common.js';
import type { DecisionInput, DecisionResult } from './types.js';

/**
 * Emergency mode: signals are ignored; every non-zero position of every owner is flattened with a reduce-only
 * market order from the manager, in that owner's book. The quantity is |position| rounded down to the lot (a
 * remainder below one lot is reported, not traded). Causation: the breach's event when it names one, else
 * `breach:<code>:<now>`.
 */
export function emergencyMode(input: DecisionInput): DecisionResult {
  const out = emptyResult();
  const breach = input.breach ?? { code: 'manual', reason: 'emergency mode' };
  const causationId = breach.causationId ?? `breach:${breach.code}:${input.now}`;
  const totals = new Map<string, { owner: string; instrumentId: DecisionInput['positions'][number]['instrumentId']; quantity: Fixed }>();
  for (const entry of input.positions) {
    const key = `${entry.owner}\u0000${entry.instrumentId}`;
    const prior = totals.get(key);
    totals.set(key, { owner: entry.owner, instrumentId: entry.instrumentId, quantity: (prior?.quantity ?? Fixed.zero()).add(entry.quantity) });
  }
  for (const { owner, instrumentId, quantity } of totals.values()) {
    if (quantity.isZero()) continue;
    const base = { mode: 'emergency' as const, agentId: input.managerId, owner, instrumentId, current: quantity, causationId };
    const instrument = input.instruments.get(instrumentId);
    if (instrument === undefined) {
      hold(out, { ...base, reason: `emergency (${breach.reason}): unknown instrument ${instrumentId}, cannot flatten` });
      continue;
    }
    planTrade(
      {
        mode: 'emergency',
        agentId: input.managerId,
        owner,
        instrument,
        target: Fixed.zero(),
        current: quantity,
        now: input.now,
        causationId,
        reason: `emergency (${breach.reason}): flatten ${quantity.toPlainString()} reduce-only`,
        reduceOnly: true,
      },
      out,
    );
  }
  return out;
}
