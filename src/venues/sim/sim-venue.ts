import type { Clock } from '../../core/clock.js';
import { FixRequestError } from '../../core/errors.js';
import { Fixed } from '../../core/fixed.js';
import { RetiringMap } from '../../core/retiring-map.js';
import { tradeId, venueOrderId, type ClientOrderId, type InstrumentId } from '../../core/ids.js';
import type { UnixMs } from '../../core/time.js';
import type { VenueOrderReport, VenueReport } from '../../domain/events.js';
import type { CurrencyScales, Instrument } from '../../domain/instrument.js';
import type { Bar, BookDelta, BookSnapshot, FundingRate, MarketData, MarkPrice, QuoteTick, TradeTick } from '../../domain/market-data.js';
import { isTriggerType, type OrderSpec } from '../../domain/order.js';
import type { ModifyRequest, ReconciliationSnapshot, VenuePort } from '../../execution/venue-port.js';
import { VenueAccount } from './account.js';
import { evaluateOnBar, nextTrailAnchor } from './bar-matching.js';
import type { BarPrices } from './bar-rules.js';
import { OrderBook } from './book/order-book.js';
import { onQueueLevelUpdate, placeInQueue } from './book/queue-position.js';
import { fundingPayment } from './margin.js';
import { marketDataProblem } from './data-checks.js';
import type { SimVenueOptions } from './options.js';
import { applySlippage, feeFor, NO_FEES, toPrice, toQuantity } from './pricing.js';
import { barPrices, mayTrade, newInstrumentState, type InstrumentState } from './instrument-state.js';
import { admitOrder, type Admission } from './order-admission.js';
import { TouchMatcher, type Touch, type TouchVenue } from './touch-matching.js';
import { refreshHint, viewOf, type VenueOrderView, type WorkingOrder } from './working-order.js';

type Request =
  | { readonly arrival: UnixMs; readonly kind: 'submit'; readonly order: OrderSpec }
  | { readonly arrival: UnixMs; readonly kind: 'cancel'; readonly clientOrderId: ClientOrderId }
  | { readonly arrival: UnixMs; readonly kind: 'modify'; readonly request: ModifyRequest };

const ONE = Fixed.fromInt(1);
const NO_ORDERS: readonly WorkingOrder[] = [];

/**
 * The simulated venue for backtests and paper trading: an exchange with its own account, matching orders against
 * bars, L1 ticks or an L2 book (one model per run), with fees, optional slippage, volume caps and latency, spot and
 * perpetual margin, funding and liquidation. Everything it decides is reported through the VenuePort listener;
 * refusals are reports with reasons, never exceptions.
 */
export class SimulatedVenue implements VenuePort, TouchVenue {
  readonly name = 'sim';
  private listener: ((report: VenueReport) => void) | undefined;
  private readonly instruments: ReadonlyMap<InstrumentId, Instrument>;
  /** Orders being worked. */
  private readonly working = new Map<ClientOrderId, WorkingOrder>();
  /**
   * What is kept of a finished order: its view (packed after a while). A client order id, finished or not, never
   * makes a second order. Only the view is kept because packing a whole working order (its spec, matching state)
   * for every fill was a large share of a backtest's time, and nothing reads more of a finished order.
   */
  private readonly finished = new RetiringMap<ClientOrderId, VenueOrderView>(() => true);
  private readonly inFlight: Request[] = [];
  private readonly states = new Map<InstrumentId, InstrumentState>();
  private readonly marks = new Map<InstrumentId, Fixed>();
  private readonly hasMarkData = new Set<InstrumentId>();
  private readonly touches = new Map<InstrumentId, Touch>();
  private readonly books = new Map<InstrumentId, OrderBook>();
  readonly account: VenueAccount;
  private readonly matcher = new TouchMatcher(this);
  private sequence = 0;

  constructor(
    instruments: readonly Instrument[],
    private readonly scales: CurrencyScales,
    private readonly clock: Clock,
    readonly options: SimVenueOptions,
  ) {
    this.instruments = new Map(instruments.map((i) => [i.id, i]));
    this.account = new VenueAccount(scales, options.marginMode ?? 'isolated', (i) => this.leverageOf(i), options.balances);
  }

