import type { StateChangeTrigger, TradingState } from '../domain/events.js';

const SEVERITY: Record<TradingState, number> = { ACTIVE: 0, REDUCING: 1, HALTED: 2 };

/** True when `to` is stricter than `from` (breakers only ever escalate on their own). */
export function isEscalation(from: TradingState, to: TradingState): boolean {
  return SEVERITY[to] > SEVERITY[from];
}

/**
 * True when a breaker moving the desk to `to` acts on a desk in `from`, set by `trigger`: a stricter state, or the
 * same REDUCING the risk watch holds. The watch lifts its own REDUCING once its measures are back under their release
 * levels; a breaker's stays until an operator resumes, so the breaker takes it over rather than let the watch lift it.
 */
export function breakerActs(from: TradingState, trigger: StateChangeTrigger | undefined, to: TradingState): boolean {
  return isEscalation(from, to) || (from === to && from === 'REDUCING' && trigger === 'risk-monitor');
}
