import { InvariantViolation } from '../core/errors.js';
import { Fixed } from '../core/fixed.js';
import type { ClientOrderId, Currency, InstrumentId } from '../core/ids.js';
import type { UnixMs } from '../core/time.js';
import type {
  DeskEvent,
  FundingApplied,
  FundsDeposited,
  FundsWithdrawn,
  OrderFilled,
  OrderSubmitted,
  OrderUpdated,
  ProfitSwept,
} from '../domain/events.js';
import { fundsRequired } from '../domain/funds.js';
import type { CurrencyScales, Instrument } from '../domain/instrument.js';
import type { OrderSide } from '../domain/order.js';
import { applyFillToPosition, flatPosition, unrealisedPnl, valueAt, type PositionState } from '../domain/position.js';
import type { AccountKind, Posting } from './accounts.js';
import { Journal } from './journal.js';

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
  /** Quantity still open. */
  leaves: Fixed;
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

  constructor(private readonly config: LedgerConfig) {}

  validate(event: DeskEvent): string | undefined {
    switch (event.type) {
      case 'FundsDeposited':
        return this.amountProblem(event.currency, event.amount, 'deposit');
      case 'FundsWithdrawn':
      case 'ProfitSwept': {
        const label = event.type === 'FundsWithdrawn' ? 'withdrawal' : 'profit sweep';
        const problem = this.amountProblem(event.currency, event.amount, label);
        if (problem !== undefined) return problem;
        const available = this.journal.balance(event.owner, 'cash', event.currency);
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
    return this.positions.get(positionKey(owner, instrumentId));
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
    if (event.price !== undefined) {
      const need = this.requirement(open.instrument, open.side, event.quantity ?? open.leaves, event.price, open.reduceOnly);
      const extra = this.toUnits(need.currency, need.amount) - open.reserved;
      if (extra > 0n && extra > this.journal.balance(open.owner, need.from, need.currency)) {
        return `insufficient funds to update ${event.clientOrderId}`;
      }
    }
    return undefined;
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
    const need = this.requirement(instrument, order.side, order.quantity, event.reservePrice, order.reduceOnly);
    const amount = this.toUnits(need.currency, need.amount);
    if (amount !== 0n) {
      this.journal.post(event.tsEvent, event.id, `reserve ${order.clientOrderId}`, [
        { owner: order.owner, currency: need.currency, kind: need.from, amount: -amount },
        { owner: order.owner, currency: need.currency, kind: 'reserved', amount },
      ]);
    }
    this.orders.set(order.clientOrderId, {
      owner: order.owner,
      instrument,
      side: order.side,
      reduceOnly: order.reduceOnly,
      currency: need.currency,
      from: need.from,
      reserved: amount,
      leaves: order.quantity,
    });
  }

  private onOrderUpdated(event: OrderUpdated): void {
    const open = this.orders.get(event.clientOrderId);
    if (open === undefined) return;
    const leaves = event.quantity ?? open.leaves;
    if (event.price !== undefined || event.quantity !== undefined) {
      const price = event.price;
      if (price !== undefined) {
        const need = this.requirement(open.instrument, open.side, leaves, price, open.reduceOnly);
        this.moveReservation(open, this.toUnits(need.currency, need.amount), event.tsEvent, event.id, event.clientOrderId);
      } else if (open.leaves.isPositive()) {
        const scaled = (open.reserved * leaves.unitsAt(Math.max(leaves.scale, open.leaves.scale))) /
          open.leaves.unitsAt(Math.max(leaves.scale, open.leaves.scale));
        this.moveReservation(open, scaled, event.tsEvent, event.id, event.clientOrderId);
      }
    }
    open.leaves = leaves;
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
    const instrument = open.instrument;
    const owner = open.owner;
    const settle = instrument.settle;
    const settleScale = this.config.scales.of(settle);
    const key = positionKey(owner, instrument.id);
    const before = this.positions.get(key) ?? flatPosition(instrument.id, settleScale, instrument.sizePrecision);
    const change = applyFillToPosition(before, instrument, fill.side, fill.quantity, fill.price, settleScale);
    const postings: Posting[] = [];

    // Release the filled share of the reservation back to where it came from; the trade then moves real amounts.
    const lastFill = fill.quantity.eq(open.leaves);
    const release = lastFill
      ? open.reserved
      : (open.reserved * fill.quantity.unitsAt(Math.max(fill.quantity.scale, open.leaves.scale))) /
        open.leaves.unitsAt(Math.max(fill.quantity.scale, open.leaves.scale));
    if (release !== 0n) {
      postings.push(
        { owner, currency: open.currency, kind: 'reserved', amount: -release },
        { owner, currency: open.currency, kind: open.from, amount: release },
      );
    }

    const pnl = change.realisedPnl.units;
    if (instrument.kind === 'spot') {
      const traded = change.closedValue.units + change.openedValue.units;
      const baseUnits = this.toUnits(instrument.base, fill.quantity);
      const sign = fill.side === 'buy' ? 1n : -1n;
      postings.push(
        { owner, currency: settle, kind: 'cash', amount: -sign * traded },
        { owner, currency: settle, kind: 'conversion', amount: sign * traded },
        { owner, currency: instrument.base, kind: 'asset', amount: sign * baseUnits },
        { owner, currency: instrument.base, kind: 'conversion', amount: -sign * baseUnits },
      );
      if (pnl !== 0n) {
        postings.push(
          { owner, currency: settle, kind: 'conversion', amount: pnl },
          { owner, currency: settle, kind: 'realised-pnl', amount: -pnl },
        );
      }
    } else {
      if (pnl !== 0n) {
        postings.push(
          { owner, currency: settle, kind: 'cash', amount: pnl },
          { owner, currency: settle, kind: 'realised-pnl', amount: -pnl },
        );
      }
      const marginKey = key;
      const posted = this.postedMargin.get(marginKey) ?? 0n;
      const required = change.next.costBasis.div(this.leverageOf(instrument), settleScale, 'up').units;
      if (required !== posted) {
        postings.push(
          { owner, currency: settle, kind: 'cash', amount: posted - required },
          { owner, currency: settle, kind: 'margin', amount: required - posted },
        );
      }
    }

    if (!fill.fee.isZero()) {
      const fee = this.toUnits(fill.feeCurrency, fill.fee);
      const payFrom: AccountKind = instrument.kind === 'spot' && fill.feeCurrency === instrument.base ? 'asset' : 'cash';
      postings.push(
        { owner, currency: fill.feeCurrency, kind: payFrom, amount: -fee },
        { owner, currency: fill.feeCurrency, kind: 'fees', amount: fee },
      );
    }

    this.journal.post(event.tsEvent, event.id, `fill ${fill.clientOrderId} ${fill.side} ${fill.quantity.toPlainString()}@${fill.price.toPlainString()}`, postings);
    this.positions.set(key, change.next);
    if (instrument.kind === 'perpetual') {
      this.postedMargin.set(key, change.next.costBasis.div(this.leverageOf(instrument), settleScale, 'up').units);
    }
    open.reserved -= release;
    open.leaves = open.leaves.sub(fill.quantity);
    if (open.leaves.isZero()) this.orders.delete(fill.clientOrderId);
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

function positionKey(owner: string, instrumentId: InstrumentId): string {
  return `${owner}\u0000${instrumentId}`;
}
