import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TestClock } from '../../core/clock.js';
import { fx } from '../../core/fixed.js';
import { clientOrderId, currency } from '../../core/ids.js';
import type { UnixMs } from '../../core/time.js';
import type { VenueReport } from '../../domain/events.js';
import { CurrencyScales, defineInstrument } from '../../domain/instrument.js';
import { SimulatedVenue } from './sim-venue.js';
import { MIN, PERP, T0, setup } from '../../../test/support/sim-venue-harness.js';

describe('liquidation: where a position is closed', () => {
  it('with margin tiers, liquidates at the price where the tier of the notional there is exhausted, inside the bar', () => {
    const tiered = defineInstrument({
      id: 'SIM:XRP/USDT:USDT',
      tickSize: '0.01',
      lotSize: '0.001',
      maxLeverage: '20',
      marginTiers: [
        { maxNotional: '1000', maintenanceRate: '0.01', maxLeverage: '20' },
        { maxNotional: null, maintenanceRate: '0.1', maxLeverage: '10' },
      ],
    });
    const clock = new TestClock(T0);
    const venue = new SimulatedVenue([tiered], new CurrencyScales({ USDT: 6 }), clock, { fillModel: 'bar', balances: { USDT: '1000' }, leverage: new Map([[tiered.id, fx('10')]]) });
    const reports: VenueReport[] = [];
    venue.onReport((r) => reports.push(r));
    let index = 0;
    const bar = (o: number, h: number, l: number, c: number) => {
      const ts = (T0 + index++ * MIN) as UnixMs;
      clock.advanceTo((ts + MIN) as UnixMs);
      venue.onBar({ type: 'bar', instrumentId: tiered.id, ts, timeframeMs: MIN, open: o, high: h, low: l, close: c, volume: 1e6 });
    };
    bar(99, 99, 99, 99);
    venue.submit({ clientOrderId: clientOrderId('s'), instrumentId: tiered.id, side: 'sell', type: 'market', quantity: fx('10'), timeInForce: 'GTC', postOnly: false, reduceOnly: false, owner: 'desk' });
    bar(99, 99, 99, 99); // short 10 @ 99, margin 99, no fees
    bar(105, 107.5, 105, 107); // the high passes 107.18, where the second tier's 10% applies; 107.82 is never reached
    const liquidation = reports.find((r) => r.type === 'PositionLiquidated');
    if (liquidation?.type !== 'PositionLiquidated') throw new Error('not liquidated');
    expect([liquidation.side, liquidation.quantity.toPlainString(), liquidation.price.toPlainString(), liquidation.fee.toPlainString()]).toEqual(['buy', '10', '107.18', '5.359']);
    // 1000 - 81.8 (loss) - 5.359 (0.5% of 1071.8)
    expect(venue.account.wallet(tiered.settle).toPlainString()).toBe('912.841');
  });

  it('never liquidates at a price the bar did not reach (property)', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.integer({ min: 2, max: 20 }), fc.integer({ min: 300, max: 2500 }), fc.integer({ min: 1, max: 3000 }), (long, leverage, size, moveBps) => {
        const tiered = defineInstrument({
          id: 'SIM:XRP/USDT:USDT',
          tickSize: '0.01',
          lotSize: '0.001',
          maxLeverage: '20',
          marginTiers: [
            { maxNotional: '500', maintenanceRate: '0.01', maxLeverage: '20' },
            { maxNotional: '2000', maintenanceRate: '0.06', maxLeverage: '20' },
            { maxNotional: null, maintenanceRate: '0.2', maxLeverage: '20' },
          ],
        });
        const clock = new TestClock(T0);
        const venue = new SimulatedVenue([tiered], new CurrencyScales({ USDT: 6 }), clock, { fillModel: 'bar', balances: { USDT: '100000' }, leverage: new Map([[tiered.id, fx(String(leverage))]]) });
        const reports: VenueReport[] = [];
        venue.onReport((r) => reports.push(r));
        let index = 0;
        const bar = (o: number, h: number, l: number, c: number) => {
          const ts = (T0 + index++ * MIN) as UnixMs;
          clock.advanceTo((ts + MIN) as UnixMs);
          venue.onBar({ type: 'bar', instrumentId: tiered.id, ts, timeframeMs: MIN, open: o, high: h, low: l, close: c, volume: 1e6 });
        };
        bar(100, 100, 100, 100);
        const quantity = fx((size / 100).toFixed(3)); // notionals of 300 to 2500, around the tier boundaries
        venue.submit({ clientOrderId: clientOrderId('e'), instrumentId: tiered.id, side: long ? 'buy' : 'sell', type: 'market', quantity, timeInForce: 'GTC', postOnly: false, reduceOnly: false, owner: 'desk' });
        bar(100, 100, 100, 100);
        const worst = long ? 100 * (1 - moveBps / 10_000) : 100 * (1 + moveBps / 10_000);
        const rounded = Math.round(worst * 100) / 100;
        if (long) bar(100, 100, rounded, rounded);
        else bar(100, rounded, 100, rounded);
        const liquidation = reports.find((r) => r.type === 'PositionLiquidated');
        if (liquidation?.type !== 'PositionLiquidated') return;
        const price = liquidation.price.toNumber();
        expect(long ? price >= rounded && price <= 100 : price <= rounded && price >= 100).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it("cross margin: a liquidation first cancels the account's orders holding the wallet's currency, so the wallet never ends below its locks", () => {
    const s = setup({ balances: { USDT: '1000', BTC: '1' }, leverage: new Map([[PERP.id, fx('10')]]), marginMode: 'cross' });
    s.bar(100, 100, 100, 100);
    s.bar(100, 100, 100, 100, 1000, PERP.id);
    const buy = s.order({ type: 'limit', price: fx('90'), quantity: fx('4') }); // holds 360.36 USDT
    const sell = s.order({ side: 'sell', type: 'limit', price: fx('120'), quantity: fx('1') }); // holds 1 BTC
    s.order({ instrumentId: PERP.id, quantity: fx('50') });
    s.bar(100, 100, 100, 100, 1000, PERP.id); // long 50 at 100: 500 of margin, 2.5 of fee
    expect(s.venue.account.locked(currency('USDT')).toPlainString()).toBe('360.36');
    s.bar(99, 99, 78, 86, 1000, PERP.id);
    // (5000 - 997.5) / (50 x 0.995) = 80.452 -> 80.46: the wallet, the buy's hold included, backed the position.
    const liquidation = s.reports.find((r) => r.type === 'PositionLiquidated');
    expect(liquidation?.type === 'PositionLiquidated' && [liquidation.price.toPlainString(), liquidation.fee.toPlainString()]).toEqual(['80.46', '20.115']);
    expect(s.last(buy)).toMatchObject({ type: 'OrderCanceled', reason: 'canceled for a cross-margin liquidation: the wallet backs the positions' });
    expect(s.venue.orderStatus(sell.clientOrderId)?.status).toBe('open');
    // 997.5 - 977 (loss) - 20.115 (fee), none of it held any more
    expect(s.venue.account.wallet(currency('USDT')).toPlainString()).toBe('0.385');
    expect(s.venue.account.locked(currency('USDT')).toPlainString()).toBe('0');
    expect(s.venue.account.free(currency('USDT'), new Map()).toPlainString()).toBe('0.385');
  });
});
