import type { AgentId, InstrumentId } from '../../core/ids.js';
import { Fixed } from '../../core/fixed.js';
import type { UnixMs } from '../../core/time.js';
import type { FundingRate } from '../../domain/market-data.js';
import type { BarView, StrategyContext } from '../../strategies/strategy.js';
import type { AnalystSignal } from '../../agents/decision-modes/index.js';
import type { AnalystRole } from './analyst-role.js';
import type { MarketLane } from './desk-market.js';
import type { ExecuteOptions, ExecutorRole } from './executor-role.js';
import { DESK_OWNER } from './manager-role.js';
import type { OrderIntent } from '../../domain/intent.js';
import type { GradeForReview } from '../../agents/desk/reviewers.js';
import { analystContext, impliedPosition, type AnalystContext } from './analyst-context.js';
import { DeskAssembly } from './desk-assembly.js';
import { viewKey } from './heard-views.js';
import { staleViews } from './stale-views.js';
import { settledWhileReducing } from './reducing-views.js';

export type { AgentStatus, DeskSetup } from './desk-setup.js';

/**
 * The orchestrator: one desk on one simulated clock. Each call to `next()` replays the bar that closes first: the
 * venue fills against it, the analysts on its instrument see it (inside a guard), the manager decides on their new
 * signals, the executor works the intents through the gate, and the roles on schedules (manager nudges, risk watch,
 * judge, optimizer, position cycle) take their turn. Backtest and paper-on-replay run exactly this; only the pace at
 * which `next()` is called differs, so both make the same decisions and orders. The parts it runs, and the
 * operator's controls over them, are wired in desk-assembly.ts.
 */
export class Desk extends DeskAssembly {
  private readonly fresh: AnalystSignal[] = [];
  /** Each analyst's context, made once, with what it emitted this bar (reused: nothing is allocated when nobody speaks). */
  private readonly contexts = new Map<AgentId, AnalystContext>();
  private processed = 0;
  /** Asynchronous nudge answers to await before the clock moves. */
  private readonly pendingNudges: { readonly analyst: AnalystRole; readonly lane: MarketLane; readonly answer: PromiseLike<void> }[] = [];
  /** Grades the rules judge made this bar, waiting for a model-driven judge. */
  private pendingGrades: GradeForReview[] | undefined;
  /** Asynchronous brains' answers to the bar being replayed (reused, like the bar: one bar is replayed at a time). */
  private readonly waiting: { readonly analyst: AnalystRole; readonly answer: PromiseLike<void> }[] = [];
  /** Made once: the market tells the books each close just before the venue fills against the bar. */
  private readonly onClose = (lane: MarketLane): void => this.books.onClose(lane.instrument.id, lane.bar.close);
  /** A funding rate goes to every analyst whose brain takes funding (funding carry) and trades the instrument. */
  private readonly onFunding = (funding: FundingRate): void => {
    // Sleeves whose positions net to zero at the venue owe each other what the venue, flat, did not settle.
    const mark = this.venue.markOf(funding.instrumentId);
    if (mark !== undefined) this.core.settleFundingNettedAway(funding.instrumentId, Fixed.fromNumberApprox(funding.rate, 12), mark, funding.ts);
    const lane = this.market.lane(funding.instrumentId);
    if (lane === undefined) return;
    for (const analyst of lane.analysts) {
      const onFunding = analyst.brain.onFunding;
      if (analyst.health !== 'healthy' || onFunding === undefined) continue;
      const context = this.contextOf(analyst);
      if (context.emitted.length > 0) context.emitted.length = 0;
      try {
        onFunding.call(analyst.brain, funding.instrumentId, funding.ts, funding.rate, context);
      } catch (error) {
        this.isolation.isolate(analyst, funding.instrumentId, error, funding.ts);
        continue;
      }
      this.takeSignals(analyst, lane, funding.ts);
    }
  };
  /** Protective exits a brain asked for, by signal id, until the signal's opening order goes out. */
  private readonly exits = new Map<string, { readonly stopPrice?: number; readonly targetPrice?: number }>();

  get barsProcessed(): number {
    return this.processed;
  }

  get done(): boolean {
    return this.processed >= this.totalBars;
  }

  /** Close time of the bar `next()` would replay, or undefined at the end. */
  nextCloseTime(): UnixMs | undefined {
    return this.market.nextCloseTime();
  }

