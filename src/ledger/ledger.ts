import { InvariantViolation } from '../core/errors.js';
import { Fixed } from '../core/fixed.js';
import type { ClientOrderId, Currency, InstrumentId } from '../core/ids.js';
import type { UnixMs } from '../core/time.js';
import type {
  DeskEvent,
  FundingApplied,
  FundsDeposited,
  FundsTransferred,
  FundsWithdrawn,
  OrderFilled,
  OrderSubmitted,
  OrderUpdated,
  PositionLiquidated,
  ProfitSwept,
} from '../domain/events.js';
import { fundsRequired, type FundsRequirement } from '../domain/funds.js';
import type { CurrencyScales, Instrument } from '../domain/instrument.js';
import type { OrderSide } from '../domain/order.js';
import { applyFillToPosition, flatPosition, unrealisedPnl, valueAt, type PositionState } from '../domain/position.js';
import type { AccountKind, Posting } from './accounts.js';
import { Journal } from './journal.js';
import { feeLegs, moveLegs, perpetualTradeLegs, spotTradeLegs } from './trade-postings.js';

export interface LedgerConfig {
  readonly instruments: ReadonlyMap<InstrumentId, Instrument>;
  readonly scales: CurrencyScales;
  /** Leverage per perpetual (default 1). */
  readonly leverage?: ReadonlyMap<InstrumentId, Fixed>;
}

interface OpenOrder {
  readonly owner: string;
  readonly instrument: Instrument;
  readonly side: OrderSide;
  readonly reduceOnly: boolean;
  readonly currency: Currency;
  readonly from: 'cash' | 'asset';
  /** Still reserved, in the currency's units. */
  reserved: bigint;
  /** The price the reservation is sized at (the reserve price, or the latest updated limit). */
  reservePrice: Fixed;
  /** The order's quantity: an update's quantity is the new total, so leaves are that less what has filled. */
  quantity: Fixed;
  /** Quantity still open. */
  leaves: Fixed;
  /** The exact value of the fills so far, and what the books have taken as their value (its rounding, in units). */
  filledValue: Fixed;
  bookedValue: bigint;
  /** Looked up once at submission for the fills: the position's key and the settlement and base scales. */
  readonly positionKey: string;
  readonly settleScale: number;
  readonly baseScale: number;
}

/**
 * The books: a projection of desk events into a double-entry journal, net positions per owner and instrument,
 * reservations for open orders and posted margin. `validate` says why an event cannot be applied, before
 * anything changes; `apply` then records it. Pure and synchronous: no I/O, no clock.
 */
export class Ledger {
  readonly journal = new Journal();
  private readonly orders = new Map<ClientOrderId, OpenOrder>();
  private readonly positions = new Map<string, PositionState>();
  private readonly postedMargin = new Map<string, bigint>();
  private readonly marks = new Map<InstrumentId, Fixed>();
  /** Position keys by owner and instrument: built once, not concatenated (and hashed afresh) on every lookup. */
  private readonly keys = new Map<string, Map<InstrumentId, string>>();
  /** The submission validated last and what it must hold back. */
  private checked: { readonly event: OrderSubmitted; readonly need: FundsRequirement } | undefined;

  constructor(private readonly config: LedgerConfig) {}

