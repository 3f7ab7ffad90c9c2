/**
 * Ledger fill postings: the books' hot path. Each spot fill partly closes a long position, so its entry carries
 * everything a fill can: the release of the order's reservation, cash/asset/conversion legs in quote and base, the
 * realised PnL and the fee. The perpetual variant releases the reservation, realises PnL into cash, releases margin
 * and pays the fee. Events are built before timing; each round applies them to a fresh ledger.
 * Every figure is checked against an independently computed realised PnL, so broken books cannot post a number.
 */
import { Fixed, fx } from '../src/core/fixed.js';
import { clientOrderId, currency, tradeId, type ClientOrderId, type EventId } from '../src/core/ids.js';
import type { UnixMs } from '../src/core/time.js';
import type { DeskEvent, OrderFilled } from '../src/domain/events.js';
import { CurrencyScales, defineInstrument, type Instrument } from '../src/domain/instrument.js';
import type { OrderSide } from '../src/domain/order.js';
import { Ledger } from '../src/ledger/ledger.js';
import { bestOf, report } from './harness.js';

const FILLS = 200_000;
const ROUNDS = 5;
const USDT = currency('USDT');
const BTC = currency('BTC');
const SCALES = new CurrencyScales({ USDT: 6, BTC: 8 });
const SPOT = defineInstrument({ id: 'BINANCE:BTC/USDT', tickSize: '0.01', lotSize: '0.00001', takerFee: '0.001' });
const PERP = defineInstrument({ id: 'BINANCE:BTC/USDT:USDT', tickSize: '0.1', lotSize: '0.001', takerFee: '0.0005', maxLeverage: '20' });
const LOT = fx('0.01');
const ENTRY = fx('39000');
const OWNER = 'desk';

let eventSeq = 0;
function stamp<E extends object>(event: E): E & { id: EventId; tsEvent: UnixMs; tsInit: UnixMs } {
  eventSeq += 1;
  const ts = (1_700_000_000_000 + eventSeq) as UnixMs;
  return { ...event, id: `e-${eventSeq}` as EventId, tsEvent: ts, tsInit: ts };
}

function submitted(id: ClientOrderId, instrument: Instrument, side: OrderSide, quantity: Fixed, price: Fixed): DeskEvent {
  return stamp({
    type: 'OrderSubmitted' as const,
    order: { clientOrderId: id, instrumentId: instrument.id, side, type: 'limit' as const, quantity, price, timeInForce: 'GTC' as const, postOnly: false, reduceOnly: false, owner: OWNER },
    reservePrice: price,
  });
}

function takerFee(instrument: Instrument, quantity: Fixed, price: Fixed): Fixed {
  return quantity.mul(price).mul(instrument.takerFee, SCALES.of(USDT), 'half-even');
}

function filled(
  id: ClientOrderId,
  instrument: Instrument,
  side: OrderSide,
  quantity: Fixed,
  price: Fixed,
  n: number,
  fee = takerFee(instrument, quantity, price),
): OrderFilled {
  return stamp({
    type: 'OrderFilled' as const,
    fill: { tradeId: tradeId(`t-${n}`), clientOrderId: id, venueOrderId: undefined, instrumentId: instrument.id, side, quantity, price, fee, feeCurrency: USDT, liquidity: 'taker' as const },
  });
}

interface Scenario {
  readonly name: string;
  /** Legs in each fill's journal entry. */
  readonly legs: number;
  /** Events that open a long of FILLS lots and place one sell order for all of it (not timed). */
  readonly setup: readonly DeskEvent[];
  /** FILLS partial fills of that sell order, one lot each (timed). */
  readonly fills: readonly OrderFilled[];
  /** Realised PnL the fills must add up to, in USDT units, computed without the ledger. */
  readonly expectedPnlUnits: bigint;
}

