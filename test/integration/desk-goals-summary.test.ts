import { describe, expect, it } from 'vitest';
import { runDeskBacktest } from '../../src/backtest/desk-backtest.js';
import { summariseDesk } from '../../src/backtest/desk-summary.js';
import { parseDeskConfig } from '../../src/config/parse-desk.js';
import type { DeskEvent } from '../../src/domain/events.js';
import { syntheticDeskData } from '../../src/engine/desk/desk-data.js';

// 300 hourly bars end at 11:00 on the 13th day: the daily judge last reported eleven hours before the end.
const GOALS_DESK = `
desk: { name: goals, valuationCurrency: USDT, seed: 3 }
instruments:
  - { id: 'B:BTC/USDT', tickSize: '0.01', lotSize: '0.0001', minNotional: '10', takerFee: '0.0005' }
venues:
  - { kind: sim, id: B }
data:
  'B:BTC/USDT': { source: synthetic, startPrice: 30000, annualVol: 0.8, start: '2024-01-01', timeframe: 1h, bars: 300 }
capital:
  cash: { USDT: '100000' }
  sleeves:
    - { id: a, maxGrossExposure: '1000000', maxDrawdown: '1' }
  goals: { targetReturn: '0.2', drawdownCeiling: '0.5', start: '2024-01-01', deadline: '2024-12-31' }
agents:
  - { id: x, role: analyst, strategy: sma-cross, params: { fast: 5, slow: 20 }, sleeve: a }
  - { id: pm, role: manager }
  - { id: judge, role: judge, every: 1d }
sizing: { kind: notional, perConviction: '50000' }
`;

describe('the desk summary', () => {
  it('reports goal progress from the books at the end of the run, not from the last daily review', () => {
    const { config } = parseDeskConfig(GOALS_DESK, 'goals.yaml');
    const { desk, run } = runDeskBacktest({ config, data: syntheticDeskData(config) });
    const reports = [...desk.core.store.read(0)].filter((e): e is Extract<DeskEvent, { type: 'GoalsReported' }> => e.type === 'GoalsReported');
    const last = reports[reports.length - 1];
    expect(reports[0]?.returnSoFar).toBe(0);
    const finalReturn = run.finalEquity / 100_000 - 1;
    // The last review saw other books than the end of the run did.
    expect(Math.abs((last?.returnSoFar ?? 0) - finalReturn)).toBeGreaterThan(0.0001);
    const goals = summariseDesk(desk).goals;
    expect(goals?.reason).toContain(`Return so far ${(finalReturn * 100).toFixed(2)}% against a target of 20.00%`);
    // Eleven hours into the 13th day of a year-long +20% goal, the pace is 1.2^(300h / 8,760h) - 1.
    const elapsed = (299 * 3_600_000) / (Date.UTC(2024, 11, 31) - Date.UTC(2024, 0, 1));
    expect(goals?.status).toBe(finalReturn >= 1.2 ** elapsed - 1 ? 'on-track' : 'behind');
  });
});
