import { describe, expect, it } from 'vitest';
import { buildDesk } from '../../src/backtest/desk-backtest.js';
import { parseDeskConfig } from '../../src/config/parse-desk.js';
import type { InstrumentId } from '../../src/core/ids.js';
import type { BarSeries } from '../../src/data/bar-series.js';
import type { DeskEvent } from '../../src/domain/events.js';

const ID = 'SYN:BTC/USDT' as InstrumentId;
const H = 3_600_000;
const START = Date.UTC(2024, 0, 1);

function desk(breakers: string, monitoring?: string): string {
  return `
desk: { name: breakers, valuationCurrency: USDT, seed: 1 }
instruments:
  - { id: '${ID}', tickSize: '0.01', lotSize: '0.0001', minNotional: '10', makerFee: '0', takerFee: '0' }
venues:
  - { kind: sim, id: SYN, fillModel: bar, barExecution: next-open, slippage: { kind: none } }
data:
  '${ID}': { source: synthetic, startPrice: 30000, start: '2024-01-01', timeframe: 1h, bars: 72 }
capital:
  cash: { USDT: '100000' }
  sleeves:
    - { id: s, maxGrossExposure: '1000000', maxDrawdown: '1' }
agents:
  - { id: a, role: analyst, strategy: buy-and-hold, instruments: ['${ID}'], sleeve: s }
  - { id: pm, role: manager }
sizing: { kind: notional, perConviction: '90000' }
risk:
  breakers: ${breakers}
${monitoring === undefined ? '' : `  monitoring: ${monitoring}`}
`;
}

/** Hourly bars from 2024-01-01 at `closes` (each bar opens at the previous close). */
function series(closes: readonly number[]): BarSeries {
  const column = (f: (i: number) => number): Float64Array => Float64Array.from(closes, (_, i) => f(i));
  const open = (i: number): number => (i === 0 ? (closes[0] as number) : (closes[i - 1] as number));
  return {
    instrumentId: ID,
    timeframeMs: H,
    length: closes.length,
    ts: column((i) => START + i * H),
    open: column(open),
    close: column((i) => closes[i] as number),
    high: column((i) => Math.max(open(i), closes[i] as number)),
    low: column((i) => Math.min(open(i), closes[i] as number)),
    volume: column(() => 1_000),
  };
}

function run(breakers: string, closes: readonly number[], monitoring?: string): DeskEvent[] {
  const { config } = parseDeskConfig(desk(breakers, monitoring), 'breakers.yaml');
  const d = buildDesk({ config, data: { series: new Map([[ID, series(closes)]]), extras: [] } });
  d.runToEnd();
  return [...d.core.store.read(0)];
}

describe('the breakers of a desk holding a position between its daily marks', () => {
  it('trip the drawdown breaker on the bar that crosses its level, though the price recovers the same day', () => {
    // About 3 BTC held from the second bar; on the second day the price falls 30% by 06:00 and is back by 10:00.
    const closes = Array.from({ length: 72 }, (_, i) => (i >= 26 && i <= 33 ? [27_000, 24_000, 21_000, 21_000, 21_000, 24_000, 27_000, 30_000][i - 26]! : 30_000));
    const events = run("{ maxDrawdown: { fraction: '0.1', action: HALTED } }", closes);
    const halted = events.filter((e) => e.type === 'TradingStateChanged');
    expect(halted.map((e) => [e.type === 'TradingStateChanged' && e.trigger, e.tsEvent])).toEqual([['drawdown', START + 28 * H]]);
    // Tripped on exact books: 3 BTC bought at 30,000 are worth 72,000 at 24,000.
    expect(halted[0]?.type === 'TradingStateChanged' && halted[0].reason).toBe('Drawdown of 18% (equity 82000 from 100000) reached the 10% limit; the desk moves to HALTED.');
  });

  it('trip the daily-loss breaker on a held position, with no fill that day', () => {
    const closes = Array.from({ length: 72 }, (_, i) => (i >= 30 && i < 40 ? 28_000 : 30_000));
    const events = run("{ dailyLoss: { fraction: '0.05', action: REDUCING } }", closes);
    const changes = events.filter((e) => e.type === 'TradingStateChanged');
    // 3 BTC losing 2,000 each: 6% of the day's starting equity, at the close of the bar that fell.
    expect(changes.map((e) => [e.type === 'TradingStateChanged' && e.trigger, e.tsEvent])).toEqual([['daily-loss', START + 31 * H]]);
  });

  it('journal a mark only when a level may be crossed or a day starts, not every bar', () => {
    const closes = Array.from({ length: 72 }, (_, i) => 30_000 + (i % 5) * 10);
    const events = run("{ dailyLoss: { fraction: '0.05', action: REDUCING }, maxDrawdown: { fraction: '0.1', action: HALTED } }", closes);
    const marks = events.filter((e) => e.type === 'MarksUpdated').map((e) => e.tsEvent);
    // The daily marks (every 24 bars, each starting a day) and the run's end: no more.
    expect(marks).toEqual([START + 24 * H, START + 48 * H, START + 72 * H, START + 72 * H]);
  });
});

describe('a breaker crossed while the risk watch holds the desk REDUCING', () => {
  it('takes the REDUCING over, so the watch does not lift what only an operator may', () => {
    // 3 BTC held from the second bar on a price swinging 0.5% an hour: VaR (about 0.45% of equity) is over its 0.4%
    // limit when first measured, and the watch cuts the position and holds the desk REDUCING. At 16:00 on the second
    // day the price falls 5% for an hour: a daily loss over 2%, the breaker's REDUCING level.
    const closes = Array.from({ length: 100 }, (_, i) => (i === 40 ? 28_500 : i % 2 === 0 ? 30_000 : 30_150));
    const events = run("{ dailyLoss: { fraction: '0.02', action: REDUCING } }", closes, "{ lookbackBars: 30, maxVar: '0.004', shocks: [] }");
    const changes = events.filter((e): e is Extract<DeskEvent, { type: 'TradingStateChanged' }> => e.type === 'TradingStateChanged');
    // The breaker's REDUCING now, which the watch does not lift: unrecorded, the crossing let the watch lift the desk to
    // ACTIVE at 23:00 the next day, once VaR was back under its release level.
    expect(changes.map((e) => [e.from, e.to, e.trigger, new Date(e.tsEvent).toISOString()])).toEqual([
      ['ACTIVE', 'REDUCING', 'risk-monitor', '2024-01-02T07:00:00.000Z'],
      ['REDUCING', 'REDUCING', 'daily-loss', '2024-01-02T17:00:00.000Z'],
    ]);
    expect(changes[1]?.reason).toBe('Daily loss of 4.07% (equity 96365.8 from 100450) reached the 2% limit; the desk, REDUCING under the risk watch, stays REDUCING until resumed.');
  });
});
