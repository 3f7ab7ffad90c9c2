/**
 * The port an optimization runs its trials through, and the in-process implementation: one trial after another
 * on the calling thread. A worker-thread pool (src/adapters/workers) implements the same port; both run
 * `runTrial` on an environment built from the same portable setup, so they return identical results.
 */
import { sizingWarmup } from '../sizing.js';
import { runTrial, type TrialResult, type TrialSpec } from './trial.js';
import { failureOf, trialError } from './trial-error.js';
import type { TrialEnvironment } from './trial-environment.js';

/** Called after each finished trial with the number done so far and the number in the batch. */
export type TrialProgress = (done: number, total: number) => void;

export interface TrialExecutor {
  /**
   * Runs a batch of trials; the results come back sorted by trial index, whatever order they finished in.
   * A trial that throws rejects the batch with a TrialFailedError (fix the request) or TrialInterruptedError
   * (retry later) naming the trial's index and parameters.
   */
  run(trials: readonly TrialSpec[], onProgress?: TrialProgress): Promise<TrialResult[]>;
  /**
   * Bars of history the trials' sizing needs before it can size a position (the volatility target's lookback):
   * a run's warm-up is the longer of this and the strategy's, so every selection range must leave room for it.
   */
  readonly sizingWarmup: number;
  /** Releases whatever the executor holds (threads); it cannot run trials afterwards. */
  close(): Promise<void>;
}

export class InProcessExecutor implements TrialExecutor {
  readonly sizingWarmup: number;

  constructor(private readonly environment: TrialEnvironment) {
    this.sizingWarmup = sizingWarmup(environment.settings.sizing);
  }

  run(trials: readonly TrialSpec[], onProgress?: TrialProgress): Promise<TrialResult[]> {
    const results: TrialResult[] = [];
    for (const spec of trials) {
      try {
        results.push(runTrial(this.environment, spec));
      } catch (error) {
        return Promise.reject(trialError(spec.index, spec.params, failureOf(error)));
      }
      onProgress?.(results.length, trials.length);
    }
    return Promise.resolve(results.sort((a, b) => a.index - b.index));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
