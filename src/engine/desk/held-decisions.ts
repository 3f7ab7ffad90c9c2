import type { Fixed } from '../../core/fixed.js';

/** What a journaled decision says, as far as it matters whether a later one says it again. */
export interface HeldDecision {
  readonly mode: string;
  readonly owner: string;
  readonly instrumentId: string;
  readonly agentId: string;
  readonly target: Fixed;
  readonly current: Fixed;
  readonly order: Fixed;
  readonly causationId: string;
  readonly reason: string;
}

/**
 * The last decision to hold (no order) journaled per mode, book, instrument and deciding agent. A manager nudge looks
 * again at every view its book disagrees with, and a view the manager holds back — vetoed, resized below a lot,
 * inside the deadband — stays in disagreement: deciding it again changes nothing, so it is journaled once per distinct
 * hold. A hold is the same when it answers the same signals (the same cause) on the same position, toward a target on
 * the same side, for the same reasons; the figures in a reason are left out, as they move with the price (a notional
 * size or cap) while the view stands. An order on the book, a new signal or a moved position is journaled afresh.
 */
export class HeldDecisions {
  private readonly last = new Map<string, string>();

  /** Whether `decision` is to be journaled; remembers it. */
  isNew(decision: HeldDecision): boolean {
    const key = `${decision.mode}\u0000${decision.owner}\u0000${decision.instrumentId}\u0000${decision.agentId}`;
    if (!decision.order.isZero()) {
      this.last.delete(key);
      return true;
    }
    const side = decision.target.isPositive() ? 1 : decision.target.isNegative() ? -1 : 0;
    const said = `${decision.causationId}\u0000${decision.current.toPlainString()}\u0000${side}\u0000${decision.reason.replace(/\d+(\.\d+)?/g, '#')}`;
    if (this.last.get(key) === said) return false;
    this.last.set(key, said);
    return true;
  }
}
