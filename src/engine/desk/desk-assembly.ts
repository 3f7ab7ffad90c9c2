/**
 * What a desk is made of, wired from its setup: the simulated clock and venue, the trading core, the books, the
 * roles and the schedules they run on, with the operator's controls over them (halt, resume, approve, restart) and
 * the agents' status. `Desk` (desk.ts) replays the bars through these parts.
 */
import { TestClock } from '../../core/clock.js';
import { FixRequestError } from '../../core/errors.js';
import { Fixed } from '../../core/fixed.js';
import { IdGenerator, type AgentId, type Currency, type InstrumentId } from '../../core/ids.js';
import type { UnixMs } from '../../core/time.js';
import type { Instrument } from '../../domain/instrument.js';
import type { BarSeries } from '../../data/bar-series.js';
import { TradingCore } from '../trading-core.js';
import { SimulatedVenue } from '../../venues/sim/sim-venue.js';
import type { AnalystSignal } from '../../agents/decision-modes/index.js';
import { DEFAULT_MODE_POLICY, type ModePolicy } from '../../agents/judge/mode-policy.js';
import type { AnalystRole } from './analyst-role.js';
import { BreakerWatch } from './breaker-watch.js';
import { DeniedViews } from './denied-views.js';
import { HeardViews } from './heard-views.js';
import { DeskBooks } from './desk-books.js';
import { DeskMarket } from './desk-market.js';
import { allocateInitialCapital } from './initial-allocation.js';
import { ExecutorRole, type ExecuteOptions } from './executor-role.js';
import { JudgeRole } from './judge-role.js';
import { DESK_BOOK_MODES, DESK_OWNER, ManagerRole } from './manager-role.js';
import { OptimizerRole } from './optimizer-role.js';
import { PositionCycle } from './position-cycle.js';
import { RiskMonitorRole } from './risk-monitor-role.js';
import { RiskWatch } from './risk-watch.js';
import { CycleReview } from './cycle-review.js';
import type { OrderIntent } from '../../domain/intent.js';
import { Every } from './schedule.js';
import { DeskReviews } from './desk-reviews.js';
import { AnalystIsolation } from './analyst-isolation.js';
import type { AgentStatus, DeskSetup } from './desk-setup.js';

/** What an abandoned step waits on: a promise that never settles. */
const NEVER: Promise<never> = new Promise<never>(() => undefined);

export abstract class DeskAssembly {
  readonly clock: TestClock;
  readonly core: TradingCore;
  readonly venue: SimulatedVenue;
  readonly books: DeskBooks;
  readonly manager: ManagerRole;
  readonly executor: ExecutorRole;
  readonly analysts: ReadonlyMap<AgentId, AnalystRole>;
  readonly judge?: JudgeRole;
  readonly optimizer?: OptimizerRole;
  protected readonly monitor?: RiskMonitorRole;
  /** The risk watch's decisions carried out, on the monitor's schedule. */
  protected readonly riskWatch?: RiskWatch;
  /** The position cycle's reviews, on its schedule. */
  protected readonly cycleReview?: CycleReview;
  protected readonly market: DeskMarket;
  protected readonly instruments: Map<InstrumentId, Instrument>;
  protected readonly latest = new Map<string, AnalystSignal>();
  /** What each analyst last said, and whether the manager acted on it: which repeats are new signals. */
  protected readonly heard = new HeardViews();
  /** Netting modes: the desk book's target per instrument as the manager last decided it. */
  protected readonly decidedTargets = new Map<InstrumentId, Fixed>();
  protected readonly schedules: { judge?: Every; optimizer?: Every; monitor?: Every; manager?: Every; cycle?: Every } = {};
  /** Analysts whose brain takes nudges, each on its own schedule. */
  protected readonly analystNudges: { readonly analyst: AnalystRole; readonly every: Every }[] = [];
  private readonly modePolicy: ModePolicy;
  protected readonly isolation: AnalystIsolation;
  protected readonly deskBook: boolean;
  protected readonly markEvery: number;
  /** With breakers: marks the books between the daily marks when a breaker level may be crossed. */
  protected readonly breakerWatch?: BreakerWatch;
  readonly totalBars: number;
  protected readonly reviews: DeskReviews;
  /** Books whose decision the gate denied: not decided again while nothing the denial rested on has changed. */
  protected readonly denied: DeniedViews;

