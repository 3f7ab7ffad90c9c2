import { describe, expect, it } from 'vitest';
import { runDeskBacktest } from '../../src/backtest/desk-backtest.js';
import { parseDeskConfig } from '../../src/config/parse-desk.js';
import type { DeskEvent } from '../../src/domain/events.js';
import { syntheticDeskData } from '../../src/engine/desk/desk-data.js';

/** Two sim venues, each listing one instrument: A as the defaults have it, B filling at the close with 0.1% slippage. */
const TWO_VENUES = `
desk: { name: two-venues, valuationCurrency: USDT, seed: 1 }
instruments:
  - { id: 'A:BTC/USDT', tickSize: '0.01', lotSize: '0.0001', minNotional: '10', takerFee: '0.0005' }
  - { id: 'B:ETH/USDT', tickSize: '0.01', lotSize: '0.001', minNotional: '10', takerFee: '0.0005' }
venues:
  - { kind: sim, id: A }
  - { kind: sim, id: B, barExecution: close, slippage: { kind: fixed-bps, bps: '10' } }
data:
  'A:BTC/USDT': { source: synthetic, startPrice: 30000, annualVol: 0.8, start: '2024-01-01', timeframe: 1h, bars: 400 }
  'B:ETH/USDT': { source: synthetic, startPrice: 2000, annualVol: 0.8, start: '2024-01-01', timeframe: 1h, bars: 400 }
capital:
  cash: { USDT: '100000' }
  sleeves:
    - { id: a, maxGrossExposure: '1000000', maxDrawdown: '1' }
    - { id: b, maxGrossExposure: '1000000', maxDrawdown: '1' }
agents:
  - { id: x, role: analyst, strategy: sma-cross, instruments: ['A:BTC/USDT'], sleeve: a }
  - { id: y, role: analyst, strategy: sma-cross, instruments: ['B:ETH/USDT'], sleeve: b }
  - { id: pm, role: manager }
`;

describe('a desk with several sim venues', () => {
  it("fills each instrument by the options of its own venue, not the first venue's", () => {
    const { config } = parseDeskConfig(TWO_VENUES, 'two-venues.yaml');
    const data = syntheticDeskData(config);
    const { desk } = runDeskBacktest({ config, data });
    const fills = [...desk.core.store.read(0)].filter((e): e is Extract<DeskEvent, { type: 'OrderFilled' }> => e.type === 'OrderFilled');
    const bars = (id: string) => {
      const series = data.series.get(id as never);
      if (series === undefined) throw new Error(`no bars for ${id}`);
      return series;
    };
    const onA = fills.filter((f) => f.fill.instrumentId === 'A:BTC/USDT');
    const onB = fills.filter((f) => f.fill.instrumentId === 'B:ETH/USDT');
    expect(onA.length).toBeGreaterThan(2);
    expect(onB.length).toBeGreaterThan(2);
    // A: the next bar's open, without slippage.
    const a = bars('A:BTC/USDT');
    for (const { fill, tsEvent } of onA) expect(fill.price.toNumber()).toBeCloseTo(a.open[a.ts.indexOf(tsEvent)] as number, 2);
    // B: the close of the bar the order was placed on, 0.1% against the order (to the tick), within the bar's range.
    const b = bars('B:ETH/USDT');
    let inside = 0;
    for (const { fill, tsEvent } of onB) {
      const i = b.ts.indexOf(tsEvent);
      const close = b.close[i] as number;
      const slipped = fill.side === 'buy' ? Math.ceil(close * 1.001 * 100 - 1e-6) / 100 : Math.floor(close * 0.999 * 100 + 1e-6) / 100;
      const bounded = fill.side === 'buy' ? Math.min(slipped, Math.max(b.high[i] as number, close)) : Math.max(slipped, Math.min(b.low[i] as number, close));
      expect(fill.price.toNumber()).toBeCloseTo(bounded, 6);
      if (bounded === slipped) inside += 1;
    }
    expect(inside).toBeGreaterThan(2);
  });
});
