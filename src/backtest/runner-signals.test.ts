import { describe, expect, it } from 'vitest';
import { currency, instrumentId, type InstrumentId } from '../core/ids.js';
import { BarSeriesBuilder } from '../data/bar-series.js';
import { defineInstrument } from '../domain/instrument.js';
import type { BarView, Strategy, StrategyContext } from '../strategies/strategy.js';
import { buildResult } from './build-result.js';
import { runBacktest } from './runner.js';
import { callsAt, ID, scripted, series, SPOT, USDT } from '../../test/support/runner-scripts.js';

describe('backtest runner: a flip the account cannot hold whole', () => {
  /** Long `quantity` on bar 0, short on bar 2, on a 5x perpetual at a flat 100 with 100 USDT. */
  async function flip(quantity: number, bars: number) {
    const { Fixed } = await import('../core/fixed.js');
    const perpId = instrumentId('TEST:ADA/USDT:USDT');
    const PERP = defineInstrument({ id: perpId, tickSize: '0.01', lotSize: '0.001', takerFee: '0', makerFee: '0', maxLeverage: '5' });
    const b = new BarSeriesBuilder();
    for (let i = 0; i < bars; i++) b.push(i * 60_000, 100, 101, 99, 100, 1000);
    const run = runBacktest({
      series: [b.build(perpId, 60_000)],
      instruments: [PERP],
      strategy: callsAt(perpId, { 0: 'long', 2: 'short' }),
      cash: { USDT: '100' },
      valuationCurrency: USDT,
      sizing: { kind: 'fixed-quantity', quantity },
      leverage: new Map([[perpId, Fixed.fromInt(5)]]),
    });
    return { run, fills: run.fills.toArray().map((f) => [f.ts, f.side, f.qty]), position: run.core.ledger.position('desk', perpId)?.quantity.toPlainString() };
  }

  it('closes the old side and opens the new one with what the account has', async () => {
    // Long 2 at 100 and 5x holds 40 of margin, leaving 60: a whole flip (sell 4) would need 80, the new short 40.
    const { run, fills, position } = await flip(2, 5);
    expect(fills).toEqual([
      [60_000, 'buy', 2],
      [180_000, 'sell', 2],
      [180_000, 'sell', 2],
    ]);
    expect(position).toBe('-2');
    // The whole flip's denial is in the journal, but the split went through: the result counts no denial.
    expect(run.denials).toBe(0);
    expect(run.denialReasons).toEqual([]);
  });

  it('opens the new side once the close has freed the margin, when what is free before cannot pay for it', async () => {
    // Long 4 at 100 and 5x holds 80 of margin, leaving 20: the new short needs 80, free only once the long is closed.
    const { run, fills, position } = await flip(4, 6);
    // The close fills at the open of bar 3; the open goes out at its close and fills at the open of bar 4.
    expect(fills).toEqual([
      [60_000, 'buy', 4],
      [180_000, 'sell', 4],
      [240_000, 'sell', 4],
    ]);
    expect(position).toBe('-4');
    expect(run.denials).toBe(0);
  });
});