  /** Replays the next bar through the whole desk; false at the end of the data. Every brain must be synchronous. */
  next(): boolean {
    const lane = this.beginBar();
    if (lane === undefined) return false;
    if (this.waiting.length > 0) {
      const names = this.waiting.splice(0, this.waiting.length).map((w) => w.analyst.id);
      throw new Error(`an asynchronous brain (${names.join(', ')}) needs nextAsync()`);
    }
    if (this.asynchronousReviews) throw new Error('a model-driven manager or judge needs nextAsync()');
    this.finishBar(lane, lane.closeTs);
    return true;
  }

  /**
   * The same step, for desks with asynchronous brains (a model called over the network): the clock does not move
   * until every brain has answered; then the manager decides exactly as in `next()`.
   */
  async nextAsync(): Promise<boolean> {
    const lane = this.beginBar();
    if (lane === undefined) return false;
    const closeTs = lane.closeTs;
    for (const { analyst, answer } of this.waiting.splice(0, this.waiting.length)) {
      try {
        await this.waitFor(analyst.id, answer);
      } catch (error) {
        this.isolation.isolate(analyst, lane.instrument.id, error, closeTs);
        continue;
      }
      this.takeSignals(analyst, lane, closeTs);
    }
    if (this.reviews.reviewers.manager !== undefined && this.fresh.length > 0) {
      await this.reviewFresh(closeTs);
      if (this.fresh.length > 0) this.decide(closeTs, this.freshInPlay());
    }
    const last = this.finishBarHead(lane, closeTs, true);
    // Awaited only when due: an await on every bar would let a paced run's wait win the race against the bar.
    if (this.searchDue !== undefined) await this.searchIfDue();
    this.finishBarTail(lane, closeTs, last);
    await this.settle(closeTs);
    return true;
  }

  /** The manager's reviewer sees the opening views first; what it keeps (or shrinks) is what the rules decide on. */
  private async reviewFresh(now: UnixMs): Promise<void> {
    const fresh = this.fresh.splice(0, this.fresh.length);
    const kept = await this.waitFor(this.manager.id, this.reviews.reviewProposals(
      now,
      fresh,
      (e) => this.books.quantity(this.deskBook ? DESK_OWNER : e.sleeve, e.signal.instrumentId),
      (id) => this.books.close(id),
    ));
    const keptKeys = new Set(kept.map((e) => viewKey(e.analystId, e.signal.instrumentId)));
    for (const entry of fresh) {
      const key = viewKey(entry.analystId, entry.signal.instrumentId);
      if (keptKeys.has(key)) continue;
      // Vetoed: the manager decided on it, and it is not retried.
      this.heard.actedOn(entry);
      if (this.latest.get(key) === entry) this.latest.delete(key);
    }
    for (const entry of kept) this.latest.set(viewKey(entry.analystId, entry.signal.instrumentId), entry);
    this.fresh.push(...kept);
  }

  /** What the bar's schedules left pending: nudged brains' answers (then decided on), and the judge's review. */
  private async settle(now: UnixMs): Promise<void> {
    if (this.pendingNudges.length > 0) {
      for (const { analyst, lane, answer } of this.pendingNudges.splice(0, this.pendingNudges.length)) {
        try {
          await this.waitFor(analyst.id, answer);
        } catch (error) {
          this.isolation.isolate(analyst, lane.instrument.id, error, now);
          continue;
        }
        this.takeSignals(analyst, lane, now);
      }
    }
    if (this.fresh.length > 0) {
      if (this.reviews.reviewers.manager !== undefined) await this.reviewFresh(now);
      if (this.fresh.length > 0) this.decide(now, this.freshInPlay());
    }
    const grades = this.pendingGrades;
    if (grades !== undefined) {
      this.pendingGrades = undefined;
      for (const change of await this.waitFor(this.reviews.reviewers.judge?.id ?? 'judge', this.reviews.reviewGrades(now, grades, this.analysts))) this.setMode(change.analyst, change.mode, change.reason);
    }
  }

  private setMode(analyst: AnalystRole, mode: AnalystRole['mode'], reason: string): void {
    const from = analyst.mode;
    analyst.mode = mode;
    this.core.recordAgentEvent({ type: 'AgentModeChanged', agentId: analyst.id, from, to: mode, reason });
  }

