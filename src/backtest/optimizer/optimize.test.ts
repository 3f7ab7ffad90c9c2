import { describe, expect, it } from 'vitest';
import { FixRequestError } from '../../core/errors.js';
import { instrumentId, type InstrumentId } from '../../core/ids.js';
import { SeededRandom } from '../../core/random.js';
import { BarSeriesBuilder, type BarSeries } from '../../data/bar-series.js';
import type { StrategyFactory } from '../../strategies/strategy.js';
import { deflatedSharpe } from '../metrics-sharpe.js';
import { InProcessExecutor } from './executor.js';
import { parseObjective } from './objective.js';
import { optimize, type OptimizationRequest } from './optimize.js';
import { parseParameterSpace } from './parameter-space.js';
import { exportBestParameters } from './report.js';
import { flatSelectionWarnings } from './warnings.js';
import { runTrial } from './trial.js';
import { buildTrialEnvironment, type PortableTrialSetup, type TrialEnvironment } from './trial-environment.js';

const ID = instrumentId('TEST:ETH/USDT');
const HOUR = 3_600_000;
const SETUP: PortableTrialSetup = {
  instruments: [{ id: ID, tickSize: '0.01', lotSize: '0.0001', takerFee: '0.001', makerFee: '0.001' }],
  settings: { cash: { USDT: '10000' }, valuationCurrency: 'USDT', sizing: { kind: 'percent-equity', fraction: 0.9 } },
};

/** A noisy wave on a slow trend: momentum of different lookbacks does measurably better or worse. */
function wave(n: number): BarSeries {
  const builder = new BarSeriesBuilder();
  const noise = new SeededRandom(11);
  let previous = 100;
  for (let i = 0; i < n; i++) {
    const close = Math.round((100 + 8 * Math.sin(i / 9) + 3 * Math.sin(i / 4) + 0.03 * i + 1.5 * noise.normal()) * 100) / 100;
    builder.push(i * HOUR, previous, Math.max(previous, close) + 0.2, Math.min(previous, close) - 0.2, close, 10);
    previous = close;
  }
  return builder.build(ID, HOUR);
}

/** Long while the close is above the close `lookback` bars ago; `label` changes nothing; lookback 13 is refused. */
const MOMENTUM: StrategyFactory = {
  name: 'momentum',
  description: 'long on positive momentum',
  instrumentCount: 1,
  parameters: [
    { name: 'lookback', description: 'bars back', default: 5, min: 1, max: 1000, integer: true },
    { name: 'label', description: 'no effect', default: 'a', choices: ['a', 'b'] },
  ],
  create(params, instruments: readonly InstrumentId[]) {
    const lookback = params.lookback as number;
    if (lookback === 13) throw new FixRequestError('invalid_parameter', 'lookback 13 is unlucky');
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

const SERIES = wave(600);
const ENVIRONMENT: TrialEnvironment = buildTrialEnvironment([SERIES], MOMENTUM, SETUP);

function request(args: string[], extra: Partial<OptimizationRequest> = {}): OptimizationRequest {
  return {
    factory: MOMENTUM,
    series: [SERIES],
    space: parseParameterSpace(MOMENTUM.parameters, args),
    search: { method: 'grid' },
    objective: parseObjective('totalReturn'),
    ...extra,
  };
}

async function refusal(promise: Promise<unknown>): Promise<FixRequestError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error instanceof FixRequestError) return error;
  throw new Error(`expected a FixRequestError, got ${String(error)}`);
}