describe('backtest runner: signals while the sizing gathers its history', () => {
  const closes = Array.from({ length: 40 }, (_, i) => 100 + (i % 2 === 0 ? 0 : 1) + i * 0.1);

  it('acts on the latest signal of a warm strategy once a volatility target has its lookback', async () => {
    const { createStrategy } = await import('../strategies/registry.js');
    const run = runBacktest({
      series: [series(closes)],
      instruments: [SPOT],
      strategy: createStrategy('buy-and-hold', {}, [ID]),
      cash: { USDT: '100000' },
      valuationCurrency: USDT,
      sizing: { kind: 'volatility-target', annualVol: 0.5, lookback: 20 },
    });
    // Buy and hold says "long" once, on bar 0; the volatility target can size it from bar 20: it fills at bar 21's open.
    expect(run.fills.toArray().map((f) => [f.ts, f.side])).toEqual([[21 * 60_000, 'buy']]);
    expect(run.denials).toBe(0);
  });

  it('takes a newer signal of the same bar over the one that waited, and drops views the warm-up superseded', () => {
    const run = runBacktest({
      series: [series(closes)],
      instruments: [SPOT],
      strategy: scripted([3, 20], [5, 25]),
      cash: { USDT: '100000' },
      valuationCurrency: USDT,
      sizing: { kind: 'volatility-target', annualVol: 0.5, lookback: 10 },
    });
    // Long on bar 3 is superseded by flat on bar 5 during the lookback: nothing waits. Long on 20, flat on 25.
    expect(run.fills.toArray().map((f) => [f.ts / 60_000, f.side])).toEqual([
      [21, 'buy'],
      [26, 'sell'],
    ]);
  });

  it("holds each instrument's signal until that instrument's own bars cover the lookback", () => {
    const B = instrumentId('TEST:ETH/USDT');
    const SPOT_B = defineInstrument({ id: B, tickSize: '0.01', lotSize: '0.0001', takerFee: '0', makerFee: '0' });
    const other = new BarSeriesBuilder();
    closes.forEach((c, i) => other.push(i * 60_000, c, c + 1, c - 1, c, 100));
    const both: Strategy = {
      name: 'both',
      instruments: [ID, B],
      warmup: 0,
      onBar(bar: BarView, ctx: StrategyContext) {
        if (bar.index === 0) ctx.emit({ instrumentId: bar.instrumentId, direction: 'long', conviction: 1, reason: 'go' });
      },
    };
    const run = runBacktest({
      series: [series(closes), other.build(B, 60_000)],
      instruments: [SPOT, SPOT_B],
      strategy: both,
      cash: { USDT: '100000' },
      valuationCurrency: USDT,
      sizing: { kind: 'volatility-target', annualVol: 0.5, lookback: 10 },
    });
    // Both buy at bar 11's open: the first lane to reach bar 10 must not act for the other, one bar short.
    expect(run.fills.toArray().map((f) => [f.ts / 60_000, f.instrument])).toEqual([
      [11, ID],
      [11, B],
    ]);
    expect(run.denials).toBe(0);
  });

  it('sizes each leg of a pair on its own history up to the bar it last saw, not the next one', async () => {
    const { positionSize } = await import('./sizing.js');
    const B = instrumentId('TEST:ETH/USDT');
    const SPOT_B = defineInstrument({ id: B, tickSize: '0.01', lotSize: '0.0001', takerFee: '0', makerFee: '0' });
    const b = new BarSeriesBuilder();
    closes.forEach((c, i) => b.push(i * 60_000, c, c + 1, c - 1, c, 100));
    // A jump in A's bar 31 would move its volatility if a signal on bar 30 (seen on B's bar) read one bar ahead.
    const jumpy = new BarSeriesBuilder();
    closes.forEach((c, i) => jumpy.push(i * 60_000, c, c * 2 + 1, c - 1, i === 31 ? c * 2 : c, 100));
    const aSeries = jumpy.build(ID, 60_000);
    const sizing = { kind: 'volatility-target' as const, annualVol: 0.5, lookback: 10 };
    const strategy: Strategy = {
      name: 'pair-probe',
      instruments: [ID, B],
      warmup: 0,
      onBar(bar: BarView, ctx: StrategyContext) {
        if (bar.instrumentId === B && bar.index === 30) ctx.emit({ instrumentId: ID, direction: 'long', conviction: 1, reason: 'probe' });
      },
    };
    const run = runBacktest({ series: [aSeries, b.build(B, 60_000)], instruments: [SPOT, SPOT_B], strategy, cash: { USDT: '100000' }, valuationCurrency: USDT, sizing });
    const expected = positionSize(sizing, aSeries.close[30] as number, 100_000, 1, aSeries.close, 30, 525_600);
    expect(run.fills.toArray()[0]?.qty).toBeCloseTo(Math.floor(expected * 10_000) / 10_000, 9);
  });
});

