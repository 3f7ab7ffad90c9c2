import { FixRequestError } from '../core/errors.js';
import { Fixed } from '../core/fixed.js';
import { clientOrderIdFor, type AgentId, type EventId, type ClientOrderId, type Currency, type InstrumentId } from '../core/ids.js';
import { err, ok, type Result } from '../core/result.js';
import type { UnixMs } from '../core/time.js';
import type { DeskCommand, ModifyOrder } from '../domain/commands.js';
import type { DenialCode, DeskEvent, StateChangeTrigger, TradingState, VenueReport } from '../domain/events.js';
import type { OrderIntent } from '../domain/intent.js';
import { isOpen } from '../domain/order-lifecycle.js';
import { instrumentFitProblems, orderSpecProblems, type OrderSpec } from '../domain/order.js';
import type { OrderRecord } from '../execution/oms.js';
import type { BreakerTrip } from '../risk/breakers.js';
import { checkIntent, type PortfolioView } from '../risk/risk-gate.js';
import { algorithmExitPlans } from './algorithm-exits.js';
import { releasedChildIntent } from './bracket-release.js';
import type { ChildPlan } from './contingent-orders.js';
import { FundingSettlement } from './funding-settlement.js';
import { fundingOwed } from './funding-split.js';
import { RecordPipeline } from './record-pipeline.js';
import { TradingCoreState } from './trading-core-state.js';
import { TradingStateControl } from './trading-state-control.js';
import { VenueRequests } from './venue-requests.js';
import type { NewAgentEvent, NewEvent, SubmitOutcome, TradingCoreConfig, TradingCorePorts } from './trading-core-types.js';

export type { Anomaly, NewAgentEvent, SubmitOutcome, TradingCoreConfig, TradingCorePorts } from './trading-core-types.js';

/**
 * The trading core: one journal of events and the projections derived from it (OMS, ledger with positions,
 * risk state, contingent orders), the risk gate every intent passes, and the venue the approved orders go to.
 * Backtest, paper and live differ only in the ports plugged in. Every change is recorded as an event first, after
 * every projection has agreed it can apply it, so a bad input changes nothing and a replay rebuilds the same state.
 * The parts and their read-only views are wired in trading-core-state.ts; this class is everything that changes them,
 * through modules of one job each: the record pipeline (record-pipeline.ts), the trading-state commands
 * (trading-state-control.ts), the requests to the venue (venue-requests.ts) and funding settlement
 * (funding-settlement.ts). The commands, the gate and what follows an event are here.
 */
export class TradingCore extends TradingCoreState {
  private readonly pipeline = new RecordPipeline(
    {
      store: this.store,
      oms: this.oms,
      ledger: this.ledger,
      risk: this.risk,
      contingent: this.contingent,
      events: this.events,
      ids: this.ids,
      clock: this.clock,
      breakersOn: this.breakersOn,
      deskEquity: () => this.deskEquity(),
    },
    (event, trip) => this.react(event, trip),
  );
  private readonly states = new TradingStateControl({
    risk: this.risk,
    oms: this.oms,
    killSwitch: this.killSwitch,
    record: (event) => this.pipeline.record(event),
    cancelOrder: (clientOrderId, causationId) => this.cancelOrder(clientOrderId, causationId),
  });
  private readonly requests = new VenueRequests({
    venue: this.venue,
    ownersShareVenueAccount: this.config.ownersShareVenueAccount === true,
    clock: this.clock,
    anomalies: this.anomalies,
    applyVenueReport: (report) => this.applyVenueReport(report),
  });
  private readonly funding = new FundingSettlement({
    instruments: this.instruments,
    ledger: this.ledger,
    scales: this.scales,
    record: (event, tsEvent) => this.pipeline.record(event, tsEvent),
  });

  constructor(config: TradingCoreConfig, ports: TradingCorePorts) {
    super(config, ports);
    this.venue?.onReport((report) => {
      this.applyVenueReport(report);
    });
  }

