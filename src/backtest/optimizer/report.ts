/**
 * What an optimization reports (schema "conclave.optimization/1"), and the best-parameters file it exports
 * (schema "conclave.best-parameters/1"). Bar ranges are half-open [from, to) in bar indexes of the primary series,
 * with the open times of their first and last bars; numbers are float64 (JSON writes an infinite score, e.g. a
 * profit factor without losing trades, as null).
 */
import type { StrategyParameters } from '../../strategies/strategy.js';
import type { BacktestMetrics } from '../result.js';
import type { Objective } from './objective.js';
import type { SearchMethod } from './search.js';
import type { BarRange, WalkForwardMode } from './windows.js';

export interface RangeReport extends BarRange {
  readonly bars: number;
  /** Open time of bar `from`. */
  readonly firstTs: number;
  /** Open time of bar `to - 1`. */
  readonly lastTs: number;
}

export interface TrialRecord {
  readonly index: number;
  /** The walk-forward window the trial belongs to, or 'final' for the selection on the latest data. */
  readonly window: number | 'final';
  readonly phase: 'in-sample' | 'out-of-sample';
  readonly params: StrategyParameters;
  readonly range: BarRange;
  /**
   * The objective's value. With the deflatedSharpe objective an in-sample trial scores its deflated Sharpe against
   * the variance measured across its selection's trials (what Selection reports), not its metrics' null-hypothesis one.
   */
  readonly score: number;
  /** Whether it could be selected (it made at least `minTrades` trades). */
  readonly eligible: boolean;
  /** Its deflatedSharpe assumes trials without skill (V = 1 / (T - 1)); see Selection for the measured one. */
  readonly metrics: BacktestMetrics;
  readonly finalEquity: number;
  readonly fingerprint: string;
  readonly denials: number;
  readonly strategyErrors: number;
}

/** The best in-sample trial of one selection. */
export interface Selection {
  readonly trial: number;
  readonly params: StrategyParameters;
  readonly score: number;
  readonly range: RangeReport;
  /**
   * The trial's metrics, with deflatedSharpe recomputed against the variance of the Sharpe ratios actually
   * measured across the selection's trials (Bailey & López de Prado) when there were at least two.
   */
  readonly metrics: BacktestMetrics;
  /** Sample variance of the annualised Sharpe ratios of the selection's trials; null for a single trial. */
  readonly trialSharpeVariance: number | null;
  /**
   * How many of the selection's trials made at least one fill. 0: every trial stayed flat, so the selection is the
   * first candidate on a tie of scores and tells nothing (the command's warnings name such windows).
   */
  readonly tradedTrials: number;
}

export interface WindowReport {
  readonly index: number;
  readonly inSample: RangeReport;
  readonly outOfSample: RangeReport;
  readonly selection: Selection;
  readonly outOfSampleTrial: number;
  readonly outOfSampleScore: number;
  readonly outOfSampleMetrics: BacktestMetrics;
}

/**
 * The out-of-sample windows chained into one curve: each window starts flat with the starting cash and its equity
 * is rescaled to continue from where the previous window ended (returns compound; the step from one window's last
 * bar to the next window's first is a zero return). The window's trades, fees, funding and traded notional are
 * rescaled with it, so the trade statistics reconcile with the curve. Its metrics use trials = 1: nothing was
 * selected on these bars.
 */
export interface OutOfSampleSummary {
  readonly windows: number;
  readonly bars: number;
  readonly metrics: BacktestMetrics;
  /** Sampled to about 5,000 points (every k-th bar, and the last). */
  readonly equityCurve: { readonly ts: readonly number[]; readonly equity: readonly number[] };
}

export interface WalkForwardReport {
  readonly mode: WalkForwardMode;
  readonly inSampleBars: number;
  readonly outOfSampleBars: number;
  /** Bars after the last whole out-of-sample window (still part of the final selection). */
  readonly unusedTailBars: number;
  readonly windows: readonly WindowReport[];
  readonly outOfSample: OutOfSampleSummary;
}