  constructor(readonly setup: DeskSetup) {
    this.instruments = new Map(setup.instruments.map((i) => [i.id, i]));
    const first = setup.series.reduce((t, s) => Math.min(t, s.length > 0 ? (s.ts[0] as number) : Infinity), Infinity);
    this.clock = new TestClock((Number.isFinite(first) ? first : 0) as UnixMs);
    this.venue = new SimulatedVenue(setup.instruments, setup.scales, this.clock, {
      fillModel: 'bar',
      ...setup.venue,
      ...(setup.leverage ? { leverage: setup.leverage } : {}),
      balances: setup.cash,
    });
    // In the sleeve modes every analyst's sleeve is an owner of its own, and the sleeves share the venue account.
    const deskBook = DESK_BOOK_MODES.has(setup.manager.mode);
    const ownersShareVenueAccount = !deskBook && new Set(setup.analysts.map((a) => a.sleeve)).size > 1;
    this.core = new TradingCore(
      {
        instruments: setup.instruments,
        limits: setup.limits,
        valuationCurrency: setup.valuationCurrency,
        scales: setup.scales,
        ...(setup.leverage ? { leverage: setup.leverage } : {}),
        ownersShareVenueAccount,
      },
      { clock: this.clock, venue: this.venue, ids: new IdGenerator('ev'), ...(setup.store ? { store: setup.store } : {}), ...(setup.killSwitch ? { killSwitch: setup.killSwitch } : {}) },
    );
    this.modePolicy = setup.modePolicy ?? DEFAULT_MODE_POLICY;
    this.reviews = new DeskReviews(this.core, setup.reviewers ?? {});
    this.analysts = new Map(setup.analysts.map((a) => [a.id, a]));
    this.deskBook = deskBook;
    this.manager = new ManagerRole(setup.managerId, this.core, setup.manager, this.instruments, (a) => this.modePolicy.modes[a.mode]);
    this.executor = new ExecutorRole(this.core, setup.execution);
    this.isolation = new AnalystIsolation(this.core, this.deskBook, {
      latest: this.latest,
      instruments: () => this.instruments.keys(),
      isWorking: (owner, id) => this.executor.isWorking(owner, id),
      flatten: (now, sleeve) => {
        this.market.refreshPrices();
        const intents = this.manager.flatten(now, { code: 'agent-error', reason: `the analyst of ${sleeve} failed` }, this.activeAnalysts(), this.market.prices, new Set([sleeve]));
        // A failed analyst's sleeve goes at once, not on the schedule of the configured algorithm.
        for (const intent of intents) this.send(intent, now, { atMarket: true });
      },
      renet: (now, dropped) => {
        this.market.refreshPrices();
        const standing = [...this.latest.values()].filter((entry) => entry.signal.instrumentId === dropped.view.signal.instrumentId);
        for (const intent of this.manager.renet(now, dropped, standing, this.activeAnalysts(), this.market.prices)) this.send(intent, now);
      },
    });
    this.market = new DeskMarket(setup.series, this.instruments, setup.analysts, setup.extras ?? [], this.clock, this.venue, this.core);
    this.totalBars = this.market.totalBars;
    this.books = new DeskBooks(this.core, setup.valuationCurrency, setup.scales.of(setup.valuationCurrency), this.instruments, this.totalBars);
    this.denied = new DeniedViews((owner, id) => this.circumstancesOf(owner, id));
    this.core.events.subscribe((event) => {
      this.books.onEvent(event);
      this.denied.onEvent(event);
      this.executor.onEvent(event);
      this.isolation.onEvent(event);
      // What the views net to: an emergency flattening (a cut, a cycle's close) is not a view.
      if (event.type === 'DecisionMade' && event.owner === DESK_OWNER && event.mode !== 'emergency') this.decidedTargets.set(event.instrumentId, event.target);
    });
    const start = this.clock.now();
    const firstTimeframe = this.market.lanes[0]?.series.timeframeMs ?? 0;
    if (setup.limits.dailyLoss !== undefined || setup.limits.maxDrawdown !== undefined) this.breakerWatch = new BreakerWatch(this.core, setup.limits);
    this.markEvery = Math.max(1, setup.markEveryBars ?? (firstTimeframe > 0 ? Math.ceil(86_400_000 / firstTimeframe) : 1));
    for (const [code, amount] of Object.entries(setup.cash)) this.core.deposit(DESK_OWNER, code as Currency, Fixed.parse(amount));
    if (setup.judge !== undefined) {
      const scale = setup.scales.of(setup.valuationCurrency);
      this.judge = new JudgeRole(this.core, { ...setup.judge, valuationCurrency: setup.valuationCurrency, scale });
      this.schedules.judge = new Every(setup.judge.periodMs, start);
    }
    // Sleeve modes trade the sleeves' own cash: the master account is split across them now, judge or not.
    if (!this.deskBook && setup.capital !== undefined) {
      allocateInitialCapital(this.core, setup.capital.sleeves, setup.capital.policy, DESK_OWNER, setup.valuationCurrency, setup.scales.of(setup.valuationCurrency));
    }
    // After the allocation: the judge's first sample is what each sleeve was given.
    this.judge?.startedAt(start);
    if (setup.optimizer !== undefined) {
      this.optimizer = new OptimizerRole(this.core, setup.optimizer);
      this.schedules.optimizer = new Every(setup.optimizer.periodMs, start);
    }
    if (setup.monitoring !== undefined) {
      this.monitor = new RiskMonitorRole(this.core, setup.monitoring.config, this.instruments);
      const parts = { core: this.core, executor: this.executor, manager: this.manager, market: this.market, instruments: this.instruments };
      this.riskWatch = new RiskWatch({ ...parts, monitor: this.monitor, activeAnalysts: () => this.activeAnalysts() });
      this.schedules.monitor = new Every(setup.monitoring.periodMs, start);
    }
    if (setup.nudges?.managerMs !== undefined) this.schedules.manager = new Every(setup.nudges.managerMs, start);
    for (const analyst of setup.analysts) {
      if (analyst.nudgeEveryMs !== undefined) this.analystNudges.push({ analyst, every: new Every(analyst.nudgeEveryMs, start) });
    }
    if (setup.positionCycle !== undefined) {
      this.cycleReview = new CycleReview({
        core: this.core,
        cycle: new PositionCycle(this.core, setup.positionCycle, this.instruments),
        executor: this.executor,
        manager: this.manager,
        market: this.market,
        latest: this.latest,
        deskTargets: this.deskBook ? this.decidedTargets : undefined,
        activeAnalysts: () => this.activeAnalysts(),
        decide: (now, views, cause) => this.decide(now, views, cause),
        deniedAt: (owner, id, now) => this.denied.deniedAt(owner, id, now),
        send: (intent, now) => this.send(intent, now),
      });
      this.schedules.cycle = new Every(setup.positionCycle.reviewEveryMs, start);
    }
  }

