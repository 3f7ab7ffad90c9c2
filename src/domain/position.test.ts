import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Fixed, fx } from '../core/fixed.js';
import { defineInstrument } from './instrument.js';
import type { Instrument } from './instrument.js';
import type { OrderSide } from './order.js';
import { applyFillToPosition, averageEntryPrice, flatPosition, unrealisedPnl, valueAt } from './position.js';
import type { PositionChange, PositionState } from './position.js';

const SCALE = 2; // USDT in the books

const spot = defineInstrument({ id: 'BINANCE:BTC/USDT', tickSize: '0.01', lotSize: '0.001', takerFee: '0.001' });
const perp = defineInstrument({ id: 'BYBIT:BTC/USDT:USDT', tickSize: '0.1', lotSize: '0.001', maxLeverage: '20' });
const centiPerp = defineInstrument({ id: 'OKX:BTC/USDT:USDT', tickSize: '0.1', lotSize: '1', contractSize: '0.01', maxLeverage: '20' });

function fill(position: PositionState, instrument: Instrument, side: OrderSide, quantity: string, price: string): PositionChange {
  return applyFillToPosition(position, instrument, side, fx(quantity), fx(price), SCALE);
}

/** The interesting numbers of a change as strings, for one readable assertion. */
function summary(change: PositionChange): Record<string, string> {
  return {
    quantity: change.next.quantity.toPlainString(),
    costBasis: change.next.costBasis.toString(),
    realisedTotal: change.next.realisedPnl.toString(),
    realised: change.realisedPnl.toString(),
    opened: change.openedQuantity.toPlainString(),
    closed: change.closedQuantity.toPlainString(),
    releasedBasis: change.releasedBasis.toString(),
    openedValue: change.openedValue.toString(),
    closedValue: change.closedValue.toString(),
  };
}

describe('a spot long, worked example', () => {
  const flat = flatPosition(spot.id, SCALE, 3);
  const first = fill(flat, spot, 'buy', '2', '100');
  const second = fill(first.next, spot, 'buy', '1', '130');
  const third = fill(second.next, spot, 'sell', '1.5', '120');
  const fourth = fill(third.next, spot, 'sell', '1.5', '90');

  it('starts flat at the right scales', () => {
    expect([flat.quantity.toString(), flat.costBasis.toString(), flat.realisedPnl.toString()]).toEqual(['0.000', '0.00', '0.00']);
  });

  it('buy 2 @100 opens with basis 200', () => {
    expect(summary(first)).toEqual({
      quantity: '2',
      costBasis: '200.00',
      realisedTotal: '0.00',
      realised: '0.00',
      opened: '2',
      closed: '0',
      releasedBasis: '0.00',
      openedValue: '200.00',
      closedValue: '0.00',
    });
  });

  it('buy 1 @130 adds to basis 330', () => {
    expect(second.next.quantity.toPlainString()).toBe('3');
    expect(second.next.costBasis.toString()).toBe('330.00');
    expect(averageEntryPrice(second.next, spot, 4)?.toString()).toBe('110.0000');
  });

  it('sell 1.5 @120 releases half the basis (165) for +15', () => {
    expect(summary(third)).toEqual({
      quantity: '1.5',
      costBasis: '165.00',
      realisedTotal: '15.00',
      realised: '15.00',
      opened: '0',
      closed: '1.5',
      releasedBasis: '165.00',
      openedValue: '0.00',
      closedValue: '180.00',
    });
  });

  it('sell 1.5 @90 closes the rest for -30, flat with zero basis', () => {
    expect(summary(fourth)).toEqual({
      quantity: '0',
      costBasis: '0.00',
      realisedTotal: '-15.00',
      realised: '-30.00',
      opened: '0',
      closed: '1.5',
      releasedBasis: '165.00',
      openedValue: '0.00',
      closedValue: '135.00',
    });
    expect(averageEntryPrice(fourth.next, spot, 2)).toBeUndefined();
    expect(unrealisedPnl(fourth.next, spot, fx('1000'), SCALE).toString()).toBe('0.00');
  });

  it('does not mutate the position it was given', () => {
    expect(first.next.quantity.toPlainString()).toBe('2');
    expect(flat.quantity.isZero()).toBe(true);
  });
});