  onReport(listener: (report: VenueReport) => void): void {
    this.listener = listener;
  }

  // --- requests ------------------------------------------------------------------------------------------------

  submit(order: OrderSpec): void {
    this.request({ arrival: this.arrivalTime(), kind: 'submit', order });
  }

  cancel(clientOrderId: ClientOrderId): void {
    this.request({ arrival: this.arrivalTime(), kind: 'cancel', clientOrderId });
  }

  modify(request: ModifyRequest): void {
    this.request({ arrival: this.arrivalTime(), kind: 'modify', request });
  }

  /** Number of distinct orders this venue has received (a resubmitted client order id is not counted twice). */
  get ordersReceived(): number {
    return this.working.size + this.finished.size;
  }

  orderStatus(clientOrderId: ClientOrderId): VenueOrderView | undefined {
    const order = this.working.get(clientOrderId);
    return order === undefined ? this.finished.get(clientOrderId) : viewOf(order);
  }

  snapshot(): ReconciliationSnapshot {
    const openOrders = [...this.states.values()].flatMap((st) => st.open).map((o) => ({
      clientOrderId: o.spec.clientOrderId,
      venueOrderId: o.venueOrderId,
      instrumentId: o.spec.instrumentId,
      side: o.spec.side,
      quantity: o.spec.quantity,
      filled: o.filled,
    }));
    return {
      ts: this.clock.now(),
      openOrders,
      positions: this.account.allPositions().map((p) => ({ instrumentId: p.instrument.id, quantity: p.state.quantity })),
      balances: this.account.snapshotBalances(this.marks),
    };
  }

  /** Data problems the venue worked around (e.g. a book that crossed and was set aside until a snapshot). */
  dataProblems(): readonly string[] {
    return this.problems;
  }

  /**
   * Moves the venue to `now` without market data: delivers requests whose latency has elapsed and expires GTD
   * orders whose time has come (the runtime calls this on its timers).
   */
  advanceTo(now: UnixMs): void {
    this.deliverDue(now);
    for (const st of this.states.values()) this.expire(st, now);
  }

  /** Delivers requests whose simulated latency has elapsed by `now`. */
  private deliverDue(now: UnixMs): void {
    while (this.inFlight.length > 0 && (this.inFlight[0]?.arrival ?? Infinity) <= now) {
      const request = this.inFlight.shift() as Request;
      this.deliver(request);
    }
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
    const st = this.stateOf(bar.instrumentId);
    this.check(bar, st);
    if (this.inFlight.length > 0) this.deliverDue(bar.ts);
    st.lastBar = bar;
    st.lastRaw = bar.close;
    st.lastPrice = undefined;
    const hasPosition = this.account.hasPosition(bar.instrumentId);
    if (st.open.length === 0 && !hasPosition) return;
    this.expire(st, bar.ts);
    const instrument = this.instrument(bar.instrumentId);
    // Exact prices are computed only when an order may trade on this bar or a position must be marked.
    let prices: BarPrices | undefined;
    let capacity: Fixed | undefined;
    // A copy: fills and endings take orders off the list while it is walked (no copy when holding only a position).
    for (const order of st.open.length === 0 ? NO_ORDERS : st.open.slice()) {
      if (order.status !== 'open' || bar.ts <= order.afterBarTs || !mayTrade(order, bar)) continue;
      if (prices === undefined) {
        prices = barPrices(instrument, bar);
        st.lastPrice = prices.close;
        if (this.options.volumeShare !== undefined) capacity = toQuantity(instrument, bar.volume * this.options.volumeShare.toNumber());
      }
      const outcome = evaluateOnBar(order, prices);
      order.firstBar = false;
      order.trailAnchor = nextTrailAnchor(order.spec, order.trailAnchor, prices);
      if (outcome.kind === 'none') continue;
      if (outcome.kind === 'reject') this.finish(order, 'rejected', outcome.reason, bar.ts);
      else if (outcome.kind === 'cancel') this.finish(order, 'canceled', outcome.reason, bar.ts);
      else if (outcome.kind === 'trigger') this.trigger(order, bar.ts);
      else {
        if (outcome.triggered) this.trigger(order, bar.ts);
        const leaves = order.spec.quantity.sub(order.filled);
        const quantity = capacity === undefined ? leaves : leaves.min(capacity);
        if (order.spec.timeInForce === 'FOK' && quantity.lt(leaves)) {
          this.finish(order, 'canceled', 'FOK order could not be filled in full', bar.ts);
          continue;
        }
        if (!quantity.isPositive()) continue;
        const filled = this.fill(order, quantity, outcome.price, outcome.liquidity, bar.ts, bar.volume);
        if (capacity !== undefined) capacity = capacity.sub(filled);
        if (order.status === 'open' && order.spec.timeInForce === 'IOC') this.finish(order, 'canceled', 'IOC remainder canceled', bar.ts);
      }
    }
    if (instrument.kind === 'perpetual' && !this.hasMarkData.has(instrument.id) && this.account.hasPosition(instrument.id)) {
      // Without mark data, the bar's worst price for the position is the mark it must survive.
      prices ??= barPrices(instrument, bar);
      const position = this.account.position(instrument.id);
      const adverse = position?.quantity.isPositive() === true ? prices.low : prices.high;
      this.marks.set(instrument.id, adverse);
      this.liquidate(bar.ts, prices.open);
      this.marks.set(instrument.id, prices.close);
    }
  }

