/**
 * The port an optimization runs its trials through, and the in-process implementation: one trial after another
 * on the calling thread. A worker-thread pool (src/adapters/workers) implements the same port; both run
 * `runTrial` on an environment built from the same portable setup, so they return identical results.
 */
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
  /** Releases whatever the executor holds (threads); it cannot run trials afterwards. */
  close(): Promise<void>;
}

export class InProcessExecutor implements TrialExecutor {
  constructor(private readonly environment: TrialEnvironment) {}

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