  /**
   * What a risk verdict on a book rests on, apart from prices: its views, its position and cash, the trading states,
   * every position on the desk, and its analysts' modes (see `DeniedViews`).
   */
  private circumstancesOf(owner: string, instrumentId: InstrumentId): string {
    const views = [...this.latest.values()]
      .filter((entry) => entry.signal.instrumentId === instrumentId && (this.deskBook || entry.sleeve === owner))
      .map((entry) => `${entry.analystId}:${entry.ts}:${entry.signal.direction}:${entry.signal.conviction}:${entry.analystConviction ?? ''}:${this.analysts.get(entry.analystId)?.mode ?? ''}`);
    const positions = this.core.ledger.allPositions().map(({ owner: holder, position }) => `${holder}:${position.instrumentId}:${position.quantity.toPlainString()}`);
    const cash = this.core.ledger.balance(owner, 'cash', this.setup.valuationCurrency).toPlainString();
    return [views.join(','), this.core.tradingState, this.core.risk.stateFor(owner), cash, positions.join(',')].join('|');
  }

  /** Hands an intent to the executor; declared here for the isolation's flatten hook, made in desk.ts with the exits it attaches. */
  protected abstract send(intent: Parameters<ExecutorRole['execute']>[0], now: UnixMs, options?: ExecuteOptions): void;