  validate(event: DeskEvent): string | undefined {
    switch (event.type) {
      case 'FundsDeposited':
        return this.amountProblem(event.currency, event.amount, 'deposit');
      case 'FundsWithdrawn':
      case 'ProfitSwept':
      case 'FundsTransferred': {
        const label = event.type === 'FundsWithdrawn' ? 'withdrawal' : event.type === 'ProfitSwept' ? 'profit sweep' : 'transfer';
        const problem = this.amountProblem(event.currency, event.amount, label);
        if (problem !== undefined) return problem;
        const source = event.type === 'FundsTransferred' ? event.from : event.owner;
        if (event.type === 'FundsTransferred' && event.from === event.to) return `a transfer needs two different owners, got ${event.from} twice`;
        const available = this.journal.balance(source, 'cash', event.currency);
        const wanted = this.toUnits(event.currency, event.amount);
        if (wanted > available) {
          return `${label} of ${event.amount.toPlainString()} ${event.currency} exceeds available cash ${this.format(event.currency, available)}`;
        }
        return undefined;
      }
      case 'OrderSubmitted':
        return this.validateSubmitted(event);
      case 'OrderUpdated':
        return this.validateUpdated(event);
      case 'OrderFilled':
        return this.validateFill(event);
      case 'PositionLiquidated':
        return this.validateLiquidation(event);
      case 'FundingApplied': {
        const instrument = this.config.instruments.get(event.instrumentId);
        if (instrument === undefined) return `funding for unknown instrument ${event.instrumentId}`;
        if (instrument.kind !== 'perpetual') return `funding applies to perpetuals, not ${event.instrumentId}`;
        return undefined;
      }
      case 'MarksUpdated':
        for (const mark of event.marks) {
          if (!this.config.instruments.has(mark.instrumentId)) return `mark for unknown instrument ${mark.instrumentId}`;
          if (!mark.price.isPositive()) return `mark price for ${mark.instrumentId} must be positive, got ${mark.price.toString()}`;
        }
        return undefined;
      default:
        return undefined;
    }
  }

  apply(event: DeskEvent): void {
    switch (event.type) {
      case 'FundsDeposited':
        return this.onFundsDeposited(event);
      case 'FundsWithdrawn':
        return this.onFundsWithdrawn(event);
      case 'ProfitSwept':
        return this.onProfitSwept(event);
      case 'FundsTransferred':
        return this.onFundsTransferred(event);
      case 'OrderSubmitted':
        return this.onOrderSubmitted(event);
      case 'OrderUpdated':
        return this.onOrderUpdated(event);
      case 'OrderFilled':
        return this.onOrderFilled(event);
      case 'OrderCanceled':
      case 'OrderRejected':
      case 'OrderExpired':
        return this.releaseAll(event.clientOrderId, event.tsEvent, event.id, event.type);
      case 'FundingApplied':
        return this.onFundingApplied(event);
      case 'PositionLiquidated':
        return this.onPositionLiquidated(event);
      case 'MarksUpdated':
        for (const mark of event.marks) this.marks.set(mark.instrumentId, mark.price);
        return;
      default:
        return;
    }
  }

  // --- reading ---------------------------------------------------------------------------------------------

  /** Balance on the account's normal side, as a decimal at the currency's scale. */
  balance(owner: string, kind: AccountKind, currency: Currency): Fixed {
    return Fixed.fromUnits(this.journal.balance(owner, kind, currency), this.config.scales.of(currency));
  }

  position(owner: string, instrumentId: InstrumentId): PositionState | undefined {
    return this.positions.get(this.keyOf(owner, instrumentId));
  }

  allPositions(): { owner: string; position: PositionState }[] {
    return [...this.positions.entries()]
      .sort((a, b) => (a[0] < b[0] ? -1 : 1))
      .map(([key, position]) => ({ owner: key.split('\u0000')[0] ?? '', position }));
  }

  mark(instrumentId: InstrumentId): Fixed | undefined {
    return this.marks.get(instrumentId);
  }

  /** Quantity still open on a tracked order (undefined once it is done). */
  openQuantity(clientOrderId: ClientOrderId): Fixed | undefined {
    return this.orders.get(clientOrderId)?.leaves;
  }

  /**
   * Equity of `owner` in `currency`: cash, reservations, margin and reserve in that currency, plus spot holdings
   * of instruments quoted in it marked at their mark price, plus unrealised PnL of perpetuals settled in it.
   * Positions without a mark are valued at cost.
   */
  equity(owner: string, currency: Currency): Fixed {
    const scale = this.config.scales.of(currency);
    let units =
      this.journal.raw(owner, 'cash', currency) +
      this.journal.raw(owner, 'reserved', currency) +
      this.journal.raw(owner, 'margin', currency) +
      this.journal.raw(owner, 'reserve', currency);
    for (const [key, position] of this.positions) {
      if (!key.startsWith(`${owner}\u0000`) || position.quantity.isZero()) continue;
      const instrument = this.instrument(position.instrumentId);
      if (instrument.settle !== currency) continue;
      const mark = this.marks.get(position.instrumentId);
      if (instrument.kind === 'spot') {
        units += mark === undefined ? position.costBasis.units : valueAt(instrument, position.quantity, mark, scale).units;
      } else if (mark !== undefined) {
        units += unrealisedPnl(position, instrument, mark, scale).units;
      }
    }
    return Fixed.fromUnits(units, scale);
  }

