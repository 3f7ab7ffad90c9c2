import { describe, expect, it } from 'vitest';
import type { DeskConfig } from '../../config/desk-schema.js';
import { HOUR_MS } from '../../core/time.js';
import type { MarkPrice } from '../../domain/market-data.js';
import { syntheticDeskData } from './desk-data.js';

const START = Date.UTC(2024, 0, 1);
const SYNTHETIC = { source: 'synthetic', startPrice: 30000, annualVol: 0.6, start: START, timeframe: HOUR_MS, bars: 2000, regimes: true, garch: true } as const;

/** The parts of a desk file the synthetic data reads. */
function desk(data: Record<string, object>, seed = 1): DeskConfig {
  return { desk: { seed }, instruments: Object.keys(data).map((id) => ({ id, tickSize: '0.01' })), data } as unknown as DeskConfig;
}

describe('syntheticDeskData', () => {
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
