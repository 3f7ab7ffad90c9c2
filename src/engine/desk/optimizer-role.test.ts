import { describe, expect, it } from 'vitest';
import { Fixed } from '../../core/fixed.js';
import { agentId, instrumentId, type AgentId, type InstrumentId } from '../../core/ids.js';
import type { UnixMs } from '../../core/time.js';
import { BarSeriesBuilder, sliceSeries, type BarSeries } from '../../data/bar-series.js';
import { createStrategy } from '../../strategies/registry.js';
import type { Signal, StrategyContext } from '../../strategies/strategy.js';
import type { TradingCore } from '../trading-core.js';
import { AnalystRole } from './analyst-role.js';
import { inCloseOrder, OptimizerRole } from './optimizer-role.js';

const HOUR = 3_600_000;
const START = Date.UTC(2024, 0, 1);
const ETH = instrumentId('SYNTH:ETH/USDT');
const BTC = instrumentId('SYNTH:BTC/USDT');

function series(id: InstrumentId, timeframeMs: number, closes: readonly number[]): BarSeries {
  const builder = new BarSeriesBuilder();
  closes.forEach((close, i) => builder.push(START + i * timeframeMs, close, close, close, close, 1));
  return builder.build(id, timeframeMs);
}

/** Two legs whose log spread wobbles inside ±0.4% for 200 bars, then ETH jumps 5% on bar 200. */
const LEGS = 201;
const eth = series(ETH, HOUR, Array.from({ length: LEGS }, (_, i) => (i === 200 ? 105 : 100 * (1 + 0.004 * Math.sin(i * 1.7)))));
const btc = series(BTC, HOUR, Array.from({ length: LEGS }, (_, i) => 50 * (1 + 0.002 * Math.cos(i * 0.9))));
const PAIRS = { period: 20, hedge: 'fixed', entry: 2, exit: 0.5 };

function collect(): { signals: Signal[]; context: StrategyContext } {
  const signals: Signal[] = [];
  return { signals, context: { position: () => 0, hasPendingOrder: () => false, emit: (signal) => void signals.push(signal) } };
}

describe('the optimizer role', () => {
  it('warms a newly applied pairs brain on both legs, so it trades on the next bar as one that saw every bar does', () => {
    const recorded: string[] = [];
    const core = { recordAgentEvent: (event: { type: string }) => (recorded.push(event.type), { ...event, id: `event-${recorded.length}` }) } as unknown as TradingCore;
    const role = new OptimizerRole(core, {
      id: agentId('tuner'),
      periodMs: 30 * 24 * HOUR,
      lookbackBars: 100,
      approval: 'automatic',
      seed: 1,
      search: () => ({ proposed: PAIRS, proposedScore: 2, currentScore: 1, trials: 1, reason: 'better out of sample' }),
    });
    const analyst = new AnalystRole(agentId('pairs'), 'pair', 'pairs-zscore', { period: 50 }, createStrategy('pairs-zscore', { period: 50 }, [ETH, BTC]), {
      kind: 'notional',
      perConviction: Fixed.parse('10000'),
    });
    // The desk has replayed bars 0..199 of both legs.
    const recent = (id: InstrumentId, bars: number): BarSeries | undefined => {
      const s = id === ETH ? eth : id === BTC ? btc : undefined;
      return s === undefined ? undefined : sliceSeries(s, Math.max(0, 200 - bars), 200);
    };
    role.run((START + 200 * HOUR) as UnixMs, new Map<AgentId, AnalystRole>([[analyst.id, analyst]]), recent, []);
    expect(recorded).toEqual(['ParametersProposed', 'ParametersApplied']);
    expect(analyst.parameters).toEqual(PAIRS);

    const warmed = collect();
    for (const s of [eth, btc]) analyst.brain.onBar({ instrumentId: s.instrumentId, index: 200, ts: START + 200 * HOUR, open: 0, high: 0, low: 0, close: s.close[200] as number, volume: 1 }, warmed.context);

    // The same parameters fed every bar from the first, each time ETH then BTC.
    const reference = createStrategy('pairs-zscore', PAIRS, [ETH, BTC]);
    const quiet = collect();
    const seen = collect();
    for (let i = 0; i < LEGS; i++) {
      for (const s of [eth, btc]) reference.onBar({ instrumentId: s.instrumentId, index: i, ts: START + i * HOUR, open: 0, high: 0, low: 0, close: s.close[i] as number, volume: 1 }, i < 200 ? quiet.context : seen.context);
    }
    expect(quiet.signals).toEqual([]);
    expect(seen.signals.map((s) => [s.instrumentId, s.direction])).toEqual([
      [ETH, 'short'],
      [BTC, 'long'],
    ]);
    expect(seen.signals[0]?.conviction).toBeGreaterThan(0.9);
    expect(warmed.signals).toEqual(seen.signals);
  });

  it('merges recent bars of several timeframes by close time, same close times in the order given', () => {
    const hourly = series(ETH, HOUR, [1, 2, 3, 4, 5]);
    const fourHourly = series(BTC, 4 * HOUR, [10, 20]);
    const order = inCloseOrder([fourHourly, hourly]).map(({ series: s, index }) => `${s.instrumentId === ETH ? 'h' : '4h'}${index}`);
    expect(order).toEqual(['h0', 'h1', 'h2', '4h0', 'h3', 'h4', '4h1']);
    expect(inCloseOrder([hourly, fourHourly]).map(({ series: s, index }) => `${s.instrumentId === ETH ? 'h' : '4h'}${index}`)).toEqual(['h0', 'h1', 'h2', 'h3', '4h0', 'h4', '4h1']);
  });
});
