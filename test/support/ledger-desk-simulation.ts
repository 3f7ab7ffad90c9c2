import { expect } from 'vitest';
import { Fixed } from '../../src/core/fixed.js';
import { clientOrderId, tradeId, type ClientOrderId, type EventId } from '../../src/core/ids.js';
import type { UnixMs } from '../../src/core/time.js';
import type { DeskEvent, EventBase } from '../../src/domain/events.js';
import { CurrencyScales } from '../../src/domain/instrument.js';
import type { OrderSide } from '../../src/domain/order.js';
import { Ledger } from '../../src/ledger/ledger.js';
import {
  BTC,
  BTC_SCALE,
  LEVERAGE,
  MARKETS,
  OWNERS,
  PERP,
  Reference,
  SPOT,
  USDT,
  USDT_SCALE,
  ceilDiv,
  feeCents,
  halfEven,
  pow10,
  shifted,
  valueCents,
  type Action,
  type Market,
} from './ledger-desk-model.js';

/* The simulated desk that drives the ledger through the actions of ledger-desk-model.ts, and its invariants. */

// --- the simulation ----------------------------------------------------------------------------------------------

interface TrackedOrder {
  readonly id: ClientOrderId;
  readonly owner: string;
  readonly market: Market;
  readonly side: OrderSide;
  readonly marketable: boolean;
  readonly reduceOnly: boolean;
  /** Limit in ticks (market-style orders: their reserve price). */
  price: bigint;
  /** The price the ledger sized the reservation at: fills never cost more than it covers. */
  reservePrice: bigint;
  total: bigint;
  filled: bigint;
  /** Sum of lots x ticks over the fills so far, and the cents booked as their value (its half-even rounding). */
  tradedTicks: bigint;
  bookedCents: bigint;
}

type NewEvent = DeskEvent extends infer E ? (E extends DeskEvent ? Omit<E, keyof EventBase> : never) : never;

const cents = (units: bigint): Fixed => Fixed.fromUnits(units, USDT_SCALE);

export class Simulation {
  readonly ledger = newLedger();
  readonly reference = new Reference();
  readonly events: DeskEvent[] = [];
  private readonly open: TrackedOrder[] = [];
  private seq = 0;

  constructor() {
    // The desk starts with marks; `MarksUpdated` actions move them within +-5% of 40000.
    this.step({ kind: 'marks', spotBps: 0, perpBps: 0 });
  }

  step(action: Action): void {
    switch (action.kind) {
      case 'deposit': {
        const name = ownerName(action.owner);
        const amount = BigInt(action.cents);
        this.mustApply({ type: 'FundsDeposited', owner: name, currency: USDT, amount: cents(amount) });
        this.reference.owner(name).deposits += amount;
        return;
      }
      case 'withdraw':
      case 'sweep': {
        const name = ownerName(action.owner);
        const amount = (this.cash(name) * BigInt(action.permille)) / 1000n;
        if (amount <= 0n) return;
        const movement = { owner: name, currency: USDT, amount: cents(amount) };
        if (this.tryApply(action.kind === 'withdraw' ? { type: 'FundsWithdrawn', ...movement } : { type: 'ProfitSwept', ...movement, reason: 'simulated sweep' }) && action.kind === 'withdraw') {
          this.reference.owner(name).withdrawals += amount;
        }
        return;
      }
      case 'submit':
        return this.submit(action);
      case 'fill':
        return this.fill(action);
      case 'amend':
        return this.amend(action);
      case 'cancel': {
        const order = this.pick(action.pick);
        if (order === undefined) return;
        this.mustApply({ type: 'OrderCanceled', clientOrderId: order.id, reason: 'canceled on request' });
        this.open.splice(this.open.indexOf(order), 1);
        return;
      }
      case 'funding': {
        const name = ownerName(action.owner);
        const position = this.reference.position(name, PERP);
        const mark = this.reference.marks.get(PERP) ?? PERP.centre;
        const notional = valueCents(PERP, position.lots < 0n ? -position.lots : position.lots, mark);
        const direction = position.lots < 0n ? -1n : 1n;
        const amount = halfEven(notional * BigInt(action.rateBps) * direction, 10_000n);
        // A venue settles funding against the margin balance; it never bills more than the account holds.
        if (amount === 0n || amount > this.cash(name)) return;
        this.mustApply({
          type: 'FundingApplied',
          owner: name,
          instrumentId: PERP.instrument.id,
          rate: Fixed.fromUnits(BigInt(action.rateBps), 4),
          markPrice: Fixed.fromUnits(mark, PERP.priceScale),
          amount: cents(amount),
        });
        this.reference.owner(name).funding += amount;
        return;
      }
      case 'marks': {
        const spot = shifted(SPOT.centre, action.spotBps);
        const perp = shifted(PERP.centre, action.perpBps);
        this.mustApply({
          type: 'MarksUpdated',
          marks: [
            { instrumentId: SPOT.instrument.id, price: Fixed.fromUnits(spot, SPOT.priceScale) },
            { instrumentId: PERP.instrument.id, price: Fixed.fromUnits(perp, PERP.priceScale) },
          ],
        });
        this.reference.marks.set(SPOT, spot);
        this.reference.marks.set(PERP, perp);
        return;
      }
    }
  }