  onQuote(quote: QuoteTick): void {
    this.check(quote);
    this.deliverDue(quote.ts);
    this.expire(this.stateOf(quote.instrumentId), quote.ts);
    const instrument = this.instrument(quote.instrumentId);
    const mid = this.setTouch(instrument, quote.bidPrice, quote.bidSize, quote.askPrice, quote.askSize);
    if (this.options.fillModel === 'bar') return;
    this.matcher.matchAtTouch(instrument, quote.ts, undefined);
    if (instrument.kind === 'perpetual' && !this.hasMarkData.has(instrument.id)) this.liquidate(quote.ts, mid);
  }

  onTrade(trade: TradeTick): void {
    this.check(trade);
    this.deliverDue(trade.ts);
    this.expire(this.stateOf(trade.instrumentId), trade.ts);
    const instrument = this.instrument(trade.instrumentId);
    const price = toPrice(instrument, trade.price);
    this.setPrice(instrument.id, price);
    if (!this.hasMarkData.has(instrument.id)) this.marks.set(instrument.id, price);
    if (this.options.fillModel === 'l2') this.matcher.matchQueue(instrument, trade);
    else if (this.options.fillModel === 'l1') this.matcher.matchAtTouch(instrument, trade.ts, trade);
    if (instrument.kind === 'perpetual' && !this.hasMarkData.has(instrument.id)) this.liquidate(trade.ts, price);
  }

  onBook(data: BookSnapshot | BookDelta): void {
    this.check(data);
    this.deliverDue(data.ts);
    this.expire(this.stateOf(data.instrumentId), data.ts);
    const instrument = this.instrument(data.instrumentId);
    let book = this.books.get(instrument.id);
    if (book === undefined) {
      book = new OrderBook();
      this.books.set(instrument.id, book);
    }
    if (data.type === 'book-snapshot') {
      book.applySnapshot(data.bids, data.asks);
      this.crossedBooks.delete(instrument.id);
    } else {
      for (const [price, size] of data.bids) book.setLevel('bid', price, size);
      for (const [price, size] of data.asks) book.setLevel('ask', price, size);
      if (book.isCrossed()) {
        // A crossed book is a wrong book: nothing trades against it until a snapshot replaces it.
        if (!this.crossedBooks.has(instrument.id)) this.problems.push(`book for ${instrument.id} crossed after sequence ${data.sequence}; waiting for a snapshot`);
        this.crossedBooks.add(instrument.id);
      }
    }
    if (this.crossedBooks.has(instrument.id)) return;
    for (const order of this.stateOf(instrument.id).open) {
      if (order.queue !== undefined) {
        order.queue = onQueueLevelUpdate(order.queue, book.sizeAt(order.queue.side, order.queue.price));
      }
    }
    const bid = book.bestBid();
    const ask = book.bestAsk();
    if (bid !== undefined && ask !== undefined) {
      this.setTouch(instrument, bid.price, bid.size, ask.price, ask.size);
      this.matcher.matchAtTouch(instrument, data.ts, undefined);
    }
  }