  /** The manager decides on views whose book is free; declared here for the position cycle's opens, made in desk.ts. */
  protected abstract decide(now: UnixMs, signals: readonly AnalystSignal[], cause?: string): readonly OrderIntent[];

  /**
   * True when a brain or a reviewer is model-driven, or the optimizer searches on another thread: run it with
   * `nextAsync` / `runToEndAsync` (`next` would search on this thread).
   */
  get asynchronous(): boolean {
    return this.asynchronousReviews || (this.setup.gateways?.length ?? 0) > 0 || this.setup.optimizer?.threadedSearch !== undefined;
  }

  protected get asynchronousReviews(): boolean {
    return this.reviews.reviewers.manager !== undefined || this.reviews.reviewers.judge !== undefined;
  }

  /** The agent whose asynchronous brain the desk is waiting on now (the clock does not move until it answers). */
  get awaiting(): string | undefined {
    return this.awaitingAgent;
  }

  /** What the desk waits for: a model's answer, or the optimizer's search on another thread. */
  get awaitingWhat(): 'model' | 'search' {
    return this.awaitingKind;
  }

  private awaitingAgent: string | undefined;
  private awaitingKind: 'model' | 'search' = 'model';

  /**
   * Gives up the step in progress (a run stopped while a bar waits): an answer that comes later — a model's, the
   * optimizer's search — is dropped, and the bar is never finished, so nothing more is recorded. The desk is not
   * stepped again.
   */
  abandon(): void {
    this.abandoned = true;
  }

  private abandoned = false;

  /** Awaits an asynchronous brain's answer, remembering whose it is so a run can say who holds the desk up. */
  protected async waitFor<T>(agent: string, answer: PromiseLike<T>, what: 'model' | 'search' = 'model'): Promise<T> {
    this.awaitingAgent = agent;
    this.awaitingKind = what;
    let value: T;
    try {
      value = await answer;
    } catch (error) {
      if (this.abandoned) return NEVER as Promise<T>;
      throw error;
    } finally {
      this.awaitingAgent = undefined;
    }
    // Never settling, the step's continuation (deciding, recording) never runs.
    return this.abandoned ? (NEVER as Promise<T>) : value;
  }

  halt(reason: string): void {
    this.core.halt(reason);
  }

  resume(reason: string): void {
    const halted = this.core.tradingState === 'HALTED';
    this.core.resume(reason);
    // A halted desk decides nothing, and a view repeated after the halt is not a new signal: without this, a view
    // taken during the halt would never be acted on. The next bar looks again at every standing view.
    if (halted && this.core.tradingState !== 'HALTED') this.viewsToReconsider = true;
  }

  /** Set on resuming from a halt: the next bar decides on the standing views whose book disagrees with them. */
  protected viewsToReconsider = false;

  /** Applies a pending parameter proposal (manual approval). */
  approveProposal(proposalId: string, approvedBy: string): void {
    if (this.optimizer === undefined) throw new Error('this desk has no optimizer');
    this.optimizer.approve(proposalId, approvedBy, this.analysts, this.recentBars);
  }

