import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Fixed } from '../core/fixed.js';
import { clientOrderId, currency, tradeId, type ClientOrderId, type EventId } from '../core/ids.js';
import type { UnixMs } from '../core/time.js';
import type { DeskEvent, EventBase } from '../domain/events.js';
import { CurrencyScales, defineInstrument, type Instrument } from '../domain/instrument.js';
import type { OrderSide } from '../domain/order.js';
import { Ledger } from './ledger.js';

/*
 * Random desk activity against the ledger, checked after every step against the journal's own fold, sign rules,
 * and an independent reference model of equity built from the applied actions alone (plain bigint arithmetic,
 * no Ledger, no Fixed maths). Amounts are in integer units: cents for USDT (scale 2), satoshis for BTC (scale 8),
 * ticks for prices and lots for quantities, so every rounding is written out here.
 */

const USDT = currency('USDT');
const BTC = currency('BTC');
const USDT_SCALE = 2;
const BTC_SCALE = 8;
const OWNERS = ['desk', 'sleeve-a'] as const;
const LEVERAGE = 3n;

interface Market {
  readonly instrument: Instrument;
  readonly perp: boolean;
  /** Decimals of a price (its tick is one unit) and of a quantity (its lot is one unit). */
  readonly priceScale: number;
  readonly sizeScale: number;
  /** Taker fee as a fraction. */
  readonly feeNum: bigint;
  readonly feeDen: bigint;
  /** Price units of 40000 USDT, the centre of the mark band. */
  readonly centre: bigint;
}

const SPOT: Market = {
  instrument: defineInstrument({ id: 'BINANCE:BTC/USDT', tickSize: '0.01', lotSize: '0.0001', takerFee: '0.001' }),
  perp: false,
  priceScale: 2,
  sizeScale: 4,
  feeNum: 1n,
  feeDen: 1000n,
  centre: 4_000_000n,
};
const PERP: Market = {
  instrument: defineInstrument({ id: 'BYBIT:BTC/USDT:USDT', tickSize: '0.1', lotSize: '0.001', takerFee: '0.0005', maxLeverage: '10' }),
  perp: true,
  priceScale: 1,
  sizeScale: 3,
  feeNum: 5n,
  feeDen: 10_000n,
  centre: 400_000n,
};
const MARKETS = [SPOT, PERP] as const;

// --- plain integer arithmetic ----------------------------------------------------------------------------------

function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

/** n / d rounded half to even (d > 0). */
function halfEven(n: bigint, d: bigint): bigint {
  const negative = n < 0n;
  const a = negative ? -n : n;
  let q = a / d;
  const r = a - q * d;
  if (r * 2n > d || (r * 2n === d && q % 2n === 1n)) q += 1n;
  return negative ? -q : q;
}

function ceilDiv(n: bigint, d: bigint): bigint {
  return n <= 0n ? -(-n / d) : (n + d - 1n) / d;
}

/** Cents worth of `lots` at `ticks`: exact product, then the one half-even rounding to the cent. */
function valueCents(m: Market, lots: bigint, ticks: bigint): bigint {
  return halfEven(lots * ticks, pow10(m.sizeScale + m.priceScale - USDT_SCALE));
}

function feeCents(m: Market, lots: bigint, ticks: bigint): bigint {
  return halfEven(lots * ticks * m.feeNum, m.feeDen * pow10(m.sizeScale + m.priceScale - USDT_SCALE));
}

/** `ticks` moved by `bps` basis points, rounded down to the tick. */
function shifted(ticks: bigint, bps: number): bigint {
  return (ticks * BigInt(10_000 + bps)) / 10_000n;
}

// --- the reference model ---------------------------------------------------------------------------------------

interface RefPosition {
  /** Signed lots. */
  lots: bigint;
  /** Cents: the sum of opening fills' values, less the share released by reductions. */
  basis: bigint;
  realised: bigint;
}

interface RefOwner {
  deposits: bigint;
  withdrawals: bigint;
  fees: bigint;
  funding: bigint;
  readonly positions: Map<Market, RefPosition>;
}

