import { describe, expect, it } from 'vitest';
import { instrumentId, type InstrumentId } from '../../core/ids.js';
import { SeededRandom } from '../../core/random.js';
import { BarSeriesBuilder, type BarSeries } from '../../data/bar-series.js';
import type { StrategyFactory } from '../../strategies/strategy.js';
import { stitchOutOfSample, type OutOfSampleRun } from './stitch.js';
import { runTrial } from './trial.js';
import { buildTrialEnvironment, type PortableTrialSetup } from './trial-environment.js';
import type { BarRange } from './windows.js';

const ID = instrumentId('TEST:ETH/USDT');
const HOUR = 3_600_000;
const YEAR = 365 * 24 * HOUR;
const SETUP: PortableTrialSetup = {
  instruments: [{ id: ID, tickSize: '0.01', lotSize: '0.0001', takerFee: '0.001', makerFee: '0.001' }],
  settings: { cash: { USDT: '10000' }, valuationCurrency: 'USDT', sizing: { kind: 'percent-equity', fraction: 0.9 } },
};

/** Long while the close is above the close five bars ago. */
const MOMENTUM: StrategyFactory = {
  name: 'momentum',
  description: 'long on positive momentum',
  instrumentCount: 1,
  parameters: [{ name: 'lookback', description: 'bars back', default: 5, min: 1, integer: true }],
  create(params, instruments: readonly InstrumentId[]) {
    const lookback = params.lookback as number;
    const closes: number[] = [];
    return {
      name: 'momentum',
      instruments,
      warmup: lookback,
      onBar(bar, context) {
        closes.push(bar.close);
        const past = closes[closes.length - 1 - lookback];
        if (past === undefined) return;
        context.emit({ instrumentId: ID, direction: bar.close > past ? 'long' : 'flat', conviction: 1, reason: 'momentum' });
      },
    };
  },
};

/** A noisy wave on a rising trend, hourly; `gapAfter` bars in, the clock jumps `gapHours` ahead (a closed market). */
function wave(n: number, gapAfter = n, gapHours = 0): BarSeries {
  const builder = new BarSeriesBuilder();
  const noise = new SeededRandom(7);
  let previous = 100;
  for (let i = 0; i < n; i++) {
    const close = Math.round((100 + 8 * Math.sin(i / 9) + 3 * Math.sin(i / 4) + 0.05 * i + 1.5 * noise.normal()) * 100) / 100;
    const ts = (i + (i >= gapAfter ? gapHours : 0)) * HOUR;
    builder.push(ts, previous, Math.max(previous, close) + 0.2, Math.min(previous, close) - 0.2, close, 10);
    previous = close;
  }
  return builder.build(ID, HOUR);
}

const RANGES: readonly BarRange[] = [
  { from: 200, to: 300 },
  { from: 300, to: 400 },
  { from: 400, to: 500 },
];

function outOfSampleRuns(series: BarSeries): OutOfSampleRun[] {
  const environment = buildTrialEnvironment([series], MOMENTUM, SETUP);
  return RANGES.map((range, w) => ({ range, result: runTrial(environment, { index: w, params: { lookback: 5 }, range, trials: 1, detail: true }) }));
}

describe('stitching out-of-sample windows', () => {
  it('scales each window\'s trades and fees with its equity, so the trades add up to the stitched curve', () => {
    const runs = outOfSampleRuns(wave(600));
    const summary = stitchOutOfSample(runs, wave(600), { samples: 0, seed: 1 });
    const returns = runs.map((run) => run.result.metrics.totalReturn);
    // Every window starts with the same cash and continues the chain at the level the windows before it reached.
    const scales = returns.map((_, w) => returns.slice(0, w).reduce((level, r) => level * (1 + r), 1));
    expect(scales[2]).toBeCloseTo(1.074, 3);
    const stitchedPnl = summary.metrics.totalReturn * 10_000;
    // Each window's own trades add up to its own equity change ...
    for (const run of runs) {
      const detail = run.result.detail!;
      const pnl = detail.trades.reduce((s, t) => s + t.pnl, 0);
      expect(pnl).toBeCloseTo((detail.equity[detail.equity.length - 1] as number) - detail.startEquity, 6);
    }
    // ... and the stitched trades to the stitched curve's.
    expect(summary.metrics.expectancy * summary.metrics.trades).toBeCloseTo(stitchedPnl, 6);
    const fees = runs.reduce((sum, run, w) => sum + run.result.metrics.feesPaid * (scales[w] as number), 0);
    expect(summary.metrics.feesPaid).toBeCloseTo(fees, 9);
    expect(summary.metrics.feesPaid).not.toBeCloseTo(runs.reduce((sum, run) => sum + run.result.metrics.feesPaid, 0), 3);
  });

  it('annualises by the points a year the stitched curve holds, not by the first window\'s', () => {
    // The clock jumps 2,000 hours inside the last window: the stitched curve spans that time, the first window not.
    const series = wave(600, 450, 2000);
    const runs = outOfSampleRuns(series);
    const summary = stitchOutOfSample(runs, series, { samples: 0, seed: 1 });
    const m = summary.bars - 1;
    const span = (series.ts[499] as number) - (series.ts[200] as number);
    const pointsPerYear = (m * YEAR) / span;
    expect(runs[0]?.result.barsPerYear).toBeCloseTo(8760, 6);
    expect(summary.metrics.annualisedReturn).toBeCloseTo((1 + summary.metrics.totalReturn) ** (pointsPerYear / m) - 1, 12);
  });
});
