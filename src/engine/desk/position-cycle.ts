import type { Fixed } from '../../core/fixed.js';
import type { AgentId, InstrumentId } from '../../core/ids.js';
import type { UnixMs } from '../../core/time.js';
import type { CycleStep } from '../../domain/agent-events.js';
import type { TradingState } from '../../domain/events.js';
import type { Instrument } from '../../domain/instrument.js';
import type { TradingCore } from '../trading-core.js';
import { OpenBackoff } from './cycle-backoff.js';

export interface PositionCycleConfig {
  /** Open a new position when flat and the analyst's view is long or short. */
  readonly open: boolean;
  readonly reviewEveryMs: number;
  readonly closeAfterMs: number;
}

interface Cycle {
  readonly id: string;
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
  /** The CycleStepTaken event's id: the cause the resulting decision names, so `explain` shows the step. */
  readonly stepId: string;
  readonly reason: string;
};

/** What the cycle needs from the desk: the books, the prices and states, and the hands that trade. */
export interface CycleHooks {
  positionOf(owner: string, instrumentId: InstrumentId): Fixed | undefined;
  /** True while an order is being worked in the book: the cycle leaves it alone until it is done. */
  busy(owner: string, instrumentId: InstrumentId): boolean;
  priceOf(instrumentId: InstrumentId): Fixed | undefined;
  stateOf(owner: string): TradingState;
  /** The gate's denial of the book's decision at this review's time (a nudge's, just before): its open, already refused. */
  deniedNow(owner: string, instrumentId: InstrumentId): { readonly code: string; readonly detail: string } | undefined;
  /** Decides and sends the opening; returns the ids of the intents sent (none: the manager decided no order). */
  open(action: CycleAction): readonly string[];
  close(action: CycleAction): void;
}

/**
 * The orchestrator's position cycle, per book: open a position, review it every `reviewEvery`, close it when the
 * book's view no longer agrees or after `closeAfter`, and start again. Each step is a typed decision
 * (CycleStepTaken: open | hold | close, or flat / blocked when it finds dust or cannot open) made from the books and
 * the views, never from text.
 */
export class PositionCycle {
  private readonly cycles = new Map<string, Cycle>();
  /** When each book's position (owner|instrument) last went from flat to held, from its fills. */
  private readonly openedAt = new Map<string, UnixMs>();
  /** Books whose remainder below the minimums was already reported (until the book trades again). */
  private readonly dustNoted = new Set<string>();
  private readonly backoff = new OpenBackoff();
  /** Denials journaled while the cycle is opening a book (collected only then). */
  private denials: { readonly code: string; readonly detail: string }[] | undefined;

  constructor(
    private readonly core: TradingCore,
    private readonly config: PositionCycleConfig,
    private readonly instruments: ReadonlyMap<InstrumentId, Instrument>,
  ) {
    // A position closed and reopened between two reviews (by the manager, a stop, a liquidation) is a new one: its
    // cycle ends with the close, and the next starts from the reopening fill, not from the old position's open.
    core.events.subscribe((event) => {
      if (event.type === 'OrderFilled') {
        const owner = core.oms.get(event.fill.clientOrderId)?.spec.owner;
        if (owner !== undefined) this.positionMoved(owner, event.fill.instrumentId, event.tsEvent, event.fill.price);
      } else if (event.type === 'PositionLiquidated') {
        for (const key of [...this.cycles.keys()]) {
          const owner = key.slice(0, key.indexOf('|'));
          if (key.endsWith(`|${event.instrumentId}`)) this.positionMoved(owner, event.instrumentId, event.tsEvent, undefined);
        }
      } else if (event.type === 'IntentDenied' && this.denials !== undefined) {
        this.denials.push({ code: event.code, detail: event.detail });
      }
    });
  }

  private positionMoved(owner: string, instrumentId: InstrumentId, ts: UnixMs, price: Fixed | undefined): void {
    const book = `${owner}|${instrumentId}`;
    this.dustNoted.delete(book);
    const quantity = this.core.ledger.position(owner, instrumentId)?.quantity;
    if (quantity === undefined || quantity.isZero() || this.dustOf(instrumentId, quantity, price) !== undefined) {
      this.openedAt.delete(book);
      this.cycles.delete(book);
    } else if (!this.openedAt.has(book)) {
      this.openedAt.set(book, ts);
      this.backoff.clear(book);
    }
  }

  /**
   * Why a position is too small to trade (below the instrument's minimum quantity, or its minimum notional at
   * `price`), or undefined when it is not. Such a remainder cannot be closed by any order, so the cycle counts the
   * book as flat: otherwise every review would ask to close it and be denied.
   */
  private dustOf(instrumentId: InstrumentId, quantity: Fixed, price: Fixed | undefined): string | undefined {
    const instrument = this.instruments.get(instrumentId);
    if (instrument === undefined || quantity.isZero()) return undefined;
    const size = quantity.abs();
    if (size.lt(instrument.minQuantity)) return `below the minimum quantity ${instrument.minQuantity.toPlainString()}`;
    if (price === undefined || instrument.minNotional.isZero()) return undefined;
    const notional = size.mul(instrument.contractSize).mul(price);
    if (notional.lt(instrument.minNotional)) return `notional ${notional.toPlainString()} below the minimum ${instrument.minNotional.toPlainString()}`;
    return undefined;
  }

