import fc from 'fast-check';
import { currency } from '../../src/core/ids.js';
import { defineInstrument, type Instrument } from '../../src/domain/instrument.js';
import type { OrderSide } from '../../src/domain/order.js';

/*
 * The markets, the independent reference model and the action generators of src/ledger/ledger.property.test.ts
 * (plain bigint arithmetic, no Ledger, no Fixed maths). Amounts are in integer units: cents for USDT (scale 2),
 * satoshis for BTC (scale 8), ticks for prices and lots for quantities, so every rounding is written out here.
 */

export const USDT = currency('USDT');
export const BTC = currency('BTC');
export const USDT_SCALE = 2;
export const BTC_SCALE = 8;
export const OWNERS = ['desk', 'sleeve-a'] as const;
export const LEVERAGE = 3n;

export interface Market {
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

export const SPOT: Market = {
  instrument: defineInstrument({ id: 'BINANCE:BTC/USDT', tickSize: '0.01', lotSize: '0.0001', takerFee: '0.001' }),
  perp: false,
  priceScale: 2,
  sizeScale: 4,
  feeNum: 1n,
  feeDen: 1000n,
  centre: 4_000_000n,
};
export const PERP: Market = {
  instrument: defineInstrument({ id: 'BYBIT:BTC/USDT:USDT', tickSize: '0.1', lotSize: '0.001', takerFee: '0.0005', maxLeverage: '10' }),
  perp: true,
  priceScale: 1,
  sizeScale: 3,
  feeNum: 5n,
  feeDen: 10_000n,
  centre: 400_000n,
};
export const MARKETS = [SPOT, PERP] as const;

// --- plain integer arithmetic ----------------------------------------------------------------------------------

export function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

/** n / d rounded half to even (d > 0). */
export function halfEven(n: bigint, d: bigint): bigint {
  const negative = n < 0n;
  const a = negative ? -n : n;
  let q = a / d;
  const r = a - q * d;
  if (r * 2n > d || (r * 2n === d && q % 2n === 1n)) q += 1n;
  return negative ? -q : q;
}

export function ceilDiv(n: bigint, d: bigint): bigint {
  return n <= 0n ? -(-n / d) : (n + d - 1n) / d;
}

/** Cents worth of `lots` at `ticks`: exact product, then the one half-even rounding to the cent. */
export function valueCents(m: Market, lots: bigint, ticks: bigint): bigint {
  return halfEven(lots * ticks, pow10(m.sizeScale + m.priceScale - USDT_SCALE));
}

export function feeCents(m: Market, lots: bigint, ticks: bigint): bigint {
  return halfEven(lots * ticks * m.feeNum, m.feeDen * pow10(m.sizeScale + m.priceScale - USDT_SCALE));
}

/** `ticks` moved by `bps` basis points, rounded down to the tick. */
export function shifted(ticks: bigint, bps: number): bigint {
  return (ticks * BigInt(10_000 + bps)) / 10_000n;
}

// --- the reference model ---------------------------------------------------------------------------------------

export interface RefPosition {
  /** Signed lots. */
  lots: bigint;
  /** Cents: the sum of opening fills' values, less the share released by reductions. */
  basis: bigint;
  realised: bigint;
}

export interface RefOwner {
  deposits: bigint;
  withdrawals: bigint;
  fees: bigint;
  funding: bigint;
  readonly positions: Map<Market, RefPosition>;
}

export class Reference {
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

export type Action =
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
export const deposit = fc.record({ kind: fc.constant('deposit' as const), owner, cents: fc.integer({ min: 1, max: 10_000_000 }) });
export const actionArb: fc.Arbitrary<Action> = fc.oneof(
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