  /**
   * Brings an isolated analyst back: healthy again, its sleeve ACTIVE. An operator asks for it by id, so an id that
   * is no analyst, or an analyst that is not isolated, is refused with what there is instead.
   */
  restartAgent(id: AgentId, reason: string): void {
    const analyst = this.analysts.get(id);
    if (analyst === undefined) {
      throw new FixRequestError('unknown_agent', `no analyst ${id} on this desk; its analysts are ${[...this.analysts.keys()].join(', ')}`);
    }
    if (analyst.health !== 'failing') {
      throw new FixRequestError('agent_not_isolated', `${id} is not isolated (it is ${analyst.health}): only an analyst isolated after it threw is restarted`);
    }
    this.isolation.restart(analyst, reason);
    // Its isolation dropped its standing views: its next view, whatever it is, is a new signal.
    this.heard.forget(analyst.id);
  }

  /**
   * Every role the desk runs, with its health: an analyst isolated after it threw is failing, and so is any agent
   * whose model has failed every call (or the last few): its brain abstains each time, which would otherwise pass
   * for a quiet market.
   */
  status(): AgentStatus[] {
    const models = new Map<string, string>();
    for (const gateway of this.setup.gateways ?? []) {
      const failing = gateway.failing;
      if (failing !== undefined && gateway.agentId !== undefined) models.set(gateway.agentId, failing);
    }
    const row = (id: AgentId, role: string, health: AgentStatus['health'], extra: Partial<AgentStatus> = {}): AgentStatus => {
      const problem = models.get(id);
      return { id, role, health: health === 'healthy' && problem !== undefined ? 'failing' : health, ...extra, ...(problem === undefined ? {} : { problem }) };
    };
    const rows: AgentStatus[] = [...this.analysts.values()].map((a) => row(a.id, 'analyst', a.health, { mode: a.mode, sleeve: a.sleeve, errors: a.errors }));
    rows.push(row(this.manager.id, 'manager', 'healthy', { mode: this.manager.mode }));
    if (this.setup.judge !== undefined) rows.push(row(this.setup.judge.id, 'judge', 'healthy'));
    if (this.setup.optimizer !== undefined) rows.push(row(this.setup.optimizer.id, 'optimizer', 'healthy'));
    return rows;
  }

  /**
   * The optimizer's turn (not while HALTED): its search on this thread, or, for a desk stepped with `nextAsync`
   * whose optimizer searches on another thread (`threaded`), left due for `searchIfDue`.
   */
  protected runOptimizer(now: UnixMs, threaded: boolean): void {
    if (this.optimizer === undefined || this.core.tradingState === 'HALTED') return;
    if (threaded && this.setup.optimizer?.threadedSearch !== undefined) this.searchDue = now;
    else this.optimizer.run(now, this.activeAnalysts(), this.recentBars, [...this.instruments.values()]);
  }

  /** Awaits the search `runOptimizer` left due, where the search on this thread would have run (same journal). */
  protected async searchIfDue(): Promise<void> {
    const now = this.searchDue;
    const search = this.setup.optimizer?.threadedSearch;
    if (now === undefined || search === undefined || this.optimizer === undefined) return;
    this.searchDue = undefined;
    const id = this.setup.optimizer?.id ?? 'optimizer';
    // Each search is awaited on its own, so a run that stops during one records nothing that comes after it.
    await this.optimizer.runThreaded(now, this.activeAnalysts(), this.recentBars, [...this.instruments.values()], (request) => this.waitFor(id, search(request), 'search'));
  }

  /** When the optimizer's search on another thread is due this bar. */
  protected searchDue: UnixMs | undefined;
  private readonly recentBars = (id: InstrumentId, bars: number): BarSeries | undefined => this.market.recentBars(id, bars);

  protected activeAnalysts(): Map<AgentId, AnalystRole> {
    const active = new Map<AgentId, AnalystRole>();
    for (const [id, analyst] of this.analysts) if (analyst.health === 'healthy') active.set(id, analyst);
    return active;
  }
}
