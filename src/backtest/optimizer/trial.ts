/**
 * One trial: a backtest of one parameter set on one bar range of the data, reduced to its metrics.
 *
 * Warm-up: a run over bars [from, to) of the primary series starts up to `warmup` bars earlier (as many
 * as exist before `from`; the strategy's warm-up, or the sizing's history when longer, as the runner counts it).
 * The strategy sees those lead-in bars and builds its state, but the runner ignores its
 * signals until the warm-up is over, so the first order can be placed on bar `from` at the earliest (when the
 * lead-in is complete) and fills at the open of bar from + 1. The metrics cover [from, to) only; the lead-in bars
 * are cut from the equity curve (it is flat there, at the starting cash). At the start of the data (from = 0)
 * there is no lead-in and the first `warmup` bars of the range pass without trading. Every run starts flat with
 * the configured cash; a position still open at `to` is valued at the last close (no exit fee charged).
 *
 * Other series (pairs, or several timeframes) are cut to the same time span, [open time of bar from, open time of
 * bar to), each with its own lead-in of `warmup` bars.
 */
import { FixRequestError } from '../../core/errors.js';
import { sliceSeries } from '../../data/bar-series.js';
import type { StrategyParameters } from '../../strategies/strategy.js';
import { computeMetrics, pointsPerYear, simpleReturns } from '../metrics.js';
import { isZeroVolatility, type SharpeSample } from '../metrics-sharpe.js';
import type { BacktestMetrics, BacktestTrade } from '../result.js';
import { runBacktest } from '../runner.js';
import { sizingWarmup } from '../sizing.js';
import { sampleMoments } from '../statistics.js';
import type { TrialEnvironment } from './trial-environment.js';
import type { BarRange } from './windows.js';

export interface TrialSpec {
  /** Position in the optimization's trial list; results are ordered by it. */
  readonly index: number;
  readonly params: StrategyParameters;
  /** Bars of the primary series to evaluate on, [from, to). */
  readonly range: BarRange;
  /** Strategy configurations compared in the selection this trial takes part in, for the deflated Sharpe. */
  readonly trials: number;
  /** Keep the equity curve and trades (for runs that are stitched together). */
  readonly detail: boolean;
}

export interface TrialDetail {
  /** The equity before the range's first bar (a fill on that bar already moves the first point of `equity`). */
  readonly startEquity: number;
  readonly ts: Float64Array;
  readonly equity: Float64Array;
  readonly trades: readonly BacktestTrade[];
  readonly exposureBars: number;
  readonly tradedNotional: number;
}

export interface TrialResult {
  readonly index: number;
  readonly metrics: BacktestMetrics;
  /** Equity points the metrics cover. */
  readonly bars: number;
  readonly barsPerYear: number;
  /** Equity of the exact books at the end of the run. */
  readonly finalEquity: number;
  /** SHA-256 of the run's fills. */
  readonly fingerprint: string;
  readonly denials: number;
  readonly strategyErrors: number;
  /** Per-bar Sharpe ratio and moments of the returns, for a deflated Sharpe ratio against the other trials; null
   *  when the returns have no volatility or there are fewer than two. */
  readonly sharpeSample: SharpeSample | null;
  readonly detail?: TrialDetail;
}

const YEAR_MS = 365 * 86_400_000;

