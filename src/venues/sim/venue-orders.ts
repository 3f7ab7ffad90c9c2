import { Fixed } from '../../core/fixed.js';
import { RetiringMap } from '../../core/retiring-map.js';
import { tradeId, venueOrderId, type ClientOrderId, type Currency, type InstrumentId } from '../../core/ids.js';
import type { UnixMs } from '../../core/time.js';
import type { VenueOrderReport, VenueReport } from '../../domain/events.js';
import { notionalOf, type CurrencyScales, type Instrument } from '../../domain/instrument.js';
import { isTriggerType, type OrderSpec } from '../../domain/order.js';
import type { ModifyRequest } from '../../execution/venue-port.js';
import { VenueAccount } from './account.js';
import type { OrderBook } from './book/order-book.js';
import { placeInQueue } from './book/queue-position.js';
import { barPrices, type InstrumentState } from './instrument-state.js';
import type { ExecutionOptions, SimVenueOptions } from './options.js';
import { admitOrder, type Admission } from './order-admission.js';
import { addToRunning, applySlippage, feeFor, NOTHING_YET, toQuantity, type PriceRange } from './pricing.js';
import { TouchMatcher, type Touch, type TouchVenue } from './touch-matching.js';
import { VenueMarket } from './venue-market.js';
import { refreshHint, viewOf, type VenueOrderView, type WorkingOrder } from './working-order.js';

const ONE = Fixed.fromInt(1);

/**
 * The order side of the simulated venue: the orders it takes in, works and remembers, how they fill, trigger and
 * end, and the reports that say so. `SimulatedVenue` builds the venue on it (requests and their latency, market
 * data, bar matching, funding and liquidation). It is a base class rather than a collaborator so that the fill
 * path, run for every fill of a backtest, stays direct method calls on one object.
 */
export class VenueOrders implements TouchVenue {
  readonly name = 'sim';
  private listener: ((report: VenueReport) => void) | undefined;
  /** Orders being worked. */
  private readonly working = new Map<ClientOrderId, WorkingOrder>();
  /**
   * What is kept of a finished order: its view (packed after a while). A client order id, finished or not, never
   * makes a second order. Only the view is kept because packing a whole working order (its spec, matching state)
   * for every fill was a large share of a backtest's time, and nothing reads more of a finished order.
   */
  private readonly finished = new RetiringMap<ClientOrderId, VenueOrderView>(() => true);
  protected readonly market: VenueMarket;
  readonly account: VenueAccount;
  protected readonly matcher = new TouchMatcher(this);
  private sequence = 0;

  constructor(
    instruments: readonly Instrument[],
    protected readonly scales: CurrencyScales,
    readonly options: SimVenueOptions,
  ) {
    this.market = new VenueMarket(instruments);
    this.account = new VenueAccount(scales, options.marginMode ?? 'isolated', (i) => this.leverageOf(i), options.balances);
  }

  /** How `instrumentId`'s orders are worked: its own options when the run gives some, else the run's. */
  optionsOf(instrumentId: InstrumentId): ExecutionOptions {
    return this.options.byInstrument?.get(instrumentId) ?? this.options;
  }

  /** The instrument of an order the venue is working (undefined once it is over, or before it arrived). */
  protected workingInstrument(id: ClientOrderId): InstrumentId | undefined {
    return this.working.get(id)?.spec.instrumentId;
  }

  onReport(listener: (report: VenueReport) => void): void {
    this.listener = listener;
  }

  /** Number of distinct orders this venue has received (a resubmitted client order id is not counted twice). */
  get ordersReceived(): number {
    return this.working.size + this.finished.size;
  }

  orderStatus(clientOrderId: ClientOrderId): VenueOrderView | undefined {
    const order = this.working.get(clientOrderId);
    return order === undefined ? this.finished.get(clientOrderId) : viewOf(order);
  }

  // --- order handling -----------------------------------------------------------------------------------------

