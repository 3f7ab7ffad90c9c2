import type { Fixed } from '../../core/fixed.js';
import type { InstrumentId } from '../../core/ids.js';
import type { UnixMs } from '../../core/time.js';
import type { TradingCore } from '../trading-core.js';
import type { AnalystRole } from './analyst-role.js';

export interface PositionCycleConfig {
  /** Open a new position when flat and the analyst's view is long or short. */
  readonly open: boolean;
  readonly reviewEveryMs: number;
  readonly closeAfterMs: number;
}

interface Cycle {
  readonly id: string;
  readonly sleeve: string;
  readonly instrumentId: InstrumentId;
  readonly openedAt: UnixMs;
  nextReview: UnixMs;
}

/** What the cycle wants done now for one analyst and instrument; the desk turns it into orders. */
export type CycleAction = {
  readonly kind: 'open' | 'close';
  readonly analyst: AnalystRole;
  readonly instrumentId: InstrumentId;
  readonly cycleId: string;
  /** The CycleStepTaken event's id: the cause the resulting intent names, so `explain` shows the step. */
  readonly stepId: string;
  readonly reason: string;
};

/**
 * The orchestrator's position cycle, per analyst and instrument: open a position, review it every `reviewEvery`,
 * close it when the analyst's view no longer agrees or after `closeAfter`, and start again. Each step is a typed
 * decision (CycleStepTaken: open | hold | close) made from the books and the analyst's latest call, never from text.
 */
export class PositionCycle {
  private readonly cycles = new Map<string, Cycle>();
  /** When each book's position (sleeve|instrument) last went from flat to held, from its fills. */
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
        for (const cycle of this.cycles.values()) if (cycle.instrumentId === event.instrumentId) this.positionMoved(cycle.sleeve, event.instrumentId, event.tsEvent);
      }
    });
  }

  private positionMoved(owner: string, instrumentId: InstrumentId, ts: UnixMs): void {
    const book = `${owner}|${instrumentId}`;
    const quantity = this.core.ledger.position(owner, instrumentId)?.quantity;
    if (quantity === undefined || quantity.isZero()) {
      this.openedAt.delete(book);
      for (const [key, cycle] of this.cycles) if (cycle.sleeve === owner && cycle.instrumentId === instrumentId) this.cycles.delete(key);
    } else if (!this.openedAt.has(book)) {
      this.openedAt.set(book, ts);
    }
  }

  review(now: UnixMs, analysts: Iterable<AnalystRole>, positionOf: (owner: string, id: InstrumentId) => Fixed | undefined, busy: (owner: string, id: InstrumentId) => boolean): CycleAction[] {
    const actions: CycleAction[] = [];
    for (const analyst of analysts) {
      if (analyst.health !== 'healthy') continue;
      for (const instrumentId of analyst.instruments) {
        const key = `${analyst.id}|${instrumentId}`;
        const quantity = positionOf(analyst.sleeve, instrumentId);
        const held = quantity !== undefined && !quantity.isZero();
        const call = analyst.calls.get(instrumentId);
        const cycle = this.cycles.get(key);
        if (busy(analyst.sleeve, instrumentId)) continue;
        if (!held) {
          if (cycle !== undefined) this.cycles.delete(key);
          if (this.config.open && call !== undefined && call.direction !== 'flat') {
            const id = `cycle:${analyst.id}:${instrumentId}:${now}`;
            const reason = `flat and ${analyst.id}'s latest view is ${call.direction} (conviction ${call.conviction}): open`;
            const stepId = this.step(id, analyst, instrumentId, 'open', reason);
            this.cycles.set(key, { id, sleeve: analyst.sleeve, instrumentId, openedAt: now, nextReview: (now + this.config.reviewEveryMs) as UnixMs });
            actions.push({ kind: 'open', analyst, instrumentId, cycleId: id, stepId, reason });
          }
          continue;
        }
        const opened = this.openedAt.get(`${analyst.sleeve}|${instrumentId}`) ?? now;
        const current = cycle ?? { id: `cycle:${analyst.id}:${instrumentId}:${now}`, sleeve: analyst.sleeve, instrumentId, openedAt: opened, nextReview: now };
        if (cycle === undefined) this.cycles.set(key, current);
        if (now < current.nextReview) continue;
        current.nextReview = (now + this.config.reviewEveryMs) as UnixMs;
        const long = (quantity as Fixed).isPositive();
        const agrees = call !== undefined && call.direction === (long ? 'long' : 'short');
        const age = now - current.openedAt;
        if (age >= this.config.closeAfterMs) {
          const reason = `held ${Math.round(age / 60_000)} min, at least the ${Math.round(this.config.closeAfterMs / 60_000)} min limit: close`;
          const stepId = this.step(current.id, analyst, instrumentId, 'close', reason);
          actions.push({ kind: 'close', analyst, instrumentId, cycleId: current.id, stepId, reason });
        } else if (!agrees) {
          const reason = `position is ${long ? 'long' : 'short'} but ${analyst.id}'s latest view is ${call?.direction ?? 'none'}: close`;
          const stepId = this.step(current.id, analyst, instrumentId, 'close', reason);
          actions.push({ kind: 'close', analyst, instrumentId, cycleId: current.id, stepId, reason });
        } else {
          this.step(current.id, analyst, instrumentId, 'hold', `view still ${call.direction}, held ${Math.round(age / 60_000)} min: hold`);
        }
      }
    }
    return actions;
  }

  private step(cycleId: string, analyst: AnalystRole, instrumentId: InstrumentId, step: 'open' | 'hold' | 'close', reason: string): string {
    return this.core.recordAgentEvent({ type: 'CycleStepTaken', cycleId, agentId: analyst.id, instrumentId, step, reason, causationId: cycleId }).id;
  }
}
