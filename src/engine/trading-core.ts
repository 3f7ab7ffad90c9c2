import { FixRequestError, InvariantViolation } from '../core/errors.js';
import { Fixed } from '../core/fixed.js';
import { clientOrderIdFor, type AgentId, type EventId, type ClientOrderId, type Currency, type InstrumentId } from '../core/ids.js';
import { err, ok, type Result } from '../core/result.js';
import type { UnixMs } from '../core/time.js';
import type { DeskCommand, ModifyOrder } from '../domain/commands.js';
import type { DenialCode, DeskEvent, EventBase, StateChangeTrigger, TradingState, VenueReport } from '../domain/events.js';
import type { Instrument } from '../domain/instrument.js';
import type { OrderIntent } from '../domain/intent.js';
import { isOpen } from '../domain/order-lifecycle.js';
import { instrumentFitProblems, isProtectiveExit, orderSpecProblems, type OrderSpec } from '../domain/order.js';
import type { OrderRecord } from '../execution/oms.js';
import type { BreakerTrip } from '../risk/breakers.js';
import { checkIntent, type PortfolioView } from '../risk/risk-gate.js';
import { algorithmExitPlans } from './algorithm-exits.js';
import { releasedChildIntent } from './bracket-release.js';
import { fundingOwed, fundingShares } from './funding-split.js';
import type { ChildPlan } from './contingent-orders.js';
import { TradingCoreState } from './trading-core-state.js';
import type { NewAgentEvent, NewEvent, SubmitOutcome, TradingCoreConfig, TradingCorePorts } from './trading-core-types.js';

export type { Anomaly, NewAgentEvent, SubmitOutcome, TradingCoreConfig, TradingCorePorts } from './trading-core-types.js';

/**
 * The trading core: one journal of events and the projections derived from it (OMS, ledger with positions,
 * risk state, contingent orders), the risk gate every intent passes, and the venue the approved orders go to.
 * Backtest, paper and live differ only in the ports plugged in. Every change is recorded as an event first, after
 * every projection has agreed it can apply it, so a bad input changes nothing and a replay rebuilds the same state.
 * The parts and their read-only views are wired in trading-core-state.ts; this class is everything that changes them.
 */
export class TradingCore extends TradingCoreState {
  private replaying = false;
  private pendingTrip: BreakerTrip | undefined;

  constructor(config: TradingCoreConfig, ports: TradingCorePorts) {
    super(config, ports);
    this.venue?.onReport((report) => {
      this.applyVenueReport(report);
    });
  }

  /** Rebuilds a core from a journal: the same events, applied in order, without contacting any venue. */
  static replay(config: TradingCoreConfig, events: Iterable<DeskEvent>, ports: TradingCorePorts): TradingCore {
    const core = new TradingCore(config, { ...ports, venue: undefined });
    core.replaying = true;
    for (const event of events) {
      const problem = core.validate(event);
      if (problem !== undefined) throw new InvariantViolation(`journal event ${event.id} (${event.type}) does not apply: ${problem}`);
      core.commit(event);
    }
    core.replaying = false;
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
    const books = problems.length > 0 ? undefined : this.validate({ type: 'OrderPendingUpdate', id: 'modify-check' as EventId, tsEvent: now, tsInit: now, ...change });
    if (books !== undefined) problems.push(books);
    if (problems.length > 0) throw new FixRequestError('invalid_modify', `cannot modify ${id}: ${problems.join('; ')}`);
    this.record({ type: 'OrderPendingUpdate', ...change });
    this.callVenue(id, () => this.venue?.modify(change), 'modify');
  }

  deposit(owner: string, currency: Currency, amount: Fixed, causationId?: string): DeskEvent {
    return this.record({ type: 'FundsDeposited', owner, currency, amount, ...(causationId ? { causationId } : {}) });
  }

  withdraw(owner: string, currency: Currency, amount: Fixed, causationId?: string): DeskEvent {
    return this.record({ type: 'FundsWithdrawn', owner, currency, amount, ...(causationId ? { causationId } : {}) });
  }

  /** Journals an exception a strategy threw (its guard caught it; the run goes on). */
  recordStrategyError(agentId: AgentId, instrumentId: InstrumentId, message: string, tsEvent?: UnixMs): DeskEvent {
    return this.record({ type: 'StrategyErrored', agentId, instrumentId, message: message.slice(0, 500) }, tsEvent);
  }

  /** Journals a fact about the desk's agents (signals, decisions, grades, proposals); the books ignore it. */
  recordAgentEvent(event: NewAgentEvent, tsEvent?: UnixMs): DeskEvent {
    return this.record(event, tsEvent);
  }