describe('backtest runner: pairs', () => {
  const A = instrumentId('TEST:A/USD:USD');
  const B = instrumentId('TEST:B/USD:USD');
  const legs = [A, B].map((id) => defineInstrument({ id, tickSize: '0.01', lotSize: '0.001', takerFee: '0', makerFee: '0', maxLeverage: '5' }));
  const hourly = (id: InstrumentId, closes: readonly number[], timeframeMs = 3_600_000) => {
    const b = new BarSeriesBuilder();
    closes.forEach((c, i) => b.push(i * timeframeMs, c, c, c, c, 100));
    return b.build(id, timeframeMs);
  };

  it('enters on the first z-score the window gives, not one bar after it', async () => {
    const { createStrategy } = await import('../strategies/registry.js');
    const pricesA = [100, 100, 100, 100, 110, 110, 110, 110, 110, 110, 100];
    const run = runBacktest({
      series: [hourly(A, pricesA), hourly(B, pricesA.map(() => 100))],
      instruments: legs,
      strategy: createStrategy('pairs-zscore', { period: 5, entry: 1, exit: 0.2, hedge: 'fixed' }, [A, B]),
      cash: { USD: '100000' },
      valuationCurrency: currency('USD'),
      sizing: { kind: 'fixed-quantity', quantity: 1 },
    });
    // The first z (bar 4, A jumping to 110) is above 1: short A, long B, filled at bar 5's open.
    expect(run.fills.toArray().slice(0, 2).map((f) => [f.ts / 3_600_000, f.instrument, f.side, f.price])).toEqual([
      [5, A, 'sell', 110],
      [5, B, 'buy', 100],
    ]);
  });

  it('refuses legs of different timeframes, which it could never pair', async () => {
    const { createStrategy } = await import('../strategies/registry.js');
    expect(() =>
      runBacktest({
        series: [hourly(A, [1, 2, 3]), hourly(B, [1, 2, 3], 900_000)],
        instruments: legs,
        strategy: createStrategy('pairs-zscore', {}, [A, B]),
        cash: { USD: '100000' },
        valuationCurrency: currency('USD'),
        sizing: { kind: 'fixed-quantity', quantity: 1 },
      }),
    ).toThrow("pairs-zscore pairs its instruments' bars by time: give series of one timeframe (got TEST:A/USD:USD 1h, TEST:B/USD:USD 15m)");
  });
});

describe('backtest result: a fill on the first bar', () => {
  it('measures returns, drawdown and the months from the starting cash, not from the equity after that fill', async () => {
    const { createStrategy } = await import('../strategies/registry.js');
    const { monthlyReturns } = await import('./report/monthly-returns.js');
    const closes = Array.from({ length: 40 }, (_, i) => 100 + i);
    const run = runBacktest({
      series: [series(closes)],
      instruments: [defineInstrument({ id: ID, tickSize: '0.01', lotSize: '0.0001', takerFee: '0.01', makerFee: '0.01' })],
      strategy: createStrategy('buy-and-hold', {}, [ID]),
      cash: { USDT: '10000' },
      valuationCurrency: USDT,
      sizing: { kind: 'fixed-quantity', quantity: 10 },
      venue: { barExecution: 'close' },
    });
    // Bought 10 at bar 0's close (100) with a 1% fee: the curve starts at 9,990.
    expect(run.equity[0]).toBeCloseTo(9990, 9);
    const result = buildResult(run, { strategy: 'buy-and-hold', params: {}, series: [series(closes)], timing: { loadMs: 0, engineMs: 0 } });
    expect(result.metrics.totalReturn).toBeCloseTo(result.finalEquity / 10_000 - 1, 12);
    expect(result.metrics.totalReturn).toBeCloseTo(0.038, 12);
    const [row] = monthlyReturns(result.equityCurve.ts, result.equityCurve.equity, result.initialCash);
    expect(row?.total).toBeCloseTo(0.038, 12);
  });
});
