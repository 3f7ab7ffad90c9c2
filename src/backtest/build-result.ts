import type { BarSeries } from '../data/bar-series.js';
import type { SharpeResampler } from './metrics-sharpe.js';
import { computeMetrics, DEFAULT_BOOTSTRAP_SAMPLES, pointsPerYear, type MetricsInput } from './metrics.js';
import type { BacktestMetrics, BacktestResult } from './result.js';
import type { BacktestRun } from './backtest-run.js';

export interface ResultContext {
  readonly strategy: string;
  readonly params: Readonly<Record<string, number | string>>;
  readonly series: readonly BarSeries[];
  readonly timing: { readonly loadMs: number; readonly engineMs: number };
  /** Configurations tried to arrive at this one (1 for a single backtest), for the deflated Sharpe. */
  readonly trials?: number;
  readonly bootstrapSamples?: number;
  readonly seed?: number;
  /** Where the Sharpe bootstrap draws its samples (default: this thread). */
  readonly resample?: SharpeResampler;
  /** What the caller knows a reader must not miss about the run (default: none). */
  readonly warnings?: readonly string[];
}

const MAX_CURVE_POINTS = 5000;
const YEAR_MS = 365 * 86_400_000;

/**
 * The metrics of a finished run, annualised by the points a year of its equity curve holds (`pointsPerYear`: the
 * calendar time its points span); the first series' timeframe (times the points per bar of it, when a finer series
 * beside it adds close times) when the curve spans no time.
 */
export function runMetrics(run: BacktestRun, main: BarSeries | undefined, options: Pick<MetricsInput, 'benchmark' | 'trials' | 'bootstrap' | 'resample'>): BacktestMetrics {
  const timeframeMs = main?.timeframeMs ?? 0;
  const points = run.equity.length;
  const nominal = timeframeMs > 0 ? (YEAR_MS / timeframeMs) * Math.max(1, points / Math.max(1, main?.length ?? points)) : 365;
  const barsPerYear = pointsPerYear(run.ts.subarray(0, points), nominal);
  return computeMetrics({
    equity: run.equity,
    ts: run.ts,
    barsPerYear,
    startEquity: run.initialEquity,
    trades: run.trades,
    feesPaid: run.feesPaid,
    fundingPaid: run.fundingPaid,
    exposureBars: run.exposureBars,
    tradedNotional: run.tradedNotional,
    ...options,
  });
}

/** Assembles the documented result (schema "conclave.backtest/1") from a run: metrics, trades, a sampled equity curve. */
export function buildResult(run: BacktestRun, context: ResultContext): BacktestResult {
  const main = context.series[0];
  const points = run.equity.length;
  // Buy and hold over the bars the run processed (a paper run stopped early has not seen the rest).
  const lastIndex = main === undefined || points === 0 ? -1 : lastIndexAtOrBefore(main, run.ts[points - 1] as number);
  const firstClose = lastIndex >= 0 ? (main?.close[0] as number) : 1;
  const lastClose = lastIndex >= 0 ? (main?.close[lastIndex] as number) : 1;
  const metrics = runMetrics(run, main, {
    benchmark: { firstClose, lastClose },
    trials: context.trials ?? 1,
    bootstrap: { samples: context.bootstrapSamples ?? DEFAULT_BOOTSTRAP_SAMPLES, seed: context.seed ?? 1 },
    ...(context.resample === undefined ? {} : { resample: context.resample }),
  });
  const step = Math.max(1, Math.ceil(points / MAX_CURVE_POINTS));
  const curveTs: number[] = [];
  const curveEquity: number[] = [];
  for (let i = 0; i < points; i += step) {
    curveTs.push(run.ts[i] as number);
    curveEquity.push(run.equity[i] as number);
  }
  if (points > 0 && (points - 1) % step !== 0) {
    curveTs.push(run.ts[points - 1] as number);
    curveEquity.push(run.equity[points - 1] as number);
  }
  return {
    schema: 'conclave.backtest/1',
    strategy: context.strategy,
    params: context.params,
    instruments: context.series.map((s) => s.instrumentId),
    timeframeMs: main?.timeframeMs ?? 0,
    startTs: points > 0 ? (run.ts[0] as number) : 0,
    endTs: points > 0 ? (run.ts[points - 1] as number) : 0,
    bars: run.bars,
    barsByInstrument: context.series.map((s, i) => ({ instrument: s.instrumentId, timeframeMs: s.timeframeMs, bars: run.seriesBars[i] ?? 0 })),
    initialCash: run.initialEquity,
    finalCash: run.finalCash,
    finalEquity: run.finalEquity,
    fills: run.fills.toArray(),
    trades: run.trades,
    metrics,
    fingerprint: run.fingerprint,
    timing: context.timing,
    denials: { total: run.denials, reasons: run.denialReasons },
    rejections: { total: run.rejectionReasons.reduce((n, r) => n + r.count, 0), reasons: run.rejectionReasons },
    warnings: [...(context.warnings ?? []), ...runWarnings(run)],
    equityCurve: { ts: curveTs, equity: curveEquity, points },
  };
}

/** The run's warnings: reports the books refused, which leave the books and the venue apart from there on. */
export function runWarnings(run: Pick<BacktestRun, 'core'>): string[] {
  const { count, first } = run.core.anomalySummary();
  if (count === 0) return [];
  const what = count === 1 ? '1 report the books could not apply' : `${count} reports the books could not apply`;
  return [`${what}, so the books may differ from the venue from then on; the first: ${first ?? 'unknown'}`];
}

/** The index of the last bar of `series` opened at or before `ts` (-1 when none). */
function lastIndexAtOrBefore(series: BarSeries, ts: number): number {
  let low = 0;
  let high = series.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    if ((series.ts[middle] as number) <= ts) {
      found = middle;
      low = middle + 1;
    } else high = middle - 1;
  }
  return found;
}