describe('optimize without walk-forward', () => {
  it('runs every valid candidate on all bars and selects the best score', async () => {
    const report = await optimize(request(['lookback=2:20:2']), new InProcessExecutor(ENVIRONMENT));
    const lookbacks = [2, 4, 6, 8, 10, 12, 14, 16, 18, 20];
    expect(report.trials).toBe(10);
    expect(report.backtests).toBe(10);
    expect(report.rejected).toEqual([]);
    expect(report.results.map((r) => r.index)).toEqual(lookbacks.map((_, i) => i));
    const returns = lookbacks.map(
      (lookback, i) => runTrial(ENVIRONMENT, { index: i, params: { lookback, label: 'a' }, range: { from: 0, to: 600 }, trials: 10, detail: false }).metrics.totalReturn,
    );
    expect(report.results.map((r) => r.score)).toEqual(returns);
    const best = returns.indexOf(Math.max(...returns));
    expect(report.best.trial).toBe(best);
    expect(report.best.params).toEqual({ lookback: lookbacks[best], label: 'a' });
    expect(report.best.score).toBe(Math.max(...returns));
    expect(report.best.range).toEqual({ from: 0, to: 600, bars: 600, firstTs: 0, lastTs: 599 * HOUR });
    expect(new Set(returns).size).toBeGreaterThan(5);
    expect(report.walkForward).toBeNull();
  });

  it('drops candidates the strategy refuses, and they are not trials', async () => {
    const report = await optimize(request(['lookback=12,13,14']), new InProcessExecutor(ENVIRONMENT));
    expect(report.trials).toBe(2);
    expect(report.rejected).toEqual([{ params: { lookback: 13, label: 'a' }, reason: 'lookback 13 is unlucky' }]);
    expect(report.results.map((r) => r.params.lookback)).toEqual([12, 14]);
  });

  it('breaks ties towards the earlier candidate', async () => {
    const report = await optimize(request(['lookback=6', 'label=b,a']), new InProcessExecutor(ENVIRONMENT));
    expect(report.results[0]?.score).toBe(report.results[1]?.score);
    expect(report.best.params).toEqual({ lookback: 6, label: 'b' });
  });

  it('deflates the best Sharpe ratio by the variance measured across its trials', async () => {
    const report = await optimize(request(['lookback=2:20:2'], { objective: parseObjective('sharpe') }), new InProcessExecutor(ENVIRONMENT));
    const sharpes = report.results.map((r) => r.metrics.sharpe);
    const mean = sharpes.reduce((a, b) => a + b, 0) / sharpes.length;
    const variance = sharpes.reduce((s, v) => s + (v - mean) ** 2, 0) / (sharpes.length - 1);
    expect(report.best.trialSharpeVariance).toBeCloseTo(variance, 12);
    expect(report.best.metrics.sharpe).toBe(Math.max(...sharpes));
    expect(report.best.metrics.trials).toBe(10);
    const rerun = runTrial(ENVIRONMENT, { index: 0, params: report.best.params, range: { from: 0, to: 600 }, trials: 10, detail: false });
    const expected = deflatedSharpe(rerun.sharpeSample!, 10, report.best.trialSharpeVariance! / rerun.barsPerYear);
    expect(report.best.metrics.deflatedSharpe).toBe(expected);
    // Against the null-hypothesis variance (what the trial itself reports) the same Sharpe deflates less here.
    expect(report.results[report.best.trial]?.metrics.deflatedSharpe).toBeCloseTo(0.768, 3);
    expect(expected).toBeCloseTo(0.662, 3);
  });

  it('ranks by the deflated Sharpe it reports when that is the objective: the one against the measured trial variance', async () => {
    const report = await optimize(request(['lookback=2:20:2'], { objective: parseObjective('deflatedSharpe') }), new InProcessExecutor(ENVIRONMENT));
    const variance = report.best.trialSharpeVariance!;
    const deflated = report.results.map((record) => {
      const rerun = runTrial(ENVIRONMENT, { index: 0, params: record.params, range: { from: 0, to: 600 }, trials: 10, detail: false });
      return deflatedSharpe(rerun.sharpeSample!, 10, variance / rerun.barsPerYear);
    });
    expect(report.results.map((r) => r.score)).toEqual(deflated);
    expect(report.best.score).toBe(Math.max(...deflated));
    expect(report.best.score).toBe(report.best.metrics.deflatedSharpe);
    expect(report.best.trial).toBe(deflated.indexOf(Math.max(...deflated)));
    // The trials' own metrics keep the deflated Sharpe under the null of no skill: here a milder deflation.
    expect(report.results[report.best.trial]?.metrics.deflatedSharpe).toBeCloseTo(0.768, 3);
    expect(report.best.score).toBeCloseTo(0.662, 3);
  });

  it('refuses a warm-up longer than the data allows, and a minimum no trial makes', async () => {
    const warmup = await refusal(optimize({ ...request(['lookback=50,100']), series: [wave(101)] }, new InProcessExecutor(ENVIRONMENT)));
    expect(warmup.code).toBe('warmup_too_long');
    expect(warmup.message).toBe(
      'the series of 101 bars leave nothing to trade after a warm-up of 100 bars (lookback=100, label=a); they need at least 102 bars',
    );
    const trades = await refusal(optimize(request(['lookback=4,8'], { minTrades: 10_000 }), new InProcessExecutor(ENVIRONMENT)));
    expect(trades.code).toBe('no_eligible_trial');
    const none = await refusal(optimize(request(['lookback=13']), new InProcessExecutor(ENVIRONMENT)));
    expect(none.code).toBe('no_valid_parameters');
  });
});