  protected accept(spec: OrderSpec, ts: UnixMs): void {
    const id = spec.clientOrderId;
    if (this.working.has(id) || this.finished.has(id)) return; // the same client order id never makes a second order
    this.sequence += 1;
    const order: WorkingOrder = {
      spec,
      venueOrderId: venueOrderId(`s${this.sequence}`),
      status: 'open',
      filled: Fixed.zero(spec.quantity.scale),
      value: NOTHING_YET,
      fees: NOTHING_YET,
      triggered: !isTriggerType(spec.type),
      trailAnchor: undefined,
      afterBarTs: this.market.existingState(spec.instrumentId)?.lastBar?.ts ?? Number.NEGATIVE_INFINITY,
      arrival: ts,
      firstBar: true,
      queue: undefined,
      filledBeforeQueue: Fixed.zero(spec.quantity.scale),
      reason: undefined,
      levelHint: undefined,
      hintRising: false,
    };
    refreshHint(order);
    this.working.set(id, order);
    const instrument = this.market.listed(spec.instrumentId);
    const admission = instrument === undefined ? { problem: `unknown instrument ${spec.instrumentId}` } : this.admit(instrument, spec);
    if (admission.problem !== undefined || instrument === undefined) {
      order.status = 'rejected';
      order.reason = admission.problem;
      this.retire(order);
      this.emit({ type: 'OrderRejected', clientOrderId: id, reason: admission.problem ?? 'rejected' }, ts);
      return;
    }
    const reference = this.market.referencePrice(instrument);
    // Funds are held once there is a market price (an order priced before any data holds nothing until it fills).
    if (reference !== undefined && 'need' in admission && admission.need !== undefined) this.account.lock(id, admission.need.currency, admission.need.amount);
    if (spec.type === 'trailing-stop') order.trailAnchor = spec.triggerPrice ?? reference;
    this.market.stateOf(instrument.id).open.push(order);
    this.emit({ type: 'OrderAccepted', clientOrderId: id, venueOrderId: order.venueOrderId }, ts);
    const options = this.optionsOf(instrument.id);
    if (options.fillModel === 'bar') {
      const st = this.market.stateOf(instrument.id);
      const bar = st.lastBar;
      // Close execution: the close of the bar the order arrived by (a later arrival waits for the next bar's close),
      // within what the bar's volume share has left; the rest works on at later bars' closes.
      if (options.barExecution === 'close' && spec.type === 'market' && bar !== undefined && bar.ts + bar.timeframeMs >= ts) {
        const share = options.volumeShare;
        const capacity = share === undefined ? undefined : (st.barCapacity ?? toQuantity(instrument, bar.volume * share.toNumber()));
        const prices = barPrices(instrument, bar);
        const filled = this.fillOnBar(order, prices.close, 'taker', capacity, bar.ts, bar.volume, prices);
        if (capacity !== undefined) st.barCapacity = capacity.sub(filled);
      }
      return;
    }
    this.matcher.matchAtTouch(instrument, ts, undefined, order);
    if (order.status === 'open' && options.fillModel === 'l2' && spec.type === 'limit') this.joinQueue(instrument, order);
  }

  /** L2: a resting limit joins the back of the queue at its price, for what it has left to fill. */
  private joinQueue(instrument: Instrument, order: WorkingOrder): void {
    const spec = order.spec;
    const book = this.market.book(instrument.id);
    const side = spec.side === 'buy' ? 'bid' : 'ask';
    const price = (spec.price as Fixed).toNumber();
    order.filledBeforeQueue = order.filled;
    order.queue = placeInQueue(side, price, spec.quantity.sub(order.filled).toNumber(), book?.sizeAt(side, price) ?? 0);
  }