  /** Gross notional of open positions at mark (cost where unmarked), in `currency`. */
  grossExposure(owner: string, currency: Currency): Fixed {
    const scale = this.config.scales.of(currency);
    let total = Fixed.zero(scale);
    for (const [key, position] of this.positions) {
      if (!key.startsWith(`${owner}\u0000`) || position.quantity.isZero()) continue;
      const instrument = this.instrument(position.instrumentId);
      if (instrument.settle !== currency) continue;
      const mark = this.marks.get(position.instrumentId);
      total = total.add(mark === undefined ? position.costBasis : valueAt(instrument, position.quantity, mark, scale));
    }
    return total;
  }

  /** A canonical, comparable picture of the books (for replay checks). */
  snapshot(): unknown {
    return {
      balances: this.journal.snapshot(),
      entries: this.journal.length,
      positions: this.allPositions().map(({ owner, position }) => ({
        owner,
        instrumentId: position.instrumentId,
        quantity: position.quantity.toString(),
        costBasis: position.costBasis.toString(),
        realisedPnl: position.realisedPnl.toString(),
      })),
      openOrders: [...this.orders.entries()]
        .sort((a, b) => (a[0] < b[0] ? -1 : 1))
        .map(([id, o]) => ({ id, reserved: o.reserved.toString(), leaves: o.leaves.toString() })),
      margin: Object.fromEntries([...this.postedMargin.entries()].sort().map(([k, v]) => [k, v.toString()])),
      marks: Object.fromEntries([...this.marks.entries()].sort().map(([k, v]) => [k, v.toString()])),
    };
  }

  // --- validation ------------------------------------------------------------------------------------------

  private validateSubmitted(event: OrderSubmitted): string | undefined {
    const order = event.order;
    if (this.orders.has(order.clientOrderId)) return `order ${order.clientOrderId} is already tracked`;
    const instrument = this.config.instruments.get(order.instrumentId);
    if (instrument === undefined) return `unknown instrument ${order.instrumentId}`;
    if (!event.reservePrice.isPositive()) return `reserve price must be positive, got ${event.reservePrice.toString()}`;
    const need = this.requirement(instrument, order.side, order.quantity, event.reservePrice, order.reduceOnly);
    this.checked = { event, need };
    const have = this.journal.balance(order.owner, need.from, need.currency);
    const needUnits = this.toUnits(need.currency, need.amount);
    if (needUnits > have) {
      return `insufficient funds for ${order.clientOrderId}: needs ${need.amount.toPlainString()} ${need.currency}, ${need.from} available ${this.format(need.currency, have)}`;
    }
    return undefined;
  }

  private validateUpdated(event: OrderUpdated): string | undefined {
    const open = this.orders.get(event.clientOrderId);
    if (open === undefined) return `update for unknown order ${event.clientOrderId}`;
    if (event.quantity !== undefined && !event.quantity.isPositive()) return 'an updated quantity must be positive';
    if (event.quantity !== undefined && event.quantity.lte(filledOf(open))) {
      return `updated quantity ${event.quantity.toPlainString()} of ${event.clientOrderId} is not above the ${filledOf(open).toPlainString()} already filled`;
    }
    const extra = this.reservationAfter(open, event) - open.reserved;
    if (extra > 0n && extra > this.journal.balance(open.owner, open.from, open.currency)) {
      return `insufficient funds to update ${event.clientOrderId}`;
    }
    return undefined;
  }