  /** Sets one sleeve's own trading state (the desk's state still applies: the stricter one wins). */
  setSleeveState(sleeve: string, to: TradingState, reason: string, causationId?: string): DeskEvent | undefined {
    const from = this.risk.ownerState(sleeve);
    if (from === to) return undefined;
    return this.record({ type: 'SleeveStateChanged', sleeve, from, to, reason, ...(causationId ? { causationId } : {}) });
  }

  /** Moves available cash from one owner (sleeve) to another; refused beyond the source's available cash. */
  transfer(from: string, to: string, currency: Currency, amount: Fixed, causationId?: string): DeskEvent {
    return this.record({ type: 'FundsTransferred', from, to, currency, amount, ...(causationId ? { causationId } : {}) });
  }

  sweepProfit(owner: string, currency: Currency, amount: Fixed, reason: string, causationId?: string): DeskEvent {
    return this.record({ type: 'ProfitSwept', owner, currency, amount, reason, ...(causationId ? { causationId } : {}) });
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
    return this.record({ type: 'MarksUpdated', marks });
  }

  /** Funding on `owner`'s position at `mark`: notional x rate, longs pay when the rate is positive. */
  applyFunding(owner: string, instrumentId: InstrumentId, rate: Fixed, markPrice: Fixed, tsEvent?: UnixMs): DeskEvent | undefined {
    const instrument = this.requireInstrument(instrumentId);
    const position = this.ledger.position(owner, instrumentId);
    if (position === undefined || position.quantity.isZero()) return undefined;
    const amount = fundingOwed(instrument, position.quantity, markPrice, rate, this.scales.of(instrument.settle));
    return this.record({ type: 'FundingApplied', owner, instrumentId, rate, markPrice, amount }, tsEvent);
  }

  /**
   * Journals the denial of an intent decided before it reached the gate (its executor found nothing it could send),
   * so no decision ends without a verdict; it sends nothing.
   */
  denyIntent(intent: OrderIntent, code: DenialCode, detail: string): void {
    const causationId = intent.causationId;
    this.record({ type: 'IntentDenied', intentId: intent.id, agentId: intent.agentId, instrumentId: intent.instrumentId, code, detail, ...(causationId ? { causationId } : {}) });
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
    this.record({ type: 'OrderPendingCancel', clientOrderId, ...(causationId === undefined ? {} : { causationId }) });
    this.callVenue(clientOrderId, () => this.venue?.cancel(clientOrderId), 'cancel');
  }

  /**
   * Halts trading: no new orders, and every open order is canceled but the protective exits resting beside positions
   * (reduce-only stop-losses and take-profits): a halt stops the desk adding risk, and canceling the stops would leave
   * its positions to whatever the market does while it stands still. The kill switch cancels those too.
   */
  halt(reason: string, trigger: StateChangeTrigger = 'command'): void {
    const everything = trigger === 'kill-switch';
    // The kill switch takes over a halt already standing, so the gate knows it refuses protective exits too.
    const takeOver = this.tradingState === 'HALTED' && everything && this.risk.stateTrigger !== 'kill-switch';
    const halted = this.tradingState === 'HALTED' && !takeOver ? undefined : this.record({ type: 'TradingStateChanged', from: this.tradingState, to: 'HALTED', trigger, reason });
    for (const order of this.oms.openOrders()) {
      if (order.status === 'pending-cancel' || (!everything && isProtectiveExit(order.spec))) continue;
      this.cancelOrder(order.spec.clientOrderId, halted?.id);
    }
  }

  /** Moves the desk to REDUCING (only reductions pass the gate); never loosens a HALTED desk. */
  reduce(reason: string, trigger: StateChangeTrigger = 'command'): void {
    if (this.tradingState !== 'ACTIVE') return;
    this.record({ type: 'TradingStateChanged', from: 'ACTIVE', to: 'REDUCING', trigger, reason });
  }

  /** Moves a REDUCING desk back to ACTIVE when `trigger` put it there: what a person or a breaker set stays. */
  relieve(reason: string, trigger: StateChangeTrigger): void {
    if (this.tradingState !== 'REDUCING' || this.risk.stateTrigger !== trigger) return;
    this.record({ type: 'TradingStateChanged', from: 'REDUCING', to: 'ACTIVE', trigger, reason });
  }

  resume(reason: string): void {
    if (this.tradingState === 'ACTIVE') return;
    const engaged = this.killSwitch?.engaged();
    if (engaged?.engaged === true) {
      throw new FixRequestError('kill_switch_engaged', `cannot resume while the kill switch is engaged (${engaged.detail})`);
    }
    this.record({ type: 'TradingStateChanged', from: this.tradingState, to: 'ACTIVE', trigger: 'command', reason });
  }

