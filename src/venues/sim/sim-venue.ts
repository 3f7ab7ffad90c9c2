import type { Clock } from '../../core/clock.js';
import { Fixed } from '../../core/fixed.js';
import type { ClientOrderId, InstrumentId } from '../../core/ids.js';
import type { UnixMs } from '../../core/time.js';
import type { CurrencyScales, Instrument } from '../../domain/instrument.js';
import type { Bar, BookDelta, BookSnapshot, FundingRate, MarketData, MarkPrice, QuoteTick, TradeTick } from '../../domain/market-data.js';
import type { OrderSpec } from '../../domain/order.js';
import type { ModifyRequest, ReconciliationSnapshot, VenuePort } from '../../execution/venue-port.js';
import { evaluateOnBar, nextTrailAnchor, type BarOutcome } from './bar-matching.js';
import type { BarPrices } from './bar-rules.js';
import { barPrices, keepLastBar, mayTrade } from './instrument-state.js';
import { liquidationOf } from './liquidation.js';
import { fundingPayment } from './margin.js';
import type { SimVenueOptions } from './options.js';
import { toPrice, toQuantity } from './pricing.js';
import { reconciliationSnapshot } from './reconciliation.js';
import { VenueOrders } from './venue-orders.js';
import type { WorkingOrder } from './working-order.js';

type Request =
  | { readonly arrival: UnixMs; readonly kind: 'submit'; readonly order: OrderSpec }
  | { readonly arrival: UnixMs; readonly kind: 'cancel'; readonly clientOrderId: ClientOrderId }
  | { readonly arrival: UnixMs; readonly kind: 'modify'; readonly request: ModifyRequest };

const NO_ORDERS: readonly WorkingOrder[] = [];

/** An order's outcome on a bar, and when within the bar it happens. */
interface Due {
  readonly order: WorkingOrder;
  readonly outcome: BarOutcome;
  readonly phase: number;
}
const AT_OPEN = 0;
const INSIDE = 1;
const AT_CLOSE = 2;
const NO_DUE: readonly Due[] = [];

/** A rejection or cancel on the bar is decided at its open (a post-only or IOC meeting the open). */
function phaseOf(outcome: BarOutcome): number {
  return (outcome.kind === 'fill' || outcome.kind === 'trigger') && !outcome.atOpen ? INSIDE : AT_OPEN;
}

/**
 * The simulated venue for backtests and paper trading: an exchange with its own account, matching orders against
 * bars, L1 ticks or an L2 book (one model per instrument), with fees, optional slippage, volume caps and latency, spot and
 * perpetual margin, funding and liquidation. Everything it decides is reported through the VenuePort listener;
 * refusals are reports with reasons, never exceptions. The orders themselves are kept by `VenueOrders`.
 */
export class SimulatedVenue extends VenueOrders implements VenuePort {
  private readonly inFlight: Request[] = [];

  constructor(
    instruments: readonly Instrument[],
    scales: CurrencyScales,
    private readonly clock: Clock,
    options: SimVenueOptions,
  ) {
    super(instruments, scales, options);
  }

  // --- requests ------------------------------------------------------------------------------------------------

  submit(order: OrderSpec): void {
    this.request({ arrival: this.arrivalTime(order.instrumentId), kind: 'submit', order });
  }

  cancel(clientOrderId: ClientOrderId): void {
    this.request({ arrival: this.arrivalTime(this.instrumentOfOrder(clientOrderId)), kind: 'cancel', clientOrderId });
  }

  modify(request: ModifyRequest): void {
    this.request({ arrival: this.arrivalTime(this.instrumentOfOrder(request.clientOrderId)), kind: 'modify', request });
  }

  snapshot(): ReconciliationSnapshot {
    return reconciliationSnapshot(this.clock.now(), this.market.allStates(), this.account, this.market.marks);
  }

  /** Data problems the venue worked around (e.g. a book that crossed and was set aside until a snapshot). */
  dataProblems(): readonly string[] {
    return this.market.dataProblems();
  }