describe('a short perpetual, worked example with a flip', () => {
  const flat = flatPosition(perp.id, SCALE, 3);
  const open = fill(flat, perp, 'sell', '1', '200');
  const reduce = fill(open.next, perp, 'buy', '0.4', '180');
  const flip = fill(reduce.next, perp, 'buy', '1.6', '190');

  it('sell 1 @200 opens a short with basis 200', () => {
    expect(open.next.quantity.toPlainString()).toBe('-1');
    expect(open.next.costBasis.toString()).toBe('200.00');
    expect(open.realisedPnl.toString()).toBe('0.00');
  });

  it('buy 0.4 @180 covers part for +8', () => {
    expect(summary(reduce)).toEqual({
      quantity: '-0.6',
      costBasis: '120.00',
      realisedTotal: '8.00',
      realised: '8.00',
      opened: '0',
      closed: '0.4',
      releasedBasis: '80.00',
      openedValue: '0.00',
      closedValue: '72.00',
    });
  });

  it('buy 1.6 @190 closes 0.6 for +6 and opens 1 long with basis 190', () => {
    expect(summary(flip)).toEqual({
      quantity: '1',
      costBasis: '190.00',
      realisedTotal: '14.00',
      realised: '6.00',
      opened: '1',
      closed: '0.6',
      releasedBasis: '120.00',
      openedValue: '190.00',
      closedValue: '114.00',
    });
    expect(averageEntryPrice(flip.next, perp, 2)?.toString()).toBe('190.00');
  });
});

describe('unrealised PnL and average entry', () => {
  const long = fill(fill(flatPosition(perp.id, SCALE, 3), perp, 'buy', '2', '100').next, perp, 'buy', '1', '130').next;
  const short = fill(flatPosition(perp.id, SCALE, 3), perp, 'sell', '1.5', '200').next;

  it('a long gains when the mark is above its basis and loses below', () => {
    expect(unrealisedPnl(long, perp, fx('120'), SCALE).toString()).toBe('30.00'); // 360 - 330
    expect(unrealisedPnl(long, perp, fx('100'), SCALE).toString()).toBe('-30.00');
    expect(unrealisedPnl(long, perp, fx('110'), SCALE).toString()).toBe('0.00');
  });

  it('a short gains when the mark falls', () => {
    expect(unrealisedPnl(short, perp, fx('180'), SCALE).toString()).toBe('30.00'); // 300 - 270
    expect(unrealisedPnl(short, perp, fx('210.5'), SCALE).toString()).toBe('-15.75');
  });

  it('average entry is the basis over the quantity, half-even at the asked scale', () => {
    expect(averageEntryPrice(long, perp, 2)?.toString()).toBe('110.00');
    expect(averageEntryPrice(short, perp, 0)?.toString()).toBe('200');
    const thirds = fill(fill(flatPosition(perp.id, SCALE, 3), perp, 'buy', '1', '100').next, perp, 'buy', '2', '101').next;
    expect(averageEntryPrice(thirds, perp, 4)?.toString()).toBe('100.6667'); // 302 / 3
  });
});

describe('contract size 0.01', () => {
  it('values 3 contracts at 30000 as 900 and realises on contract notional', () => {
    const open = fill(flatPosition(centiPerp.id, SCALE, 0), centiPerp, 'buy', '3', '30000');
    expect(open.openedValue.toString()).toBe('900.00');
    expect(unrealisedPnl(open.next, centiPerp, fx('31000'), SCALE).toString()).toBe('30.00');
    expect(averageEntryPrice(open.next, centiPerp, 1)?.toString()).toBe('30000.0');
    const close = fill(open.next, centiPerp, 'sell', '3', '30999.5');
    expect(close.closedValue.toString()).toBe('929.98'); // 929.985, tie to even
    expect(close.realisedPnl.toString()).toBe('29.98');
    expect(close.next.costBasis.toString()).toBe('0.00');
  });
});