  /** Whether the venue takes an order on arrival (or a change to one), and what it holds back for it. */
  private admit(instrument: Instrument, spec: OrderSpec, filled?: Fixed): Admission {
    return admitOrder(instrument, spec, {
      ...(filled === undefined ? {} : { filled }),
      reference: this.market.referencePrice(instrument),
      position: this.account.position(instrument.id)?.quantity ?? Fixed.zero(),
      leverage: this.leverageOf(instrument),
      scales: this.scales,
      account: this.account,
      marks: this.market.marks,
      wouldTake: this.optionsOf(instrument.id).fillModel !== 'bar' && spec.postOnly && this.market.marketable(instrument, spec),
    });
  }

  protected cancelNow(id: ClientOrderId, ts: UnixMs): void {
    const order = this.working.get(id);
    if (order === undefined || order.status !== 'open') {
      const status = order?.status ?? this.finished.get(id)?.status;
      this.emit({ type: 'OrderCancelRejected', clientOrderId: id, reason: status === undefined ? 'unknown order' : `order is ${status}` }, ts);
      return;
    }
    this.finish(order, 'canceled', 'canceled on request', ts);
  }

  /**
   * A change is admitted as the order it makes would be (lot, tick, post-only, and funds for what is left to fill,
   * counting what the order holds now as free), then the order holds what the new spec needs. A new price, or more
   * quantity, puts it back in line: only bars from the change's arrival on, and the back of the L2 queue at its price.
   */
  protected modifyNow(request: ModifyRequest, ts: UnixMs): void {
    const id = request.clientOrderId;
    const order = this.working.get(id);
    if (order === undefined || order.status !== 'open') {
      this.emit({ type: 'OrderModifyRejected', clientOrderId: id, reason: 'order is not open' }, ts);
      return;
    }
    if (request.quantity !== undefined && request.quantity.lte(order.filled)) {
      this.emit({ type: 'OrderModifyRejected', clientOrderId: id, reason: 'new quantity is not above the filled quantity' }, ts);
      return;
    }
    const spec: OrderSpec = {
      ...order.spec,
      ...(request.quantity === undefined ? {} : { quantity: request.quantity }),
      ...(request.price === undefined ? {} : { price: request.price }),
      ...(request.triggerPrice === undefined ? {} : { triggerPrice: request.triggerPrice }),
    };
    const instrument = this.market.instrument(spec.instrumentId);
    const held = this.account.lockedBy(id);
    const currency = this.account.lockCurrency(id);
    this.account.release(id);
    const admission = this.admit(instrument, spec, order.filled);
    if (admission.problem !== undefined) {
      if (held !== undefined && currency !== undefined) this.account.lock(id, currency, held);
      this.emit({ type: 'OrderModifyRejected', clientOrderId: id, reason: admission.problem }, ts);
      return;
    }
    if (this.market.referencePrice(instrument) !== undefined && admission.need !== undefined) this.account.lock(id, admission.need.currency, admission.need.amount);
    const moved = (to: Fixed | undefined, from: Fixed | undefined): boolean => to !== undefined && (from === undefined || !to.eq(from));
    const repriced = moved(request.price, order.spec.price) || moved(request.triggerPrice, order.spec.triggerPrice);
    const requeue = repriced || spec.quantity.gt(order.spec.quantity);
    order.spec = spec;
    if (requeue) {
      order.arrival = ts;
      order.afterBarTs = this.market.existingState(spec.instrumentId)?.lastBar?.ts ?? Number.NEGATIVE_INFINITY;
      if (order.queue !== undefined) this.joinQueue(instrument, order);
    }
    // A new price is checked against its first bar's open as a new order's is (taker, or post-only rejected).
    if (repriced) order.firstBar = true;
    refreshHint(order);
    this.emit({ type: 'OrderUpdated', ...request }, ts);
  }

  // --- fills and endings --------------------------------------------------------------------------------------

