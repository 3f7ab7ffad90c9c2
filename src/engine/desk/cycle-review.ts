import type { AgentId, InstrumentId } from '../../core/ids.js';
import type { Fixed } from '../../core/fixed.js';
import type { UnixMs } from '../../core/time.js';
import type { IntentDenied } from '../../domain/events.js';
import type { OrderIntent } from '../../domain/intent.js';
import type { AnalystSignal } from '../../agents/decision-modes/index.js';
import type { TradingCore } from '../trading-core.js';
import type { AnalystRole } from './analyst-role.js';
import { cycleBooks } from './cycle-books.js';
import type { DeskMarket } from './desk-market.js';
import type { ExecutorRole } from './executor-role.js';
import type { ManagerRole } from './manager-role.js';
import type { PositionCycle } from './position-cycle.js';

/** The parts of the desk the position cycle's reviews read, and how they decide and send through it. */
export interface CycleReviewParts {
  readonly core: TradingCore;
  readonly cycle: PositionCycle;
  readonly executor: ExecutorRole;
  readonly manager: ManagerRole;
  readonly market: DeskMarket;
  /** Each analyst's standing view, by `analyst|instrument`. */
  readonly latest: ReadonlyMap<string, AnalystSignal>;
  /** Netting modes: the desk book's targets as the manager last decided them; undefined in the sleeve modes. */
  readonly deskTargets: ReadonlyMap<InstrumentId, Fixed> | undefined;
  readonly activeAnalysts: () => Map<AgentId, AnalystRole>;
  /** The manager decides on views, `cause` named beside them; returns the intents sent. */
  readonly decide: (now: UnixMs, views: readonly AnalystSignal[], cause: string) => readonly OrderIntent[];
  readonly send: (intent: OrderIntent, now: UnixMs) => void;
  /** The gate's denial of the book's decision at `now`, if there was one. */
  readonly deniedAt: (owner: string, instrumentId: InstrumentId, now: UnixMs) => IntentDenied | undefined;
}

/** The position cycle's review on its schedule: each book it watches is opened, kept or closed (not while halted). */
export class CycleReview {
  constructor(private readonly parts: CycleReviewParts) {}

  run(now: UnixMs): void {
    const { core, cycle, executor, manager, market, latest, deskTargets } = this.parts;
    if (core.tradingState === 'HALTED') return;
    market.refreshPrices();
    const books = cycleBooks(this.parts.activeAnalysts().values(), deskTargets === undefined ? undefined : { managerId: manager.id, targets: deskTargets });
    cycle.review(now, books, {
      positionOf: (owner, id) => core.ledger.position(owner, id)?.quantity,
      busy: (owner, id) => executor.isWorking(owner, id),
      priceOf: (id) => market.prices.get(id),
      stateOf: (owner) => core.risk.stateFor(owner),
      deniedNow: (owner, id) => this.parts.deniedAt(owner, id, now),
      close: (action) => {
        const { owner, instrumentId } = action.book;
        const intents = manager.flatten(now, { code: 'position-cycle', reason: action.reason, causationId: action.stepId }, this.parts.activeAnalysts(), market.prices, new Set([owner]));
        for (const intent of intents) if (intent.instrumentId === instrumentId) this.parts.send({ ...intent, causationId: action.stepId }, now);
      },
      // The decision names the cycle's step beside the views it acts on, so `explain` shows why it was made now.
      open: (action) => {
        const { instrumentId } = action.book;
        // The desk book opens on every standing view of the instrument, netted as the manager nets them.
        const views = deskTargets !== undefined
          ? [...latest.values()].filter((entry) => entry.signal.instrumentId === instrumentId)
          : [latest.get(`${action.book.agentId}|${instrumentId}`)].filter((entry) => entry !== undefined);
        return views.length === 0 ? [] : this.parts.decide(now, views, action.stepId).map((intent) => intent.id);
      },
    });
  }
}