  /**
   * Polls the kill switch; when it is engaged the desk halts and cancels every open order — on a desk already halted
   * otherwise, the switch takes the halt over (HALTED -> HALTED, trigger kill-switch) and cancels the protective exits
   * that halt kept.
   */
  checkKillSwitch(): void {
    if (this.killSwitch === undefined || (this.tradingState === 'HALTED' && this.risk.stateTrigger === 'kill-switch' && this.oms.openCount() === 0)) return;
    const state = this.killSwitch.engaged();
    if (state.engaged) this.halt(`kill switch: ${state.detail}`, 'kill-switch');
  }

  /**
   * Applies what a venue reports. A report that does not fit (unknown order, illegal transition, overfill)
   * changes nothing: it is returned as an error and published as an anomaly. A cancel or modify refused because
   * the order had already ended is no news and is let go. Funding the venue settled on its
   * netted position is split across the owners by their positions (see `fundingShares`).
   */
  applyVenueReport(report: VenueReport): Result<readonly DeskEvent[], FixRequestError> {
    if (report.type === 'FundingSettled') return this.onFundingSettled(report);
    if (report.type === 'OrderCancelRejected' || report.type === 'OrderModifyRejected') {
      // A request that crossed the order's end (filled, rejected, canceled) on its way: the venue only confirms what
      // the books already know, so there is nothing to record and nothing wrong.
      const order = this.oms.get(report.clientOrderId);
      if (order !== undefined && order.status !== 'initialized' && !isOpen(order.status)) return ok([]);
    }
    const event = this.stamp(report as NewEvent, report.tsEvent);
    const problem = this.validate(event);
    if (problem !== undefined) return this.refuse(problem);
    this.commit(event);
    return ok([event]);
  }

  private onFundingSettled(report: Extract<VenueReport, { type: 'FundingSettled' }>): Result<readonly DeskEvent[], FixRequestError> {
    const instrument = this.instruments.get(report.instrumentId);
    if (instrument === undefined || instrument.kind !== 'perpetual') {
      return this.refuse(`funding settled for ${report.instrumentId}, which is not a perpetual this desk knows`);
    }
    return ok(this.applyFundingShares(instrument, this.holders(report.instrumentId), report));
  }

  /**
   * Funding at a funding time of an instrument whose owners' positions net to zero in the venue account: the venue
   * settled nothing, and the owners pay and receive what their own positions owe, which adds up to nothing (see
   * `fundingShares`). Nothing happens when they do not net to zero (the venue's `FundingSettled` is split instead).
   */
  settleFundingNettedAway(instrumentId: InstrumentId, rate: Fixed, markPrice: Fixed, tsEvent: UnixMs): readonly DeskEvent[] {
    const instrument = this.instruments.get(instrumentId);
    const held = this.holders(instrumentId);
    if (instrument?.kind !== 'perpetual' || held.length === 0 || !held.reduce((net, p) => net.add(p.quantity), Fixed.zero()).isZero()) return [];
    return this.applyFundingShares(instrument, held, { instrumentId, rate, markPrice, amount: Fixed.zero(), tsEvent });
  }

  private holders(instrumentId: InstrumentId): { owner: string; quantity: Fixed }[] {
    const held: { owner: string; quantity: Fixed }[] = [];
    for (const { owner, position } of this.ledger.allPositions()) if (position.instrumentId === instrumentId && !position.quantity.isZero()) held.push({ owner, quantity: position.quantity });
    return held;
  }

  private applyFundingShares(
    instrument: Instrument,
    held: readonly { owner: string; quantity: Fixed }[],
    settled: { readonly instrumentId: InstrumentId; readonly rate: Fixed; readonly markPrice: Fixed; readonly amount: Fixed; readonly tsEvent: UnixMs },
  ): DeskEvent[] {
    const { instrumentId, rate, markPrice } = settled;
    return fundingShares(instrument, held, settled, this.scales.of(instrument.settle)).map(({ owner, amount }) =>
      this.record({ type: 'FundingApplied', owner, instrumentId, rate, markPrice, amount }, settled.tsEvent),
    );
  }

  private refuse(problem: string): Result<never, FixRequestError> {
    this.anomalies.publish({ ts: this.clock.now(), source: 'venue', problem });
    return err(new FixRequestError('invalid_venue_report', problem));
  }

