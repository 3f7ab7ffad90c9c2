import { InvalidArgumentError, type Command } from 'commander';
import { runOptimization } from '../../../adapters/workers/run-optimization.js';
import { FixRequestError } from '../../../core/errors.js';
import { parseObjective } from '../../../backtest/optimizer/objective.js';
import { exportBestParameters, type BestParametersFile, type OptimizationReport } from '../../../backtest/optimizer/report.js';
import type { SearchMethod } from '../../../backtest/optimizer/search.js';
import { flatSelectionWarnings, madeFills } from '../../../backtest/optimizer/warnings.js';
import { parseWalkForward } from '../../../backtest/optimizer/windows.js';
import { parseInstrumentId } from '../../../core/ids.js';
import { defineInstrument } from '../../../domain/instrument.js';
import { collect, nonNegativeNumber, positiveInteger } from '../options.js';
import { assertOutputFiles, writeOutput } from '../output-files.js';
import { progressBar } from '../progress.js';
import { addRunOptions, checkLeverageApplies, checkRunOptions, instrumentSpecFor, leverageDecimal, loadSeries, sizingOf, type RunOptions } from './backtest.js';
import { loadPerpetualFiles, runInputFiles } from './run-input-files.js';

interface OptimizeOptions extends RunOptions {
  param?: string[];
  search: 'grid' | 'random';
  samples?: number;
  seed: number;
  maxTrials?: number;
  objective: string;
  walkForward?: string;
  minTrades?: number;
  workers?: number;
  export?: string;
}

export function registerOptimize(program: Command): void {
  addRunOptions(
    program.command('optimize').description('Search strategy parameters (grid or random), optionally walk-forward, in parallel on worker threads'),
  )
    .option('--param <spec>', 'parameter space, repeatable: fast=5:50:5 (range), mode=long-only,reversal (list), slow=30 (fixed)', collect)
    .option('--search <method>', 'grid or random', 'grid')
    .option('--samples <n>', 'random search: parameter sets to try', positiveInteger('--samples'))
    .option('--seed <n>', 'random search and bootstrap seed', positiveInteger('--seed'), 1)
    .option('--max-trials <n>', 'grid search: refuse grids larger than this', positiveInteger('--max-trials'))
    .option('--objective <metric[:max|min]>', 'what to optimise: sharpe, sortino, calmar, totalReturn, maxDrawdown, ...', 'sharpe')
    .option('--walk-forward <mode:in:out>', 'rolling or anchored windows, in bars or durations: rolling:20000:5000, anchored:90d:30d')
    .option('--min-trades <n>', 'parameter sets with fewer trades are not eligible', nonNegativeNumber('--min-trades'))
    .option('--workers <n>', `worker threads, at most ${MAX_WORKERS} and never more than the parameter sets tried (default: one per core; 1 runs in this process)`, workersOption)
    .option('--json <file>', 'write the full report as JSON ("-" for standard output)')
    .option('--export <file>', 'write the best parameters as JSON ("-" for standard output)', 'best-params.json')
    .action(async (options: OptimizeOptions) => {
      const report = await optimizeCommand(options);
      // On standard error even with --quiet: parameters chosen among runs that never traded must not pass unnoticed.
      for (const warning of optimizationWarnings(report, options)) console.error(`conclave: warning: ${warning}`);
      if (options.json === '-') process.stdout.write(`${JSON.stringify(withWarnings(report, options))}\n`);
      else if (options.export === '-') process.stdout.write(`${JSON.stringify(bestParametersOf(report, options))}\n`);
      else if (options.quiet !== true) console.log(summarise(report, options));
    });
}

export async function optimizeCommand(options: OptimizeOptions): Promise<OptimizationReport> {
  assertOutputFiles(
    [
      { flag: '--json', path: options.json, stdout: true },
      { flag: '--export', path: options.export, stdout: true },
    ],
    runInputFiles(options),
  );
  if (options.search !== 'grid' && options.search !== 'random') {
    throw new FixRequestError('invalid_option', `--search must be grid or random, got "${options.search}"`);
  }
  if (options.search === 'random' && options.samples === undefined) throw new FixRequestError('invalid_option', 'random search needs --samples');
  if (options.search === 'grid' && options.samples !== undefined) {
    throw new FixRequestError('invalid_option', '--samples goes with --search random; a grid search tries every parameter set (cap it with --max-trials)');
  }
  if (options.search === 'random' && options.maxTrials !== undefined) {
    throw new FixRequestError('invalid_option', '--max-trials goes with --search grid; a random search tries the --samples parameter sets it draws');
  }
  checkRunOptions(options);
  const series = await loadSeries(options);
  checkLeverageApplies(options, series);
  const primary = series[0];
  if (primary === undefined) throw new FixRequestError('invalid_option', 'give at least one --data file');
  const instruments = series.map((s) => instrumentSpecFor(s, options));
  const first = parseInstrumentId(primary.instrumentId);
  const settle = first.settle ?? first.quote;
  const perpetuals = instruments.filter((i) => parseInstrumentId(i.id as never).settle !== undefined);
  const perpetualData = await loadPerpetualFiles(options, instruments.map((spec) => defineInstrument(spec)), series);
  const search: SearchMethod =
    options.search === 'random'
      ? { method: 'random', samples: options.samples as number, seed: options.seed }
      : { method: 'grid', ...(options.maxTrials === undefined ? {} : { maxTrials: options.maxTrials }) };
  const quiet = options.quiet === true || options.json === '-' || options.export === '-';
  let bar: ReturnType<typeof progressBar> | undefined;
  const report = await runOptimization({
    series,
    setup: {
      instruments,
      settings: {
        cash: { [settle]: options.cash },
        valuationCurrency: settle,
        sizing: sizingOf(options),
        venue: {
          barExecution: options.fill,
          ...(options.slippageBps === undefined ? {} : { slippage: { kind: 'fixed-bps', bps: options.slippageBps } }),
        },
        ...(options.leverage === undefined || perpetuals.length === 0 ? {} : { leverage: Object.fromEntries(perpetuals.map((i) => [i.id, leverageDecimal(options.leverage as number)])) }),
        ...(perpetualData.funding.length === 0 ? {} : { funding: perpetualData.funding }),
        ...(perpetualData.marks.length === 0 ? {} : { marks: perpetualData.marks }),
      },
    },
    strategy: { kind: 'registry', name: options.strategy },
    parameters: options.param ?? [],
    search,
    objective: parseObjective(options.objective),
    ...(options.walkForward === undefined ? {} : { walkForward: parseWalkForward(options.walkForward, primary.timeframeMs) }),
    ...(options.minTrades === undefined ? {} : { minTrades: options.minTrades }),
    ...(options.workers === undefined ? {} : { workers: options.workers }),
    bootstrap: { seed: options.seed },
    onProgress: (done, total) => {
      bar ??= quiet ? undefined : progressBar('optimize', total);
      bar?.update(done);
    },
  });
  bar?.stop();
  if (options.json !== undefined && options.json !== '-') writeOutput('--json', options.json, `${JSON.stringify(withWarnings(report, options), null, 2)}\n`);
  if (options.export !== undefined && options.export !== '-') writeOutput('--export', options.export, `${JSON.stringify(bestParametersOf(report, options), null, 2)}\n`);
  return report;
}

