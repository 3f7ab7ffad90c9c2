import { describe, expect, it } from 'vitest';
import { runDeskBacktest } from '../../src/backtest/desk-backtest.js';
import { parseDeskConfig } from '../../src/config/parse-desk.js';
import { syntheticDeskData } from '../../src/engine/desk/desk-data.js';

const desk = (instruments: readonly string[], perConviction: string): string => `
desk: { name: points, valuationCurrency: USDT, seed: 5 }
instruments:
${instruments.map((id) => `  - { id: '${id}', tickSize: '0.01', lotSize: '0.0001', minNotional: '10', takerFee: '0.0005' }`).join('\n')}
venues:
  - { kind: sim, id: B }
data:
${instruments.map((id) => `  '${id}': { source: synthetic, startPrice: 30000, annualVol: 0.8, start: '2024-01-01', timeframe: 1h, bars: 200 }`).join('\n')}
capital:
  cash: { USDT: '100000' }
  sleeves:
${instruments.map((_, i) => `    - { id: s${i}, maxGrossExposure: '1000000', maxDrawdown: '1' }`).join('\n')}
agents:
${instruments.map((id, i) => `  - { id: x${i}, role: analyst, strategy: buy-and-hold, instruments: ['${id}'], sleeve: s${i} }`).join('\n')}
  - { id: pm, role: manager }
sizing: { kind: notional, perConviction: '${perConviction}' }
`;

describe('a desk of several instruments', () => {
  it('takes one equity point per close time, after every bar closing then, as a strategy backtest does', () => {
    const { config } = parseDeskConfig(desk(['B:BTC/USDT', 'B:BTC2/USDT'], '20000'), 'two.yaml');
    const { run } = runDeskBacktest({ config, data: syntheticDeskData(config) });
    expect(run.bars).toBe(400);
    // 200 close times, not 400 half-steps valuing one instrument at its previous close.
    expect(run.equity.length).toBe(200);
    const ts = [...run.ts];
    expect(new Set(ts).size).toBe(200);
    expect(ts.every((t, i) => i === 0 || t > (ts[i - 1] as number))).toBe(true);
    expect(run.equity[run.equity.length - 1]).toBeCloseTo(run.finalEquity, 6);
    // Held from the second close time on: every point but the first is exposed.
    expect(run.exposureBars).toBe(199);
  });
});