  /** Cancels every open order, as the end of a session would. */
  cancelAll(): void {
    for (const order of this.open) this.mustApply({ type: 'OrderCanceled', clientOrderId: order.id, reason: 'session end' });
    this.open.length = 0;
  }

  cash(name: string): bigint {
    return this.ledger.journal.balance(name, 'cash', USDT);
  }

  private submit(action: Extract<Action, { kind: 'submit' }>): void {
    const m = MARKETS[action.market] ?? SPOT;
    const name = ownerName(action.owner);
    const mark = this.reference.marks.get(m) ?? m.centre;
    const reduceOnly = m.perp && action.reduceOnly;
    const held = this.reference.position(name, m).lots;
    if (reduceOnly && held === 0n) return;
    const side = reduceOnly ? (held > 0n ? 'sell' : 'buy') : action.side;
    // Market-style orders reserve at mark x 1.05 and fill at or below it. A perpetual sell limit that fills at
    // a better (higher) price needs more margin than at its limit, so it is reserved 1% above the limit.
    const price = action.marketable ? shifted(mark, 500) : shifted(mark, action.offsetBps);
    const reservePrice = m.perp && side === 'sell' && !action.marketable ? shifted(price, 100) : price;
    const budget = reduceOnly ? (held < 0n ? -held : held) : this.affordableLots(name, m, side, reservePrice);
    const lots = maxBig(1n, (budget * BigInt(action.permille)) / 1000n);
    this.seq += 1;
    const id = clientOrderId(`o-${this.seq}`);
    const accepted = this.tryApply({
      type: 'OrderSubmitted',
      order: {
        clientOrderId: id,
        instrumentId: m.instrument.id,
        side,
        type: action.marketable ? 'market' : 'limit',
        quantity: Fixed.fromUnits(lots, m.sizeScale),
        ...(action.marketable ? {} : { price: Fixed.fromUnits(price, m.priceScale) }),
        timeInForce: 'GTC',
        postOnly: false,
        reduceOnly,
        owner: name,
      },
      reservePrice: Fixed.fromUnits(reservePrice, m.priceScale),
    });
    if (accepted) {
      const marketable = action.marketable;
      this.open.push({ id, owner: name, market: m, side, marketable, reduceOnly, price, reservePrice, total: lots, filled: 0n, tradedTicks: 0n, bookedCents: 0n });
    }
  }

  /** The most lots the owner can pay for at `ticks` (spot sells: the asset held), by the ledger's own hold rule. */
  private affordableLots(name: string, m: Market, side: OrderSide, ticks: bigint): bigint {
    const shift = pow10(m.sizeScale + m.priceScale - USDT_SCALE);
    if (!m.perp && side === 'sell') return this.ledger.journal.balance(name, 'asset', BTC) / pow10(BTC_SCALE - m.sizeScale);
    const cash = this.cash(name);
    // Each part rounded up on its own: the notional (the margin from it), then the fee.
    const hold = (lots: bigint): bigint => {
      const notional = ceilDiv(lots * ticks, shift);
      return (m.perp ? ceilDiv(notional, LEVERAGE) : notional) + ceilDiv(lots * ticks * m.feeNum, m.feeDen * shift);
    };
    // The unrounded cost per lot gives an upper bound; the roundings take at most a few lots off it.
    let lots = m.perp
      ? (cash * shift * m.feeDen * LEVERAGE) / (ticks * (m.feeDen + m.feeNum * LEVERAGE))
      : (cash * shift * m.feeDen) / (ticks * (m.feeDen + m.feeNum));
    while (lots > 0n && hold(lots) > cash) lots -= 1n;
    return lots;
  }