  /**
   * Moves the venue to `now` without market data: delivers requests whose latency has elapsed and expires GTD
   * orders whose time has come (the runtime calls this on its timers).
   */
  advanceTo(now: UnixMs): void {
    this.deliverDue(now);
    for (const st of this.market.allStates()) this.expire(st, now);
  }

  /** Delivers requests whose simulated latency has elapsed by `now`. */
  private deliverDue(now: UnixMs): void {
    while (this.inFlight.length > 0 && (this.inFlight[0]?.arrival ?? Infinity) <= now) {
      const request = this.inFlight.shift() as Request;
      this.deliver(request);
    }
  }

  /**
   * Requests wait in order of arrival: instruments may have different latencies, so a later request can arrive
   * first; ones arriving at the same time keep the order they were sent in.
   */
  private request(request: Request): void {
    if (request.arrival <= this.clock.now()) {
      this.deliver(request);
      return;
    }
    let at = this.inFlight.length;
    while (at > 0 && (this.inFlight[at - 1] as Request).arrival > request.arrival) at -= 1;
    this.inFlight.splice(at, 0, request);
  }

  /** A request about an order travels with the latency of the order's instrument (the run's when it is unknown). */
  private arrivalTime(instrumentId: InstrumentId | undefined): UnixMs {
    const options = instrumentId === undefined ? this.options : this.optionsOf(instrumentId);
    return (this.clock.now() + (options.latencyMs ?? 0)) as UnixMs;
  }

  /** The instrument of an order being worked or still on its way to the venue. */
  private instrumentOfOrder(id: ClientOrderId): InstrumentId | undefined {
    const working = this.workingInstrument(id);
    if (working !== undefined) return working;
    for (const request of this.inFlight) if (request.kind === 'submit' && request.order.clientOrderId === id) return request.order.instrumentId;
    return undefined;
  }

  private deliver(request: Request): void {
    if (request.kind === 'submit') this.accept(request.order, request.arrival);
    else if (request.kind === 'cancel') this.cancelNow(request.clientOrderId, request.arrival);
    else this.modifyNow(request.request, request.arrival);
  }

  // --- market data ---------------------------------------------------------------------------------------------

  onData(data: MarketData): void {
    switch (data.type) {
      case 'bar':
        return this.onBar(data);
      case 'quote':
        return this.onQuote(data);
      case 'trade':
        return this.onTrade(data);
      case 'book-snapshot':
      case 'book-delta':
        return this.onBook(data);
      case 'mark-price':
        return this.onMark(data);
      case 'funding-rate':
        return this.onFunding(data);
    }
  }