  /** What an order should hold back once `event` changes its quantity (the new total) or price. */
  private reservationAfter(open: OpenOrder, event: OrderUpdated): bigint {
    const leaves = event.quantity === undefined ? open.leaves : event.quantity.sub(filledOf(open));
    const need = this.requirement(open.instrument, open.side, leaves, event.price ?? open.reservePrice, open.reduceOnly);
    return this.toUnits(need.currency, need.amount);
  }

  private validateFill(event: OrderFilled): string | undefined {
    const fill = event.fill;
    const open = this.orders.get(fill.clientOrderId);
    if (open === undefined) return `fill for unknown order ${fill.clientOrderId}`;
    if (fill.instrumentId !== open.instrument.id) return `fill instrument ${fill.instrumentId} differs from order's ${open.instrument.id}`;
    if (fill.side !== open.side) return `fill side ${fill.side} differs from order's ${open.side}`;
    if (!fill.quantity.isPositive()) return `fill quantity must be positive, got ${fill.quantity.toString()}`;
    if (!fill.price.isPositive()) return `fill price must be positive, got ${fill.price.toString()}`;
    if (fill.quantity.gt(open.leaves)) {
      return `fill of ${fill.quantity.toPlainString()} exceeds the ${open.leaves.toPlainString()} still open on ${fill.clientOrderId}`;
    }
    return undefined;
  }

  private amountProblem(currency: Currency, amount: Fixed, label: string): string | undefined {
    if (!amount.isPositive()) return `${label} amount must be positive, got ${amount.toString()}`;
    const scale = this.config.scales.of(currency);
    if (amount.scale > scale && !amount.rescale(scale, 'down').eq(amount)) {
      return `${label} amount ${amount.toPlainString()} has more than ${scale} decimals for ${currency}`;
    }
    return undefined;
  }

  // --- postings --------------------------------------------------------------------------------------------

  private onFundsDeposited(event: FundsDeposited): void {
    const amount = this.toUnits(event.currency, event.amount);
    this.journal.post(event.tsEvent, event.id, 'deposit', [
      { owner: event.owner, currency: event.currency, kind: 'cash', amount },
      { owner: event.owner, currency: event.currency, kind: 'capital', amount: -amount },
    ]);
  }

  private onFundsWithdrawn(event: FundsWithdrawn): void {
    const amount = this.toUnits(event.currency, event.amount);
    this.journal.post(event.tsEvent, event.id, 'withdrawal', [
      { owner: event.owner, currency: event.currency, kind: 'cash', amount: -amount },
      { owner: event.owner, currency: event.currency, kind: 'capital', amount },
    ]);
  }

  /** Cash and capital move together, so each owner's PnL (equity less capital) is untouched by the transfer. */
  private onFundsTransferred(event: FundsTransferred): void {
    const amount = this.toUnits(event.currency, event.amount);
    this.journal.post(event.tsEvent, event.id, `transfer ${event.from} -> ${event.to}`, [
      { owner: event.from, currency: event.currency, kind: 'cash', amount: -amount },
      { owner: event.from, currency: event.currency, kind: 'capital', amount },
      { owner: event.to, currency: event.currency, kind: 'cash', amount },
      { owner: event.to, currency: event.currency, kind: 'capital', amount: -amount },
    ]);
  }

  private onProfitSwept(event: ProfitSwept): void {
    const amount = this.toUnits(event.currency, event.amount);
    this.journal.post(event.tsEvent, event.id, 'profit sweep', [
      { owner: event.owner, currency: event.currency, kind: 'cash', amount: -amount },
      { owner: event.owner, currency: event.currency, kind: 'reserve', amount },
    ]);
  }