  private fill(action: Extract<Action, { kind: 'fill' }>): void {
    const order = this.pick(action.pick);
    if (order === undefined) return;
    const m = order.market;
    let leaves = order.total - order.filled;
    if (order.reduceOnly) {
      // The venue never lets a reduce-only order grow or flip the position.
      const held = this.reference.position(order.owner, m).lots;
      const reducible = order.side === 'sell' ? held : -held;
      if (reducible <= 0n) return;
      leaves = minBig(leaves, reducible);
    }
    const lots = action.permille === 1000 ? leaves : maxBig(1n, (leaves * BigInt(action.permille)) / 1000n);
    let ticks: bigint;
    if (order.marketable) {
      const mark = this.reference.marks.get(m) ?? m.centre;
      ticks = minBig(order.reservePrice, shifted(mark, action.driftBps));
    } else if (order.side === 'buy') {
      // At the limit or better: lower for buys, higher for sells.
      ticks = shifted(order.price, -action.improveBps);
    } else {
      ticks = shifted(order.price, action.improveBps);
      if (m.perp) ticks = minBig(ticks, order.reservePrice);
    }
    // The venue charges, and the books value, each part as the order's rounded running total less the earlier parts.
    const tradedTicks = order.tradedTicks + lots * ticks;
    const bookedCents = valueCents(m, 1n, tradedTicks);
    const value = bookedCents - order.bookedCents;
    const fee = feeCents(m, 1n, tradedTicks) - feeCents(m, 1n, order.tradedTicks);
    order.tradedTicks = tradedTicks;
    order.bookedCents = bookedCents;
    this.seq += 1;
    this.mustApply({
      type: 'OrderFilled',
      fill: {
        tradeId: tradeId(`t-${this.seq}`),
        clientOrderId: order.id,
        venueOrderId: undefined,
        instrumentId: m.instrument.id,
        side: order.side,
        quantity: Fixed.fromUnits(lots, m.sizeScale),
        price: Fixed.fromUnits(ticks, m.priceScale),
        fee: cents(fee),
        feeCurrency: USDT,
        liquidity: 'taker',
      },
    });
    this.reference.fill(order.owner, m, order.side, lots, ticks, value, fee);
    order.filled += lots;
    if (order.filled === order.total) this.open.splice(this.open.indexOf(order), 1);
  }

  private amend(action: Extract<Action, { kind: 'amend' }>): void {
    const order = this.pick(action.pick);
    if (order === undefined || (action.offsetBps === null && action.permille === null)) return;
    const price = action.offsetBps === null || order.marketable ? undefined : shifted(order.price, action.offsetBps);
    const total = action.permille === null ? undefined : order.filled + maxBig(1n, ((order.total - order.filled) * BigInt(action.permille)) / 1000n);
    if (price === undefined && total === undefined) return;
    const change = {
      clientOrderId: order.id,
      ...(price === undefined ? {} : { price: Fixed.fromUnits(price, order.market.priceScale) }),
      ...(total === undefined ? {} : { quantity: Fixed.fromUnits(total, order.market.sizeScale) }),
    };
    // The books check a change when it is sent; the venue's confirmation is then always booked.
    if (!this.tryApply({ type: 'OrderPendingUpdate', ...change })) return;
    this.mustApply({ type: 'OrderUpdated', ...change });
    if (price !== undefined) {
      // The ledger re-sizes the reservation at the new limit.
      order.price = price;
      order.reservePrice = price;
    }
    if (total !== undefined) order.total = total;
  }

  private pick(index: number): TrackedOrder | undefined {
    return this.open.length === 0 ? undefined : this.open[index % this.open.length];
  }

