/**
 * A TrialExecutor on worker threads. Each worker gets the bars once, as SharedArrayBuffers it reads in place, and
 * builds its own environment and strategy factory; after that a trial costs one small message each way. Workers
 * take the next trial as soon as they finish one; results are sorted by trial index, so the outcome does not
 * depend on the number of workers or on timing.
 *
 * The worker entry is resolved next to this module: `trial-worker.js` in the compiled package, `trial-worker.ts`
 * (through a bootstrap that registers tsx) when this module itself runs from TypeScript source (tsx, vitest).
 *
 * Shutdown: `close()` terminates every worker; a failed trial, a worker error or a worker exiting mid-batch
 * terminates them all before the batch rejects. Idle workers are unref'd, so a pool that is not closed does not
 * keep the process alive (close it anyway).
 */
import { Worker } from 'node:worker_threads';
import { FixRequestError, RetryLaterError } from '../../core/errors.js';
import type { BarSeries } from '../../data/bar-series.js';
import type { TrialExecutor, TrialProgress } from '../../backtest/optimizer/executor.js';
import type { PortableTrialSetup } from '../../backtest/optimizer/trial-environment.js';
import { sizingWarmup } from '../../backtest/sizing.js';
import { failureOf, trialError, TrialInterruptedError, type TrialFailure } from '../../backtest/optimizer/trial-error.js';
import type { TrialResult, TrialSpec } from '../../backtest/optimizer/trial.js';
import { shareSeries } from './shared-series.js';
import type { StrategySource } from './strategy-source.js';
import type { FromWorker, ToWorker, TrialWorkerData } from './trial-protocol.js';
import { workerEntry } from './worker-entry.js';

export interface WorkerPoolOptions {
  /** Number of worker threads (>= 1). */
  readonly workers: number;
  readonly series: readonly BarSeries[];
  readonly strategy: StrategySource;
  readonly setup: PortableTrialSetup;
  /**
   * Largest young generation (nursery) of each worker's heap, in MB (default 256). A trial allocates a lot of
   * objects that live for the whole trial and no longer; a nursery that holds a trial's worth lets them die young
   * instead of being promoted and marked in the old generation, which measured about 20-25% less CPU per trial.
   * Lower it when memory is short (each worker may use this much on top of its old generation).
   */
  readonly youngGenerationMb?: number;
}

const DEFAULT_YOUNG_GENERATION_MB = 256;

export class WorkerPoolExecutor implements TrialExecutor {
  private closed = false;
  private busy = false;
  /** Set when a worker errs or exits outside a batch: the pool cannot run trials any more. */
  private lost: RetryLaterError | undefined;

  private constructor(
    private readonly workers: readonly Worker[],
    readonly sizingWarmup: number,
  ) {
    for (const worker of workers) {
      // Always listening, so an idle worker's failure is noticed (and an 'error' event never goes unhandled).
      worker.on('error', (error: Error) => {
        this.lost ??= new RetryLaterError('worker_failed', `a trial worker failed: ${error.message}`);
      });
      worker.on('exit', (code: number) => {
        if (!this.closed) this.lost ??= new RetryLaterError('worker_exited', `a trial worker exited with code ${code}`);
      });
    }
  }

  /** Starts the workers and waits until every one has built its environment (or one failed to: then none is left). */
  static async start(options: WorkerPoolOptions): Promise<WorkerPoolExecutor> {
    if (!(Number.isInteger(options.workers) && options.workers >= 1)) {
      throw new FixRequestError('invalid_workers', `the number of worker threads must be a whole number >= 1, got ${options.workers}`);
    }
    const youngGenerationMb = options.youngGenerationMb ?? DEFAULT_YOUNG_GENERATION_MB;
    if (!(youngGenerationMb > 0 && Number.isFinite(youngGenerationMb))) {
      throw new FixRequestError('invalid_young_generation', `the workers' young generation must be a positive number of MB, got ${youngGenerationMb}`);
    }
    const workerData: TrialWorkerData = { series: options.series.map(shareSeries), strategy: options.strategy, setup: options.setup };
    const entry = workerEntry('trial-worker', import.meta.url);
    const resourceLimits = { maxYoungGenerationSizeMb: youngGenerationMb };
    const workers = Array.from({ length: options.workers }, () => new Worker(entry, { workerData, resourceLimits }));
    const pool = new WorkerPoolExecutor(workers, sizingWarmup(options.setup.settings.sizing));
    const started = await Promise.allSettled(workers.map(untilReady));
    const failure = started.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (failure !== undefined) {
      await pool.close();
      throw failure.reason;
    }
    for (const worker of workers) worker.unref();
    return pool;
  }