  private onOrderSubmitted(event: OrderSubmitted): void {
    const order = event.order;
    const instrument = this.instrument(order.instrumentId);
    // What validation just worked out for this event (a pure function of it), else worked out now.
    const checked = this.checked;
    this.checked = undefined;
    const need = checked?.event === event ? checked.need : this.requirement(instrument, order.side, order.quantity, event.reservePrice, order.reduceOnly);
    const amount = this.toUnits(need.currency, need.amount);
    if (amount !== 0n) {
      const postings: Posting[] = [
        { owner: order.owner, currency: need.currency, kind: need.from, amount: -amount },
        { owner: order.owner, currency: need.currency, kind: 'reserved', amount },
      ];
      this.journal.post(event.tsEvent, event.id, reserveMemo, postings, order.clientOrderId);
    }
    this.orders.set(order.clientOrderId, {
      owner: order.owner,
      instrument,
      side: order.side,
      reduceOnly: order.reduceOnly,
      currency: need.currency,
      from: need.from,
      reserved: amount,
      reservePrice: event.reservePrice,
      quantity: order.quantity,
      leaves: order.quantity,
      filledValue: ZERO,
      bookedValue: 0n,
      positionKey: this.keyOf(order.owner, instrument.id),
      settleScale: this.config.scales.of(instrument.settle),
      baseScale: this.config.scales.of(instrument.base),
    });
  }

  private onOrderUpdated(event: OrderUpdated): void {
    const open = this.orders.get(event.clientOrderId);
    if (open === undefined) return;
    if (event.price === undefined && event.quantity === undefined) return;
    this.moveReservation(open, this.reservationAfter(open, event), event.tsEvent, event.id, event.clientOrderId);
    if (event.price !== undefined) open.reservePrice = event.price;
    if (event.quantity !== undefined) {
      open.leaves = event.quantity.sub(filledOf(open));
      open.quantity = event.quantity;
    }
  }

  private moveReservation(open: OpenOrder, target: bigint, ts: UnixMs, eventId: string, id: ClientOrderId): void {
    const delta = target - open.reserved;
    if (delta === 0n) return;
    this.journal.post(ts, eventId, `re-reserve ${id}`, [
      { owner: open.owner, currency: open.currency, kind: open.from, amount: -delta },
      { owner: open.owner, currency: open.currency, kind: 'reserved', amount: delta },
    ]);
    open.reserved = target;
  }

  private releaseAll(id: ClientOrderId, ts: UnixMs, eventId: string, why: string): void {
    const open = this.orders.get(id);
    if (open === undefined) return;
    if (open.reserved !== 0n) {
      this.journal.post(ts, eventId, `release ${id} (${why})`, [
        { owner: open.owner, currency: open.currency, kind: 'reserved', amount: -open.reserved },
        { owner: open.owner, currency: open.currency, kind: open.from, amount: open.reserved },
      ]);
    }
    this.orders.delete(id);
  }

  private onOrderFilled(event: OrderFilled): void {
    const fill = event.fill;
    const open = this.orders.get(fill.clientOrderId);
    if (open === undefined) throw new InvariantViolation(`fill for untracked order ${fill.clientOrderId}`);
    const { instrument, owner, settleScale } = open;
    const settle = instrument.settle;
    const before = this.positions.get(open.positionKey) ?? flatPosition(instrument.id, settleScale, instrument.sizePrecision);
    // The fill is valued as the order's rounded running total less what its earlier fills were booked at, so parts
    // add up to the value of the whole and never exceed what the reservation holds for it.
    const filledValue = open.filledValue.add(fill.quantity.mul(instrument.contractSize).mul(fill.price));
    const bookedValue = filledValue.rescale(settleScale, 'half-even').units;
    const tradedValue = Fixed.fromUnits(bookedValue - open.bookedValue, settleScale);
    const change = applyFillToPosition(before, instrument, fill.side, fill.quantity, fill.price, settleScale, tradedValue);
    const postings: Posting[] = [];

    let margin: bigint | undefined;
    if (instrument.kind === 'spot') {
      spotTradeLegs(postings, owner, instrument, fill.side, fill.quantity.rescale(open.baseScale, 'half-even').units, change);
    } else {
      margin = change.next.costBasis.div(this.leverageOf(instrument), settleScale, 'up').units;
      perpetualTradeLegs(postings, owner, settle, change.realisedPnl.units, this.postedMargin.get(open.positionKey) ?? 0n, margin);
    }
    if (!fill.fee.isZero()) {
      const payFrom: AccountKind = instrument.kind === 'spot' && fill.feeCurrency === instrument.base ? 'asset' : 'cash';
      feeLegs(postings, owner, fill.feeCurrency, this.toUnits(fill.feeCurrency, fill.fee), payFrom);
    }

    // Release reserved funds back to where they came from; the legs above move the real amounts. The entry's
    // description is written from the fill only when someone reads the journal.
    const release = this.releaseFor(open, fill.quantity, postings);
    moveLegs(postings, owner, open.currency, 'reserved', open.from, release);
    this.journal.post(event.tsEvent, event.id, fillMemo, postings, [fill.clientOrderId, fill.side, fill.quantity, fill.price] as const);
    this.positions.set(open.positionKey, change.next);
    if (margin !== undefined) this.postedMargin.set(open.positionKey, margin);
    open.reserved -= release;
    open.filledValue = filledValue;
    open.bookedValue = bookedValue;
    open.leaves = open.leaves.sub(fill.quantity);
    if (open.leaves.isZero()) this.orders.delete(fill.clientOrderId);
  }

