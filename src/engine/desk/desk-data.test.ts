import { describe, expect, it } from 'vitest';
import type { DeskConfig } from '../../config/desk-schema.js';
import { HOUR_MS } from '../../core/time.js';
import type { BarSeries } from '../../data/bar-series.js';
import { generateMarket } from '../../data/synthetic/index.js';
import type { MarkPrice } from '../../domain/market-data.js';
import { syntheticDeskData } from './desk-data.js';

const START = Date.UTC(2024, 0, 1);
const SYNTHETIC = { source: 'synthetic', startPrice: 30000, annualVol: 0.6, start: START, timeframe: HOUR_MS, bars: 2000, regimes: true, garch: true } as const;

/** The parts of a desk file the synthetic data reads. */
function desk(data: Record<string, object>, seed = 1): DeskConfig {
  return { desk: { seed }, instruments: Object.keys(data).map((id) => ({ id, tickSize: '0.01' })), data } as unknown as DeskConfig;
}

function logReturns(series: BarSeries): number[] {
  const returns: number[] = [];
  for (let i = 1; i < series.length; i++) returns.push(Math.log(series.close[i]! / series.close[i - 1]!));
  return returns;
}

function correlation(x: readonly number[], y: readonly number[]): number {
  const mean = (v: readonly number[]) => v.reduce((sum, value) => sum + value, 0) / v.length;
  const mx = mean(x);
  const my = mean(y);
  let xy = 0;
  let xx = 0;
  let yy = 0;
  for (let i = 0; i < x.length; i++) {
    xy += (x[i]! - mx) * (y[i]! - my);
    xx += (x[i]! - mx) ** 2;
    yy += (y[i]! - my) ** 2;
  }
  return xy / Math.sqrt(xx * yy);
}

describe('syntheticDeskData', () => {
  it('moves a spot and its own perpetual on one price path, the perpetual at its premium over it', () => {
    const data = syntheticDeskData(desk({ 'SYNTH:BTC/USDT': SYNTHETIC, 'SYNTH:BTC/USDT:USDT': SYNTHETIC }));
    const spot = data.series.get('SYNTH:BTC/USDT' as never)!;
    const perp = data.series.get('SYNTH:BTC/USDT:USDT' as never)!;
    expect(correlation(logReturns(spot), logReturns(perp))).toBeGreaterThan(0.99);
    const marks = data.extras.filter((item): item is MarkPrice => item.type === 'mark-price');
    for (let i = 0; i < spot.length; i++) {
      // The premium stays within ±5%, and the mark (the perpetual's close over its premium) is the spot's close.
      expect(Math.abs(perp.close[i]! / spot.close[i]! - 1)).toBeLessThan(0.05);
      expect(Math.abs(marks[i]!.price - spot.close[i]!)).toBeLessThanOrEqual(0.02);
    }
    expect([spot.close[1999], perp.close[1999], marks[1999]!.price]).toEqual([22131.23, 22153.49, 22131.23]);
  });

  it('gives a desk of one synthetic instrument the market it always had: seeded desk seed x 1000', () => {
    const data = syntheticDeskData(desk({ 'SYNTH:BTC/USDT': SYNTHETIC }, 7));
    const alone = generateMarket({ seed: 7000, start: START, timeframeMs: HOUR_MS, bars: 2000, instruments: [{ symbol: 'BTC/USDT', startPrice: 30000, annualVol: 0.6, tickSize: 0.01 }] });
    expect(Array.from(data.series.get('SYNTH:BTC/USDT' as never)!.close)).toEqual(Array.from(alone.instruments[0]!.bars.close));
  });

  it('ties different bases by the correlation the data section gives them', () => {
    const plain = { ...SYNTHETIC, bars: 5000, regimes: false, garch: false };
    const data = syntheticDeskData(desk({ 'SYNTH:BTC/USDT': { ...plain, correlation: { 'SYNTH:ETH/USDT': 0.8 } }, 'SYNTH:ETH/USDT': { ...plain, startPrice: 2000 } }));
    const btc = logReturns(data.series.get('SYNTH:BTC/USDT' as never)!);
    const eth = logReturns(data.series.get('SYNTH:ETH/USDT' as never)!);
    expect(correlation(btc, eth)).toBeCloseTo(0.8, 1);
    const apart = syntheticDeskData(desk({ 'SYNTH:BTC/USDT': plain, 'SYNTH:ETH/USDT': { ...plain, startPrice: 2000 } }));
    expect(Math.abs(correlation(logReturns(apart.series.get('SYNTH:BTC/USDT' as never)!), logReturns(apart.series.get('SYNTH:ETH/USDT' as never)!)))).toBeLessThan(0.05);
  });

  it('generates instruments of another timeframe as a market of their own, seeded by their position', () => {
    const data = syntheticDeskData(desk({ 'SYNTH:BTC/USDT': SYNTHETIC, 'SYNTH:ETH/USDT': { ...SYNTHETIC, startPrice: 2000, timeframe: 4 * HOUR_MS, bars: 500 } }, 3));
    const alone = generateMarket({ seed: 3001, start: START, timeframeMs: 4 * HOUR_MS, bars: 500, instruments: [{ symbol: 'ETH/USDT', startPrice: 2000, annualVol: 0.6, tickSize: 0.01 }] });
    expect(Array.from(data.series.get('SYNTH:ETH/USDT' as never)!.close)).toEqual(Array.from(alone.instruments[0]!.bars.close));
    expect(data.series.get('SYNTH:BTC/USDT' as never)!.timeframeMs).toBe(HOUR_MS);
  });

  it("gives a perpetual mark candles, each bar's wick included", () => {
    const data = syntheticDeskData(desk({ 'SYNTH:BTC/USDT:USDT': SYNTHETIC }));
    const bars = data.series.get('SYNTH:BTC/USDT:USDT' as never)!;
    const marks = data.extras.filter((item): item is MarkPrice => item.type === 'mark-price');
    expect(marks).toHaveLength(2000);
    for (let i = 0; i < marks.length; i++) {
      const mark = marks[i]!;
      expect(mark.ts).toBe(bars.ts[i]! + HOUR_MS);
      expect(mark.low).toBeLessThanOrEqual(Math.min(mark.open!, mark.price));
      expect(mark.high).toBeGreaterThanOrEqual(Math.max(mark.open!, mark.price));
      // One premium over the whole candle: the mark's low sits under its close as the bar's low under its close.
      expect(mark.low! / mark.price).toBeCloseTo(bars.low[i]! / bars.close[i]!, 5);
    }
  });
});
