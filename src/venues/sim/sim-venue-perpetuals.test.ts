import { describe, expect, it } from 'vitest';
import { TestClock } from '../../core/clock.js';
import { fx } from '../../core/fixed.js';
import { clientOrderId } from '../../core/ids.js';
import type { UnixMs } from '../../core/time.js';
import type { VenueReport } from '../../domain/events.js';
import { CurrencyScales, defineInstrument } from '../../domain/instrument.js';
import { SimulatedVenue } from './sim-venue.js';
import { MIN, PERP, T0, setup } from '../../../test/support/sim-venue-harness.js';

describe('perpetuals: margin, funding, liquidation', () => {
  const perpBar = (s: ReturnType<typeof setup>, o: number, h: number, l: number, c: number) => s.bar(o, h, l, c, 1000, PERP.id);

  it('rejects an order beyond the free margin, and leverage above the instrument maximum is capped', () => {
    const s = setup({ balances: { USDT: '1000' }, leverage: new Map([[PERP.id, fx('10')]]) });
    perpBar(s, 100, 100, 100, 100);
    const big = s.order({ instrumentId: PERP.id, quantity: fx('100') });
    expect(s.last(big)).toMatchObject({ type: 'OrderRejected', reason: 'insufficient margin: needs 1005 USDT, 1000 free' });
    const fits = s.order({ instrumentId: PERP.id, quantity: fx('99') });
    expect(s.venue.orderStatus(fits.clientOrderId)?.status).toBe('open');
  });

  it('holds margin only for the part of an order that opens or grows the position: a stop for a position posted in full is admitted', () => {
    const s = setup({ balances: { USDT: '1000' }, leverage: new Map([[PERP.id, fx('10')]]) });
    perpBar(s, 100, 100, 100, 100);
    s.order({ instrumentId: PERP.id, quantity: fx('99') });
    perpBar(s, 100, 100, 100, 100);
    // 990 posted, 4.95 of fees paid: 5.05 free. A plain stop selling the 99 closes only, and holds nothing.
    const stop = s.order({ instrumentId: PERP.id, side: 'sell', type: 'stop-market', triggerPrice: fx('95'), quantity: fx('99') });
    expect(s.venue.orderStatus(stop.clientOrderId)?.status).toBe('open');
    expect(s.venue.account.locked(PERP.settle).toPlainString()).toBe('0');
    // Selling 100 would open a short of 1 beyond the close: that part needs 10 of margin and 0.05 of fee.
    const flip = s.order({ instrumentId: PERP.id, side: 'sell', type: 'limit', price: fx('100'), quantity: fx('100') });
    expect(s.last(flip)).toMatchObject({ type: 'OrderRejected', reason: 'insufficient margin: needs 10.05 USDT, 5.05 free' });
  });

  it('rejects leverage above the tier maximum for the resulting notional', () => {
    const tiered = defineInstrument({
      id: 'SIM:ETH/USDT:USDT',
      tickSize: '0.01',
      lotSize: '0.01',
      maxLeverage: '50',
      marginTiers: [
        { maxNotional: '10000', maintenanceRate: '0.01', maxLeverage: '50' },
        { maxNotional: null, maintenanceRate: '0.02', maxLeverage: '10' },
      ],
    });
    const clock = new TestClock(T0);
    const venue = new SimulatedVenue([tiered], new CurrencyScales(), clock, {
      fillModel: 'bar',
      balances: { USDT: '100000' },
      leverage: new Map([[tiered.id, fx('20')]]),
    });
    const reports: VenueReport[] = [];
    venue.onReport((r) => reports.push(r));
    clock.advanceTo((T0 + MIN) as UnixMs);
    venue.onBar({ type: 'bar', instrumentId: tiered.id, ts: T0, timeframeMs: MIN, open: 100, high: 100, low: 100, close: 100, volume: 1 });
    const base = { instrumentId: tiered.id, side: 'buy', type: 'market', timeInForce: 'GTC', postOnly: false, reduceOnly: false, owner: 'desk' } as const;
    venue.submit({ ...base, clientOrderId: clientOrderId('a'), quantity: fx('100') });
    venue.submit({ ...base, clientOrderId: clientOrderId('b'), quantity: fx('101') });
    expect(reports.map((r) => r.type)).toEqual(['OrderAccepted', 'OrderRejected']);
    expect(reports[1]).toMatchObject({ reason: 'leverage 20 is above the 10 allowed at notional 10100' });
  });

  it('settles funding at funding times: longs pay a positive rate on notional at mark', () => {
    const s = setup({ leverage: new Map([[PERP.id, fx('5')]]) });
    perpBar(s, 100, 100, 100, 100);
    s.order({ instrumentId: PERP.id, quantity: fx('10') });
    perpBar(s, 100, 100, 100, 100);
    const wallet = s.venue.account.wallet(PERP.settle);
    s.venue.onMark({ type: 'mark-price', instrumentId: PERP.id, ts: s.clock.now(), price: 102 });
    s.venue.onFunding({ type: 'funding-rate', instrumentId: PERP.id, ts: s.clock.now(), rate: 0.0001 });
    const settled = s.reports.at(-1);
    expect(settled).toMatchObject({ type: 'FundingSettled' });
    if (settled?.type !== 'FundingSettled') throw new Error('no funding');
    expect(settled.amount.toPlainString()).toBe('0.102'); // 10 x 102 x 0.0001
    expect(wallet.sub(s.venue.account.wallet(PERP.settle)).toPlainString()).toBe('0.102');
  });

  it('liquidates an isolated long at its liquidation price with a fee, worked example', () => {
    const s = setup({ balances: { USDT: '1000' }, leverage: new Map([[PERP.id, fx('10')]]) });
    perpBar(s, 100, 100, 100, 100);
    s.order({ instrumentId: PERP.id, quantity: fx('10') });
    perpBar(s, 100, 100, 100, 100); // long 10 @ 100: margin 100, taker fee 0.5
    perpBar(s, 95, 96, 90, 91); // liquidation price (1000 - 100) / (10 x 0.995) = 90.4522 -> 90.46
    const liquidation = s.reports.find((r) => r.type === 'PositionLiquidated');
    if (liquidation?.type !== 'PositionLiquidated') throw new Error('not liquidated');
    expect(liquidation.side).toBe('sell');
    expect(liquidation.quantity.toPlainString()).toBe('10');
    expect(liquidation.price.toPlainString()).toBe('90.46');
    expect(liquidation.fee.toPlainString()).toBe('4.523'); // 904.6 x 0.5%
    // 1000 - 0.5 (fee) - 95.4 (loss) - 4.523 (liquidation fee)
    expect(s.venue.account.wallet(PERP.settle).toPlainString()).toBe('899.577');
    expect(s.venue.snapshot().positions).toEqual([]);
  });

  it('liquidates at the open when the bar gaps through the liquidation price, never beyond bankruptcy', () => {
    const liquidatedAt = (open: number) => {
      const s = setup({ balances: { USDT: '1000' }, leverage: new Map([[PERP.id, fx('10')]]) });
      perpBar(s, 100, 100, 100, 100);
      s.order({ instrumentId: PERP.id, quantity: fx('10') });
      perpBar(s, 100, 100, 100, 100);
      perpBar(s, open, open + 1, open - 1, open);
      const liquidation = s.reports.find((r) => r.type === 'PositionLiquidated');
      return liquidation?.type === 'PositionLiquidated' ? [liquidation.price.toPlainString(), liquidation.fee.toPlainString()] : [];
    };
    // Long 10 at 100 with 10x: 100 of margin, bankrupt at 90. A gap to 90.3 closes there, the fee capped at the 3 left;
    // a gap to 88 would lose more than the margin: the close is taken at 90, with nothing left for a fee.
    expect(liquidatedAt(90.3)).toEqual(['90.3', '3']);
    expect(liquidatedAt(88)).toEqual(['90', '0']);
  });

  it('uses mark prices from data when given: last-price spikes do not liquidate', () => {
    const s = setup({ balances: { USDT: '1000' }, leverage: new Map([[PERP.id, fx('10')]]) });
    perpBar(s, 100, 100, 100, 100);
    s.order({ instrumentId: PERP.id, quantity: fx('10') });
    s.venue.onMark({ type: 'mark-price', instrumentId: PERP.id, ts: s.clock.now(), price: 100 });
    perpBar(s, 100, 100, 100, 100);
    perpBar(s, 95, 96, 85, 95); // the last price wicks to 85, the mark stays at 95
    expect(s.reports.some((r) => r.type === 'PositionLiquidated')).toBe(false);
    s.venue.onMark({ type: 'mark-price', instrumentId: PERP.id, ts: s.clock.now(), price: 90 });
    const liquidation = s.reports.find((r) => r.type === 'PositionLiquidated');
    expect(liquidation?.type === 'PositionLiquidated' && liquidation.price.toPlainString()).toBe('90');
  });

  it('liquidates on a mark candle whose low crossed the liquidation price though it closed above it', () => {
    const liquidated = (candle: { open: number; high: number; low: number; close: number }): string[] => {
      const s = setup({ balances: { USDT: '1000' }, leverage: new Map([[PERP.id, fx('10')]]) });
      perpBar(s, 100, 100, 100, 100);
      s.order({ instrumentId: PERP.id, quantity: fx('10') });
      s.venue.onMark({ type: 'mark-price', instrumentId: PERP.id, ts: s.clock.now(), price: 100 });
      perpBar(s, 100, 100, 100, 100); // long 10 @ 100 at 10x: liquidation price 90.46, bankrupt at 90
      const { open, high, low, close } = candle;
      s.venue.onMark({ type: 'mark-price', instrumentId: PERP.id, ts: s.clock.now(), price: close, open, high, low });
      const liquidation = s.reports.find((r) => r.type === 'PositionLiquidated');
      return liquidation?.type === 'PositionLiquidated' ? [liquidation.price.toPlainString(), liquidation.fee.toPlainString()] : [];
    };
    // The mark dipped to 90.4 inside the candle and recovered to 95: the position is gone at its liquidation price.
    expect(liquidated({ open: 96, high: 97, low: 90.4, close: 95 })).toEqual(['90.46', '4.523']);
    // A candle that opened below the liquidation price closes the position at the open.
    expect(liquidated({ open: 90.3, high: 95, low: 90.1, close: 94 })).toEqual(['90.3', '3']);
    // One that never reached it leaves the position alone.
    expect(liquidated({ open: 96, high: 97, low: 90.5, close: 95 })).toEqual([]);
  });

  it('a short is judged on the mark candle high', () => {
    const s = setup({ balances: { USDT: '1000' }, leverage: new Map([[PERP.id, fx('10')]]) });
    perpBar(s, 100, 100, 100, 100);
    s.order({ instrumentId: PERP.id, side: 'sell', quantity: fx('10') });
    s.venue.onMark({ type: 'mark-price', instrumentId: PERP.id, ts: s.clock.now(), price: 100 });
    perpBar(s, 100, 100, 100, 100);
    s.venue.onMark({ type: 'mark-price', instrumentId: PERP.id, ts: s.clock.now(), price: 92, open: 95, high: 99, low: 91 });
    expect(s.reports.some((r) => r.type === 'PositionLiquidated')).toBe(false);
    s.venue.onMark({ type: 'mark-price', instrumentId: PERP.id, ts: s.clock.now(), price: 101, open: 100, high: 112, low: 99 });
    const liquidation = s.reports.find((r) => r.type === 'PositionLiquidated');
    expect(liquidation?.type === 'PositionLiquidated' && [liquidation.side, liquidation.price.toPlainString()]).toEqual(['buy', '109.45']);
  });

  it('refuses a mark candle that is not one', () => {
    const s = setup({ leverage: new Map([[PERP.id, fx('5')]]) });
    const mark = { type: 'mark-price', instrumentId: PERP.id, ts: s.clock.now(), price: 100 } as const;
    expect(() => s.venue.onMark({ ...mark, high: 101 })).toThrow('a mark candle needs both its high and its low');
    expect(() => s.venue.onMark({ ...mark, high: 99, low: 98 })).toThrow("mark close 100 is outside the candle's range 98..99");
    expect(() => s.venue.onMark({ ...mark, open: 103, high: 101, low: 98 })).toThrow("mark open 103 is outside the candle's range 98..101");
  });

  it('cross margin: a breach closes the other positions at their marks, and the account loses its wallet at most', () => {
    const A = defineInstrument({ id: 'SIM:BTC/USDT:USDT', tickSize: '0.01', lotSize: '0.001', makerFee: '0', takerFee: '0', maxLeverage: '20' });
    const B = defineInstrument({ id: 'SIM:XRP/USDT:USDT', tickSize: '0.01', lotSize: '0.001', makerFee: '0', takerFee: '0', maxLeverage: '20' });
    const clock = new TestClock(T0);
    const venue = new SimulatedVenue([A, B], new CurrencyScales({ USDT: 6 }), clock, {
      fillModel: 'bar',
      marginMode: 'cross',
      balances: { USDT: '1000' },
      leverage: new Map([[A.id, fx('10')], [B.id, fx('10')]]),
    });
    const reports: VenueReport[] = [];
    venue.onReport((r) => reports.push(r));
    let minute = 0;
    const bar = (id: typeof A.id, open: number, low: number, close: number): void => {
      const ts = T0 + minute * MIN;
      minute += 1;
      clock.advanceTo((ts + MIN) as UnixMs);
      venue.onBar({ type: 'bar', instrumentId: id, ts: ts as UnixMs, timeframeMs: MIN, open, high: Math.max(open, close), low, close, volume: 1e6 });
    };
    const base = { type: 'market', timeInForce: 'GTC', postOnly: false, reduceOnly: false, owner: 'desk' } as const;
    bar(A.id, 1000, 1000, 1000);
    bar(B.id, 10, 10, 10);
    venue.submit({ ...base, clientOrderId: clientOrderId('a'), instrumentId: A.id, side: 'buy', quantity: fx('5') });
    venue.submit({ ...base, clientOrderId: clientOrderId('b'), instrumentId: B.id, side: 'sell', quantity: fx('10') });
    bar(A.id, 1000, 1000, 1000);
    bar(B.id, 10, 10, 10);
    // A gaps down to 790: long 5 from 1000 is bankrupt at (5000 - 999.5) / 5 = 800.1 (B's 0.5 of maintenance stays
    // behind it); B, short 10 at its mark 10, has not moved and closes there.
    bar(A.id, 790, 780, 785);
    const liquidations = reports.filter((r) => r.type === 'PositionLiquidated').map((r) => (r.type === 'PositionLiquidated' ? [r.instrumentId, r.side, r.price.toPlainString(), r.fee.toPlainString()] : []));
    expect(liquidations).toEqual([
      [A.id, 'sell', '800.1', '0'],
      [B.id, 'buy', '10', '0'],
    ]);
    expect(venue.account.wallet(A.settle).toPlainString()).toBe('0.5');
  });

  it('cross margin: the whole wallet backs the position, worked example', () => {
    const s = setup({ balances: { USDT: '1000' }, leverage: new Map([[PERP.id, fx('10')]]), marginMode: 'cross' });
    perpBar(s, 100, 100, 100, 100);
    s.order({ instrumentId: PERP.id, quantity: fx('50') });
    perpBar(s, 100, 100, 100, 100); // long 50 @ 100, fee 2.5: wallet 997.5
    perpBar(s, 95, 96, 85, 91); // isolated at 10x would go at 90.46; cross has the wallet behind it
    expect(s.reports.some((r) => r.type === 'PositionLiquidated')).toBe(false);
    perpBar(s, 91, 91, 80, 82); // (5000 - 997.5) / (50 x 0.995) = 80.452 -> 80.46
    const liquidation = s.reports.find((r) => r.type === 'PositionLiquidated');
    expect(liquidation?.type === 'PositionLiquidated' && liquidation.price.toPlainString()).toBe('80.46');
  });
});