  onMark(mark: MarkPrice): void {
    this.check(mark);
    this.deliverDue(mark.ts);
    const instrument = this.instrument(mark.instrumentId);
    this.hasMarkData.add(instrument.id);
    const price = toPrice(instrument, mark.price);
    this.marks.set(instrument.id, price);
    this.liquidate(mark.ts, price);
  }

  /** Settles funding at a funding time: position notional at mark x rate; longs pay positive rates. */
  onFunding(funding: FundingRate): void {
    this.check(funding);
    this.deliverDue(funding.ts);
    const instrument = this.instrument(funding.instrumentId);
    const position = this.account.position(instrument.id);
    if (instrument.kind !== 'perpetual' || position === undefined || position.quantity.isZero()) return;
    const mark = this.marks.get(instrument.id) ?? this.referencePrice(instrument);
    if (mark === undefined) return;
    const rate = Fixed.fromNumberApprox(funding.rate, 12);
    const scale = this.scales.of(instrument.settle);
    const amount = fundingPayment(instrument, position.quantity, mark, rate, scale);
    this.account.credit(instrument.settle, amount.neg());
    this.emit({ type: 'FundingSettled', instrumentId: instrument.id, rate, markPrice: mark, amount }, funding.ts);
  }

  // --- order handling -----------------------------------------------------------------------------------------

  private readonly crossedBooks = new Set<InstrumentId>();
  private readonly problems: string[] = [];

  private request(request: Request): void {
    if (request.arrival <= this.clock.now()) this.deliver(request);
    else this.inFlight.push(request);
  }

  private arrivalTime(): UnixMs {
    return (this.clock.now() + (this.options.latencyMs ?? 0)) as UnixMs;
  }

  private deliver(request: Request): void {
    if (request.kind === 'submit') this.accept(request.order, request.arrival);
    else if (request.kind === 'cancel') this.cancelNow(request.clientOrderId, request.arrival);
    else this.modifyNow(request.request, request.arrival);
  }

  private accept(spec: OrderSpec, ts: UnixMs): void {
    const id = spec.clientOrderId;
    if (this.working.has(id) || this.finished.has(id)) return; // the same client order id never makes a second order
    this.sequence += 1;
    const order: WorkingOrder = {
      spec,
      venueOrderId: venueOrderId(`s${this.sequence}`),
      status: 'open',
      filled: Fixed.zero(spec.quantity.scale),
      fees: NO_FEES,
      triggered: !isTriggerType(spec.type),
      trailAnchor: undefined,
      afterBarTs: this.states.get(spec.instrumentId)?.lastBar?.ts ?? Number.NEGATIVE_INFINITY,
      firstBar: true,
      queue: undefined,
      reason: undefined,
      levelHint: undefined,
      hintRising: false,
    };
    refreshHint(order);
    this.working.set(id, order);
    const instrument = this.instruments.get(spec.instrumentId);
    const admission = instrument === undefined ? { problem: `unknown instrument ${spec.instrumentId}` } : this.admit(instrument, spec);
    if (admission.problem !== undefined || instrument === undefined) {
      order.status = 'rejected';
      order.reason = admission.problem;
      this.retire(order);
      this.emit({ type: 'OrderRejected', clientOrderId: id, reason: admission.problem ?? 'rejected' }, ts);
      return;
    }
    const reference = this.referencePrice(instrument);
    // Funds are held once there is a market price (an order priced before any data holds nothing until it fills).
    if (reference !== undefined && 'need' in admission && admission.need !== undefined) this.account.lock(id, admission.need.currency, admission.need.amount);
    if (spec.type === 'trailing-stop') order.trailAnchor = spec.triggerPrice ?? reference;
    this.stateOf(instrument.id).open.push(order);
    this.emit({ type: 'OrderAccepted', clientOrderId: id, venueOrderId: order.venueOrderId }, ts);
    if (this.options.fillModel === 'bar') {
      const bar = this.stateOf(instrument.id).lastBar;
      if (this.options.barExecution === 'close' && spec.type === 'market' && bar !== undefined) {
        const close = toPrice(instrument, bar.close);
        this.fill(order, spec.quantity, close, 'taker', bar.ts, bar.volume);
      }
      return;
    }
    this.matcher.matchAtTouch(instrument, ts, undefined, order);
    if (order.status === 'open' && this.options.fillModel === 'l2' && spec.type === 'limit') {
      const book = this.books.get(instrument.id);
      const side = spec.side === 'buy' ? 'bid' : 'ask';
      const price = (spec.price as Fixed).toNumber();
      order.queue = placeInQueue(side, price, spec.quantity.toNumber(), book?.sizeAt(side, price) ?? 0);
    }
  }

