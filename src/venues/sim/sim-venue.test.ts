import { describe, expect, it } from 'vitest';
import { fx } from '../../core/fixed.js';
import type { UnixMs } from '../../core/time.js';
import { MIN, SPOT, T0, setup } from '../../../test/support/sim-venue-harness.js';

describe('rejections are reports with reasons', () => {
  it('insufficient balance, below min notional, reduce-only, unknown instrument', () => {
    const s = setup();
    s.bar(100, 100, 100, 100);
    const big = s.order({ quantity: fx('2000') });
    const tiny = s.order({ quantity: fx('0.05') });
    const reduce = s.order({ side: 'sell', reduceOnly: true });
    expect(s.last(big)).toMatchObject({ type: 'OrderRejected', reason: 'insufficient balance: needs 200200 USDT, 100000 free' });
    expect(s.last(tiny)).toMatchObject({ type: 'OrderRejected', reason: 'notional 5 is below the minimum 10' });
    expect(s.last(reduce)).toMatchObject({ type: 'OrderRejected', reason: 'reduce-only order would increase the position' });
  });
});

describe('bad market data is refused before it changes anything', () => {
  it('names the instrument, time and problem: NaN, negative size, crossed snapshot, out of order', () => {
    const s = setup({ fillModel: 'l2' });
    const ts = s.clock.now();
    const snapshot = (bids: [number, number][], asks: [number, number][], sequence: number, at = ts) =>
      s.venue.onBook({ type: 'book-snapshot', instrumentId: SPOT.id, ts: at, sequence, bids, asks });
    snapshot([[99, 1]], [[100, 1]], 1);
    const before = s.venue.snapshot();
    expect(() => snapshot([[101, 1]], [[100, 1]], 2)).toThrow(`book-snapshot for SIM:BTC/USDT at ${ts} (sequence 2): crossed snapshot: best bid 101 >= best ask 100`);
    expect(() => snapshot([[99, -1]], [[100, 1]], 3)).toThrow(/bid size -1 at 99 is negative/);
    expect(() => snapshot([[Number.NaN, 1]], [[100, 1]], 4)).toThrow(/bid price NaN is not a positive number/);
    expect(() => snapshot([[99, 1]], [[100, 1]], 5, (ts - 1) as UnixMs)).toThrow(/comes after book-snapshot at .*; data must be in time order/);
    expect(() =>
      s.venue.onBar({ type: 'bar', instrumentId: SPOT.id, ts, timeframeMs: MIN, open: 100, high: 99, low: 98, close: 99, volume: 1 }),
    ).toThrow(/open or close is above high/);
    expect(s.venue.snapshot()).toEqual(before);
    const o = s.order({ quantity: fx('0.5') });
    expect(s.fills(o).map((f) => f.price.toPlainString())).toEqual(['100']);
  });

  it('sets aside a book that a delta crosses until the next snapshot', () => {
    const s = setup({ fillModel: 'l2' });
    s.venue.onBook({ type: 'book-snapshot', instrumentId: SPOT.id, ts: s.clock.now(), sequence: 1, bids: [[99, 1]], asks: [[100, 1]] });
    s.venue.onBook({
      type: 'book-delta',
      instrumentId: SPOT.id,
      ts: s.clock.now(),
      firstSequence: 2,
      sequence: 2,
      previousSequence: 1,
      bids: [[100.5, 1]],
      asks: [],
    });
    expect(s.venue.dataProblems()).toEqual(['book for SIM:BTC/USDT crossed after sequence 2; waiting for a snapshot']);
    const o = s.order({ quantity: fx('0.5') });
    expect(s.fills(o)).toEqual([]);
    s.venue.onBook({ type: 'book-snapshot', instrumentId: SPOT.id, ts: s.clock.now(), sequence: 3, bids: [[99, 1]], asks: [[100, 1]] });
    expect(s.fills(o).map((f) => f.price.toPlainString())).toEqual(['100']);
  });
});

describe('the venue on the clock alone', () => {
  it('expires GTD orders when advanced, without market data', () => {
    const s = setup();
    s.bar(100, 100, 100, 100);
    const o = s.order({ type: 'limit', price: fx('90'), timeInForce: 'GTD', expireAt: (T0 + 5 * MIN) as UnixMs });
    s.venue.advanceTo((T0 + 5 * MIN - 1) as UnixMs);
    expect(s.venue.orderStatus(o.clientOrderId)?.status).toBe('open');
    s.venue.advanceTo((T0 + 5 * MIN) as UnixMs);
    expect(s.last(o)).toMatchObject({ type: 'OrderExpired', tsEvent: T0 + 5 * MIN });
  });

  it('delivers delayed requests when advanced', () => {
    const s = setup({ latencyMs: 250 });
    s.bar(100, 100, 100, 100);
    const o = s.order({ type: 'limit', price: fx('90') });
    expect(s.venue.orderStatus(o.clientOrderId)).toBeUndefined();
    s.venue.advanceTo((s.clock.now() + 250) as UnixMs);
    expect(s.venue.orderStatus(o.clientOrderId)?.status).toBe('open');
  });
});