  private stamp(event: NewEvent): DeskEvent {
    const n = this.events.length + 1;
    const ts = (1_700_000_000_000 + n) as UnixMs;
    return { ...event, id: `e-${n}` as EventId, tsEvent: ts, tsInit: ts } as DeskEvent;
  }

  /** The ledger's gate decides: a refused event is skipped. */
  private tryApply(event: NewEvent): boolean {
    const stamped = this.stamp(event);
    if (this.ledger.validate(stamped) !== undefined) return false;
    this.ledger.apply(stamped);
    this.events.push(stamped);
    return true;
  }

  /** Events the generator only makes valid (tracked orders, in-scale amounts): a refusal is a ledger bug. */
  private mustApply(event: NewEvent): void {
    const stamped = this.stamp(event);
    expect(this.ledger.validate(stamped)).toBeUndefined();
    this.ledger.apply(stamped);
    this.events.push(stamped);
  }
}

export function newLedger(): Ledger {
  return new Ledger({
    instruments: new Map(MARKETS.map((m) => [m.instrument.id, m.instrument])),
    scales: new CurrencyScales({ USDT: USDT_SCALE, BTC: BTC_SCALE }),
    leverage: new Map([[PERP.instrument.id, Fixed.fromInt(LEVERAGE)]]),
  });
}

function ownerName(index: number): string {
  return OWNERS[index] ?? 'desk';
}

function maxBig(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

function minBig(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

// --- the invariants ----------------------------------------------------------------------------------------------

function checkInvariants(sim: Simulation, when: string): void {
  const { ledger, reference } = sim;
  const journal = ledger.journal;
  // (i) The journal re-folds from its entries to the running balances (every entry re-posted, so each balances).
  expect(journal.recomputeBalances(), when).toEqual(journal.snapshot());
  for (const name of OWNERS) {
    const at = `${when}, ${name}`;
    // (ii) Nothing available goes below zero.
    expect(journal.balance(name, 'cash', USDT) >= 0n, `${at}: cash ${journal.balance(name, 'cash', USDT)} < 0`).toBe(true);
    expect(journal.balance(name, 'asset', BTC) >= 0n, `${at}: asset ${journal.balance(name, 'asset', BTC)} < 0`).toBe(true);
    expect(journal.balance(name, 'reserved', USDT) >= 0n, `${at}: reserved USDT < 0`).toBe(true);
    expect(journal.balance(name, 'reserved', BTC) >= 0n, `${at}: reserved BTC < 0`).toBe(true);

    // (iii) Equity equals the reference model, to the cent.
    expect(ledger.equity(name, USDT).units, `${at}: equity`).toBe(reference.equity(name));

    // The accounts behind it, one by one.
    const o = reference.owner(name);
    const spot = reference.position(name, SPOT);
    const perp = reference.position(name, PERP);
    expect(journal.balance(name, 'capital', USDT), `${at}: capital`).toBe(o.deposits - o.withdrawals);
    expect(journal.balance(name, 'fees', USDT), `${at}: fees`).toBe(o.fees);
    expect(journal.balance(name, 'funding', USDT), `${at}: funding`).toBe(o.funding);
    expect(journal.balance(name, 'realised-pnl', USDT), `${at}: realised`).toBe(spot.realised + perp.realised);
    expect(journal.balance(name, 'conversion', USDT), `${at}: spot cost basis`).toBe(spot.basis);
    const satoshis = spot.lots * pow10(BTC_SCALE - SPOT.sizeScale);
    expect(journal.balance(name, 'asset', BTC) + journal.balance(name, 'reserved', BTC), `${at}: holdings`).toBe(satoshis);
    expect(journal.balance(name, 'conversion', BTC), `${at}: base conversion`).toBe(-satoshis);
    expect(journal.balance(name, 'margin', USDT), `${at}: margin`).toBe(ceilDiv(perp.basis, LEVERAGE));
    expect(ledger.position(name, PERP.instrument.id)?.quantity.units ?? 0n, `${at}: perp lots`).toBe(perp.lots);
  }
}

export function run(actions: readonly Action[]): Simulation {
  const sim = new Simulation();
  actions.forEach((action, i) => {
    sim.step(action);
    checkInvariants(sim, `after action ${i} (${action.kind})`);
  });
  sim.cancelAll();
  checkInvariants(sim, 'after canceling every open order');
  return sim;
}