  /**
   * What a fill frees of its order's reservation: all of it on the last fill; otherwise what the fill takes from
   * the reserving account, up to what is still reserved. The reservation covers the most the whole order can take
   * (see `fundsRequired`), so paying each part from it leaves enough for the rest; a share by quantity could free
   * more than a part cost (a fill below the reserve price) and leave a later part, rounded the other way, a unit
   * short of an account that is fully committed. A better price's saving comes back when the order ends.
   */
  private releaseFor(open: OpenOrder, quantity: Fixed, tradePostings: readonly Posting[]): bigint {
    if (quantity.eq(open.leaves)) return open.reserved;
    let taken = 0n;
    for (const posting of tradePostings) {
      if (posting.kind === open.from && posting.currency === open.currency) taken -= posting.amount;
    }
    if (taken <= 0n) return 0n;
    return taken < open.reserved ? taken : open.reserved;
  }

  /** The venue liquidates its netted position: every owner's position in the instrument. */
  private liquidatedPositions(instrumentId: InstrumentId): { key: string; owner: string; position: PositionState }[] {
    const out: { key: string; owner: string; position: PositionState }[] = [];
    for (const [key, position] of this.positions) {
      if (position.instrumentId !== instrumentId || position.quantity.isZero()) continue;
      out.push({ key, owner: key.slice(0, key.indexOf('\u0000')), position });
    }
    return out.sort((a, b) => (a.key < b.key ? -1 : 1));
  }

  private validateLiquidation(event: PositionLiquidated): string | undefined {
    const instrument = this.config.instruments.get(event.instrumentId);
    if (instrument === undefined || instrument.kind !== 'perpetual') return `liquidation of ${event.instrumentId}, which is not a known perpetual`;
    if (!event.price.isPositive() || !event.quantity.isPositive()) return 'a liquidation needs a positive price and quantity';
    if (event.fee.isNegative()) return 'a liquidation fee cannot be negative';
    const held = this.liquidatedPositions(event.instrumentId);
    if (held.length === 0) return `liquidation of ${event.instrumentId}, but the books hold no position in it`;
    const closing = held.every(({ position }) => (event.side === 'sell' ? position.quantity.isPositive() : position.quantity.isNegative()));
    if (!closing) return `a ${event.side} liquidation does not close the positions held in ${event.instrumentId}`;
    return undefined;
  }

  /**
   * Closes every owner's position in the instrument at the liquidation price: realised PnL into cash, posted margin
   * released, and the liquidation fee split by position size (half-even; the last owner takes the remainder).
   */
  private onPositionLiquidated(event: PositionLiquidated): void {
    const instrument = this.instrument(event.instrumentId);
    const settle = instrument.settle;
    const scale = this.config.scales.of(settle);
    const held = this.liquidatedPositions(event.instrumentId);
    const total = held.reduce((sum, h) => sum.add(h.position.quantity.abs()), Fixed.zero());
    const feeTotal = this.toUnits(settle, event.fee);
    let feeLeft = feeTotal;
    const postings: Posting[] = [];
    const closed: [string, PositionState][] = [];
    held.forEach(({ key, owner, position }, index) => {
      const change = applyFillToPosition(position, instrument, event.side, position.quantity.abs(), event.price, scale);
      perpetualTradeLegs(postings, owner, settle, change.realisedPnl.units, this.postedMargin.get(key) ?? 0n, 0n);
      const fee =
        index === held.length - 1
          ? feeLeft
          : Fixed.fromUnits(feeTotal, scale).mul(position.quantity.abs()).div(total, scale, 'half-even').units;
      feeLeft -= fee;
      feeLegs(postings, owner, settle, fee);
      closed.push([key, plainPosition(change.next)]);
    });
    if (postings.length > 0) this.journal.post(event.tsEvent, event.id, `liquidation ${event.instrumentId} @${event.price.toPlainString()}`, postings);
    for (const [key, position] of closed) {
      this.positions.set(key, position);
      this.postedMargin.set(key, 0n);
    }
  }

