import { describe, expect, it } from 'vitest';
import { FixRequestError } from '../core/errors.js';
import { instrumentId, type InstrumentId } from '../core/ids.js';
import { BarSeriesBuilder } from '../data/bar-series.js';
import { defineInstrument } from '../domain/instrument.js';
import type { Strategy } from '../strategies/strategy.js';
import { buildResult } from './build-result.js';
import { runBacktest } from './runner.js';
import { USDT } from '../../test/support/runner-scripts.js';

const A = instrumentId('TEST:AAA/USDT');
const B = instrumentId('TEST:BBB/USDT');
const instrumentOf = (id: InstrumentId) => defineInstrument({ id, tickSize: '0.01', lotSize: '0.0001', takerFee: '0', makerFee: '0' });
const CLOSES = [100, 104, 98, 107, 101, 111, 95, 103, 110, 99];

function seriesOf(id: InstrumentId, closes: readonly number[], timeframeMs = 60_000) {
  const b = new BarSeriesBuilder();
  closes.forEach((c, i) => b.push(i * timeframeMs, c, c + 1, c - 1, c, 100));
  return b.build(id, timeframeMs);
}

/** Watches `ids` and goes long on the first bar of each of `traded`. */
function longFromTheStart(ids: readonly InstrumentId[], traded: readonly InstrumentId[] = ids): Strategy {
  return {
    name: 'long-from-the-start',
    instruments: ids,
    warmup: 0,
    onBar(bar, ctx) {
      if (bar.index === 0 && traded.includes(bar.instrumentId)) ctx.emit({ instrumentId: bar.instrumentId, direction: 'long', conviction: 1, reason: 'start' });
    },
  };
}

function result(run: ReturnType<typeof runBacktest>, series: Parameters<typeof buildResult>[1]['series']) {
  return buildResult(run, { strategy: 'long-from-the-start', params: {}, series, timing: { loadMs: 0, engineMs: 0 }, bootstrapSamples: 200 });
}

describe('backtest runner: the equity of several instruments, one point per close time', () => {
  it('two instruments of 50 each on the same prices have the curve and the risk figures of one of 100', () => {
    const both = [seriesOf(A, CLOSES), seriesOf(B, CLOSES)];
    const two = runBacktest({ series: both, instruments: [instrumentOf(A), instrumentOf(B)], strategy: longFromTheStart([A, B]), cash: { USDT: '20000' }, valuationCurrency: USDT, sizing: { kind: 'fixed-quantity', quantity: 50 } });
    const single = [seriesOf(A, CLOSES)];
    const one = runBacktest({ series: single, instruments: [instrumentOf(A)], strategy: longFromTheStart([A]), cash: { USDT: '20000' }, valuationCurrency: USDT, sizing: { kind: 'fixed-quantity', quantity: 100 } });
    expect(two.bars).toBe(20);
    expect(Array.from(two.ts)).toEqual(CLOSES.map((_, i) => i * 60_000));
    expect(Array.from(two.equity)).toEqual(Array.from(one.equity));
    // Bought 100 in all at bar 1's open (104): each point is the whole book at that close.
    expect(Array.from(two.equity)).toEqual(CLOSES.map((c, i) => (i === 0 ? 20000 : 20000 + 100 * (c - 104))));
    const [m2, m1] = [result(two, both).metrics, result(one, single).metrics];
    for (const key of ['volatility', 'sharpe', 'sortino', 'deflatedSharpe', 'annualisedReturn', 'maxDrawdown', 'exposure'] as const) expect(m2[key]).toBe(m1[key]);
    expect(m2.sharpeConfidence).toEqual(m1.sharpeConfidence);
    expect(m2.volatility).toBeGreaterThan(0);
  });

  it('with a 1m and a 5m instrument takes each point after every bar closing then, at the 1m open times', () => {
    const minutes = seriesOf(A, CLOSES);
    const fives = seriesOf(B, [200, 210], 300_000);
    const run = runBacktest({ series: [fives, minutes], instruments: [instrumentOf(A), instrumentOf(B)], strategy: longFromTheStart([A, B]), cash: { USDT: '100000' }, valuationCurrency: USDT, sizing: { kind: 'fixed-quantity', quantity: 1 } });
    expect(run.bars).toBe(12);
    expect(run.seriesBars).toEqual([2, 10]);
    expect(result(run, [fives, minutes]).barsByInstrument).toEqual([
      { instrument: B, timeframeMs: 300_000, bars: 2 },
      { instrument: A, timeframeMs: 60_000, bars: 10 },
    ]);
    // The 5m bar (listed first) ties on close with the 1m bar opening 4 minutes later: one point, after both, at 4m.
    expect(Array.from(run.ts)).toEqual(CLOSES.map((_, i) => i * 60_000));
    // A is bought at bar 1's open (104); B (bought at its bar 1's open, 210) is held only at the very end, at 210.
    expect(Array.from(run.equity)).toEqual(CLOSES.map((c, i) => (i === 0 ? 100000 : 100000 + (c - 104))));
    expect(run.exposureBars).toBe(9);
  });

  it('counts a close time as exposed when any instrument holds a position then', () => {
    const strategy = longFromTheStart([A, B], [A]);
    const run = runBacktest({ series: [seriesOf(A, CLOSES), seriesOf(B, CLOSES)], instruments: [instrumentOf(A), instrumentOf(B)], strategy, cash: { USDT: '100000' }, valuationCurrency: USDT, sizing: { kind: 'fixed-quantity', quantity: 1 } });
    expect(run.exposureBars).toBe(9);
    expect(result(run, [seriesOf(A, CLOSES), seriesOf(B, CLOSES)]).metrics.exposure).toBeCloseTo(0.9, 12);
  });
});

describe('backtest runner: one series per instrument', () => {
  it('refuses two series of the same instrument, naming both and the instrument', () => {
    const run = () =>
      runBacktest({ series: [seriesOf(A, CLOSES), seriesOf(A, [100, 101], 300_000)], instruments: [instrumentOf(A)], strategy: longFromTheStart([A]), cash: { USDT: '1000' }, valuationCurrency: USDT, sizing: { kind: 'fixed-quantity', quantity: 1 } });
    expect(run).toThrow(FixRequestError);
    expect(run).toThrow('series 1 (1m) and series 2 (5m) are both TEST:AAA/USDT: an instrument takes one series');
  });
});

describe('backtest runner: trades still open at the end', () => {
  it('counts the bars of each trade on its own instrument, with a 1m and a 5m instrument', () => {
    const run = runBacktest({
      series: [seriesOf(A, CLOSES), seriesOf(B, [200, 210, 220], 300_000)],
      instruments: [instrumentOf(A), instrumentOf(B)],
      strategy: longFromTheStart([A, B]),
      cash: { USDT: '100000' },
      valuationCurrency: USDT,
      sizing: { kind: 'fixed-quantity', quantity: 1 },
    });
    // Each bought at its bar 1's open and held through its last bar: 9 of A's 1m bars, 2 of B's 5m bars.
    expect(run.trades.map((t) => [t.instrument, t.bars, t.exitPrice])).toEqual([
      [A, 9, 99],
      [B, 2, 220],
    ]);
  });
});
