import type { IntervalMethod } from './interval.js';
/**
 * The evaluation document, schema "conclave.evaluate/2", written by `conclave evaluate --json`. It holds no wall
 * time, so the same desk file, data and options give byte-identical JSON.
 *
 * - `runs`: one per seed and period, in seed order then period order. Each run is a fresh backtest of the period
 *   (flat books, the desk's cash) for each contender: `desk` (the file as written), `buy-and-hold` and `random`
 *   (see `baselines`). Per contender: `totalReturn` (final / initial equity - 1), `sharpe` (annualised, per-bar
 *   returns, risk-free 0), `maxDrawdown` (positive fraction of the peak), `trades` (round trips, an open position
 *   closed at the end counts), `fees` (valuation currency) and `turnover` (traded notional: the sum over fills of
 *   quantity x contract size x price, in the instruments' quote currency, which is the valuation currency on a
 *   desk quoted in it). The random contender also gives its `calibration`, one entry per book the analysts trade
 *   in (`book`: a sleeve id, or `desk` when the manager nets the views into the desk book; `analysts`: their ids):
 *   the `switchProbability` per bar its agents were given, the desk's traded notional there (`deskTurnover`) and
 *   the random agent's (`turnover`); and the `convictions` it said, per analyst id (each the analyst's mean
 *   conviction over its views that open a position, long or short on a perpetual, on the desk's run of that period;
 *   an analyst missing from it had none, and its agent said 1); `shorting` lists the analysts whose agents had short
 *   among their states (on perpetuals, where the analyst went short on the desk's run of the period).
 * - `contenders`: per contender and metric, the mean over the runs, its interval (`low`, `high`; both null when the
 *   runs are one independent unit) and the number of `units` it rests on.
 * - `comparisons`: per baseline, the desk-minus-baseline difference of total return, run by run (same seed and
 *   period), with its mean and interval; `deskWins` counts runs where the desk's return was strictly higher,
 *   `runs` the runs compared and `deskWinShare` is deskWins / runs. `unit` is `period` when each period is
 *   compared once: on file data against buy-and-hold or the desk beside, which are the same for every seed.
 * - `beside` (with `--beside FILE`): another desk run on the same seeds and periods (e.g. the rules desk beside a
 *   model-driven one): its name, its metrics per run (`runs[i].beside`), their summary, and the desk-minus-beside
 *   comparison of total return.
 * - `intervals`: Student-t intervals of the mean at `level` over the independent `units` (interval.ts): a `unit` is
 *   a `run` when the market changes with the seed, a `period` for file data, where the seeds of one period share
 *   the market (only the random agent changes) and count once, by their mean. Few units give wide intervals; one
 *   gives none.
 */
import type { Estimate } from './interval.js';

export const EVALUATION_SCHEMA = 'conclave.evaluate/2';

export const CONTENDERS = ['desk', 'buy-and-hold', 'random'] as const;
export type ContenderName = (typeof CONTENDERS)[number];
export type BaselineName = Exclude<ContenderName, 'desk'>;
export const BASELINES: readonly BaselineName[] = ['buy-and-hold', 'random'];

export const METRICS = ['totalReturn', 'sharpe', 'maxDrawdown', 'trades', 'fees', 'turnover'] as const;
export type MetricName = (typeof METRICS)[number];

export type RunMetrics = Readonly<Record<MetricName, number>>;

export interface EvaluationRun {
  readonly seed: number;
  /** 1-based. */
  readonly period: number;
  /** Open times of the period's first and last bar of any instrument (epoch ms). */
  readonly startTs: number;
  readonly endTs: number;
  /** Bars of every instrument in the period together. */
  readonly bars: number;
  readonly desk: RunMetrics;
  readonly 'buy-and-hold': RunMetrics;
  readonly random: RunMetrics & { readonly calibration: readonly BookCalibration[]; readonly convictions: Readonly<Record<string, number>>; readonly shorting: readonly string[] };
  readonly beside?: RunMetrics;
}

/** The random agent's switching rate in one book and the notional it traded there beside the desk's. */
export interface BookCalibration {
  readonly book: string;
  readonly analysts: readonly string[];
  readonly switchProbability: number;
  readonly deskTurnover: number;
  readonly turnover: number;
}

export type ContenderSummary = Readonly<Record<MetricName, Estimate>>;

export interface Comparison {
  readonly baseline: BaselineName | 'beside';
  /** Desk total return minus the baseline's, per run. */
  readonly returnDifference: Estimate;
  readonly deskWins: number;
  readonly runs: number;
  readonly unit: 'run' | 'period';
  readonly deskWinShare: number;
}

export interface EvaluationReport {
  readonly schema: typeof EVALUATION_SCHEMA;
  readonly desk: string;
  readonly seeds: readonly number[];
  readonly periods: number;
  /** True when the data is (partly) synthetic and each seed generates a new market. */
  readonly marketVariesBySeed: boolean;
  readonly intervals: { readonly method: IntervalMethod; readonly level: number; readonly unit: 'run' | 'period'; readonly units: number };
  /** What each baseline is, in words. */
  readonly baselines: Readonly<Record<BaselineName, string>>;
  readonly contenders: Readonly<Record<ContenderName, ContenderSummary>>;
  readonly comparisons: readonly Comparison[];
  readonly runs: readonly EvaluationRun[];
  readonly beside?: { readonly desk: string; readonly summary: ContenderSummary; readonly comparison: Comparison };
}
