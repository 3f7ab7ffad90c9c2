import { describe, expect, it } from 'vitest';
import { runDeskBacktest } from '../../src/backtest/desk-backtest.js';
import { parseDeskConfig } from '../../src/config/parse-desk.js';
import { syntheticDeskData } from '../../src/engine/desk/desk-data.js';

/** Two sleeves trading one synthetic perpetual at 100x: a move of 1% against them liquidates the venue's position. */
const YAML = `
desk: { name: liq, valuationCurrency: USDT, mode: backtest, seed: 1 }
instruments:
  - { id: 'SYNTH:BTC/USDT:USDT', tickSize: '0.01', lotSize: '0.001', minNotional: '5', makerFee: '0.0002', takerFee: '0.0005', maxLeverage: '100' }
venues:
  - { kind: sim, id: SYNTH, fillModel: bar, barExecution: next-open, leverage: { 'SYNTH:BTC/USDT:USDT': '100' }, marginMode: cross }
data:
  'SYNTH:BTC/USDT:USDT': { source: synthetic, startPrice: 30000, annualVol: 0.8, start: '2024-01-01', timeframe: 1h, bars: 600 }
capital:
  cash: { USDT: '20000' }
  sleeves:
    - { id: fast, maxGrossExposure: '5000000', maxDrawdown: '0.9' }
    - { id: slow, maxGrossExposure: '5000000', maxDrawdown: '0.9' }
agents:
  - { id: a1, role: analyst, strategy: ema-cross, params: { fast: 3, slow: 8, mode: reversal }, sleeve: fast }
  - { id: a2, role: analyst, strategy: sma-cross, params: { fast: 5, slow: 20, mode: reversal }, sleeve: slow }
  - { id: pm, role: manager }
manager: { mode: independent }
sizing: { kind: notional, perConviction: '300000' }
risk:
  limits: { maxOrderNotional: '5000000', maxPositionNotional: '5000000', maxGrossExposure: '5000000', maxLeverage: '100' }
`;

describe('a desk whose position the venue liquidates', () => {
  it("ends each sleeve's trade at the liquidation price with its share of the fee, and leaves none open when nothing is held", () => {
    const { config } = parseDeskConfig(YAML, 'liq');
    const { desk, run } = runDeskBacktest({ config, data: syntheticDeskData(config) });
    const events = desk.core.store.read(0);
    const liquidations = events.filter((e) => e.type === 'PositionLiquidated');
    expect(liquidations.length).toBeGreaterThan(0);
    const first = liquidations[0]!;
    if (first.type !== 'PositionLiquidated') throw new Error('not a liquidation');
    // The trades that ended at the first liquidation: one per sleeve that held a position, at its price.
    const ended = run.trades.filter((t) => t.exitTs === first.tsEvent && Math.abs(t.exitPrice - first.price.toNumber()) < 1e-6 && t.open === undefined);
    expect(ended.length).toBeGreaterThan(0);
    // Both sleeves were long (4.517 and 1.968 of the venue's 6.485): both trades end there, each with its share of the fee.
    expect(ended.map((t) => [t.instrument, t.direction, t.qty])).toEqual([
      ['fast|SYNTH:BTC/USDT:USDT', 'long', 1.968],
      ['slow|SYNTH:BTC/USDT:USDT', 'long', 4.517],
    ]);
    expect(ended.reduce((sum, t) => sum + t.qty, 0)).toBeCloseTo(first.quantity.toNumber(), 9);
    const fastShare = (first.fee.toNumber() * 1.968) / 6.485;
    expect(ended[0]!.fees).toBeGreaterThan(fastShare);
    // Nothing is held at the end that the trades would call open.
    const held = [...desk.core.ledger.allPositions()].filter(({ position }) => !position.quantity.isZero()).length;
    expect(run.trades.filter((t) => t.open === true).length).toBe(held);
  });
});
