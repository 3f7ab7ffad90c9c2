/** The messages between the worker pool and its trial workers. */
import type { PortableTrialSetup } from '../../backtest/optimizer/trial-environment.js';
import type { TrialFailure } from '../../backtest/optimizer/trial-error.js';
import type { TrialResult, TrialSpec } from '../../backtest/optimizer/trial.js';
import type { SharedSeries } from './shared-series.js';
import type { StrategySource } from './strategy-source.js';

/** Given to each worker once, at start. */
export interface TrialWorkerData {
  readonly series: readonly SharedSeries[];
  readonly strategy: StrategySource;
  readonly setup: PortableTrialSetup;
}

export type ToWorker = { readonly type: 'run'; readonly spec: TrialSpec };

export type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'start-failed'; readonly failure: TrialFailure }
  | { readonly type: 'result'; readonly result: TrialResult }
  | { readonly type: 'failed'; readonly index: number; readonly failure: TrialFailure };