  /** Whether the venue takes an order on arrival, and what it holds back for it. */
  private admit(instrument: Instrument, spec: OrderSpec): Admission {
    return admitOrder(instrument, spec, {
      reference: this.referencePrice(instrument),
      position: this.account.position(instrument.id)?.quantity ?? Fixed.zero(),
      leverage: this.leverageOf(instrument),
      scales: this.scales,
      account: this.account,
      marks: this.marks,
      wouldTake: this.options.fillModel !== 'bar' && spec.postOnly && this.marketable(instrument, spec),
    });
  }

  private cancelNow(id: ClientOrderId, ts: UnixMs): void {
    const order = this.working.get(id);
    if (order === undefined || order.status !== 'open') {
      const status = order?.status ?? this.finished.get(id)?.status;
      this.emit({ type: 'OrderCancelRejected', clientOrderId: id, reason: status === undefined ? 'unknown order' : `order is ${status}` }, ts);
      return;
    }
    this.finish(order, 'canceled', 'canceled on request', ts);
  }

  private modifyNow(request: ModifyRequest, ts: UnixMs): void {
    const order = this.working.get(request.clientOrderId);
    if (order === undefined || order.status !== 'open') {
      this.emit({ type: 'OrderModifyRejected', clientOrderId: request.clientOrderId, reason: 'order is not open' }, ts);
      return;
    }
    if (request.quantity !== undefined && request.quantity.lte(order.filled)) {
      this.emit({ type: 'OrderModifyRejected', clientOrderId: request.clientOrderId, reason: 'new quantity is not above the filled quantity' }, ts);
      return;
    }
    order.spec = {
      ...order.spec,
      ...(request.quantity === undefined ? {} : { quantity: request.quantity }),
      ...(request.price === undefined ? {} : { price: request.price }),
      ...(request.triggerPrice === undefined ? {} : { triggerPrice: request.triggerPrice }),
    };
    refreshHint(order);
    this.emit({ type: 'OrderUpdated', ...request }, ts);
  }

  // --- fills, endings, liquidation ----------------------------------------------------------------------------

  /** Executes `quantity` of `order`; returns what was filled (reduce-only orders never grow a position). */
  fill(order: WorkingOrder, quantity: Fixed, price: Fixed, liquidity: 'maker' | 'taker', ts: UnixMs, volume: number | undefined): Fixed {
    const instrument = this.instrument(order.spec.instrumentId);
    const id = order.spec.clientOrderId;
    let qty = quantity;
    if (order.spec.reduceOnly) {
      const position = this.account.position(instrument.id)?.quantity ?? Fixed.zero();
      const reducible = order.spec.side === 'sell' ? position : position.neg();
      if (!reducible.isPositive()) {
        this.finish(order, 'canceled', 'reduce-only order would increase the position', ts);
        return Fixed.zero();
      }
      qty = qty.min(reducible);
    }
    const execution = liquidity === 'taker' ? applySlippage(instrument, order.spec, price, qty, volume, this.options.slippage) : price;
    const { fee, tally } = feeFor(instrument, qty, execution, liquidity, this.scales, order.fees);
    order.fees = tally;
    const leaves = order.spec.quantity.sub(order.filled);
    this.account.releasePart(id, qty, leaves);
    this.account.applyFill(instrument, order.spec.side, qty, execution, fee);
    order.filled = order.filled.add(qty);
    this.setPrice(instrument.id, execution);
    this.sequence += 1;
    const done = order.filled.gte(order.spec.quantity);
    if (done) this.close(order, 'filled', undefined);
    this.emit(
      {
        type: 'OrderFilled',
        fill: {
          tradeId: tradeId(`${this.name}-${this.sequence}`),
          clientOrderId: id,
          venueOrderId: order.venueOrderId,
          instrumentId: instrument.id,
          side: order.spec.side,
          quantity: qty,
          price: execution,
          fee,
          feeCurrency: instrument.settle,
          liquidity,
        },
      },
      ts,
    );
    for (const sibling of order.spec.linkage?.ocoWith ?? []) {
      const other = this.working.get(sibling);
      if (other !== undefined && other.status === 'open') this.finish(other, 'canceled', `one-cancels-other: ${id} filled`, ts);
    }
    if (order.status === 'open' && order.spec.reduceOnly && qty.lt(quantity)) {
      this.finish(order, 'canceled', 'reduce-only remainder canceled: the position is closed', ts);
    }
    return qty;
  }