export function runTrial(environment: TrialEnvironment, spec: TrialSpec): TrialResult {
  const primary = environment.series[0];
  const { from, to } = spec.range;
  if (primary === undefined) throw new FixRequestError('no_data', 'an optimization needs at least one bar series');
  if (!(Number.isInteger(from) && Number.isInteger(to) && from >= 0 && from < to && to <= primary.length)) {
    throw new FixRequestError('invalid_range', `trial range ${from}..${to} is not inside the ${primary.length} bars of ${primary.instrumentId}`);
  }
  const strategy = environment.factory.create(
    spec.params,
    environment.series.map((series) => series.instrumentId),
  );
  // The runner's warm-up: the strategy's, or the sizing's history when that is longer.
  const warmup = Math.max(strategy.warmup, sizingWarmup(environment.settings.sizing));
  const startTs = primary.ts[from] as number;
  const endTs = to < primary.length ? (primary.ts[to] as number) : Number.POSITIVE_INFINITY;
  const slices = environment.series.map((series) => {
    const first = lowerBound(series.ts, series.length, startTs);
    const end = lowerBound(series.ts, series.length, endTs);
    return sliceSeries(series, first - Math.min(warmup, first), end);
  });
  const runStart = slices.reduce((t, s) => (s.length > 0 ? Math.min(t, s.ts[0] as number) : t), startTs);
  const inSpan = <T extends { readonly ts: number }>(items: readonly T[] | undefined): readonly T[] | undefined =>
    items?.filter((item) => item.ts >= runStart && item.ts < endTs);
  const settings = environment.settings;
  const funding = inSpan(settings.funding);
  const marks = inSpan(settings.marks);
  // One object shape for every trial (all keys present, in one order), so the runner's optimized code that
  // reads the config stays valid from trial to trial instead of deoptimizing on a new map each time.
  const run = runBacktest({
    series: slices,
    instruments: environment.instruments,
    strategy,
    cash: settings.cash,
    valuationCurrency: settings.valuationCurrency,
    sizing: settings.sizing,
    venue: settings.venue,
    limits: settings.limits,
    leverage: settings.leverage,
    scales: settings.scales,
    funding,
    marks,
    markEveryBars: settings.markEveryBars,
  });

  let lead = 0;
  while (lead < run.bars && (run.ts[lead] as number) < startTs) lead += 1;
  const equity = run.equity.subarray(lead);
  const ts = run.ts.subarray(lead);
  const timeframeMs = primary.timeframeMs;
  const barsPerYear = pointsPerYear(ts, timeframeMs > 0 ? (YEAR_MS / timeframeMs) * Math.max(1, equity.length / (to - from)) : 365);
  // Measured from before the range, as a backtest is from its starting cash: the lead-in's last point, or the cash.
  const startEquity = lead > 0 ? (run.equity[lead - 1] as number) : run.initialEquity;
  const metrics = computeMetrics({
    equity,
    ts,
    barsPerYear,
    startEquity,
    trades: run.trades,
    feesPaid: run.feesPaid,
    fundingPaid: run.fundingPaid,
    exposureBars: run.exposureBars,
    tradedNotional: run.tradedNotional,
    benchmark: { firstClose: primary.close[from] as number, lastClose: primary.close[to - 1] as number },
    trials: spec.trials,
    // The bootstrap interval costs more than it tells about a single trial; the stitched summary has one.
    bootstrap: { samples: 0, seed: 1 },
  });
  const result: TrialResult = {
    index: spec.index,
    metrics,
    bars: equity.length,
    barsPerYear,
    finalEquity: run.finalEquity,
    fingerprint: run.fingerprint,
    denials: run.denials,
    strategyErrors: run.strategyErrors.length,
    sharpeSample: sharpeSampleOf(equity),
  };
  if (!spec.detail) return result;
  return {
    ...result,
    detail: {
      startEquity,
      ts: ts.slice(),
      equity: equity.slice(),
      trades: run.trades,
      exposureBars: run.exposureBars,
      tradedNotional: run.tradedNotional,
    },
  };
}

function sharpeSampleOf(equity: Float64Array): SharpeSample | null {
  const returns = simpleReturns(equity);
  const moments = sampleMoments(returns);
  if (returns.length < 2 || isZeroVolatility(moments.stdev, moments.mean)) return null;
  return { sharpe: moments.mean / moments.stdev, observations: returns.length, skewness: moments.skewness, kurtosis: moments.kurtosis };
}

/** First index i in [0, length) with values[i] >= target (length when there is none); values ascending. */
function lowerBound(values: Float64Array, length: number, target: number): number {
  let low = 0;
  let high = length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((values[mid] as number) < target) low = mid + 1;
    else high = mid;
  }
  return low;
}