  /** Rebuilds a core from a journal: the same events, applied in order, without contacting any venue. */
  static replay(config: TradingCoreConfig, events: Iterable<DeskEvent>, ports: TradingCorePorts): TradingCore {
    const core = new TradingCore(config, { ...ports, venue: undefined });
    core.pipeline.replay(events);
    return core;
  }

  // --- commands --------------------------------------------------------------------------------------------

  /** Carries out a command given as data (from the bus, an operator, the API). */
  execute(command: DeskCommand): SubmitOutcome | DeskEvent | void {
    switch (command.type) {
      case 'SubmitIntent':
        return this.submitIntent(command.intent);
      case 'CancelOrder':
        return this.cancelOrder(command.clientOrderId, command.id);
      case 'ModifyOrder':
        return this.modifyOrder(command);
      case 'Halt':
        return this.halt(command.reason);
      case 'Resume':
        return this.resume(command.reason);
      case 'Deposit':
        return this.deposit(command.owner, command.currency, command.amount, command.id);
      case 'Withdraw':
        return this.withdraw(command.owner, command.currency, command.amount, command.id);
    }
  }

  /**
   * Asks the venue to change an open order; the venue's answer (updated or refused) comes back as a report. A change
   * the books could not take (off the lot or tick, not above what has filled, more than the owner's cash can hold)
   * is refused here, before anything is journaled or sent. One they can take is journaled with what it changes
   * (`OrderPendingUpdate`): the books hold what it needs from then on, so whatever is sent meanwhile cannot take
   * the cash the venue may give the change, and the venue's confirmation always fits.
   */
  modifyOrder(request: Omit<ModifyOrder, 'type' | 'id' | 'tsEvent' | 'tsInit'>): void {
    const id = request.clientOrderId;
    const order = this.oms.get(id);
    if (order === undefined) throw new FixRequestError('unknown_order', `there is no order ${id}`);
    if (!isOpen(order.status)) throw new FixRequestError('order_not_open', `order ${id} is ${order.status}`);
    const change = {
      clientOrderId: id,
      ...(request.quantity === undefined ? {} : { quantity: request.quantity }),
      ...(request.price === undefined ? {} : { price: request.price }),
      ...(request.triggerPrice === undefined ? {} : { triggerPrice: request.triggerPrice }),
    };
    const spec = { ...order.spec, ...change };
    const instrument = this.requireInstrument(spec.instrumentId);
    const problems = [...orderSpecProblems(spec), ...instrumentFitProblems(instrument, spec)];
    const now = this.clock.now();
    const books = problems.length > 0 ? undefined : this.pipeline.validate({ type: 'OrderPendingUpdate', id: 'modify-check' as EventId, tsEvent: now, tsInit: now, ...change });
    if (books !== undefined) problems.push(books);
    if (problems.length > 0) throw new FixRequestError('invalid_modify', `cannot modify ${id}: ${problems.join('; ')}`);
    this.pipeline.record({ type: 'OrderPendingUpdate', ...change });
    this.requests.modify(change);
  }

  deposit(owner: string, currency: Currency, amount: Fixed, causationId?: string): DeskEvent {
    return this.pipeline.record({ type: 'FundsDeposited', owner, currency, amount, ...(causationId ? { causationId } : {}) });
  }

  withdraw(owner: string, currency: Currency, amount: Fixed, causationId?: string): DeskEvent {
    return this.pipeline.record({ type: 'FundsWithdrawn', owner, currency, amount, ...(causationId ? { causationId } : {}) });
  }

  /** Journals an exception a strategy threw (its guard caught it; the run goes on). */
  recordStrategyError(agentId: AgentId, instrumentId: InstrumentId, message: string, tsEvent?: UnixMs): DeskEvent {
    return this.pipeline.record({ type: 'StrategyErrored', agentId, instrumentId, message: message.slice(0, 500) }, tsEvent);
  }

  /** Journals a fact about the desk's agents (signals, decisions, grades, proposals); the books ignore it. */
  recordAgentEvent(event: NewAgentEvent, tsEvent?: UnixMs): DeskEvent {
    return this.pipeline.record(event, tsEvent);
  }

