/**
 * The optimizer: search a parameter space (grid or seeded random), optionally walk forward, and report every
 * trial, the best in-sample parameters per window, their out-of-sample results, and the stitched out-of-sample
 * summary. Trials run through a TrialExecutor (in process or on worker threads).
 *
 * Trial indexes are fixed before anything runs: with N valid candidates (in candidate order) and W walk-forward
 * windows, selection s (s = 0..W-1 the windows, s = W the final selection) runs candidate c as trial s*N + c, and
 * window w's out-of-sample run is trial (W + 1)*N + w. Selection and stitching read results by index only, so the
 * report is the same for any executor and any number of workers.
 */
import { FixRequestError } from '../../core/errors.js';
import type { BarSeries } from '../../data/bar-series.js';
import type { StrategyFactory, StrategyParameters } from '../../strategies/strategy.js';
import { deflatedSharpe } from '../metrics-sharpe.js';
import type { TrialExecutor } from './executor.js';
import { ranksAbove, scoreOf, type Objective } from './objective.js';
import { searchedParameters, type ParameterSpace } from './parameter-space.js';
import type { OptimizationReport, RangeReport, Selection, TrialRecord, WindowReport } from './report.js';
import { candidates, type SearchMethod } from './search.js';
import { stitchOutOfSample } from './stitch.js';
import { madeFills } from './warnings.js';
import type { TrialResult, TrialSpec } from './trial.js';
import { describeParameters } from './trial-error.js';
import { finalSelectionRange, unusedTailBars, walkForwardWindows, type BarRange, type WalkForwardOptions } from './windows.js';

export interface OptimizationRequest {
  readonly factory: StrategyFactory;
  /** The data the executor runs on; the first series is the primary one (ranges are its bar indexes). */
  readonly series: readonly BarSeries[];
  readonly space: ParameterSpace;
  readonly search: SearchMethod;
  readonly objective: Objective;
  /** Absent: one selection over all bars, no out-of-sample runs. */
  readonly walkForward?: WalkForwardOptions;
  /** Trials with fewer round trips cannot be selected (default 0). */
  readonly minTrades?: number;
  /** Bootstrap of the stitched out-of-sample Sharpe interval (default 1000 samples, seed 1). */
  readonly bootstrap?: { readonly samples?: number; readonly seed?: number };
  /** Trials done so far (out-of-sample runs included) of the total, after each trial. */
  readonly onProgress?: (done: number, total: number) => void;
}

interface Candidate {
  readonly params: StrategyParameters;
  readonly warmup: number;
}

