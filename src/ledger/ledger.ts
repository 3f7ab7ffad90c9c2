import { InvariantViolation } from '../core/errors.js';
import { Fixed } from '../core/fixed.js';
import type { ClientOrderId, Currency, InstrumentId } from '../core/ids.js';
import type { UnixMs } from '../core/time.js';
import type { DeskEvent, OrderFilled, OrderPendingUpdate, OrderSubmitted, OrderUpdated } from '../domain/events.js';
import type { FundsRequirement } from '../domain/funds.js';
import { notionalOf, type Instrument } from '../domain/instrument.js';
import type { OrderSide } from '../domain/order.js';
import { applyFillToPosition, flatPosition, unrealisedPnl, valueAt, type PositionState } from '../domain/position.js';
import type { AccountKind, Posting } from './accounts.js';
import { fundsMovementProblem, postFundsMovement } from './funds-movements.js';
import { Journal } from './journal.js';
import { formatUnits, knownInstrument, leverageFor, requirementFor, toUnits, type LedgerConfig } from './ledger-config.js';
import { filledOf, holdFor, pendingHoldFor, reservationAfter, type OpenOrder } from './open-order.js';
import { fillProblem, orderUpdateProblem, pendingChangeOf, pendingUpdateProblem } from './order-validation.js';
import { fundingProblem, liquidationProblem, postFunding, postLiquidation } from './perpetual-settlement.js';
import { isKeyOfOwner, ownerOfKey, PositionKeys } from './position-keys.js';
import { feeLegs, moveLegs, perpetualTradeLegs, spotTradeLegs } from './trade-postings.js';