  /** Sets one sleeve's own trading state (the desk's state still applies: the stricter one wins). */
  setSleeveState(sleeve: string, to: TradingState, reason: string, causationId?: string): DeskEvent | undefined {
    return this.states.setSleeveState(sleeve, to, reason, causationId);
  }

  /** Moves available cash from one owner (sleeve) to another; refused beyond the source's available cash. */
  transfer(from: string, to: string, currency: Currency, amount: Fixed, causationId?: string): DeskEvent {
    return this.pipeline.record({ type: 'FundsTransferred', from, to, currency, amount, ...(causationId ? { causationId } : {}) });
  }

  sweepProfit(owner: string, currency: Currency, amount: Fixed, reason: string, causationId?: string): DeskEvent {
    return this.pipeline.record({ type: 'ProfitSwept', owner, currency, amount, reason, ...(causationId ? { causationId } : {}) });
  }

  /** The latest price of an instrument, for the gate (reference price and staleness). Not journaled. */
  updateMarket(instrumentId: InstrumentId, price: Fixed, ts: UnixMs): void {
    const state = this.market.get(instrumentId);
    if (state === undefined) this.market.set(instrumentId, { price, ts });
    else {
      state.price = price;
      state.ts = ts;
    }
  }

  /** Marks positions (journaled): equity, drawdown and daily loss are measured here. */
  markToMarket(marks: readonly { instrumentId: InstrumentId; price: Fixed }[]): DeskEvent {
    return this.pipeline.record({ type: 'MarksUpdated', marks });
  }

  /** Funding on `owner`'s position at `mark`: notional x rate, longs pay when the rate is positive. */
  applyFunding(owner: string, instrumentId: InstrumentId, rate: Fixed, markPrice: Fixed, tsEvent?: UnixMs): DeskEvent | undefined {
    const instrument = this.requireInstrument(instrumentId);
    const position = this.ledger.position(owner, instrumentId);
    if (position === undefined || position.quantity.isZero()) return undefined;
    const amount = fundingOwed(instrument, position.quantity, markPrice, rate, this.scales.of(instrument.settle));
    return this.pipeline.record({ type: 'FundingApplied', owner, instrumentId, rate, markPrice, amount }, tsEvent);
  }

  /**
   * Journals the denial of an intent decided before it reached the gate (its executor found nothing it could send),
   * so no decision ends without a verdict; it sends nothing.
   */
  denyIntent(intent: OrderIntent, code: DenialCode, detail: string): void {
    const causationId = intent.causationId;
    this.pipeline.record({ type: 'IntentDenied', intentId: intent.id, agentId: intent.agentId, instrumentId: intent.instrumentId, code, detail, ...(causationId ? { causationId } : {}) });
  }

  /**
   * Runs an intent through the risk gate and, when approved, submits the order. The client order id is derived
   * from the intent id: submitting the same intent again returns `duplicate` and sends nothing.
   */
  submitIntent(intent: OrderIntent): SubmitOutcome {
    this.checkKillSwitch();
    const clientOrderId = clientOrderIdFor(intent.id);
    if (this.oms.has(clientOrderId)) return { status: 'duplicate', clientOrderId };
    return this.gateAndSubmit(intent, clientOrderId, undefined);
  }

  /** Protective exits for a position an execution algorithm built from several orders (see `algorithmExitPlans`). */
  submitExits(parent: OrderIntent, quantity: Fixed, exits: { readonly stopLoss?: Fixed; readonly takeProfit?: Fixed }): SubmitOutcome[] {
    this.checkKillSwitch();
    return algorithmExitPlans(parent, quantity, exits).map((plan) =>
      this.oms.has(plan.clientOrderId) ? { status: 'duplicate', clientOrderId: plan.clientOrderId } : this.gateAndSubmit(plan.intent, plan.clientOrderId, plan.linkage),
    );
  }

  /** Asks the venue to cancel; `causationId` is the command or event that caused it (a halt, an OCO fill). */
  cancelOrder(clientOrderId: ClientOrderId, causationId?: string): void {
    const order = this.oms.get(clientOrderId);
    if (order === undefined) throw new FixRequestError('unknown_order', `there is no order ${clientOrderId}`);
    if (order.status === 'pending-cancel') return;
    this.pipeline.record({ type: 'OrderPendingCancel', clientOrderId, ...(causationId === undefined ? {} : { causationId }) });
    this.requests.cancel(clientOrderId);
  }