  get size(): number {
    return this.workers.length;
  }

  run(trials: readonly TrialSpec[], onProgress?: TrialProgress): Promise<TrialResult[]> {
    if (this.closed) return Promise.reject(new FixRequestError('pool_closed', 'the worker pool has been closed'));
    if (this.busy) return Promise.reject(new FixRequestError('pool_busy', 'the worker pool runs one batch of trials at a time'));
    const lost = this.lost;
    if (lost !== undefined) return this.close().then(() => Promise.reject(lost));
    if (trials.length === 0) return Promise.resolve([]);
    this.busy = true;
    return new Promise<TrialResult[]>((resolve, reject) => {
      const results: TrialResult[] = [];
      const assigned = new Map<Worker, TrialSpec>();
      const detach: (() => void)[] = [];
      let next = 0;
      let settled = false;

      const finish = (): void => {
        settled = true;
        for (const off of detach) off();
        this.busy = false;
      };
      const fail = (error: Error): void => {
        if (settled) return;
        finish();
        this.close().then(
          () => reject(error),
          () => reject(error),
        );
      };
      const dispatch = (worker: Worker): void => {
        const spec = trials[next];
        if (spec === undefined) {
          assigned.delete(worker);
          return;
        }
        next += 1;
        assigned.set(worker, spec);
        worker.postMessage({ type: 'run', spec } satisfies ToWorker);
      };
      const failureIn = (worker: Worker, code: string, failure: TrialFailure): Error => {
        const spec = assigned.get(worker);
        return spec === undefined ? new RetryLaterError(code, failure.message) : trialError(spec.index, spec.params, failure);
      };

      for (const worker of this.workers) {
        const onMessage = (message: FromWorker): void => {
          if (settled) return;
          if (message.type === 'failed') {
            const spec = assigned.get(worker);
            fail(trialError(message.index, spec?.params ?? {}, message.failure));
            return;
          }
          if (message.type !== 'result') return;
          results.push(message.result);
          try {
            onProgress?.(results.length, trials.length);
          } catch (error) {
            fail(error instanceof Error ? error : new Error(String(error)));
            return;
          }
          if (results.length === trials.length) {
            finish();
            for (const w of this.workers) w.unref();
            resolve(results.sort((a, b) => a.index - b.index));
            return;
          }
          dispatch(worker);
        };
        const onError = (error: Error): void => fail(failureIn(worker, 'worker_failed', failureOf(error)));
        const onExit = (code: number): void => {
          const spec = assigned.get(worker);
          const message = `its worker thread exited with code ${code}`;
          fail(spec === undefined ? new RetryLaterError('worker_exited', `a worker thread exited with code ${code}`) : new TrialInterruptedError(spec.index, spec.params, 'worker_exited', message));
        };
        worker.on('message', onMessage);
        worker.on('error', onError);
        worker.on('exit', onExit);
        detach.push(() => {
          worker.off('message', onMessage);
          worker.off('error', onError);
          worker.off('exit', onExit);
        });
        worker.ref();
      }
      for (const worker of this.workers) dispatch(worker);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}

/** Resolves once the worker reports it is ready; rejects with its start failure, error or exit. */
function untilReady(worker: Worker): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const done = (): void => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    const onMessage = (message: FromWorker): void => {
      if (message.type === 'ready') {
        done();
        resolve();
      } else if (message.type === 'start-failed') {
        done();
        const { code, message: text, retryable } = message.failure;
        reject(retryable ? new RetryLaterError(code, `a trial worker could not start: ${text}`) : new FixRequestError(code, `a trial worker could not start: ${text}`));
      }
    };
    const onError = (error: Error): void => {
      done();
      reject(new RetryLaterError('worker_failed', `a trial worker failed while starting: ${error.message}`));
    };
    const onExit = (code: number): void => {
      done();
      reject(new RetryLaterError('worker_exited', `a trial worker exited with code ${code} while starting`));
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}

/**
 * The worker script next to this module: the compiled `trial-worker.js`, or from TypeScript source a small .mjs
 * bootstrap that registers tsx inside the thread and then imports `trial-worker.ts`.
 */