  /** Replays the bar up to the analysts; the answers of asynchronous brains are left in `waiting`. */
  private beginBar(): MarketLane | undefined {
    // The kill switch halts the desk (and cancels its orders) before the next bar can fill anything.
    this.core.checkKillSwitch();
    const lane = this.market.advance(this.onClose, this.onFunding);
    if (lane === undefined) return undefined;
    const closeTs = lane.closeTs;
    for (const analyst of lane.analysts) {
      const answer = this.runAnalyst(analyst, lane, closeTs);
      if (answer !== undefined) this.waiting.push({ analyst, answer });
    }
    return lane;
  }

  private finishBar(lane: MarketLane, closeTs: UnixMs): void {
    this.finishBarTail(lane, closeTs, this.finishBarHead(lane, closeTs, false));
  }

  /**
   * The bar up to the schedules; true when it is the last bar closing at its time (the schedules ran). With
   * `threadedSearch` the optimizer's search is left due for the caller to await.
   */
  private finishBarHead(lane: MarketLane, closeTs: UnixMs, threadedSearch: boolean): boolean {
    if (this.fresh.length > 0 && this.reviews.reviewers.manager === undefined) this.decide(closeTs, this.freshInPlay());
    if (this.executor.busy) this.executor.onTick(closeTs, (id) => this.market.priceOf(id));
    if (this.executor.watching) {
      const close = this.market.priceOf(lane.instrument.id);
      if (close !== undefined) this.executor.checkTargets(lane.instrument.id, close, lane.instrument, closeTs);
    }
    if (this.viewsToReconsider) {
      this.viewsToReconsider = false;
      // Netting modes: the views taken while halted were never netted, so every standing view is netted again.
      if (!this.deskBook) this.nudgeManager(closeTs);
      else if (this.latest.size > 0) this.decide(closeTs, [...this.latest.values()]);
    }
    // What looks at every instrument (the schedules, the breakers' watch) runs once per close time, after every bar
    // closing then.
    const last = !this.market.closesAgainAt(lane, closeTs);
    if (last) this.runSchedules(closeTs, threadedSearch);
    return last;
  }

  private finishBarTail(lane: MarketLane, closeTs: UnixMs, last: boolean): void {
    if (this.isolation.pending) this.isolation.flattenPending(closeTs);
    this.books.recordBar(lane.bar.ts, closeTs);
    this.processed += 1;
    this.market.finish(lane);
    if (this.processed % this.markEvery === 0) this.markAll();
    else if (last && this.breakerWatch?.due(closeTs, this.books.lastEquity) === true) this.markAll();
  }

  /** Runs to the end of the data. */
  runToEnd(onProgress?: (processed: number, total: number) => void): void {
    while (this.next()) if (onProgress !== undefined && (this.processed & 0xffff) === 0) onProgress(this.processed, this.totalBars);
    this.finish(onProgress);
  }

  /** Runs to the end of the data, awaiting asynchronous brains. */
  async runToEndAsync(onProgress?: (processed: number, total: number) => void): Promise<void> {
    while (await this.nextAsync()) if (onProgress !== undefined && (this.processed & 0xffff) === 0) onProgress(this.processed, this.totalBars);
    this.finish(onProgress);
  }

  private finish(onProgress?: (processed: number, total: number) => void): void {
    this.markAll();
    onProgress?.(this.processed, this.totalBars);
  }

  // --- the step -------------------------------------------------------------------------------------------

  /** Runs one analyst's brain on the bar; returns its pending answer when the brain is asynchronous. */
  private runAnalyst(analyst: AnalystRole, lane: MarketLane, now: UnixMs): PromiseLike<void> | undefined {
    if (analyst.health !== 'healthy') return undefined;
    const context = this.contextOf(analyst);
    if (context.emitted.length > 0) context.emitted.length = 0;
    let answer: unknown;
    try {
      answer = (analyst.brain.onBar as (bar: BarView, context: StrategyContext) => unknown)(lane.view, context);
    } catch (error) {
      this.isolation.isolate(analyst, lane.instrument.id, error, now);
      return undefined;
    }
    if (answer !== undefined && typeof (answer as PromiseLike<void>).then === 'function') return answer as PromiseLike<void>;
    this.takeSignals(analyst, lane, now);
    return undefined;
  }