  /** Halts trading (see `TradingStateControl.halt`: the protective exits stay unless the kill switch halts). */
  halt(reason: string, trigger: StateChangeTrigger = 'command'): void {
    this.states.halt(reason, trigger);
  }

  /** Moves the desk to REDUCING (only reductions pass the gate); never loosens a HALTED desk. */
  reduce(reason: string, trigger: StateChangeTrigger = 'command'): void {
    this.states.reduce(reason, trigger);
  }

  /** Moves a REDUCING desk back to ACTIVE when `trigger` put it there: what a person or a breaker set stays. */
  relieve(reason: string, trigger: StateChangeTrigger): void {
    this.states.relieve(reason, trigger);
  }

  resume(reason: string): void {
    this.states.resume(reason);
  }

  /** Polls the kill switch; when it is engaged the desk halts and cancels every open order, protective exits too. */
  checkKillSwitch(): void {
    this.states.checkKillSwitch();
  }

  /**
   * Applies what a venue reports. A report that does not fit (unknown order, illegal transition, overfill)
   * changes nothing: it is returned as an error and published as an anomaly. A cancel or modify refused because
   * the order had already ended is no news and is let go. Funding the venue settled on its
   * netted position is split across the owners by their positions (see `fundingShares`).
   */
  applyVenueReport(report: VenueReport): Result<readonly DeskEvent[], FixRequestError> {
    if (report.type === 'FundingSettled') {
      const split = this.funding.settled(report);
      return split.ok ? split : this.refuse(split.error);
    }
    if (report.type === 'OrderCancelRejected' || report.type === 'OrderModifyRejected') {
      // A request that crossed the order's end (filled, rejected, canceled) on its way: the venue only confirms what
      // the books already know, so there is nothing to record and nothing wrong.
      const order = this.oms.get(report.clientOrderId);
      if (order !== undefined && order.status !== 'initialized' && !isOpen(order.status)) return ok([]);
    }
    const event = this.pipeline.stamp(report as NewEvent, report.tsEvent);
    const problem = this.pipeline.validate(event);
    if (problem !== undefined) return this.refuse(problem);
    this.pipeline.commit(event);
    return ok([event]);
  }

  /** Funding at a funding time on owners' positions that net to zero in the venue account (see `FundingSettlement.nettedAway`). */
  settleFundingNettedAway(instrumentId: InstrumentId, rate: Fixed, markPrice: Fixed, tsEvent: UnixMs): readonly DeskEvent[] {
    return this.funding.nettedAway(instrumentId, rate, markPrice, tsEvent);
  }

  private refuse(problem: string): Result<never, FixRequestError> {
    this.anomalies.publish({ ts: this.clock.now(), source: 'venue', problem });
    return err(new FixRequestError('invalid_venue_report', problem));
  }

  // --- the gate and the reactions -------------------------------------------------------------------------