  trigger(order: WorkingOrder, ts: UnixMs): void {
    if (order.triggered) return;
    order.triggered = true;
    refreshHint(order);
    this.emit({ type: 'OrderTriggered', clientOrderId: order.spec.clientOrderId }, ts);
  }

  finish(order: WorkingOrder, status: 'canceled' | 'rejected' | 'expired', reason: string, ts: UnixMs): void {
    this.close(order, status, reason);
    const id = order.spec.clientOrderId;
    if (status === 'expired') this.emit({ type: 'OrderExpired', clientOrderId: id }, ts);
    else if (status === 'rejected') this.emit({ type: 'OrderRejected', clientOrderId: id, reason }, ts);
    else this.emit({ type: 'OrderCanceled', clientOrderId: id, reason }, ts);
  }

  private close(order: WorkingOrder, status: WorkingOrder['status'], reason: string | undefined): void {
    order.status = status;
    if (reason !== undefined) order.reason = reason;
    this.account.release(order.spec.clientOrderId);
    const list = this.stateOf(order.spec.instrumentId).open;
    const index = list.indexOf(order);
    if (index >= 0) list.splice(index, 1);
    this.retire(order);
  }

  private retire(order: WorkingOrder): void {
    const id = order.spec.clientOrderId;
    this.working.delete(id);
    this.finished.set(id, viewOf(order));
    this.finished.retire(id);
  }

  /** GTD orders whose expiry has come are expired before the data at `ts` can fill them. */
  private expire(st: InstrumentState, ts: UnixMs): void {
    const list = st.open;
    if (list.length === 0) return;
    for (const order of [...list]) {
      const at = order.spec.expireAt;
      if (at !== undefined && at <= ts) this.finish(order, 'expired', 'GTD expiry', at);
    }
  }

  /**
   * Closes positions whose margin is exhausted at the current marks, at their liquidation price, with a fee.
   * `gap` is a price the market jumped to (a bar's open, a new mark or tick): a position whose liquidation price
   * it skipped over is closed there instead.
   */
  private liquidate(ts: UnixMs, gap: Fixed | undefined): void {
    const feeRate = this.options.liquidationFeeRate ?? Fixed.parse('0.005');
    for (const candidate of this.account.liquidations(this.marks)) {
      const { instrument } = candidate;
      const long = candidate.quantity.isPositive();
      let price = candidate.price;
      if (gap !== undefined && (long ? gap.lt(price) : gap.gt(price))) price = gap;
      const quantity = candidate.quantity.abs();
      const side = long ? 'sell' : 'buy';
      const scale = this.scales.of(instrument.settle);
      const fee = quantity.mul(instrument.contractSize).mul(price).mul(feeRate, scale, 'half-even');
      for (const order of [...this.stateOf(instrument.id).open]) this.finish(order, 'canceled', 'position liquidated', ts);
      this.account.applyFill(instrument, side, quantity, price, fee);
      this.emit(
        {
          type: 'PositionLiquidated',
          instrumentId: instrument.id,
          side,
          quantity,
          price,
          fee,
          reason: `margin balance ${candidate.marginBalance.toPlainString()} at or below maintenance margin ${candidate.maintenance.toPlainString()}`,
        },
        ts,
      );
    }
  }

  // --- helpers ------------------------------------------------------------------------------------------------