export type { LedgerConfig } from './ledger-config.js';

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
  private readonly keys = new PositionKeys();
  /** The submission validated last and what it must hold back. */
  private checked: { readonly event: OrderSubmitted; readonly need: FundsRequirement } | undefined;

  constructor(private readonly config: LedgerConfig) {}

  validate(event: DeskEvent): string | undefined {
    switch (event.type) {
      case 'FundsDeposited':
      case 'FundsWithdrawn':
      case 'ProfitSwept':
      case 'FundsTransferred':
        return fundsMovementProblem(this.config.scales, this.journal, event);
      case 'OrderSubmitted':
        return this.validateSubmitted(event);
      case 'OrderPendingUpdate':
        return pendingUpdateProblem(this.config, this.journal, this.orders.get(event.clientOrderId), event);
      case 'OrderUpdated':
        return orderUpdateProblem(this.orders.get(event.clientOrderId), event);
      case 'OrderFilled':
        return fillProblem(this.orders.get(event.fill.clientOrderId), event.fill);
      case 'PositionLiquidated':
        return liquidationProblem(this.config, this.positions, event);
      case 'FundingApplied':
        return fundingProblem(this.config, event);
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
      case 'FundsWithdrawn':
      case 'ProfitSwept':
      case 'FundsTransferred':
        return postFundsMovement(this.config.scales, this.journal, event);
      case 'OrderSubmitted':
        return this.onOrderSubmitted(event);
      case 'OrderPendingUpdate':
        return this.onPendingUpdate(event);
      case 'OrderUpdated':
        return this.onOrderUpdated(event);
      case 'OrderModifyRejected':
        return this.onModifyRejected(event.clientOrderId, event.tsEvent, event.id);
      case 'OrderFilled':
        return this.onOrderFilled(event);
      case 'OrderCanceled':
      case 'OrderRejected':
      case 'OrderExpired':
        return this.releaseAll(event.clientOrderId, event.tsEvent, event.id, event.type);
      case 'FundingApplied':
        return postFunding(this.config, this.journal, event);
      case 'PositionLiquidated':
        return postLiquidation(this.config, this.journal, this.positions, this.postedMargin, event);
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
    return this.positions.get(this.keys.of(owner, instrumentId));
  }

  allPositions(): { owner: string; position: PositionState }[] {
    return [...this.positions.entries()]
      .sort((a, b) => (a[0] < b[0] ? -1 : 1))
      .map(([key, position]) => ({ owner: ownerOfKey(key), position }));
  }

  mark(instrumentId: InstrumentId): Fixed | undefined {
    return this.marks.get(instrumentId);
  }

  leverageOf(instrument: Instrument): Fixed {
    return leverageFor(this.config, instrument);
  }

  /** Quantity still open on a tracked order (undefined once it is done). */
  openQuantity(clientOrderId: ClientOrderId): Fixed | undefined {
    return this.orders.get(clientOrderId)?.leaves;
  }

  /**
   * Equity of `owner` in `currency`: cash, reservations, margin and reserve in that currency, plus spot holdings
   * of instruments quoted in it marked at their mark price, plus unrealised PnL of perpetuals settled in it.
   * Positions without a mark are valued at cost. `prices` values positions at other prices than the journaled marks
   * (the last closes of a run stopped between its marks), without changing anything.
   */
  equity(owner: string, currency: Currency, prices?: (instrumentId: InstrumentId) => Fixed | undefined): Fixed {
    const scale = this.config.scales.of(currency);
    let units =
      this.journal.raw(owner, 'cash', currency) +
      this.journal.raw(owner, 'reserved', currency) +
      this.journal.raw(owner, 'margin', currency) +
      this.journal.raw(owner, 'reserve', currency);
    for (const [key, position] of this.positions) {
      if (!isKeyOfOwner(key, owner) || position.quantity.isZero()) continue;
      const instrument = knownInstrument(this.config, position.instrumentId);
      if (instrument.settle !== currency) continue;
      const mark = prices?.(position.instrumentId) ?? this.marks.get(position.instrumentId);
      if (instrument.kind === 'spot') {
        units += mark === undefined ? position.costBasis.units : valueAt(instrument, position.quantity, mark, scale).units;
      } else if (mark !== undefined) {
        units += unrealisedPnl(position, instrument, mark, scale).units;
      }
    }
    return Fixed.fromUnits(units, scale);
  }

  /** The owner's (undefined: every owner's) absolute position values settled in `currency`, at mark (cost without one). */
  grossExposure(owner: string | undefined, currency: Currency): Fixed {
    const scale = this.config.scales.of(currency);
    let total = Fixed.zero(scale);
    for (const [key, position] of this.positions) {
      if ((owner !== undefined && !isKeyOfOwner(key, owner)) || position.quantity.isZero()) continue;
      const instrument = knownInstrument(this.config, position.instrumentId);
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
        .map(([id, o]) => ({ id, reserved: o.reserved.toString(), leaves: o.leaves.toString(), pendingHold: o.pendingHold.toString(), pending: o.pending.length })),
      margin: Object.fromEntries([...this.postedMargin.entries()].sort().map(([k, v]) => [k, v.toString()])),
      marks: Object.fromEntries([...this.marks.entries()].sort().map(([k, v]) => [k, v.toString()])),
    };
  }

  // --- validation ------------------------------------------------------------------------------------------

  /** Checks a submission and keeps what it must hold back, which posting the submission then needs again. */
  private validateSubmitted(event: OrderSubmitted): string | undefined {
    const order = event.order;
    if (this.orders.has(order.clientOrderId)) return `order ${order.clientOrderId} is already tracked`;
    const instrument = this.config.instruments.get(order.instrumentId);
    if (instrument === undefined) return `unknown instrument ${order.instrumentId}`;
    if (!event.reservePrice.isPositive()) return `reserve price must be positive, got ${event.reservePrice.toString()}`;
    const need = requirementFor(this.config, instrument, order.side, order.quantity, event.reservePrice, order.reduceOnly);
    this.checked = { event, need };
    const have = this.journal.balance(order.owner, need.from, need.currency);
    const needUnits = toUnits(this.config.scales, need.currency, need.amount);
    if (needUnits > have) {
      return `insufficient funds for ${order.clientOrderId}: needs ${need.amount.toPlainString()} ${need.currency}, ${need.from} available ${formatUnits(this.config.scales, need.currency, have)}`;
    }
    return undefined;
  }

  // --- order postings --------------------------------------------------------------------------------------

  private onOrderSubmitted(event: OrderSubmitted): void {
    const order = event.order;
    const instrument = knownInstrument(this.config, order.instrumentId);
    // What validation just worked out for this event (a pure function of it), else worked out now.
    const checked = this.checked;
    this.checked = undefined;
    const need = checked?.event === event ? checked.need : requirementFor(this.config, instrument, order.side, order.quantity, event.reservePrice, order.reduceOnly);
    const amount = toUnits(this.config.scales, need.currency, need.amount);
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
      filledValue: undefined,
      bookedValue: 0n,
      pending: [],
      pendingHold: 0n,
      positionKey: this.keys.of(order.owner, instrument.id),
      settleScale: this.config.scales.of(instrument.settle),
      baseScale: this.config.scales.of(instrument.base),
    });
  }

  /** A change on its way to the venue: the order holds, besides what it needs, what the change would need more. */
  private onPendingUpdate(event: OrderPendingUpdate): void {
    const open = this.orders.get(event.clientOrderId);
    if (open === undefined) return;
    open.pending.push(pendingChangeOf(event));
    this.hold(open, open.reserved, event.tsEvent, event.id, event.clientOrderId);
  }

  /**
   * The venue made the oldest change on its way: the order is now what it says and holds what that needs. Never
   * refused for funds: the hold taken when the change was sent covers it, and the venue has made it in any case.
   */
  private onOrderUpdated(event: OrderUpdated): void {
    const open = this.orders.get(event.clientOrderId);
    if (open === undefined) return;
    open.pending.shift();
    const reserved = event.price === undefined && event.quantity === undefined ? open.reserved : reservationAfter(this.config, open, event);
    if (event.price !== undefined) open.reservePrice = event.price;
    if (event.quantity !== undefined) {
      open.leaves = event.quantity.sub(filledOf(open));
      open.quantity = event.quantity;
    }
    this.hold(open, reserved, event.tsEvent, event.id, event.clientOrderId);
  }

  /** The venue refused the oldest change on its way: what was held for it goes back. */
  private onModifyRejected(id: ClientOrderId, ts: UnixMs, eventId: string): void {
    const open = this.orders.get(id);
    if (open === undefined) return;
    open.pending.shift();
    this.hold(open, open.reserved, ts, eventId, id);
  }

  /**
   * Sets what the order holds for itself, and for the changes still on their way what they need beyond that, in one
   * entry for the difference.
   */
  private hold(open: OpenOrder, reserved: bigint, ts: UnixMs, eventId: string, id: ClientOrderId): void {
    const before = open.reserved + open.pendingHold;
    open.reserved = reserved;
    open.pendingHold = pendingHoldFor(this.config, open);
    const delta = open.reserved + open.pendingHold - before;
    if (delta === 0n) return;
    this.journal.post(ts, eventId, `re-reserve ${id}`, [
      { owner: open.owner, currency: open.currency, kind: open.from, amount: -delta },
      { owner: open.owner, currency: open.currency, kind: 'reserved', amount: delta },
    ]);
  }

  private releaseAll(id: ClientOrderId, ts: UnixMs, eventId: string, why: string): void {
    const open = this.orders.get(id);
    if (open === undefined) return;
    const held = open.reserved + open.pendingHold;
    if (held !== 0n) {
      this.journal.post(ts, eventId, `release ${id} (${why})`, [
        { owner: open.owner, currency: open.currency, kind: 'reserved', amount: -held },
        { owner: open.owner, currency: open.currency, kind: open.from, amount: held },
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
    // While every fill's value is exact at the settlement scale (the usual case), the running total is what was
    // booked, and is kept only once a fill needs rounding.
    const exact = notionalOf(instrument, fill.quantity, fill.price);
    let filledValue = open.filledValue;
    let bookedValue: bigint;
    if (filledValue === undefined && exact.scale <= settleScale) {
      bookedValue = open.bookedValue + exact.unitsAt(settleScale);
    } else {
      filledValue = (filledValue ?? Fixed.fromUnits(open.bookedValue, settleScale)).add(exact);
      bookedValue = filledValue.rescale(settleScale, 'half-even').units;
    }
    const tradedValue = Fixed.fromUnits(bookedValue - open.bookedValue, settleScale);
    const change = applyFillToPosition(before, instrument, fill.side, fill.quantity, fill.price, settleScale, tradedValue);
    const postings: Posting[] = [];

    let margin: bigint | undefined;
    if (instrument.kind === 'spot') {
      spotTradeLegs(postings, owner, instrument, fill.side, fill.quantity.rescale(open.baseScale, 'half-even').units, change);
    } else {
      margin = change.next.costBasis.div(leverageFor(this.config, instrument), settleScale, 'up').units;
      perpetualTradeLegs(postings, owner, settle, change.realisedPnl.units, this.postedMargin.get(open.positionKey) ?? 0n, margin);
    }
    if (!fill.fee.isZero()) {
      const payFrom: AccountKind = instrument.kind === 'spot' && fill.feeCurrency === instrument.base ? 'asset' : 'cash';
      feeLegs(postings, owner, fill.feeCurrency, toUnits(this.config.scales, fill.feeCurrency, fill.fee), payFrom);
    }

    // Release reserved funds back to where they came from; the legs above move the real amounts. The entry's
    // description is written from the fill only when someone reads the journal.
    const release = this.releaseFor(open, fill.quantity, postings);
    // The last fill also frees what was held for changes on their way: the venue will refuse them now.
    const freed = fill.quantity.eq(open.leaves) ? release + open.pendingHold : release;
    moveLegs(postings, owner, open.currency, 'reserved', open.from, freed);
    this.journal.post(event.tsEvent, event.id, fillMemo, postings, [fill.clientOrderId, fill.side, fill.quantity, fill.price] as const);
    this.positions.set(open.positionKey, change.next);
    if (margin !== undefined) this.postedMargin.set(open.positionKey, margin);
    open.reserved -= release;
    open.filledValue = filledValue;
    open.bookedValue = bookedValue;
    open.leaves = open.leaves.sub(fill.quantity);
    if (open.leaves.isZero()) this.orders.delete(fill.clientOrderId);
    // What changes on their way need beyond the order's hold moves with what the fill left of both.
    else if (open.pending.length > 0) this.hold(open, open.reserved, event.tsEvent, event.id, fill.clientOrderId);
  }

  /**
   * What a fill frees of its order's reservation: all of it on the last fill; otherwise what the fill takes from
   * the reserving account, or more when the rest of the order needs less than is still held (a fill below the
   * reserve price, a closing perpetual fill that takes nothing), up to what is still reserved. Freeing a share by
   * quantity instead could leave a later part, rounded the other way, a unit short of an owner whose cash is all
   * committed.
   */
  private releaseFor(open: OpenOrder, quantity: Fixed, tradePostings: readonly Posting[]): bigint {
    if (quantity.eq(open.leaves)) return open.reserved;
    let taken = 0n;
    for (const posting of tradePostings) {
      if (posting.kind === open.from && posting.currency === open.currency) taken -= posting.amount;
    }
    // A held asset is the quantity itself: what a fill takes of it is exactly its part.
    if (open.from === 'asset') return taken <= 0n ? 0n : taken < open.reserved ? taken : open.reserved;
    const spare = open.reserved - holdFor(this.config, open, open.leaves.sub(quantity), open.reservePrice, true);
    const release = taken > spare ? taken : spare;
    if (release <= 0n) return 0n;
    return release < open.reserved ? release : open.reserved;
  }
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