class Reference {
  readonly owners = new Map<string, RefOwner>();
  readonly marks = new Map<Market, bigint>();

  owner(name: string): RefOwner {
    let owner = this.owners.get(name);
    if (owner === undefined) {
      owner = { deposits: 0n, withdrawals: 0n, fees: 0n, funding: 0n, positions: new Map() };
      this.owners.set(name, owner);
    }
    return owner;
  }

  position(name: string, m: Market): RefPosition {
    const positions = this.owner(name).positions;
    let position = positions.get(m);
    if (position === undefined) {
      position = { lots: 0n, basis: 0n, realised: 0n };
      positions.set(m, position);
    }
    return position;
  }

  /** A fill of `lots` at `ticks` whose whole value the books take as `value` cents. */
  fill(name: string, m: Market, side: OrderSide, lots: bigint, ticks: bigint, value: bigint, fee: bigint): void {
    this.owner(name).fees += fee;
    const p = this.position(name, m);
    const signed = side === 'buy' ? lots : -lots;
    if (p.lots === 0n || p.lots > 0n === signed > 0n) {
      p.basis += value;
      p.lots += signed;
      return;
    }
    const held = p.lots < 0n ? -p.lots : p.lots;
    const closed = lots < held ? lots : held;
    const opened = lots - closed;
    const released = closed === held ? p.basis : halfEven(p.basis * closed, held);
    const exit = closed === lots ? value : valueCents(m, closed, ticks);
    p.realised += p.lots > 0n ? exit - released : released - exit;
    // A flip's notional is rounded once, as a whole: the opening part gets what the closing part leaves of it.
    p.basis += opened > 0n ? value - exit - released : -released;
    p.lots += signed;
  }

  /** Deposits - withdrawals - fees - funding + realised + unrealised at the marks (unmarked: at cost). */
  equity(name: string): bigint {
    const o = this.owner(name);
    let total = o.deposits - o.withdrawals - o.fees - o.funding;
    for (const [m, p] of o.positions) {
      total += p.realised;
      const mark = this.marks.get(m);
      if (p.lots === 0n || mark === undefined) continue;
      const atMark = valueCents(m, p.lots < 0n ? -p.lots : p.lots, mark);
      total += p.lots > 0n ? atMark - p.basis : p.basis - atMark;
    }
    return total;
  }
}

// --- actions -----------------------------------------------------------------------------------------------------

type Action =
  | { readonly kind: 'deposit'; readonly owner: number; readonly cents: number }
  | { readonly kind: 'withdraw' | 'sweep'; readonly owner: number; readonly permille: number }
  | {
      readonly kind: 'submit';
      readonly owner: number;
      readonly market: number;
      readonly side: OrderSide;
      readonly marketable: boolean;
      readonly offsetBps: number;
      readonly permille: number;
      readonly reduceOnly: boolean;
    }
  | { readonly kind: 'fill'; readonly pick: number; readonly permille: number; readonly improveBps: number; readonly driftBps: number }
  | { readonly kind: 'amend'; readonly pick: number; readonly offsetBps: number | null; readonly permille: number | null }
  | { readonly kind: 'cancel'; readonly pick: number }
  | { readonly kind: 'funding'; readonly owner: number; readonly rateBps: number }
  | { readonly kind: 'marks'; readonly spotBps: number; readonly perpBps: number };

