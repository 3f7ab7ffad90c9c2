/**
 * A second thread for the Sharpe bootstrap of a large run. Half of the samples are drawn on the worker while the
 * calling thread draws the other half; each sample has its own seeded stream, so the interval is the same as on
 * one thread. `resample` stays synchronous: the caller waits for the worker's half on an Atomics word.
 *
 * The thread is only used once it has signalled that it is ready (until then, and for small plans, every sample is
 * drawn on the calling thread), and a worker that fails or does not answer in time has its half drawn by the
 * caller: the result never depends on the worker, only the time it takes.
 */
import { Worker } from 'node:worker_threads';
import { defaultBlockLength, resampleSharpes, type SharpeResampler } from '../../backtest/metrics-sharpe.js';
import type { BootstrapJob, BootstrapWorkerData } from './bootstrap-protocol.js';
import { workerEntry } from './worker-entry.js';

/** Below this many block draws (samples x returns / mean block length) the samples stay on the calling thread. */
const MIN_SHARED_DRAWS = 2_000_000;
/** How long the caller waits for the worker's half once its own half is drawn. */
const WORKER_WAIT_MS = 60_000;

/** Whether a run with this many returns and bootstrap samples is worth a second thread. */
export function worthABootstrapThread(returns: number, samples: number): boolean {
  return (samples * returns) / defaultBlockLength(returns) >= MIN_SHARED_DRAWS;
}

export class BootstrapThread {
  private worker: Worker | undefined;
  /** Plans whose second half the worker drew. */
  sharedPlans = 0;
  /** Settles once the worker listens for jobs (or has failed to start). */
  readonly started: Promise<void>;

  private constructor(worker: Worker, private readonly ready: Int32Array) {
    this.worker = worker;
    this.started = new Promise((resolve) => {
      worker.once('message', () => resolve());
      worker.once('error', () => resolve());
      worker.once('exit', () => resolve());
    });
    worker.on('error', () => this.drop());
    worker.on('exit', () => {
      this.worker = undefined;
    });
  }

  /** Starts the worker; it does not keep the process alive. */
  static start(): BootstrapThread {
    const ready = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
    const data: BootstrapWorkerData = { ready };
    const worker = new Worker(workerEntry('bootstrap-worker', import.meta.url), { workerData: data });
    worker.unref();
    return new BootstrapThread(worker, ready);
  }

  /** Whether the worker is up and takes half of a large plan. */
  get isReady(): boolean {
    return this.worker !== undefined && Atomics.load(this.ready, 0) === 1;
  }

  readonly resample: SharpeResampler = (plan) => {
    const sharpes = new SharedArrayBuffer(plan.samples * Float64Array.BYTES_PER_ELEMENT);
    const all = new Float64Array(sharpes);
    const worker = this.worker;
    const draws = (plan.samples * plan.returns) / plan.blockLength;
    if (worker === undefined || !this.isReady || draws < MIN_SHARED_DRAWS || plan.samples < 2) {
      resampleSharpes(plan, 0, plan.samples, all);
      return all;
    }
    const half = Math.floor(plan.samples / 2);
    const done = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
    const job: BootstrapJob = { plan, from: half, to: plan.samples, sharpes, done };
    worker.postMessage(job);
    resampleSharpes(plan, 0, half, all);
    Atomics.wait(done, 0, 0, WORKER_WAIT_MS);
    if (Atomics.load(done, 0) === 1) {
      this.sharedPlans += 1;
    } else {
      this.drop();
      resampleSharpes(plan, half, plan.samples, all.subarray(half));
    }
    return all;
  };

  /** Stops the worker. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker !== undefined) await worker.terminate();
  }

  private drop(): void {
    const worker = this.worker;
    this.worker = undefined;
    void worker?.terminate();
  }
}