/** The exported best parameters, with the report's warnings. */
function bestParametersOf(report: OptimizationReport, options: Pick<OptimizeOptions, 'strategy' | 'funding'>): BestParametersFile & { readonly warnings: readonly string[] } {
  return { ...exportBestParameters(report), warnings: optimizationWarnings(report, options) };
}

/** The report as written out: with the warnings a reader of the file must not miss (empty when there are none). */
function withWarnings(report: OptimizationReport, options: Pick<OptimizeOptions, 'strategy' | 'funding'>): OptimizationReport & { readonly warnings: readonly string[] } {
  return { ...report, warnings: optimizationWarnings(report, options) };
}

/**
 * Selections made among runs that never traded: one warning for the whole run when no backtest made a fill, else one
 * per walk-forward window (or final selection) whose trials all stayed flat.
 */
function optimizationWarnings(report: OptimizationReport, options: Pick<OptimizeOptions, 'strategy' | 'funding'>): string[] {
  const none = noTradeWarning(report, options);
  return none === undefined ? flatSelectionWarnings(report) : [none];
}

/** Why the report tells nothing when not one of its backtests made a fill: the best score is then a tie of zeros. */
function noTradeWarning(report: OptimizationReport, options: Pick<OptimizeOptions, 'strategy' | 'funding'>): string | undefined {
  if (report.results.some((record) => madeFills(record.metrics))) return undefined;
  const hint =
    options.strategy === 'funding-carry' && (options.funding ?? []).length === 0
      ? 'funding-carry trades on funding rates: give them with --funding'
      : 'check the parameter ranges, the sizing and the data the strategy needs';
  return `no trial traded in ${report.backtests} backtest${report.backtests === 1 ? '' : 's'}, so the best parameters (score ${report.best.score}) were picked among runs without a trade; ${hint}`;
}

function summarise(report: OptimizationReport, options: OptimizeOptions): string {
  const f = (x: number, digits = 3): string => (Number.isFinite(x) ? x.toFixed(digits) : String(x));
  const lines = [
    `Optimised ${report.strategy} on ${options.data.join(', ')}: ${report.trials} parameter sets, ${report.backtests} backtests (${report.search.method} search, objective ${report.objective.metric} ${report.objective.direction})`,
    `Best: ${Object.entries(report.best.params).map(([k, v]) => `${k}=${v}`).join(' ')}  score ${f(report.best.score)}  Sharpe ${f(report.best.metrics.sharpe)}  return ${f(report.best.metrics.totalReturn * 100, 2)}%  deflated Sharpe ${f(report.best.metrics.deflatedSharpe)}`,
  ];
  if (report.rejected.length > 0) lines.push(`Refused by the strategy: ${report.rejected.length} parameter sets (e.g. ${report.rejected[0]?.reason})`);
  const wf = report.walkForward;
  if (wf !== null) {
    lines.push(`Walk-forward (${wf.mode}, ${wf.inSampleBars} in-sample / ${wf.outOfSampleBars} out-of-sample bars, ${wf.windows.length} windows):`);
    for (const w of wf.windows) {
      lines.push(`  window ${w.index}: ${Object.entries(w.selection.params).map(([k, v]) => `${k}=${v}`).join(' ')}  in-sample ${f(w.selection.score)}  out-of-sample ${f(w.outOfSampleScore)}`);
    }
    const oos = wf.outOfSample.metrics;
    lines.push(`  out-of-sample, stitched: return ${f(oos.totalReturn * 100, 2)}%  Sharpe ${f(oos.sharpe)}  max drawdown ${f(oos.maxDrawdown * 100, 2)}%  trades ${oos.trades}`);
  }
  if (options.export !== undefined) lines.push(`Best parameters written to ${options.export}`);
  return lines.join('\n');
}

/** More threads than this only cost memory (each holds a copy of the engine) on any machine this runs on. */
export const MAX_WORKERS = 64;

export function workersOption(value: string): number {
  const workers = positiveInteger('--workers')(value);
  if (workers > MAX_WORKERS) throw new InvalidArgumentError(`--workers must be at most ${MAX_WORKERS}, got ${workers}`);
  return workers;
}