  /**
   * Bar mode: fills what is left of `order`, at most `capacity` (the bar's volume share still free, when capped);
   * a FOK order that cannot fill whole is canceled, an IOC order's remainder too. Slippage stays within the bar's
   * `range`. Returns what was filled.
   */
  protected fillOnBar(order: WorkingOrder, price: Fixed, liquidity: 'maker' | 'taker', capacity: Fixed | undefined, ts: UnixMs, volume: number, range: PriceRange): Fixed {
    const leaves = order.spec.quantity.sub(order.filled);
    const quantity = capacity === undefined ? leaves : leaves.min(capacity);
    if (order.spec.timeInForce === 'FOK' && quantity.lt(leaves)) {
      this.finish(order, 'canceled', 'FOK order could not be filled in full', ts);
      return Fixed.zero(leaves.scale);
    }
    if (!quantity.isPositive()) return Fixed.zero(leaves.scale);
    const filled = this.fill(order, quantity, price, liquidity, ts, volume, range);
    if (order.status === 'open' && order.spec.timeInForce === 'IOC') this.finish(order, 'canceled', 'IOC remainder canceled', ts);
    return filled;
  }

  /**
   * Executes `quantity` of `order`; returns what was filled (reduce-only orders never grow a position). A taker's
   * slippage stays within `range` (a bar fill's low and high) when given.
   */
  fill(order: WorkingOrder, quantity: Fixed, price: Fixed, liquidity: 'maker' | 'taker', ts: UnixMs, volume: number | undefined, range?: PriceRange): Fixed {
    const instrument = this.market.instrument(order.spec.instrumentId);
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
    const slippage = this.optionsOf(instrument.id).slippage;
    let execution = liquidity === 'taker' ? applySlippage(instrument, order.spec, price, qty, volume, slippage, range) : price;
    const shortfall = this.shortfall(order, instrument, qty, execution, liquidity);
    if (shortfall !== undefined) {
      if (!shortfall.quantity.isPositive()) {
        this.finish(order, 'rejected', shortfall.problem, ts);
        return Fixed.zero();
      }
      qty = shortfall.quantity;
      if (liquidity === 'taker') execution = applySlippage(instrument, order.spec, price, qty, volume, slippage, range);
    }
    const notional = notionalOf(instrument, qty, execution);
    const fees = feeFor(instrument, notional, liquidity, this.scales, order.fees);
    const value = addToRunning(order.value, notional, this.scales.of(instrument.settle));
    const fee = fees.part;
    order.fees = fees.total;
    order.value = value.total;
    const leaves = order.spec.quantity.sub(order.filled);
    this.account.releasePart(id, qty, leaves);
    this.account.applyFill(instrument, order.spec.side, qty, execution, fee, value.part);
    order.filled = order.filled.add(qty);
    this.market.setPrice(instrument.id, execution);
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
    if (order.status === 'open' && shortfall !== undefined) this.finish(order, 'canceled', `${shortfall.problem}; the rest is canceled`, ts);
    return qty;
  }