  private onFundingApplied(event: FundingApplied): void {
    const instrument = this.instrument(event.instrumentId);
    const amount = this.toUnits(instrument.settle, event.amount);
    if (amount === 0n) return;
    this.journal.post(event.tsEvent, event.id, `funding ${event.instrumentId}`, [
      { owner: event.owner, currency: instrument.settle, kind: 'cash', amount: -amount },
      { owner: event.owner, currency: instrument.settle, kind: 'funding', amount },
    ]);
  }

  // --- helpers ---------------------------------------------------------------------------------------------

  private keyOf(owner: string, instrumentId: InstrumentId): string {
    let byInstrument = this.keys.get(owner);
    if (byInstrument === undefined) {
      byInstrument = new Map();
      this.keys.set(owner, byInstrument);
    }
    let key = byInstrument.get(instrumentId);
    if (key === undefined) {
      key = positionKey(owner, instrumentId);
      byInstrument.set(instrumentId, key);
    }
    return key;
  }

  private requirement(instrument: Instrument, side: OrderSide, quantity: Fixed, price: Fixed, reduceOnly: boolean) {
    return fundsRequired(instrument, side, quantity, price, this.leverageOf(instrument), reduceOnly, this.config.scales);
  }

  leverageOf(instrument: Instrument): Fixed {
    return this.config.leverage?.get(instrument.id) ?? ONE;
  }

  private instrument(id: InstrumentId): Instrument {
    const instrument = this.config.instruments.get(id);
    if (instrument === undefined) throw new InvariantViolation(`unknown instrument ${id} reached the ledger`);
    return instrument;
  }

  private toUnits(currency: Currency, amount: Fixed): bigint {
    return amount.rescale(this.config.scales.of(currency), 'half-even').units;
  }

  private format(currency: Currency, units: bigint): string {
    return Fixed.fromUnits(units, this.config.scales.of(currency)).toPlainString();
  }
}

const ONE = Fixed.fromInt(1);
const ZERO = Fixed.zero(0);

/**
 * The position as an object of one literal shape. `applyFillToPosition` builds each next position by spreading the
 * previous one; V8 copies a literal-shaped object far faster than one that was itself made by a spread with
 * overrides, and storing this shape measured a third faster per fill. (Every field is listed: the compiler insists
 * on required ones, and an optional field added to PositionState must be added here.)
 */
function plainPosition(p: PositionState): PositionState {
  return { instrumentId: p.instrumentId, quantity: p.quantity, costBasis: p.costBasis, realisedPnl: p.realisedPnl };
}

function filledOf(open: OpenOrder): Fixed {
  return open.quantity.sub(open.leaves);
}

/** What a fill's memo is written from: just its parts (the journal keeps it packed, so the fewer leaves the better). */
type FillMemoSubject = readonly [ClientOrderId, OrderSide, Fixed, Fixed];

function fillMemo([clientOrderId, side, quantity, price]: FillMemoSubject): string {
  return `fill ${clientOrderId} ${side} ${quantity.toPlainString()}@${price.toPlainString()}`;
}

/** Written only when someone reads the journal, like the fill memo. */
function reserveMemo(clientOrderId: ClientOrderId): string {
  return `reserve ${clientOrderId}`;
}

function positionKey(owner: string, instrumentId: InstrumentId): string {
  return `${owner}\u0000${instrumentId}`;
}