export async function optimize(request: OptimizationRequest, executor: TrialExecutor): Promise<OptimizationReport> {
  const primary = request.series[0];
  if (primary === undefined || primary.length === 0) throw new FixRequestError('no_data', 'an optimization needs a bar series with bars');
  const minTrades = request.minTrades ?? 0;
  if (!(Number.isInteger(minTrades) && minTrades >= 0)) throw new FixRequestError('invalid_min_trades', `minTrades must be a whole number >= 0, got ${minTrades}`);
  const { valid, rejected } = validateCandidates(request, candidates(request.space, request.search));
  const n = valid.length;
  const walkForward = request.walkForward;
  const windows = walkForward === undefined ? [] : walkForwardWindows(primary.length, walkForward);
  const finalRange = walkForward === undefined ? { from: 0, to: primary.length } : finalSelectionRange(primary.length, walkForward);
  checkWarmup(valid, executor.sizingWarmup, walkForward === undefined ? primary.length : walkForward.inSampleBars, walkForward !== undefined);

  const selectionRanges: BarRange[] = [...windows.map((w) => w.inSample), finalRange];
  const inSampleSpecs: TrialSpec[] = [];
  selectionRanges.forEach((range, s) => {
    valid.forEach((candidate, c) => inSampleSpecs.push({ index: s * n + c, params: candidate.params, range, trials: n, detail: false }));
  });
  const total = inSampleSpecs.length + windows.length;
  const progress = request.onProgress;
  const inSample = await executor.run(inSampleSpecs, progress && ((done) => progress(done, total)));
  const byIndex = new Map(inSample.map((result) => [result.index, result]));
  const records: TrialRecord[] = inSampleSpecs.map((spec) =>
    recordOf(spec, byIndex.get(spec.index), spec.index < windows.length * n ? Math.floor(spec.index / n) : 'final', 'in-sample', request.objective, minTrades),
  );
  const ordered = inSampleSpecs.map((spec) => byIndex.get(spec.index) as TrialResult);
  const selections = selectionRanges.map((range, s) => {
    const deflation = deflateAgainstTrials(records.slice(s * n, (s + 1) * n), ordered.slice(s * n, (s + 1) * n));
    // Ranked by the deflated Sharpe the selection reports, so the score chosen is the one shown.
    if (request.objective.metric === 'deflatedSharpe') {
      deflation.deflated.forEach((score, c) => (records[s * n + c] = { ...(records[s * n + c] as TrialRecord), score }));
    }
    return select(records.slice(s * n, (s + 1) * n), deflation, rangeReport(primary, range), request.objective, s === windows.length ? 'the final selection' : `window ${s}`);
  });

  const outOfSampleSpecs: TrialSpec[] = windows.map((window, w) => ({
    index: (windows.length + 1) * n + w,
    params: (selections[w] as Selection).params,
    range: window.outOfSample,
    trials: 1,
    detail: true,
  }));
  const outOfSample = outOfSampleSpecs.length === 0 ? [] : await executor.run(outOfSampleSpecs, progress && ((done) => progress(inSampleSpecs.length + done, total)));
  outOfSampleSpecs.forEach((spec, w) => records.push(recordOf(spec, outOfSample[w], w, 'out-of-sample', request.objective, minTrades)));

  const windowReports: WindowReport[] = windows.map((window, w) => {
    const result = outOfSample[w] as TrialResult;
    return {
      index: window.index,
      inSample: rangeReport(primary, window.inSample),
      outOfSample: rangeReport(primary, window.outOfSample),
      selection: selections[w] as Selection,
      outOfSampleTrial: result.index,
      outOfSampleScore: scoreOf(result.metrics, request.objective),
      outOfSampleMetrics: result.metrics,
    };
  });
  const bootstrap = { samples: request.bootstrap?.samples ?? 1000, seed: request.bootstrap?.seed ?? 1 };
  return {
    schema: 'conclave.optimization/1',
    strategy: request.factory.name,
    objective: request.objective,
    search: request.search,
    searched: searchedParameters(request.space),
    minTrades,
    trials: n,
    rejected,
    backtests: total,
    walkForward:
      walkForward === undefined
        ? null
        : {
            mode: walkForward.mode,
            inSampleBars: walkForward.inSampleBars,
            outOfSampleBars: walkForward.outOfSampleBars,
            unusedTailBars: unusedTailBars(primary.length, walkForward),
            windows: windowReports,
            outOfSample: stitchOutOfSample(
              windows.map((window, w) => ({ range: window.outOfSample, result: outOfSample[w] as TrialResult })),
              primary,
              bootstrap,
            ),
          },
    best: selections[windows.length] as Selection,
    results: records,
  };
}

/** Builds each candidate once: the strategy refuses bad combinations (they are dropped) and tells its warm-up. */
function validateCandidates(request: OptimizationRequest, list: readonly StrategyParameters[]): { valid: Candidate[]; rejected: { params: StrategyParameters; reason: string }[] } {
  const instruments = request.series.map((series) => series.instrumentId);
  const valid: Candidate[] = [];
  const rejected: { params: StrategyParameters; reason: string }[] = [];
  for (const params of list) {
    try {
      valid.push({ params, warmup: request.factory.create(params, instruments).warmup });
    } catch (error) {
      if (!(error instanceof FixRequestError)) throw error;
      rejected.push({ params, reason: error.message });
    }
  }
  if (valid.length === 0) {
    const reasons = rejected.slice(0, 3).map((r) => `${describeParameters(r.params)}: ${r.reason}`);
    throw new FixRequestError('no_valid_parameters', `the strategy ${request.factory.name} refused every parameter set (${rejected.length}); e.g. ${reasons.join('; ')}`);
  }
  return { valid, rejected };
}

