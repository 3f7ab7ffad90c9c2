import { describe, expect, it } from 'vitest';
import { fx } from '../../core/fixed.js';
import type { InstrumentId } from '../../core/ids.js';
import type { UnixMs } from '../../core/time.js';
import { MIN, PERP, SPOT, T0, setup, type Options } from '../../../test/support/sim-venue-harness.js';

/** Two instruments' 1m bars as a backtest merges them: by close time, the first instrument first on a tie. */
function twoInstruments(options: Options = {}) {
  const s = setup({ balances: { USDT: '100000' }, ...options });
  const bar = (instrument: InstrumentId, index: number, open: number, close: number): number => {
    const ts = T0 + index * MIN;
    s.clock.advanceTo((ts + MIN) as UnixMs);
    s.venue.onBar({ type: 'bar', instrumentId: instrument, ts: ts as UnixMs, timeframeMs: MIN, open, high: Math.max(open, close), low: Math.min(open, close), close, volume: 1e6 });
    return ts;
  };
  return { ...s, barOf: bar };
}

describe('bar fills never use a bar that opened before the order arrived', () => {
  it('a market order sent after one instrument closes bar t fills on the other at the open of its bar t+1', () => {
    const s = twoInstruments();
    s.barOf(SPOT.id, 0, 100, 100);
    s.barOf(PERP.id, 0, 10, 10);
    s.barOf(SPOT.id, 1, 100, 120); // SPOT's bar 1 closes at T0 + 2 min; the desk reacts by buying PERP
    const o = s.order({ instrumentId: PERP.id });
    s.barOf(PERP.id, 1, 10, 12); // opened at T0 + 1 min, before the order existed
    expect(s.fills(o)).toEqual([]);
    s.barOf(SPOT.id, 2, 120, 120);
    const t2 = s.barOf(PERP.id, 2, 12.5, 12.5);
    expect(s.fills(o).map((f) => [f.price.toPlainString(), f.ts])).toEqual([['12.5', t2]]);
  });

  it('with close execution it fills at the close of the other instrument bar t, not of its bar t-1', () => {
    const s = twoInstruments({ barExecution: 'close' });
    s.barOf(SPOT.id, 0, 100, 100);
    s.barOf(PERP.id, 0, 10, 10);
    s.barOf(SPOT.id, 1, 100, 120);
    const o = s.order({ instrumentId: PERP.id });
    expect(s.fills(o)).toEqual([]);
    const t1 = s.barOf(PERP.id, 1, 10, 12);
    expect(s.fills(o).map((f) => [f.price.toPlainString(), f.ts])).toEqual([['12', t1]]);
  });

  it('an order delivered by a timer 50 ms into bar t+1 fills at the open of bar t+2', () => {
    const s = setup({ latencyMs: 50 });
    s.bar(100, 100, 100, 100);
    const o = s.order({});
    s.venue.advanceTo((s.clock.now() + 60) as UnixMs);
    expect(s.last(o)?.type).toBe('OrderAccepted');
    s.bar(101, 101, 101, 101);
    expect(s.fills(o)).toEqual([]);
    const t2 = s.bar(102, 102, 102, 102);
    expect(s.fills(o).map((f) => [f.price.toPlainString(), f.ts])).toEqual([['102', t2]]);
  });

  it('with close execution such an order fills at the close of bar t+1, the bar it arrived in', () => {
    const s = setup({ latencyMs: 50, barExecution: 'close' });
    s.bar(100, 100, 100, 100);
    const o = s.order({});
    s.venue.advanceTo((s.clock.now() + 60) as UnixMs);
    expect(s.fills(o)).toEqual([]);
    const t1 = s.bar(101, 101.5, 100.5, 101.25);
    expect(s.fills(o).map((f) => [f.price.toPlainString(), f.ts])).toEqual([['101.25', t1]]);
  });

  it('a limit order delivered inside bar t+1 is first checked against bar t+2, as a taker at its open', () => {
    const s = setup({ latencyMs: 50 });
    s.bar(100, 100, 100, 100);
    const o = s.order({ type: 'limit', price: fx('99') });
    s.venue.advanceTo((s.clock.now() + 60) as UnixMs);
    s.bar(100, 100, 98, 99.5); // reached 98 before the order arrived
    expect(s.fills(o)).toEqual([]);
    s.bar(98.5, 99, 98, 98.5);
    expect(s.fills(o).map((f) => [f.price.toPlainString(), f.liquidity])).toEqual([['98.5', 'taker']]);
  });
});

describe('execution options of single instruments', () => {
  it("fills each instrument by its own options: close execution with slippage on one, the run's next open on the other", () => {
    const s = twoInstruments({ byInstrument: new Map([[PERP.id, { fillModel: 'bar', barExecution: 'close', slippage: { kind: 'fixed-bps', bps: fx('100') } }]]) });
    s.barOf(SPOT.id, 0, 100, 100);
    const t0 = s.barOf(PERP.id, 0, 10.5, 10);
    const spot = s.order({});
    const perp = s.order({ instrumentId: PERP.id });
    // Close execution takes the close of the bar the order arrived by, 1% against it (within the bar's high).
    expect(s.fills(perp).map((f) => [f.price.toPlainString(), f.ts])).toEqual([['10.1', t0]]);
    expect(s.fills(spot)).toEqual([]);
    const spotT1 = s.barOf(SPOT.id, 1, 101, 102);
    expect(s.fills(spot).map((f) => [f.price.toPlainString(), f.ts])).toEqual([['101', spotT1]]);
  });

  it('delivers requests in order of arrival when instruments have different latencies', () => {
    const s = setup({ latencyMs: 500, byInstrument: new Map([[PERP.id, { fillModel: 'bar', latencyMs: 50 }]]) });
    s.bar(10, 10, 10, 10, 1000, PERP.id);
    s.bar(100, 100, 100, 100);
    const slow = s.order({});
    const fast = s.order({ instrumentId: PERP.id, quantity: fx('10') });
    s.clock.advanceTo((s.clock.now() + 60) as UnixMs);
    s.venue.advanceTo(s.clock.now());
    expect(s.last(fast)?.type).toBe('OrderAccepted');
    expect(s.last(slow)).toBeUndefined();
    // A cancel of the slow order travels with its instrument's latency, behind the order itself.
    s.venue.cancel(slow.clientOrderId);
    const sentAt = s.clock.now();
    s.clock.advanceTo((sentAt + 440) as UnixMs);
    s.venue.advanceTo(s.clock.now());
    expect(s.last(slow)?.type).toBe('OrderAccepted');
    s.clock.advanceTo((sentAt + 500) as UnixMs);
    s.venue.advanceTo(s.clock.now());
    expect(s.last(slow)?.type).toBe('OrderCanceled');
  });
});