/** Sells one lot per fill at 40000.00 + (i mod 1000) ticks, out of a long bought at 39000 (a basis of 390 per lot). */
function scenario(name: string, instrument: Instrument, priceTick: Fixed): Scenario {
  const total = LOT.mul(Fixed.fromInt(FILLS));
  const buyId = clientOrderId(`${name}-buy`);
  const sellId = clientOrderId(`${name}-sell`);
  const setup: DeskEvent[] = [
    stamp({ type: 'FundsDeposited' as const, owner: OWNER, currency: USDT, amount: fx('1000000000') }),
    submitted(buyId, instrument, 'buy', total, ENTRY),
    filled(buyId, instrument, 'buy', total, ENTRY, 0),
    submitted(sellId, instrument, 'sell', total, fx('40000')),
  ];
  const scale = SCALES.of(USDT);
  const basisPerLot = LOT.mul(ENTRY).unitsAt(scale);
  // A thousand price levels, their values shared by the events (as a decoder interning them would).
  const levels = Array.from({ length: 1000 }, (_, i) => {
    const price = fx('40000').add(priceTick.mul(Fixed.fromInt(i)));
    return { price, fee: takerFee(instrument, LOT, price) };
  });
  const fills: OrderFilled[] = [];
  let expectedPnlUnits = 0n;
  for (let i = 0; i < FILLS; i++) {
    const { price, fee } = levels[i % levels.length]!;
    fills.push(filled(sellId, instrument, 'sell', LOT, price, i + 1, fee));
    // Lot x price is exact at 6 decimals, and the basis is an exact 390 per lot: no rounding to model.
    expectedPnlUnits += LOT.mul(price).unitsAt(scale) - basisPerLot;
  }
  // Release 2 + realised PnL 2 + fee 2, and the trade: cash/conversion in quote and asset/conversion in base (spot),
  // or the margin released to cash (perpetual).
  const legs = instrument.kind === 'spot' ? 10 : 8;
  return { name, legs, setup, fills, expectedPnlUnits };
}

/** A ledger holding the scenario's long position and its open sell order (a handful of events: negligible). */
function preparedLedger(s: Scenario): Ledger {
  const ledger = new Ledger({
    instruments: new Map([
      [SPOT.id, SPOT],
      [PERP.id, PERP],
    ]),
    scales: SCALES,
    leverage: new Map([[PERP.id, fx('5')]]),
  });
  for (const event of s.setup) {
    const problem = ledger.validate(event);
    if (problem !== undefined) throw new Error(`setup event refused: ${problem}`);
    ledger.apply(event);
  }
  return ledger;
}

function check(label: string, got: bigint | number | boolean, expected: bigint | number | boolean): void {
  const ok = got === expected;
  console.log(`  ${label}: ${String(got)} (expected ${String(expected)}) ${ok ? 'ok' : 'MISMATCH'}`);
  if (!ok) process.exitCode = 1;
}

function bench(figure: string, s: Scenario, validated: boolean): void {
  let last: Ledger | undefined;
  const seconds = bestOf(ROUNDS, () => {
    last = undefined;
    const ledger = preparedLedger(s);
    const fills = s.fills;
    if (validated) {
      for (let i = 0; i < fills.length; i++) {
        const event = fills[i]!;
        const problem = ledger.validate(event);
        if (problem !== undefined) throw new Error(problem);
        ledger.apply(event);
      }
    } else {
      for (let i = 0; i < fills.length; i++) ledger.apply(fills[i]!);
    }
    last = ledger;
  });
  report(figure, FILLS / seconds, 'fills/s', `${FILLS.toLocaleString('en-US')} partial fills of one ${s.name} order`);
  if (last === undefined) return;
  const instrumentId = s.name === 'spot' ? SPOT.id : PERP.id;
  check(`${figure} realised PnL units`, last.journal.balance(OWNER, 'realised-pnl', USDT), s.expectedPnlUnits);
  check(`${figure} position closed`, last.position(OWNER, instrumentId)?.quantity.isZero() ?? false, true);
  check(`${figure} order done`, last.openQuantity(clientOrderId(`${s.name}-sell`)) === undefined, true);
  check(`${figure} nothing reserved`, last.journal.raw(OWNER, 'reserved', USDT) === 0n && last.journal.raw(OWNER, 'reserved', BTC) === 0n, true);
  check(`${figure} entries`, last.journal.length, s.setup.length + FILLS);
  check(`${figure} legs per fill`, last.journal.entry(last.journal.length - 1)?.postings.length ?? 0, s.legs);
}

// One scenario's events at a time: what stays live is what the collector has to walk.
function benchSpot(): void {
  const spot = scenario('spot', SPOT, fx('0.01'));
  bench('ledger.fill_postings', spot, false);
  bench('ledger.fill_postings_validated', spot, true);
}

benchSpot();
bench('ledger.perp_fill_postings', scenario('perp', PERP, fx('0.1')), false);