export interface OptimizationReport {
  readonly schema: 'conclave.optimization/1';
  readonly strategy: string;
  readonly objective: Objective;
  readonly search: SearchMethod;
  /** Parameters with more than one value in the space. */
  readonly searched: readonly string[];
  readonly minTrades: number;
  /** Distinct valid parameter sets compared in every selection: the N of the deflated Sharpe ratio. */
  readonly trials: number;
  /** Candidates the strategy refused (e.g. fast >= slow), with its reason; they are not trials. */
  readonly rejected: readonly { readonly params: StrategyParameters; readonly reason: string }[];
  /** Backtests run: trials x selections, plus one per out-of-sample window. */
  readonly backtests: number;
  readonly walkForward: WalkForwardReport | null;
  /** The parameters to trade: selected on the whole range, or with walk-forward on the final selection range. */
  readonly best: Selection;
  /** Every backtest run, by trial index. */
  readonly results: readonly TrialRecord[];
}

/**
 * The exported best parameters (`conclave optimize --export best.json`):
 *
 * - strategy, params: what to run (`params` holds every parameter, searched or not);
 * - objective, score: the metric optimised and the selected parameters' in-sample value of it;
 * - selectedOn: the bars the parameters were chosen on;
 * - trials, deflatedSharpe: how many configurations were compared, and the selection's deflated Sharpe ratio;
 *   `conclave backtest --params FILE` passes `trials` on to its deflated Sharpe (`--trials` overrides it), so a
 *   later backtest of these parameters stays deflated for the search behind them;
 * - outOfSample: the stitched walk-forward result, or null without walk-forward;
 * - windows: per walk-forward window, its ranges, the parameters chosen in-sample and both scores.
 */
export interface BestParametersFile {
  readonly schema: 'conclave.best-parameters/1';
  readonly strategy: string;
  readonly params: StrategyParameters;
  readonly objective: Objective;
  readonly score: number;
  readonly selectedOn: RangeReport;
  readonly trials: number;
  readonly deflatedSharpe: number;
  readonly search: SearchMethod;
  readonly outOfSample: {
    readonly windows: number;
    readonly bars: number;
    readonly totalReturn: number;
    readonly annualisedReturn: number;
    readonly sharpe: number;
    readonly sortino: number;
    readonly maxDrawdown: number;
    readonly trades: number;
    /** Probability the stitched out-of-sample Sharpe is above 0 (trials = 1). */
    readonly probabilisticSharpe: number;
  } | null;
  readonly windows: readonly {
    readonly index: number;
    readonly inSample: RangeReport;
    readonly outOfSample: RangeReport;
    readonly params: StrategyParameters;
    readonly inSampleScore: number;
    readonly outOfSampleScore: number;
  }[];
}

export function exportBestParameters(report: OptimizationReport): BestParametersFile {
  const walkForward = report.walkForward;
  const summary = walkForward?.outOfSample.metrics;
  return {
    schema: 'conclave.best-parameters/1',
    strategy: report.strategy,
    params: report.best.params,
    objective: report.objective,
    score: report.best.score,
    selectedOn: report.best.range,
    trials: report.trials,
    deflatedSharpe: report.best.metrics.deflatedSharpe,
    search: report.search,
    outOfSample:
      walkForward === null || summary === undefined
        ? null
        : {
            windows: walkForward.outOfSample.windows,
            bars: walkForward.outOfSample.bars,
            totalReturn: summary.totalReturn,
            annualisedReturn: summary.annualisedReturn,
            sharpe: summary.sharpe,
            sortino: summary.sortino,
            maxDrawdown: summary.maxDrawdown,
            trades: summary.trades,
            probabilisticSharpe: summary.deflatedSharpe,
          },
    windows: (walkForward?.windows ?? []).map((window) => ({
      index: window.index,
      inSample: window.inSample,
      outOfSample: window.outOfSample,
      params: window.selection.params,
      inSampleScore: window.selection.score,
      outOfSampleScore: window.outOfSampleScore,
    })),
  };
}