  /** Journals what an analyst emitted on this bar and hands new views to the manager. */
  private takeSignals(analyst: AnalystRole, lane: MarketLane, now: UnixMs): void {
    const emitted = this.contextOf(analyst).emitted;
    if (emitted.length === 0 || lane.index < analyst.brain.warmup) return;
    for (const signal of [...emitted]) {
      const signalLane = this.market.lane(signal.instrumentId);
      if (signalLane === undefined || !analyst.instruments.includes(signal.instrumentId)) continue;
      // A view repeated bar after bar is one view once the manager acted on it (see HeardViews; nudges re-try).
      const heard = this.heard.classify(analyst.id, signal);
      if (heard !== 'new') {
        if (heard === 'again') this.presentAgain(analyst, viewKey(analyst.id, signal.instrumentId));
        continue;
      }
      this.heard.heardNew(analyst.id, signal);
      const signalId = `signal:${analyst.id}:${signal.instrumentId}:${now}`;
      this.core.recordAgentEvent({
        type: 'SignalEmitted',
        signalId,
        agentId: analyst.id,
        instrumentId: signal.instrumentId,
        direction: signal.direction,
        conviction: signal.conviction,
        reason: signal.reason,
        ...(signal.horizonBars === undefined ? {} : { horizonBars: signal.horizonBars }),
        ...(signal.recordId === undefined ? {} : { recordId: signal.recordId }),
      });
      if (signal.stopPrice !== undefined || signal.targetPrice !== undefined) {
        this.exits.set(signalId, { ...(signal.stopPrice === undefined ? {} : { stopPrice: signal.stopPrice }), ...(signal.targetPrice === undefined ? {} : { targetPrice: signal.targetPrice }) });
        if (this.exits.size > 10_000) this.exits.delete(this.exits.keys().next().value as string);
      }
      analyst.call(signal.instrumentId, signal.direction, signal.conviction, now, this.books.close(signal.instrumentId));
      const entry: AnalystSignal = { analystId: analyst.id, sleeve: analyst.sleeve, signal, ts: now };
      this.latest.set(viewKey(analyst.id, signal.instrumentId), entry);
      this.fresh.push(entry);
    }
  }

  /** The standing view the manager passed over, once more, when its analyst's mode lets the manager act on it now. */
  private presentAgain(analyst: AnalystRole, key: string): void {
    const standing = this.latest.get(key);
    if (standing === undefined || this.fresh.includes(standing) || !this.manager.actsOn(standing, analyst)) return;
    this.fresh.push(standing);
  }

  /**
   * One context per analyst, made once: what it asks about goes to its own book (the desk book when netting), and its
   * position is its sleeve's, or in the netting modes the one its own views imply.
   */
  private contextOf(analyst: AnalystRole): AnalystContext {
    let context = this.contexts.get(analyst.id);
    if (context === undefined) {
      const owner = this.deskBook ? DESK_OWNER : analyst.sleeve;
      const book = this.books.bookOf(owner);
      const position = this.deskBook ? (id: InstrumentId) => impliedPosition(analyst, id) : (id: InstrumentId) => book.get(id) ?? 0;
      context = analystContext(analyst, owner, position, this);
      this.contexts.set(analyst.id, context);
    }
    return context;
  }

  /** The signals the manager decides on now: the fresh ones, plus (netting modes) every standing view on their instruments. */
  private freshInPlay(): AnalystSignal[] {
    const fresh = this.fresh.splice(0, this.fresh.length);
    if (!this.deskBook) return fresh;
    const touched = new Set(fresh.map((e) => e.signal.instrumentId));
    return [...this.latest.values()].filter((e) => touched.has(e.signal.instrumentId));
  }