describe('rounding of fill values', () => {
  it('each notional is rounded half-even to the settlement scale', () => {
    expect(valueAt(spot, fx('0.125'), fx('1.00'), 2).toString()).toBe('0.12');
    expect(valueAt(spot, fx('0.375'), fx('1.00'), 2).toString()).toBe('0.38');
    expect(valueAt(spot, fx('-0.375'), fx('1.00'), 2).toString()).toBe('0.38'); // size, not direction
    const a = fill(flatPosition(spot.id, SCALE, 3), spot, 'buy', '0.125', '1.00');
    const b = fill(a.next, spot, 'buy', '0.375', '1.00');
    expect(a.openedValue.toString()).toBe('0.12');
    expect(b.next.costBasis.toString()).toBe('0.50');
  });

  it('a partial close releases a half-even share of the basis', () => {
    // Basis 10.00 for 3; closing 1 releases 3.333.. -> 3.33, leaving 6.67.
    const open = fill(flatPosition(spot.id, SCALE, 3), spot, 'buy', '3', '3.3333333');
    expect(open.next.costBasis.toString()).toBe('10.00');
    const part = fill(open.next, spot, 'sell', '1', '4');
    expect(part.releasedBasis.toString()).toBe('3.33');
    expect(part.realisedPnl.toString()).toBe('0.67');
    expect(part.next.costBasis.toString()).toBe('6.67');
    const rest = fill(part.next, spot, 'sell', '2', '4');
    expect(rest.releasedBasis.toString()).toBe('6.67');
    expect(rest.next.realisedPnl.toString()).toBe('2.00'); // 12.00 proceeds - 10.00 cost, exactly
  });

  it('a flip values the whole fill once, so closed plus opened value is the fill value', () => {
    // 0.005 @ 1 closes and 0.005 @ 1 opens: each half alone would be 0.005 -> 0.00, but the fill is worth 0.01.
    const short = fill(flatPosition(perp.id, SCALE, 3), perp, 'sell', '0.005', '1');
    expect(short.openedValue.toString()).toBe('0.00');
    const flip = fill(short.next, perp, 'buy', '0.010', '1');
    expect(flip.closedValue.add(flip.openedValue).toString()).toBe(valueAt(perp, fx('0.010'), fx('1'), SCALE).toString());
    expect(flip.closedValue.add(flip.openedValue).toString()).toBe('0.01');
  });
});

describe('round trips (property)', () => {
  /** Half-even n / d for n >= 0, d > 0, written independently of core/fixed. */
  function halfEven(n: bigint, d: bigint): bigint {
    const q = n / d;
    const twice = (n - q * d) * 2n;
    if (twice > d) return q + 1n;
    if (twice < d) return q;
    return q % 2n === 0n ? q : q + 1n;
  }

  const instruments = [spot, perp, centiPerp, defineInstrument({ id: 'BYBIT:ETH/USDT:USDT', tickSize: '0.01', lotSize: '0.01', contractSize: '0.5' })];
  // Signed lot counts; a zero is skipped. Price in ticks of 0.01.
  const step = fc.record({ lots: fc.integer({ min: -40, max: 40 }), cents: fc.integer({ min: 1, max: 2_000_000 }) });

  it('a sequence of fills that ends flat realises (sell values) - (buy values), each value rounded on its own, with zero basis', () => {
    fc.assert(
      fc.property(fc.constantFrom(...instruments), fc.array(step, { minLength: 1, maxLength: 25 }), fc.integer({ min: 1, max: 2_000_000 }), (instrument, steps, closeCents) => {
        const lot = instrument.lotSize;
        let position = flatPosition(instrument.id, SCALE, lot.scale);
        let net = 0n; // in lots
        let sells = 0n;
        let buys = 0n;
        const cs = instrument.contractSize;
        const apply = (lots: bigint, cents: bigint): void => {
          const side: OrderSide = lots > 0n ? 'buy' : 'sell';
          const quantity = lot.mul(Fixed.fromInt(lots < 0n ? -lots : lots));
          const price = Fixed.fromUnits(cents, 2);
          // value = qty x cs x price at scale qs + css + 2, rounded half-even to SCALE.
          const exact = quantity.units * cs.units * cents;
          const value = halfEven(exact, 10n ** BigInt(quantity.scale + cs.scale + 2 - SCALE));
          if (side === 'buy') buys += value;
          else sells += value;
          const change = applyFillToPosition(position, instrument, side, quantity, price, SCALE);
          expect(change.closedQuantity.add(change.openedQuantity).eq(quantity)).toBe(true);
          expect(change.closedValue.add(change.openedValue).units).toBe(value);
          position = change.next;
          net += lots;
          expect(position.quantity.eq(lot.mul(Fixed.fromInt(net)))).toBe(true);
          if (net === 0n) expect(position.costBasis.units).toBe(0n);
          else expect(position.costBasis.isNegative()).toBe(false);
        };
        for (const { lots, cents } of steps) if (lots !== 0) apply(BigInt(lots), BigInt(cents));
        if (net !== 0n) apply(-net, BigInt(closeCents));
        expect(position.quantity.isZero()).toBe(true);
        expect(position.costBasis.units).toBe(0n);
        expect(position.costBasis.scale).toBe(SCALE);
        expect(position.realisedPnl.scale).toBe(SCALE);
        expect(position.realisedPnl.units).toBe(sells - buys);
      }),
      { numRuns: 500 },
    );
  });
});
