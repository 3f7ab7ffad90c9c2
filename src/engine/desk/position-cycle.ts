import type { Fixed } from '../../core/fixed.js';
import type { AgentId, InstrumentId } from '../../core/ids.js';
import type { UnixMs } from '../../core/time.js';
import type { TradingCore } from '../trading-core.js';

export interface PositionCycleConfig {
  /** Open a new position when flat and the analyst's view is long or short. */
  readonly open: boolean;
  readonly reviewEveryMs: number;
  readonly closeAfterMs: number;
}

interface Cycle {
  readonly id: string;
  readonly owner: string;
  readonly instrumentId: InstrumentId;
  readonly openedAt: UnixMs;
  nextReview: UnixMs;
}

/**
 * One book the cycle works: an analyst's sleeve (the sleeve modes), or the desk book of an instrument (the netting
 * modes, where the analysts' views are netted into one position and no single analyst owns it).
 */
export interface CycleBook {
  /** Who the cycle's steps are recorded for: the analyst, or the manager for the desk book. */
  readonly agentId: AgentId;
  readonly owner: string;
  readonly instrumentId: InstrumentId;
  /** What the book should hold: the analyst's latest call, or the direction of the manager's netted target. */
  readonly view: { readonly direction: 'long' | 'short' | 'flat'; readonly conviction?: number } | undefined;
}

/** What the cycle wants done now for one book; the desk turns it into orders. */
export type CycleAction = {
  readonly kind: 'open' | 'close';
  readonly book: CycleBook;
  readonly cycleId: string;
  /** The CycleStepTaken event's id: the cause the resulting intent names, so `explain` shows the step. */
  readonly stepId: string;
  readonly reason: string;
};

/**
 * The orchestrator's position cycle, per book: open a position, review it every `reviewEvery`, close it when the
 * book's view no longer agrees or after `closeAfter`, and start again. Each step is a typed decision
 * (CycleStepTaken: open | hold | close) made from the books and the views, never from text.
 */
export class PositionCycle {
  private readonly cycles = new Map<string, Cycle>();
  /** When each book's position (owner|instrument) last went from flat to held, from its fills. */
  private readonly openedAt = new Map<string, UnixMs>();

  constructor(
    private readonly core: TradingCore,
    private readonly config: PositionCycleConfig,
  ) {
    // A position closed and reopened between two reviews (by the manager, a stop, a liquidation) is a new one: its
    // cycle ends with the close, and the next starts from the reopening fill, not from the old position's open.
    core.events.subscribe((event) => {
      if (event.type === 'OrderFilled') {
        const owner = core.oms.get(event.fill.clientOrderId)?.spec.owner;
        if (owner !== undefined) this.positionMoved(owner, event.fill.instrumentId, event.tsEvent);
      } else if (event.type === 'PositionLiquidated') {
        for (const cycle of this.cycles.values()) if (cycle.instrumentId === event.instrumentId) this.positionMoved(cycle.owner, event.instrumentId, event.tsEvent);
      }
    });
  }

  private positionMoved(owner: string, instrumentId: InstrumentId, ts: UnixMs): void {
    const book = `${owner}|${instrumentId}`;
    const quantity = this.core.ledger.position(owner, instrumentId)?.quantity;
    if (quantity === undefined || quantity.isZero()) {
      this.openedAt.delete(book);
      this.cycles.delete(book);
    } else if (!this.openedAt.has(book)) {
      this.openedAt.set(book, ts);
    }
  }

  review(now: UnixMs, books: Iterable<CycleBook>, positionOf: (owner: string, id: InstrumentId) => Fixed | undefined, busy: (owner: string, id: InstrumentId) => boolean): CycleAction[] {
    const actions: CycleAction[] = [];
    for (const book of books) {
      const { owner, instrumentId, view, agentId: who } = book;
      const key = `${owner}|${instrumentId}`;
      const quantity = positionOf(owner, instrumentId);
      const held = quantity !== undefined && !quantity.isZero();
      const cycle = this.cycles.get(key);
      if (busy(owner, instrumentId)) continue;
      if (!held) {
        if (cycle !== undefined) this.cycles.delete(key);
        if (this.config.open && view !== undefined && view.direction !== 'flat') {
          const id = `cycle:${who}:${instrumentId}:${now}`;
          const conviction = view.conviction === undefined ? '' : ` (conviction ${view.conviction})`;
          const reason = `flat and ${who}'s latest view is ${view.direction}${conviction}: open`;
          const stepId = this.step(id, who, instrumentId, 'open', reason);
          this.cycles.set(key, { id, owner, instrumentId, openedAt: now, nextReview: (now + this.config.reviewEveryMs) as UnixMs });
          actions.push({ kind: 'open', book, cycleId: id, stepId, reason });
        }
        continue;
      }
      const opened = this.openedAt.get(key) ?? now;
      const current = cycle ?? { id: `cycle:${who}:${instrumentId}:${now}`, owner, instrumentId, openedAt: opened, nextReview: now };
      if (cycle === undefined) this.cycles.set(key, current);
      if (now < current.nextReview) continue;
      current.nextReview = (now + this.config.reviewEveryMs) as UnixMs;
      const long = (quantity as Fixed).isPositive();
      const agrees = view !== undefined && view.direction === (long ? 'long' : 'short');
      const age = now - current.openedAt;
      if (age >= this.config.closeAfterMs) {
        const reason = `held ${Math.round(age / 60_000)} min, at least the ${Math.round(this.config.closeAfterMs / 60_000)} min limit: close`;
        const stepId = this.step(current.id, who, instrumentId, 'close', reason);
        actions.push({ kind: 'close', book, cycleId: current.id, stepId, reason });
      } else if (!agrees) {
        const reason = `position is ${long ? 'long' : 'short'} but ${who}'s latest view is ${view?.direction ?? 'none'}: close`;
        const stepId = this.step(current.id, who, instrumentId, 'close', reason);
        actions.push({ kind: 'close', book, cycleId: current.id, stepId, reason });
      } else {
        this.step(current.id, who, instrumentId, 'hold', `view still ${view.direction}, held ${Math.round(age / 60_000)} min: hold`);
      }
    }
    return actions;
  }

  private step(cycleId: string, agentId: AgentId, instrumentId: InstrumentId, step: 'open' | 'hold' | 'close', reason: string): string {
    return this.core.recordAgentEvent({ type: 'CycleStepTaken', cycleId, agentId, instrumentId, step, reason, causationId: cycleId }).id;
  }
}