  onBar(bar: Bar): void {
    const st = this.market.stateOf(bar.instrumentId);
    this.market.check(bar, st);
    if (this.inFlight.length > 0) this.deliverDue(bar.ts);
    keepLastBar(st, bar);
    st.lastRaw = bar.close;
    st.lastPrice = undefined;
    st.barCapacity = undefined;
    const hasPosition = this.account.hasPosition(bar.instrumentId);
    if (st.open.length === 0 && !hasPosition) return;
    this.expire(st, bar.ts);
    const instrument = this.market.instrument(bar.instrumentId);
    // Exact prices are computed only when an order may trade on this bar or a position must be marked.
    let prices: BarPrices | undefined;
    let capacity: Fixed | undefined;
    const options = this.optionsOf(instrument.id);
    const closeExecution = options.barExecution === 'close';
    let due: Due[] | undefined;
    // A copy: fills and endings take orders off the list while it is walked (no copy when holding only a position).
    for (const order of st.open.length === 0 ? NO_ORDERS : st.open.slice()) {
      if (order.status !== 'open' || bar.ts <= order.afterBarTs || !mayTrade(order, bar)) continue;
      // A bar that opened before the order reached the venue cannot fill it; with close execution a market order
      // takes the close of the bar it arrived in.
      const atClose = closeExecution && order.spec.type === 'market';
      if ((atClose ? bar.ts + bar.timeframeMs : bar.ts) < order.arrival) continue;
      if (prices === undefined) {
        prices = barPrices(instrument, bar);
        st.lastPrice = prices.close;
        if (options.volumeShare !== undefined) capacity = toQuantity(instrument, bar.volume * options.volumeShare.toNumber());
      }
      const outcome: BarOutcome = atClose ? { kind: 'fill', price: prices.close, liquidity: 'taker', triggered: false, atOpen: false } : evaluateOnBar(order, prices, instrument.tickSize);
      order.firstBar = false;
      order.trailAnchor = nextTrailAnchor(order.spec, order.trailAnchor, prices);
      if (outcome.kind === 'none') continue;
      (due ??= []).push({ order, outcome, phase: atClose ? AT_CLOSE : phaseOf(outcome) });
    }
    // The bar's open comes before any price inside it, and those before its close: an order the open reaches
    // executes first, whenever it arrived (a take-profit the bar gaps through beats a stop the bar reaches later).
    // Within one moment, orders go in arrival order (the sort is stable).
    if (due !== undefined && due.length > 1) due.sort((a, b) => a.phase - b.phase);
    for (const { order, outcome } of due ?? NO_DUE) {
      if (order.status !== 'open') continue; // ended by an earlier one (one-cancels-other)
      if (outcome.kind === 'reject') this.finish(order, 'rejected', outcome.reason, bar.ts);
      else if (outcome.kind === 'cancel') this.finish(order, 'canceled', outcome.reason, bar.ts);
      else if (outcome.kind === 'trigger') this.trigger(order, bar.ts);
      else if (outcome.kind === 'fill') {
        if (outcome.triggered) this.trigger(order, bar.ts);
        const filled = this.fillOnBar(order, outcome.price, outcome.liquidity, capacity, bar.ts, bar.volume, prices as BarPrices);
        if (capacity !== undefined) capacity = capacity.sub(filled);
      }
    }
    // Fills within the bar happened at its open or inside it; once the bar is over, its close is the last price
    // (an order arriving now is checked against it, as the desk's gate checks it).
    st.lastRaw = bar.close;
    st.lastPrice = prices?.close;
    st.barCapacity = capacity;
    if (instrument.kind === 'perpetual' && !this.market.hasMarkData.has(instrument.id) && this.account.hasPosition(instrument.id)) {
      // Without mark data, the bar's worst price for the position is the mark it must survive.
      prices ??= barPrices(instrument, bar);
      const position = this.account.position(instrument.id);
      const adverse = position?.quantity.isPositive() === true ? prices.low : prices.high;
      this.market.marks.set(instrument.id, adverse);
      this.liquidate(bar.ts, prices.open, instrument.id);
      this.market.marks.set(instrument.id, prices.close);
    }
  }

  onQuote(quote: QuoteTick): void {
    const instrument = this.arrive(quote);
    const mid = this.market.setTouch(instrument, quote.bidPrice, quote.bidSize, quote.askPrice, quote.askSize);
    if (this.optionsOf(instrument.id).fillModel === 'bar') return;
    this.matcher.matchAtTouch(instrument, quote.ts, undefined);
    if (instrument.kind === 'perpetual' && !this.market.hasMarkData.has(instrument.id)) this.liquidate(quote.ts, mid, instrument.id);
  }

  onTrade(trade: TradeTick): void {
    const instrument = this.arrive(trade);
    const price = toPrice(instrument, trade.price);
    this.market.traded(instrument.id, price);
    const fillModel = this.optionsOf(instrument.id).fillModel;
    if (fillModel === 'l2') this.matcher.matchQueue(instrument, trade);
    else if (fillModel === 'l1') this.matcher.matchAtTouch(instrument, trade.ts, trade);
    if (instrument.kind === 'perpetual' && !this.market.hasMarkData.has(instrument.id)) this.liquidate(trade.ts, price, instrument.id);
  }

  onBook(data: BookSnapshot | BookDelta): void {
    const instrument = this.arrive(data);
    if (this.market.applyBook(instrument, data)) this.matcher.matchAtTouch(instrument, data.ts, undefined);
  }

