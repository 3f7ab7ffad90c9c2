/**
 * The synthetic market's perpetual marks through the simulated venue: once a venue has marks it judges liquidation
 * on them alone, so a mark that is only the bar's close would let a leveraged position ride through a deep wick.
 */
import { describe, expect, it } from 'vitest';
import { fx } from '../../src/core/fixed.js';
import { DAY_MS } from '../../src/core/time.js';
import { syntheticMarketData } from '../../src/data/market-data-port.js';
import { generateMarket } from '../../src/data/synthetic/index.js';
import { PERP, setup } from '../support/sim-venue-harness.js';

const START = Date.UTC(2024, 0, 1);
/** Seed 1's daily BTC perpetual: on 2027-03-11 the price wicks 12% under its open and closes 3.5% down. */
const WICK = 1165;

describe('synthetic perpetual marks', () => {
  it('liquidate a 10x long on a wick that recovers by the close', async () => {
    const market = generateMarket({ seed: 1, start: START, timeframeMs: DAY_MS, bars: 2000, instruments: [{ symbol: 'BTC/USDT:USDT', startPrice: 30000 }] });
    const bars = market.instruments[0]!.bars;
    expect([bars.open[WICK], bars.low[WICK], bars.close[WICK]]).toEqual([560425.51, 492129.26, 540975.2]);
    const perpetual = await syntheticMarketData(market).perpetualData({ instrumentId: market.instruments[0]!.instrumentId });
    const mark = perpetual.marks[WICK]!;
    expect(mark).toMatchObject({ open: 560824.09, high: 561237.05, low: 492479.27, price: 541359.95 });

    const s = setup({ balances: { USDT: '1000' }, leverage: new Map([[PERP.id, fx('10')]]) });
    const open = bars.open[WICK]!;
    const at = (price: number) => ({ ...mark, instrumentId: PERP.id, ts: s.clock.now(), open: price, high: price, low: price, price });
    s.bar(open, open, open, open, 1000, PERP.id);
    s.order({ instrumentId: PERP.id, quantity: fx('0.016') });
    s.venue.onMark(at(open));
    s.bar(open, open, open, open, 1000, PERP.id);
    expect(s.fills()).toHaveLength(1);
    s.venue.onMark(at(open));
    s.bar(open, bars.high[WICK]!, bars.low[WICK]!, bars.close[WICK]!, 1000, PERP.id);
    expect(s.reports.some((r) => r.type === 'PositionLiquidated')).toBe(false);
    // The candle as the synthetic market delivers it, at the bar's close: its low went through the liquidation price.
    s.venue.onMark({ ...mark, instrumentId: PERP.id, ts: s.clock.now() });
    const liquidated = s.reports.find((r) => r.type === 'PositionLiquidated');
    expect(liquidated !== undefined && 'price' in liquidated ? String(liquidated.price) : undefined).toBe('506917.55');
  });
});