describe('optimize with walk-forward', () => {
  const walkForward = { mode: 'rolling', inSampleBars: 200, outOfSampleBars: 100 } as const;

  it('selects per window in-sample, runs the choice out of sample, and stitches the out-of-sample runs', async () => {
    const progress: [number, number][] = [];
    const report = await optimize(
      request(['lookback=3:12:3'], { walkForward, onProgress: (done, total) => progress.push([done, total]) }),
      new InProcessExecutor(ENVIRONMENT),
    );
    const n = 4;
    const wf = report.walkForward!;
    expect(wf.windows.map((w) => [w.inSample.from, w.inSample.to, w.outOfSample.from, w.outOfSample.to])).toEqual([
      [0, 200, 200, 300],
      [100, 300, 300, 400],
      [200, 400, 400, 500],
      [300, 500, 500, 600],
    ]);
    expect(wf.unusedTailBars).toBe(0);
    expect(report.trials).toBe(n);
    expect(report.backtests).toBe(5 * n + 4);
    expect(progress).toHaveLength(24);
    expect(progress[progress.length - 1]).toEqual([24, 24]);

    wf.windows.forEach((window, w) => {
      const own = report.results.filter((r) => r.window === w && r.phase === 'in-sample');
      expect(own.map((r) => r.index)).toEqual([w * n, w * n + 1, w * n + 2, w * n + 3]);
      const top = Math.max(...own.map((r) => r.score));
      expect(window.selection.score).toBe(top);
      expect(window.selection.trial).toBe(own.find((r) => r.score === top)?.index);
      expect(window.outOfSampleTrial).toBe(5 * n + w);
      const direct = runTrial(ENVIRONMENT, { index: 0, params: window.selection.params, range: window.outOfSample, trials: 1, detail: false });
      expect(window.outOfSampleMetrics).toEqual(direct.metrics);
    });
    const final = report.results.filter((r) => r.window === 'final');
    expect(final.map((r) => r.range)).toEqual(Array.from({ length: n }, () => ({ from: 400, to: 600 })));
    expect(report.best.range.from).toBe(400);

    const chained = wf.windows.reduce((growth, w) => growth * (1 + w.outOfSampleMetrics.totalReturn), 1) - 1;
    expect(wf.outOfSample.bars).toBe(400);
    expect(wf.outOfSample.windows).toBe(4);
    expect(wf.outOfSample.metrics.totalReturn).toBeCloseTo(chained, 12);
    expect(wf.outOfSample.metrics.trades).toBe(wf.windows.reduce((t, w) => t + w.outOfSampleMetrics.trades, 0));
    expect(wf.outOfSample.metrics.trials).toBe(1);
    expect(wf.outOfSample.equityCurve.ts[0]).toBe(200 * HOUR);
    expect(wf.outOfSample.equityCurve.equity[0]).toBe(10000);
  });

  it('needs in-sample windows longer than the warm-up', async () => {
    const error = await refusal(
      optimize(request(['lookback=3,250'], { walkForward }), new InProcessExecutor(ENVIRONMENT)),
    );
    expect(error.message).toContain('in-sample windows of 200 bars leave nothing to trade after a warm-up of 250 bars');
  });

  it('refuses in-sample windows shorter than the volatility target\'s lookback, as it refuses a long warm-up', async () => {
    const sized = buildTrialEnvironment([SERIES], MOMENTUM, { ...SETUP, settings: { ...SETUP.settings, sizing: { kind: 'volatility-target', annualVol: 0.5, lookback: 250 } } });
    const error = await refusal(optimize(request(['lookback=3,6'], { walkForward }), new InProcessExecutor(sized)));
    expect(error.code).toBe('warmup_too_long');
    expect(error.message).toBe(
      "in-sample windows of 200 bars leave nothing to trade after a warm-up of 250 bars (the volatility target's lookback); they need at least 252 bars",
    );
  });

  it('counts the selections made among trials that all stayed flat, window by window', async () => {
    // Flat prices for the first bars: no lookback sees momentum there, so the windows in them pick among flat runs.
    const flatUntil = (bars: number): BarSeries => {
      const base = wave(600);
      const close = Float64Array.from(base.close, (c, i) => (i < bars ? 100 : c));
      return { ...base, open: close, high: close.map((c) => c + 0.2), low: close.map((c) => c - 0.2), close };
    };
    const run = (series: BarSeries) =>
      optimize({ ...request(['lookback=3:12:3'], { walkForward }), series: [series] }, new InProcessExecutor(buildTrialEnvironment([series], MOMENTUM, SETUP)));
    const report = await run(flatUntil(200));
    const wf = report.walkForward!;
    expect(wf.windows.map((w) => w.selection.tradedTrials)).toEqual([0, 4, 4, 4]);
    expect(report.best.tradedTrials).toBe(4);
    // The first candidate, picked on a tie of zeros, still trades the out-of-sample window.
    expect(wf.windows[0]?.selection.params).toEqual({ lookback: 3, label: 'a' });
    expect(wf.windows[0]?.outOfSampleMetrics.trades).toBe(18);
    expect(flatSelectionWarnings(report)).toEqual([
      'window 0 (in-sample bars 0..200): no trial traded, so its parameters (lookback=3, label=a) were picked among runs without a trade; ' +
        'they traded the out-of-sample bars 200..300 anyway (18 trades)',
    ]);
    const longer = await run(flatUntil(300));
    expect(longer.walkForward?.windows.map((w) => w.selection.tradedTrials)).toEqual([0, 0, 4, 4]);
    expect(flatSelectionWarnings(longer)).toEqual([
      'window 0 (in-sample bars 0..200): no trial traded, so its parameters (lookback=3, label=a) were picked among runs without a trade; ' +
        'they made no trade on the out-of-sample bars 200..300 either',
      'window 1 (in-sample bars 100..300): no trial traded, so its parameters (lookback=3, label=a) were picked among runs without a trade; ' +
        'they traded the out-of-sample bars 300..400 anyway (16 trades)',
    ]);
  });

  it('exports the parameters selected on the latest data with the walk-forward evidence', async () => {
    const report = await optimize(request(['lookback=3:12:3'], { walkForward: { mode: 'anchored', inSampleBars: 300, outOfSampleBars: 150 } }), new InProcessExecutor(ENVIRONMENT));
    const file = exportBestParameters(report);
    expect(file).toMatchObject({
      schema: 'conclave.best-parameters/1',
      strategy: 'momentum',
      params: report.best.params,
      objective: { metric: 'totalReturn', direction: 'max' },
      score: report.best.score,
      selectedOn: { from: 0, to: 600, bars: 600 },
      trials: 4,
      search: { method: 'grid' },
    });
    expect(file.windows.map((w) => [w.inSample.from, w.inSample.to, w.outOfSample.from, w.outOfSample.to])).toEqual([
      [0, 300, 300, 450],
      [0, 450, 450, 600],
    ]);
    expect(file.outOfSample?.bars).toBe(300);
    expect(file.outOfSample?.totalReturn).toBe(report.walkForward?.outOfSample.metrics.totalReturn);
    expect(JSON.parse(JSON.stringify(file))).toEqual(file);
  });
});