  review(now: UnixMs, books: Iterable<CycleBook>, hooks: CycleHooks): void {
    for (const book of books) {
      const { owner, instrumentId } = book;
      if (hooks.busy(owner, instrumentId)) continue;
      const key = `${owner}|${instrumentId}`;
      const quantity = hooks.positionOf(owner, instrumentId);
      const dust = quantity === undefined ? undefined : this.dustOf(instrumentId, quantity, hooks.priceOf(instrumentId));
      if (quantity === undefined || quantity.isZero() || dust !== undefined) {
        this.cycles.delete(key);
        if (dust !== undefined && !this.dustNoted.has(key)) {
          this.dustNoted.add(key);
          const id = `cycle:${book.agentId}:${instrumentId}:${now}`;
          this.step(id, book.agentId, instrumentId, 'flat', `${(quantity as Fixed).toPlainString()} left, ${dust}: too small to trade, counted as flat`);
        }
        if (this.config.open) this.reviewFlat(now, key, book, hooks);
        continue;
      }
      const close = this.reviewHeld(now, key, book, quantity);
      if (close !== undefined) hooks.close(close);
    }
  }

  /** A flat book: open when its view is long or short and it can be opened; otherwise say once why not. */
  private reviewFlat(now: UnixMs, key: string, book: CycleBook, hooks: CycleHooks): void {
    const { agentId: who, instrumentId, view, owner } = book;
    if (view === undefined || view.direction === 'flat') {
      this.backoff.clear(key);
      return;
    }
    const id = `cycle:${who}:${instrumentId}:${now}`;
    const wants = `flat and ${who}'s latest view is ${view.direction}${view.conviction === undefined ? '' : ` (conviction ${view.conviction})`}`;
    // A book in REDUCING or HALTED (the desk's or its sleeve's) may only shrink: an open would never be sent.
    const state = hooks.stateOf(owner);
    if (state !== 'ACTIVE') {
      const blocked = this.backoff.blockedByState(key, view.direction, state);
      if (blocked) this.step(id, who, instrumentId, 'blocked', `${wants}, but trading for ${owner} is ${state}: no open until it is ACTIVE again`);
      return;
    }
    const waiting = this.backoff.waiting(key, view.direction);
    if (waiting !== undefined) {
      if (waiting.report) this.step(id, who, instrumentId, 'blocked', `${wants}, but ${waiting.why}: open again in ${waiting.reviews} review${waiting.reviews === 1 ? '' : 's'}`);
      return;
    }
    // The view was decided and denied at this very time: opening on it now would be the same intent denied again.
    const refused = hooks.deniedNow(owner, instrumentId);
    if (refused !== undefined) {
      this.backoff.failed(key, view.direction, `denied ${refused.code}`, `the last open was denied (${refused.code}: ${refused.detail})`);
      return;
    }
    const reason = `${wants}: open`;
    const stepId = this.step(id, who, instrumentId, 'open', reason);
    this.cycles.set(key, { id, nextReview: (now + this.config.reviewEveryMs) as UnixMs });
    this.denials = [];
    const sent = hooks.open({ kind: 'open', book, cycleId: id, stepId, reason });
    const denied = this.denials[0];
    this.denials = undefined;
    // An open under way keeps its book busy; one that left it idle was refused, and the same open is not retried on
    // every review (it would journal the same decision and denial each time), but after a growing number of them.
    if (hooks.busy(owner, instrumentId) || !(hooks.positionOf(owner, instrumentId)?.isZero() ?? true)) return;
    if (denied !== undefined) this.backoff.failed(key, view.direction, `denied ${denied.code}`, `the last open was denied (${denied.code}: ${denied.detail})`);
    else this.backoff.failed(key, view.direction, sent.length === 0 ? 'no order' : 'not sent', sent.length === 0 ? 'the manager decided no order for the last open' : 'the last open was not sent');
  }

  /** A held book: on its review, hold while the view agrees, close when it does not or when the time is up. */
  private reviewHeld(now: UnixMs, key: string, book: CycleBook, quantity: Fixed): CycleAction | undefined {
    const { agentId: who, instrumentId, view } = book;
    const cycle = this.cycles.get(key) ?? { id: `cycle:${who}:${instrumentId}:${now}`, nextReview: now };
    this.cycles.set(key, cycle);
    if (now < cycle.nextReview) return undefined;
    cycle.nextReview = (now + this.config.reviewEveryMs) as UnixMs;
    const long = quantity.isPositive();
    const agrees = view !== undefined && view.direction === (long ? 'long' : 'short');
    // Counted from the fill that opened the position, not from the decision: an entry worked over hours (a TWAP,
    // a resting limit) is held for its full `closeAfter`.
    const age = now - (this.openedAt.get(key) ?? now);
    let reason: string | undefined;
    if (age >= this.config.closeAfterMs) {
      reason = `held ${Math.round(age / 60_000)} min, at least the ${Math.round(this.config.closeAfterMs / 60_000)} min limit: close`;
    } else if (!agrees) {
      reason = `position is ${long ? 'long' : 'short'} but ${who}'s latest view is ${view?.direction ?? 'none'}: close`;
    }
    if (reason === undefined) {
      this.step(cycle.id, who, instrumentId, 'hold', `view still ${view?.direction ?? 'none'}, held ${Math.round(age / 60_000)} min: hold`);
      return undefined;
    }
    const stepId = this.step(cycle.id, who, instrumentId, 'close', reason);
    return { kind: 'close', book, cycleId: cycle.id, stepId, reason };
  }

  private step(cycleId: string, agentId: AgentId, instrumentId: InstrumentId, step: CycleStep, reason: string): string {
    return this.core.recordAgentEvent({ type: 'CycleStepTaken', cycleId, agentId, instrumentId, step, reason, causationId: cycleId }).id;
  }
}
