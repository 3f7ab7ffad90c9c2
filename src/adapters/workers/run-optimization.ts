/**
 * The one call behind `conclave optimize`: resolve the strategy, parse the parameter space, pick the executor
 * (in process for one worker, a worker-thread pool otherwise), optimize, and always release the workers.
 */
import { availableParallelism } from 'node:os';
import type { BarSeries } from '../../data/bar-series.js';
import { InProcessExecutor, type TrialExecutor } from '../../backtest/optimizer/executor.js';
import type { Objective } from '../../backtest/optimizer/objective.js';
import { optimize } from '../../backtest/optimizer/optimize.js';
import { gridSize, parseParameterSpace } from '../../backtest/optimizer/parameter-space.js';
import type { OptimizationReport } from '../../backtest/optimizer/report.js';
import type { SearchMethod } from '../../backtest/optimizer/search.js';
import { buildTrialEnvironment, type PortableTrialSetup } from '../../backtest/optimizer/trial-environment.js';
import type { WalkForwardOptions } from '../../backtest/optimizer/windows.js';
import { resolveStrategyFactory, type StrategySource } from './strategy-source.js';
import { WorkerPoolExecutor } from './worker-pool-executor.js';

export interface OptimizationOptions {
  /** The loaded bars; the first series is the primary one (walk-forward windows count its bars). */
  readonly series: readonly BarSeries[];
  /** Instrument definitions and backtest settings, as plain data. */
  readonly setup: PortableTrialSetup;
  readonly strategy: StrategySource;
  /** `--param` arguments: `fast=5:50:5`, `mode=long-only,reversal`, `fee=0.001`. */
  readonly parameters: readonly string[];
  readonly search: SearchMethod;
  /** From `parseObjective('sharpe')`. */
  readonly objective: Objective;
  /** From `parseWalkForward('rolling:20000:5000', series[0].timeframeMs)`; absent for a plain search. */
  readonly walkForward?: WalkForwardOptions;
  readonly minTrades?: number;
  /** Worker threads; 1 runs in process. Default: the machine's available parallelism. */
  readonly workers?: number;
  /** Nursery size of each worker's heap in MB (see WorkerPoolOptions; default 256). */
  readonly youngGenerationMb?: number;
  /** Bootstrap of the stitched out-of-sample Sharpe interval. */
  readonly bootstrap?: { readonly samples?: number; readonly seed?: number };
  /** Trials done of the total, for a progress bar. */
  readonly onProgress?: (done: number, total: number) => void;
}

export async function runOptimization(options: OptimizationOptions): Promise<OptimizationReport> {
  const factory = await resolveStrategyFactory(options.strategy);
  const space = parseParameterSpace(factory.parameters, options.parameters);
  // Built here even when workers run the trials: a bad instrument or setting fails before any thread starts.
  const environment = buildTrialEnvironment(options.series, factory, options.setup);
  const workers = poolSize(options.workers ?? availableParallelism(), options.search.method === 'random' ? options.search.samples : gridSize(space));
  const executor: TrialExecutor =
    workers <= 1
      ? new InProcessExecutor(environment)
      : await WorkerPoolExecutor.start({
          workers,
          series: options.series,
          strategy: options.strategy,
          setup: options.setup,
          ...(options.youngGenerationMb !== undefined ? { youngGenerationMb: options.youngGenerationMb } : {}),
        });
  try {
    return await optimize(
      {
        factory,
        series: options.series,
        space,
        search: options.search,
        objective: options.objective,
        ...(options.walkForward !== undefined ? { walkForward: options.walkForward } : {}),
        ...(options.minTrades !== undefined ? { minTrades: options.minTrades } : {}),
        ...(options.bootstrap !== undefined ? { bootstrap: options.bootstrap } : {}),
        ...(options.onProgress !== undefined ? { onProgress: options.onProgress } : {}),
      },
      executor,
    );
  } finally {
    await executor.close();
  }
}

/**
 * Threads for a search: as many as asked (one per core by default), but never more than the parameter sets it tries
 * (a window runs its sets at once): each thread holds a copy of the engine, and 64 of them for 4 trials took a GB.
 */
export function poolSize(requested: number, parameterSets: number): number {
  return Math.max(1, Math.min(requested, parameterSets));
}