const owner = fc.integer({ min: 0, max: OWNERS.length - 1 });
// Per mille of what is affordable: often exactly all of it (the edge where roundings bite), sometimes too much.
const permille = fc.oneof(fc.constant(1000), fc.integer({ min: 1, max: 1100 }));
const deposit = fc.record({ kind: fc.constant('deposit' as const), owner, cents: fc.integer({ min: 1, max: 10_000_000 }) });
const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { weight: 2, arbitrary: deposit },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('withdraw' as const, 'sweep' as const), owner, permille }) },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('submit' as const),
      owner,
      market: fc.integer({ min: 0, max: 1 }),
      side: fc.constantFrom<OrderSide>('buy', 'sell'),
      marketable: fc.boolean(),
      offsetBps: fc.integer({ min: -200, max: 200 }),
      permille,
      reduceOnly: fc.boolean(),
    }),
  },
  {
    weight: 10,
    arbitrary: fc.record({
      kind: fc.constant('fill' as const),
      pick: fc.nat(),
      permille: fc.oneof(fc.constant(1000), fc.integer({ min: 1, max: 1000 })),
      improveBps: fc.integer({ min: 0, max: 100 }),
      driftBps: fc.integer({ min: -500, max: 500 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('amend' as const),
      pick: fc.nat(),
      offsetBps: fc.option(fc.integer({ min: -200, max: 200 })),
      permille: fc.option(fc.integer({ min: 1, max: 2000 })),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('funding' as const), owner, rateBps: fc.integer({ min: -10, max: 10 }) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('marks' as const),
      spotBps: fc.integer({ min: -500, max: 500 }),
      perpBps: fc.integer({ min: -500, max: 500 }),
    }),
  },
);

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

class Simulation {
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
        const type = action.kind === 'withdraw' ? 'FundsWithdrawn' : 'ProfitSwept';
        if (this.tryApply({ type, owner: name, currency: USDT, amount: cents(amount) }) && action.kind === 'withdraw') {
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
    const accepted = this.tryApply({
      type: 'OrderUpdated',
      clientOrderId: order.id,
      ...(price === undefined ? {} : { price: Fixed.fromUnits(price, order.market.priceScale) }),
      ...(total === undefined ? {} : { quantity: Fixed.fromUnits(total, order.market.sizeScale) }),
    });
    if (!accepted) return;
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

function newLedger(): Ledger {
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

function run(actions: readonly Action[]): Simulation {
  const sim = new Simulation();
  actions.forEach((action, i) => {
    sim.step(action);
    checkInvariants(sim, `after action ${i} (${action.kind})`);
  });
  sim.cancelAll();
  checkInvariants(sim, 'after canceling every open order');
  return sim;
}

/** Runs per property; a soak raises it, e.g. `LEDGER_PROPERTY_RUNS=20000 npx vitest run src/ledger --testTimeout=0`. */
const RUNS = Number(process.env.LEDGER_PROPERTY_RUNS ?? 300);

/** 1..60 actions, after a first deposit for each owner so that most orders can be paid for. */
const sessionArb: fc.Arbitrary<Action[]> = fc
  .tuple(deposit, deposit, fc.array(actionArb, { minLength: 1, maxLength: 60, size: 'max' }))
  .map(([first, second, rest]) => [{ ...first, owner: 0 }, { ...second, owner: 1 }, ...rest]);

describe('Ledger under random desk activity', () => {
  it('balances every entry, never overdraws, matches the reference equity, and releases every reservation', () => {
    fc.assert(
      fc.property(sessionArb, (actions) => {
        const sim = run(actions);
        // (iv) With every order done, nothing stays reserved, in any currency.
        for (const name of OWNERS) {
          expect(sim.ledger.journal.balance(name, 'reserved', USDT)).toBe(0n);
          expect(sim.ledger.journal.balance(name, 'reserved', BTC)).toBe(0n);
        }
        expect(Object.keys(sim.ledger.journal.snapshot()).filter((account) => account.includes(':reserved:'))).toEqual([]);
        expect(sim.ledger.snapshot()).toMatchObject({ openOrders: [] });
      }),
      { numRuns: RUNS },
    );
  });

  it('replays the same events to an identical snapshot', () => {
    fc.assert(
      fc.property(sessionArb, (actions) => {
        const sim = new Simulation();
        for (const action of actions) sim.step(action);
        const replayed = newLedger();
        for (const event of sim.events) replayed.apply(event);
        expect(JSON.stringify(replayed.snapshot())).toBe(JSON.stringify(sim.ledger.snapshot()));
        for (const name of OWNERS) expect(replayed.equity(name, USDT).units).toBe(sim.ledger.equity(name, USDT).units);
      }),
      { numRuns: Math.max(200, Math.floor(RUNS / 2)) },
    );
  });
});