  private gateAndSubmit(intent: OrderIntent, clientOrderId: ClientOrderId, linkage: ChildPlan['linkage'] | undefined): SubmitOutcome {
    const instrument = this.instruments.get(intent.instrumentId);
    const market = this.market.get(intent.instrumentId);
    const verdict = checkIntent({
      intent,
      instrument,
      clientOrderId,
      tradingState: this.risk.stateFor(intent.owner),
      limits: this.config.limits,
      now: this.clock.now(),
      market: { referencePrice: market?.price, lastUpdate: market?.ts },
      portfolio: instrument === undefined ? EMPTY_VIEW : this.portfolioView(intent.owner, instrument),
      protectiveExit: intent.reduceOnly === true && (linkage?.role === 'stop-loss' || linkage?.role === 'take-profit') && this.risk.stateTrigger !== 'kill-switch',
      recentOrderTimes: this.risk.recentOrderTimes(),
      scales: this.scales,
    });
    const causationId = intent.causationId;
    if (!verdict.approved) {
      this.pipeline.record({
        type: 'IntentDenied',
        intentId: intent.id,
        agentId: intent.agentId,
        instrumentId: intent.instrumentId,
        code: verdict.code,
        detail: verdict.detail,
        ...(causationId ? { causationId } : {}),
      });
      return { status: 'denied', code: verdict.code, detail: verdict.detail };
    }
    const order: OrderSpec = linkage === undefined ? withEntryLinkage(verdict.order, intent) : { ...verdict.order, linkage };
    const approved = this.pipeline.stamp({
      type: 'IntentApproved',
      intent,
      clientOrderId,
      approvedQuantity: order.quantity,
      clamps: verdict.clamps,
      ...(causationId ? { causationId } : {}),
    });
    const submitted = this.pipeline.stamp({ type: 'OrderSubmitted', order, reservePrice: verdict.reservePrice, causationId: approved.id });
    const problem = this.pipeline.validate(submitted);
    if (problem !== undefined) {
      const detail = `The books refuse the order: ${problem}.`;
      this.pipeline.record({ type: 'IntentDenied', intentId: intent.id, agentId: intent.agentId, instrumentId: intent.instrumentId, code: 'insufficient_funds', detail });
      return { status: 'denied', code: 'insufficient_funds', detail };
    }
    this.pipeline.commit(approved);
    this.pipeline.commit(submitted);
    this.requests.submit(order);
    return { status: 'submitted', clientOrderId, clamps: verdict.clamps };
  }

  /** Submits a done entry's protective children (if it has any) for the quantity it filled. */
  private releaseChildren(entry: Readonly<OrderRecord>): void {
    for (const child of this.contingent.releasable(entry.spec.clientOrderId)) {
      this.gateAndSubmit(releasedChildIntent(child, entry, this.instruments.get(child.intent.instrumentId)), child.clientOrderId, child.linkage);
    }
  }

  /** What follows a live event: the breaker trip it caused, the exits a done entry is owed, the OCO siblings to cancel. */
  private react(event: DeskEvent, trip: BreakerTrip | undefined): void {
    if (trip !== undefined) {
      if (trip.to === 'HALTED') this.halt(trip.reason, trip.trigger);
      else this.pipeline.record({ type: 'TradingStateChanged', from: this.tradingState, to: trip.to, trigger: trip.trigger, reason: trip.reason });
    }
    if (event.type === 'OrderCanceled' || event.type === 'OrderExpired' || event.type === 'OrderRejected') {
      // An entry that filled in part before it ended (canceled, expired, its rest cut for funds or refused) opened
      // a position all the same: it gets its protective exits for what filled.
      const order = this.oms.get(event.clientOrderId);
      if (order !== undefined && order.filledQuantity.isPositive()) this.releaseChildren(order);
      return;
    }
    if (event.type !== 'OrderFilled') return;
    const id = event.fill.clientOrderId;
    const order = this.oms.get(id);
    if (order?.status === 'filled') this.releaseChildren(order);
    for (const sibling of this.contingent.toCancel(id)) {
      const other = this.oms.get(sibling);
      if (other !== undefined && other.status !== 'pending-cancel' && isOpen(other.status)) {
        this.cancelOrder(sibling, event.id);
      }
    }
  }
}

const EMPTY_VIEW: PortfolioView = {
  positionQuantity: Fixed.zero(),
  grossExposure: Fixed.zero(),
  deskGrossExposure: Fixed.zero(),
  equity: Fixed.zero(),
  availableCash: Fixed.zero(),
  availableAsset: Fixed.zero(),
  openOrders: 0,
  openBuyQuantity: Fixed.zero(),
  openSellQuantity: Fixed.zero(),
  openOrderExposure: Fixed.zero(),
  deskOpenOrderExposure: Fixed.zero(),
  leverage: Fixed.fromInt(1),
};

function withEntryLinkage(order: OrderSpec, intent: OrderIntent): OrderSpec {
  if (intent.stopLoss === undefined && intent.takeProfit === undefined) return order;
  return { ...order, linkage: { listId: intent.id, role: 'entry', ocoWith: [] } };
}