  onMark(mark: MarkPrice): void {
    this.market.check(mark);
    this.deliverDue(mark.ts);
    const instrument = this.market.instrument(mark.instrumentId);
    this.market.hasMarkData.add(instrument.id);
    const position = this.account.position(instrument.id);
    if (mark.low !== undefined && mark.high !== undefined && position !== undefined && !position.quantity.isZero()) {
      // A mark candle: the position had to survive the candle's worst mark, not only its close. One that did not is
      // closed at its liquidation price, or at the candle's open when the mark opened beyond it.
      this.market.marks.set(instrument.id, toPrice(instrument, position.quantity.isPositive() ? mark.low : mark.high));
      this.liquidate(mark.ts, mark.open === undefined ? undefined : toPrice(instrument, mark.open), instrument.id);
    }
    const price = toPrice(instrument, mark.price);
    this.market.marks.set(instrument.id, price);
    this.liquidate(mark.ts, price, instrument.id);
  }

  /** The price funding is settled at: the mark, else the last price. */
  markOf(instrumentId: InstrumentId): Fixed | undefined {
    return this.market.marks.get(instrumentId) ?? this.market.referencePrice(this.market.instrument(instrumentId));
  }

  /** Settles funding at a funding time: position notional at mark x rate; longs pay positive rates. */
  onFunding(funding: FundingRate): void {
    this.market.check(funding);
    this.deliverDue(funding.ts);
    const instrument = this.market.instrument(funding.instrumentId);
    const position = this.account.position(instrument.id);
    if (instrument.kind !== 'perpetual' || position === undefined || position.quantity.isZero()) return;
    const mark = this.markOf(instrument.id);
    if (mark === undefined) return;
    const rate = Fixed.fromNumberApprox(funding.rate, 12);
    const scale = this.scales.of(instrument.settle);
    const amount = fundingPayment(instrument, position.quantity, mark, rate, scale);
    this.account.credit(instrument.settle, amount.neg());
    this.emit({ type: 'FundingSettled', instrumentId: instrument.id, rate, markPrice: mark, amount }, funding.ts);
  }

  /** Tick and book data first brings the venue to its time: due requests arrive and due GTD orders expire. */
  private arrive(data: QuoteTick | TradeTick | BookSnapshot | BookDelta): Instrument {
    this.market.check(data);
    this.deliverDue(data.ts);
    this.expire(this.market.stateOf(data.instrumentId), data.ts);
    return this.market.instrument(data.instrumentId);
  }

  // --- liquidation ---------------------------------------------------------------------------------------------

  /**
   * Closes positions whose margin is exhausted at the current marks (see `liquidationOf`), canceling their orders.
   * `trigger` is the instrument whose price moved, and `gap` its price beyond the liquidation price, if any. A cross
   * account that breaches closes its other positions too: they did not move, so they close where they stand, at
   * their marks and without a fee (their liquidation prices, worked out from a collateral the trigger has used up,
   * may not even be positive).
   */
  private liquidate(ts: UnixMs, gap: Fixed | undefined, trigger: InstrumentId): void {
    const candidates = this.account.liquidations(this.market.marks);
    if (candidates.length === 0) return;
    if (this.options.marginMode === 'cross') {
      // The wallet backs a cross account's positions, money held for its open orders included, and the liquidation
      // may take all of it: as exchanges do, the account's orders holding that currency are canceled first, so
      // none is left holding money the wallet no longer has.
      for (const currency of new Set(candidates.map((candidate) => candidate.instrument.settle))) {
        this.cancelHolding(currency, 'canceled for a cross-margin liquidation: the wallet backs the positions', ts);
      }
    }
    for (const candidate of candidates) {
      const where = candidate.instrument.id === trigger ? candidate : { ...candidate, price: candidate.mark, bankruptcy: candidate.mark };
      const liquidation = liquidationOf(where, candidate.instrument.id === trigger ? gap : undefined, this.optionsOf(candidate.instrument.id).liquidationFeeRate, this.scales);
      for (const order of [...this.market.stateOf(candidate.instrument.id).open]) this.finish(order, 'canceled', 'position liquidated', ts);
      this.account.applyFill(candidate.instrument, liquidation.side, liquidation.quantity, liquidation.price, liquidation.fee);
      this.emit(liquidation, ts);
    }
  }
}
