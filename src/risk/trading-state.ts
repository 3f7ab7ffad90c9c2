import type { TradingState } from '../domain/events.js';

const SEVERITY: Record<TradingState, number> = { ACTIVE: 0, REDUCING: 1, HALTED: 2 };

/** True when `to` is stricter than `from` (breakers only ever escalate on their own). */
export function isEscalation(from: TradingState, to: TradingState): boolean {
  return SEVERITY[to] > SEVERITY[from];
}