  // --- the record pipeline ---------------------------------------------------------------------------------

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
      this.record({
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
    const approved = this.stamp({
      type: 'IntentApproved',
      intent,
      clientOrderId,
      approvedQuantity: order.quantity,
      clamps: verdict.clamps,
      ...(causationId ? { causationId } : {}),
    });
    const submitted = this.stamp({ type: 'OrderSubmitted', order, reservePrice: verdict.reservePrice, causationId: approved.id });
    const problem = this.validate(submitted);
    if (problem !== undefined) {
      const detail = `The books refuse the order: ${problem}.`;
      this.record({ type: 'IntentDenied', intentId: intent.id, agentId: intent.agentId, instrumentId: intent.instrumentId, code: 'insufficient_funds', detail });
      return { status: 'denied', code: 'insufficient_funds', detail };
    }
    this.commit(approved);
    this.commit(submitted);
    const toVenue = this.forVenue(order);
    this.callVenue(clientOrderId, () => this.venue?.submit(toVenue));
    return { status: 'submitted', clientOrderId, clamps: verdict.clamps };
  }

  /**
   * A reduce-only order as the venue should see it. Where owners share the venue account (see
   * `ownersShareVenueAccount`) the venue's reduce-only would be judged against the net of every owner — at
   * submission and again whenever a resting stop triggers, after other owners' orders have moved that net — so it
   * could cancel or cut one owner's stop. The order goes out plain; the gate already held it to its owner's position.
   */
  private forVenue(order: OrderSpec): OrderSpec {
    return order.reduceOnly && this.config.ownersShareVenueAccount === true ? { ...order, reduceOnly: false } : order;
  }

  /** Calls the venue; a refusal thrown by it becomes a rejection (or an anomaly when the order is past that). */
  private callVenue(clientOrderId: ClientOrderId, call: () => void | Promise<void> | undefined, request: 'submit' | 'cancel' | 'modify' = 'submit'): void {
    try {
      const pending = call();
      if (pending !== undefined && typeof (pending as Promise<void>).then === 'function') {
        (pending as Promise<void>).catch((error: unknown) => this.venueRefused(clientOrderId, request, error));
      }
    } catch (error) {
      this.venueRefused(clientOrderId, request, error);
    }
  }

  /** A method, not a closure made on every venue call. */
  private venueRefused(clientOrderId: ClientOrderId, request: 'submit' | 'cancel' | 'modify', error: unknown): void {
    const reason = `venue refused: ${error instanceof Error ? error.message : String(error)}`;
    const tsEvent = this.clock.now();
    const result = this.applyVenueReport(
      request === 'submit'
        ? { type: 'OrderRejected', clientOrderId, reason, tsEvent }
        : request === 'cancel'
          ? { type: 'OrderCancelRejected', clientOrderId, reason, tsEvent }
          : { type: 'OrderModifyRejected', clientOrderId, reason, tsEvent },
    );
    if (!result.ok) this.anomalies.publish({ ts: this.clock.now(), source: 'venue', problem: reason });
  }

  /** Completes a new event in place (the caller hands it over): id, when it happened, when we recorded it. */
  private stamp(event: NewEvent, tsEvent: UnixMs = this.clock.now()): DeskEvent {
    const stamped = event as Partial<EventBase> & NewEvent;
    (stamped as { id: EventBase['id'] }).id = this.ids.nextEventId();
    (stamped as { tsEvent: UnixMs }).tsEvent = tsEvent;
    (stamped as { tsInit: UnixMs }).tsInit = this.clock.now();
    return stamped as DeskEvent;
  }

  private record(event: NewEvent, tsEvent?: UnixMs): DeskEvent {
    const stamped = this.stamp(event, tsEvent);
    const problem = this.validate(stamped);
    if (problem !== undefined) throw new FixRequestError('invalid_request', problem);
    this.commit(stamped);
    return stamped;
  }

  private validate(event: DeskEvent): string | undefined {
    return this.oms.validate(event) ?? this.ledger.validate(event);
  }

  /** Appends and applies a validated event, then reacts to it (live only: replays contain the reactions). */
  private commit(event: DeskEvent): void {
    this.store.append(event);
    this.oms.apply(event);
    this.ledger.apply(event);
    this.risk.apply(event);
    this.contingent.apply(event);
    if (this.breakersOn && (event.type === 'MarksUpdated' || event.type === 'OrderFilled' || event.type === 'FundingApplied' || event.type === 'PositionLiquidated')) {
      this.pendingTrip = this.risk.observeEquity(event.tsEvent, this.deskEquity());
    }
    this.events.publish(event);
    if (!this.replaying) this.react(event);
  }

  /** Submits a done entry's protective children (if it has any) for the quantity it filled. */
  private releaseChildren(entry: Readonly<OrderRecord>): void {
    for (const child of this.contingent.releasable(entry.spec.clientOrderId)) {
      this.gateAndSubmit(releasedChildIntent(child, entry, this.instruments.get(child.intent.instrumentId)), child.clientOrderId, child.linkage);
    }
  }

  private react(event: DeskEvent): void {
    const trip = this.pendingTrip;
    this.pendingTrip = undefined;
    if (trip !== undefined) {
      if (trip.to === 'HALTED') this.halt(trip.reason, trip.trigger);
      else this.record({ type: 'TradingStateChanged', from: this.tradingState, to: trip.to, trigger: trip.trigger, reason: trip.reason });
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
