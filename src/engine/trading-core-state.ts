/**
 * What the trading core is made of — the journal, its projections (OMS, ledger with positions, risk state,
 * contingent orders), the bus topics, the ports — wired from its config, and the read-only views over them.
 * `TradingCore` (trading-core.ts) adds the commands, the risk gate and the record pipeline (record-pipeline.ts) on top.
 */
import type { Clock } from '../core/clock.js';
import { FixRequestError } from '../core/errors.js';
import { Fixed } from '../core/fixed.js';
import { IdGenerator, type InstrumentId } from '../core/ids.js';
import type { UnixMs } from '../core/time.js';
import type { DeskEvent, TradingState } from '../domain/events.js';
import { CurrencyScales, type Instrument } from '../domain/instrument.js';
import { OrderManager } from '../execution/oms.js';
import type { VenuePort } from '../execution/venue-port.js';
import { InMemoryEventStore, type EventStore } from '../kernel/event-store.js';
import { MessageBus, type Topic } from '../kernel/message-bus.js';
import { Ledger } from '../ledger/ledger.js';
import type { KillSwitchProbe } from '../risk/kill-switch.js';
import type { PortfolioView } from '../risk/risk-gate.js';
import { RiskState } from '../risk/risk-state.js';
import { ContingentOrders } from './contingent-orders.js';
import { LazyPortfolioView } from './portfolio-view.js';
import type { Anomaly, TradingCoreConfig, TradingCorePorts } from './trading-core-types.js';

interface MarketState {
  price: Fixed;
  ts: UnixMs;
}

export abstract class TradingCoreState {
  readonly oms = new OrderManager();
  readonly ledger: Ledger;
  readonly risk: RiskState;
  readonly store: EventStore<DeskEvent>;
  readonly bus: MessageBus;
  readonly events: Topic<DeskEvent>;
  readonly anomalies: Topic<Anomaly>;
  protected readonly contingent = new ContingentOrders();
  protected readonly instruments: ReadonlyMap<InstrumentId, Instrument>;
  protected readonly scales: CurrencyScales;
  protected readonly ids: IdGenerator;
  protected readonly market = new Map<InstrumentId, MarketState>();
  protected readonly clock: Clock;
  protected readonly venue: VenuePort | undefined;
  protected readonly killSwitch: KillSwitchProbe | undefined;
  /** Equity is measured only when a breaker needs it. */
  protected readonly breakersOn: boolean;
  /**
   * How many reports the books could not apply, and the first one's problem. A run reports them when it ends: from
   * such a report on, the books and the venue may disagree, which a summary must not leave unsaid.
   */
  private anomalyCount = 0;
  private firstAnomaly: string | undefined;

  constructor(
    readonly config: TradingCoreConfig,
    ports: TradingCorePorts,
  ) {
    this.instruments = new Map(config.instruments.map((instrument) => [instrument.id, instrument]));
    this.scales = config.scales ?? new CurrencyScales();
    this.ledger = new Ledger({ instruments: this.instruments, scales: this.scales, ...(config.leverage ? { leverage: config.leverage } : {}) });
    this.risk = new RiskState(config.limits, config.valuationCurrency);
    this.breakersOn = config.limits.dailyLoss !== undefined || config.limits.maxDrawdown !== undefined;
    this.clock = ports.clock;
    this.ids = ports.ids ?? new IdGenerator('ev');
    this.store = ports.store ?? new InMemoryEventStore<DeskEvent>();
    this.bus = ports.bus ?? new MessageBus();
    this.events = this.bus.topic<DeskEvent>('desk.events');
    this.anomalies = this.bus.topic<Anomaly>('desk.anomalies');
    this.venue = ports.venue;
    this.killSwitch = ports.killSwitch;
    this.anomalies.subscribe((anomaly) => {
      this.anomalyCount += 1;
      this.firstAnomaly ??= anomaly.problem;
    });
  }

  /** What could not be applied so far: how many reports and commands, and the first one's problem. */
  anomalySummary(): { readonly count: number; readonly first: string | undefined } {
    return { count: this.anomalyCount, first: this.firstAnomaly };
  }

  get tradingState(): TradingState {
    return this.risk.tradingState;
  }

  instrument(id: InstrumentId): Instrument | undefined {
    return this.instruments.get(id);
  }

  /**
   * Equity of the whole desk (every owner) in the valuation currency, at the journaled marks; with `prices`, at those
   * where given (see `priceNow`).
   */
  deskEquity(prices?: (instrumentId: InstrumentId) => Fixed | undefined): Fixed {
    let total = Fixed.zero(this.scales.of(this.config.valuationCurrency));
    for (const owner of this.ledger.journal.owners()) total = total.add(this.ledger.equity(owner, this.config.valuationCurrency, prices));
    return total;
  }

  /**
   * An instrument's latest price: the last the market gave (a bar's close), else its journaled mark. Valuing at it
   * gives what the books are worth now, between the marks the journal keeps (daily and at fills).
   */
  readonly priceNow = (id: InstrumentId): Fixed | undefined => this.market.get(id)?.price ?? this.ledger.mark(id);

  /** Made once: every portfolio view looks instruments and prices up through them. */
  private readonly instrumentOf = (id: InstrumentId): Instrument | undefined => this.instruments.get(id);

  portfolioView(owner: string, instrument: Instrument): PortfolioView {
    return new LazyPortfolioView(this.ledger, this.oms, owner, instrument, this.instrumentOf, this.priceNow, this.scales.of(instrument.settle));
  }

  /** Everything the journal determines, in canonical form: equal snapshots mean equal state. */
  snapshot(): string {
    return JSON.stringify({
      oms: this.oms.snapshot(),
      ledger: this.ledger.snapshot(),
      risk: this.risk.snapshot(),
      contingent: this.contingent.snapshot(),
      journal: this.store.length,
    });
  }

  protected requireInstrument(id: InstrumentId): Instrument {
    const instrument = this.instruments.get(id);
    if (instrument === undefined) throw new FixRequestError('unknown_instrument', `${id} is not an instrument this desk knows`);
    return instrument;
  }
}