  /**
   * An order admitted against the last price can cost more when it fills (a gap, a stop filled beyond its trigger).
   * A spot buy, or a perpetual fill that opens or grows a position, may use what the order holds plus the free
   * balance, no more: beyond that it is cut to the lots that fit (undefined when all of it does). Closing fills
   * and sells pay for themselves.
   */
  private shortfall(order: WorkingOrder, instrument: Instrument, quantity: Fixed, price: Fixed, liquidity: 'maker' | 'taker'): { quantity: Fixed; problem: string } | undefined {
    const spec = order.spec;
    if (spec.reduceOnly) return undefined;
    const spot = instrument.kind === 'spot';
    const position = this.account.position(instrument.id)?.quantity;
    const closing = position !== undefined && !position.isZero() && position.isPositive() !== (spec.side === 'buy');
    if (spot ? spec.side === 'sell' : closing) return undefined;
    const currency = instrument.settle;
    const scale = this.scales.of(currency);
    const leverage = this.leverageOf(instrument);
    const cost = (qty: Fixed): Fixed => {
      const notional = notionalOf(instrument, qty, price);
      const fee = feeFor(instrument, notional, liquidity, this.scales, order.fees).part;
      const value = spot ? addToRunning(order.value, notional, scale).part : notional.rescale(scale, 'up').div(leverage, scale, 'up');
      return value.add(fee);
    };
    const need = cost(quantity);
    const held = this.account.lockedBy(spec.clientOrderId) ?? Fixed.zero(scale);
    if (need.lte(held)) return undefined;
    const available = held.add(this.account.free(currency, this.market.marks));
    if (need.lte(available)) return undefined;
    const lot = instrument.lotSize;
    let fits = available.isPositive() ? quantity.mul(available).div(need, Math.max(quantity.scale, lot.scale), 'down').quantize(lot, 'down') : Fixed.zero(quantity.scale);
    while (fits.isPositive() && cost(fits).gt(available)) fits = fits.sub(lot);
    const what = spot ? 'insufficient balance' : 'insufficient margin';
    return {
      quantity: fits,
      problem: `${what} at the fill price ${price.toPlainString()}: ${quantity.toPlainString()} needs ${need.toPlainString()} ${currency}, ${available.toPlainString()} available`,
    };
  }

  trigger(order: WorkingOrder, ts: UnixMs): void {
    if (order.triggered) return;
    order.triggered = true;
    refreshHint(order);
    this.emit({ type: 'OrderTriggered', clientOrderId: order.spec.clientOrderId }, ts);
  }

  /**
   * Ends an order. One that has already filled in part cannot be rejected (its fills stand): what the venue refuses
   * of it then (a post-only repriced to take, a rest no funds are left for) is canceled, with the same reason.
   */
  finish(order: WorkingOrder, ending: 'canceled' | 'rejected' | 'expired', reason: string, ts: UnixMs): void {
    const status = ending === 'rejected' && order.filled.isPositive() ? 'canceled' : ending;
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
    const list = this.market.stateOf(order.spec.instrumentId).open;
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

  /** Cancels every open order holding `currency` locked, with `reason`. */
  protected cancelHolding(currency: Currency, reason: string, ts: UnixMs): void {
    for (const id of this.account.lockHolders(currency)) {
      const order = this.working.get(id);
      if (order !== undefined && order.status === 'open') this.finish(order, 'canceled', reason, ts);
    }
  }

  /** GTD orders whose expiry has come are expired before the data at `ts` can fill them. */
  protected expire(st: InstrumentState, ts: UnixMs): void {
    const list = st.open;
    if (list.length === 0) return;
    for (const order of [...list]) {
      const at = order.spec.expireAt;
      if (at !== undefined && at <= ts) this.finish(order, 'expired', 'GTD expiry', at);
    }
  }

  // --- what matching at the touch reads (TouchVenue) -----------------------------------------------------------

  /** The latest price: exact when known, else the latest bar close converted (and kept) on demand. */
  referencePrice(instrument: Instrument): Fixed | undefined {
    return this.market.referencePrice(instrument);
  }

  touch(id: InstrumentId): Touch | undefined {
    return this.market.touch(id);
  }

  book(id: InstrumentId): OrderBook | undefined {
    return this.market.book(id);
  }

  bookSetAside(id: InstrumentId): boolean {
    return this.market.bookSetAside(id);
  }

  openOrders(id: InstrumentId): readonly WorkingOrder[] {
    return this.market.stateOf(id).open;
  }

  // --- helpers ------------------------------------------------------------------------------------------------

  private leverageOf(instrument: Instrument): Fixed {
    if (instrument.kind === 'spot') return ONE;
    const wanted = this.options.leverage?.get(instrument.id) ?? ONE;
    return wanted.min(instrument.maxLeverage);
  }

  protected emit(report: VenueOrderReport, ts: UnixMs): void {
    if (this.listener === undefined) return;
    (report as { tsEvent?: UnixMs }).tsEvent = ts;
    this.listener(report as VenueReport);
  }
}