  /** Refuses unusable or out-of-order data before anything changes, naming the instrument, time and sequence. */
  private check(data: MarketData, st: InstrumentState = this.stateOf(data.instrumentId)): void {
    const problem = marketDataProblem(data);
    const previous = st.lastTs[data.type];
    if (problem === undefined && Number.isSafeInteger(data.ts) && data.ts >= previous) {
      st.lastTs[data.type] = data.ts;
      return;
    }
    const where = `${data.type} for ${data.instrumentId} at ${data.ts}${'sequence' in data ? ` (sequence ${data.sequence})` : ''}`;
    if (problem !== undefined) throw new FixRequestError('invalid_market_data', `${where}: ${problem}`);
    if (!Number.isSafeInteger(data.ts)) throw new FixRequestError('invalid_market_data', `${where}: the time is not integer milliseconds`);
    throw new FixRequestError('out_of_order', `${where}: comes after ${data.type} at ${previous}; data must be in time order`);
  }

  private stateOf(id: InstrumentId): InstrumentState {
    let st = this.states.get(id);
    if (st === undefined) {
      st = newInstrumentState();
      this.states.set(id, st);
    }
    return st;
  }

  private setPrice(id: InstrumentId, price: Fixed): void {
    const st = this.stateOf(id);
    st.lastPrice = price;
    st.lastRaw = undefined;
  }

  private marketable(instrument: Instrument, spec: OrderSpec): boolean {
    const touch = this.touches.get(instrument.id);
    if (spec.price === undefined) return true;
    if (spec.side === 'buy') return touch?.ask !== undefined && touch.ask.lte(spec.price);
    return touch?.bid !== undefined && touch.bid.gte(spec.price);
  }

  /** The latest price: exact when known, else the latest bar close converted (and kept) on demand. */
  referencePrice(instrument: Instrument): Fixed | undefined {
    const st = this.states.get(instrument.id);
    if (st === undefined) return undefined;
    if (st.lastPrice === undefined && st.lastRaw !== undefined) st.lastPrice = toPrice(instrument, st.lastRaw);
    return st.lastPrice;
  }

  /** Records the best bid and ask; the mid becomes the last price (and the mark, without mark data). */
  private setTouch(instrument: Instrument, bidPrice: number, bidSize: number, askPrice: number, askSize: number): Fixed {
    const touch = this.touchOf(instrument.id);
    touch.bid = toPrice(instrument, bidPrice);
    touch.ask = toPrice(instrument, askPrice);
    touch.bidSize = bidSize;
    touch.askSize = askSize;
    const mid = touch.bid.add(touch.ask).div(Fixed.fromInt(2), instrument.tickSize.scale + 1, 'half-even');
    this.setPrice(instrument.id, mid);
    if (!this.hasMarkData.has(instrument.id)) this.marks.set(instrument.id, mid);
    return mid;
  }

  touch(id: InstrumentId): Touch | undefined {
    return this.touches.get(id);
  }

  book(id: InstrumentId): OrderBook | undefined {
    return this.books.get(id);
  }

  bookSetAside(id: InstrumentId): boolean {
    return this.crossedBooks.has(id);
  }

  openOrders(id: InstrumentId): readonly WorkingOrder[] {
    return this.stateOf(id).open;
  }

  private touchOf(id: InstrumentId): Touch {
    let touch = this.touches.get(id);
    if (touch === undefined) {
      touch = { bid: undefined, ask: undefined, bidSize: 0, askSize: 0 };
      this.touches.set(id, touch);
    }
    return touch;
  }

  private leverageOf(instrument: Instrument): Fixed {
    if (instrument.kind === 'spot') return ONE;
    const wanted = this.options.leverage?.get(instrument.id) ?? ONE;
    return wanted.min(instrument.maxLeverage);
  }

  private instrument(id: InstrumentId): Instrument {
    const instrument = this.instruments.get(id);
    if (instrument === undefined) throw new FixRequestError('unknown_instrument', `market data for unknown instrument ${id}`);
    return instrument;
  }

  private emit(report: VenueOrderReport, ts: UnixMs): void {
    if (this.listener === undefined) return;
    (report as { tsEvent?: UnixMs }).tsEvent = ts;
    this.listener(report as VenueReport);
  }
}