  /**
   * The manager decides on signals whose book is free (no order being worked, no denial that deciding again would only
   * repeat: see `DeniedViews`; the position cycle's opens, which name their step as `cause`, keep their own back-off).
   * A halted desk decides nothing. A sleeve in REDUCING only acts on flat views; the netting modes' desk book nets
   * every view as when ACTIVE, the result held to what reduces (see `planNetted`). A view other than flat is not
   * settled while its book is REDUCING.
   */
  protected override decide(now: UnixMs, signals: readonly AnalystSignal[], cause?: string): readonly OrderIntent[] {
    if (this.core.tradingState === 'HALTED') return [];
    const free = signals.filter((e) => {
      const owner = this.deskBook ? DESK_OWNER : e.sleeve;
      return !this.executor.isWorking(owner, e.signal.instrumentId) && !this.denied.holdsBack(owner, e.signal.instrumentId, now, cause !== undefined);
    });
    // A sleeve in REDUCING acts only on what reduces (see `settledWhileReducing`); the desk book nets every view first.
    const settled = free.flatMap((e) => {
      if (e.signal.direction === 'flat' || this.core.risk.stateFor(this.deskBook ? DESK_OWNER : e.sleeve) === 'ACTIVE') return [e];
      const reduced = this.deskBook ? undefined : settledWhileReducing(e, this.books.quantity(e.sleeve, e.signal.instrumentId));
      return reduced === undefined ? [] : [reduced];
    });
    const decided = this.deskBook ? free : settled;
    if (decided.length === 0) return [];
    const analysts = this.activeAnalysts();
    for (const entry of settled) {
      const analyst = analysts.get(entry.analystId);
      if (analyst !== undefined && this.manager.actsOn(entry, analyst)) this.heard.actedOn(entry);
    }
    this.market.refreshPrices();
    const standing = this.manager.mode === 'hierarchical' ? [...this.latest.values()] : [];
    const intents = this.manager.decide(now, decided, analysts, this.market.prices, standing, cause);
    for (const intent of intents) this.send(intent, now);
    return intents;
  }

  protected override send(intent: Parameters<ExecutorRole['execute']>[0], now: UnixMs, options?: ExecuteOptions): void {
    const instrument = this.instruments.get(intent.instrumentId);
    const price = this.market.priceOf(intent.instrumentId);
    if (instrument === undefined || price === undefined) return;
    const exits = intent.causationId === undefined || intent.reduceOnly === true ? undefined : this.exits.get(intent.causationId);
    this.executor.execute(intent, instrument, price, now, exits, options);
  }

  private runSchedules(now: UnixMs, threadedSearch: boolean): void {
    if (this.analystNudges.length > 0) this.nudgeAnalysts(now);
    const s = this.schedules;
    if (s.manager?.due(now) === true) this.nudgeManager(now);
    if (s.monitor?.due(now) === true) this.riskWatch?.run(now);
    if (s.cycle?.due(now) === true) this.cycleReview?.run(now);
    if (s.judge?.due(now) === true && this.judge !== undefined) {
      this.markAll();
      // A model-driven judge decides the modes after the bar (settle); the rules' switches are its suggestions.
      const reviewed = this.reviews.reviewers.judge !== undefined;
      this.judge.run(now, this.analysts, (analyst, mode, reason) => (reviewed ? undefined : this.setMode(analyst, mode, reason)));
      if (reviewed) this.pendingGrades = this.judge.lastGrades;
    }
    // A rebalancing schedule may be more frequent than the judge's reviews: it is kept on its own.
    this.judge?.rebalanceIfDue(now);
    if (s.optimizer?.due(now) === true) this.runOptimizer(now, threadedSearch);
  }

  /** Nudged analysts whose brain listens look again between bars; what they say is decided on at once. */
  private nudgeAnalysts(now: UnixMs): void {
    for (const { analyst, every } of this.analystNudges) {
      if (!every.due(now) || analyst.health !== 'healthy' || analyst.brain.onNudge === undefined) continue;
      const context = this.contextOf(analyst);
      context.emitted.length = 0;
      const lane = this.market.lane(analyst.instruments[0] as InstrumentId);
      if (lane === undefined) continue;
      let answer: unknown;
      try {
        answer = (analyst.brain.onNudge as (ts: number, context: StrategyContext) => unknown)(now, context);
      } catch (error) {
        this.isolation.isolate(analyst, lane.instrument.id, error, now);
        continue;
      }
      if (answer !== undefined && typeof (answer as PromiseLike<void>).then === 'function') this.pendingNudges.push({ analyst, lane, answer: answer as PromiseLike<void> });
      else this.takeSignals(analyst, lane, now);
    }
    if (this.pendingNudges.length > 0 || this.reviews.reviewers.manager !== undefined) return;
    if (this.fresh.length > 0) this.decide(now, this.freshInPlay());
  }

  /** Looks again at every standing view whose book disagrees with it in direction (see `staleViews`). */
  private nudgeManager(now: UnixMs): void {
    const stale = staleViews(
      this.latest.values(),
      this.deskBook,
      this.decidedTargets,
      (owner, id) => this.books.quantity(owner, id),
      (owner, id) => this.executor.holdsDust(owner, id),
    );
    if (stale.length > 0) this.decide(now, stale);
  }

  private markAll(): void {
    const marks = this.market.marks();
    if (marks.length > 0) this.core.markToMarket(marks);
  }
}