/**
 * Every selection range must leave bars to trade after the warm-up: a signal on bar `warmup` fills on the next. The
 * warm-up is the runner's: the strategy's, or the sizing's history when that is longer.
 */
function checkWarmup(valid: readonly Candidate[], sizingWarmup: number, shortestSelection: number, walkForward: boolean): void {
  const worst = valid.reduce((a, b) => (b.warmup > a.warmup ? b : a));
  const warmup = Math.max(worst.warmup, sizingWarmup);
  if (shortestSelection >= warmup + 2) return;
  const where = walkForward ? `in-sample windows of ${shortestSelection} bars` : `the series of ${shortestSelection} bars`;
  const whose = worst.warmup >= sizingWarmup ? describeParameters(worst.params) : "the volatility target's lookback";
  throw new FixRequestError(
    'warmup_too_long',
    `${where} leave nothing to trade after a warm-up of ${warmup} bars (${whose}); they need at least ${warmup + 2} bars`,
  );
}

function recordOf(
  spec: TrialSpec,
  result: TrialResult | undefined,
  window: number | 'final',
  phase: TrialRecord['phase'],
  objective: Objective,
  minTrades: number,
): TrialRecord {
  if (result === undefined || result.index !== spec.index) {
    throw new FixRequestError('missing_trial_result', `the executor returned no result for trial ${spec.index}`);
  }
  return {
    index: spec.index,
    window,
    phase,
    params: spec.params,
    range: spec.range,
    score: scoreOf(result.metrics, objective),
    eligible: result.metrics.trades >= minTrades,
    metrics: result.metrics,
    finalEquity: result.finalEquity,
    fingerprint: result.fingerprint,
    denials: result.denials,
    strategyErrors: result.strategyErrors,
  };
}

interface Deflation {
  /** Sample variance of the annualised Sharpe ratios of the selection's trials; null for a single trial. */
  readonly variance: number | null;
  /** Each trial's deflated Sharpe against that variance (the null-hypothesis one for a single trial). */
  readonly deflated: readonly number[];
}

/** The deflated Sharpe ratios of one selection's trials against the variance of the Sharpe ratios they measured. */
function deflateAgainstTrials(records: readonly TrialRecord[], results: readonly TrialResult[]): Deflation {
  const variance = sampleVariance(records.map((r) => r.metrics.sharpe));
  const deflated = results.map((result) =>
    result.sharpeSample === null ? 0 : deflatedSharpe(result.sharpeSample, records.length, variance === null ? undefined : variance / result.barsPerYear),
  );
  return { variance, deflated };
}

/** The best eligible record (ties to the lower index), with its deflated Sharpe against the measured trial variance. */
function select(records: readonly TrialRecord[], deflation: Deflation, range: RangeReport, objective: Objective, label: string): Selection {
  let best: number | undefined;
  records.forEach((record, i) => {
    if (!record.eligible) return;
    const incumbent = best === undefined ? undefined : (records[best] as TrialRecord);
    if (incumbent === undefined || ranksAbove(record.score, record.index, incumbent.score, incumbent.index, objective.direction)) best = i;
  });
  if (best === undefined) {
    throw new FixRequestError('no_eligible_trial', `no trial of ${label} made the minimum number of trades; lower minTrades or widen the search`);
  }
  const record = records[best] as TrialRecord;
  return {
    trial: record.index,
    params: record.params,
    score: record.score,
    range,
    metrics: { ...record.metrics, deflatedSharpe: deflation.deflated[best] as number },
    trialSharpeVariance: deflation.variance,
    tradedTrials: records.filter((r) => madeFills(r.metrics)).length,
  };
}

function sampleVariance(values: readonly number[]): number | null {
  if (values.length < 2) return null;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return values.reduce((sum, v) => sum + (v - mean) * (v - mean), 0) / (values.length - 1);
}

function rangeReport(primary: BarSeries, range: BarRange): RangeReport {
  return { from: range.from, to: range.to, bars: range.to - range.from, firstTs: primary.ts[range.from] as number, lastTs: primary.ts[range.to - 1] as number };
}
