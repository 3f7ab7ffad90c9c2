/**
 * The Sharpe bootstrap's worker thread: resamples the part of a plan it is given, in shared memory, and flags the
 * job done through an Atomics word the calling thread waits on (the caller is blocked, so no message could reach it).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { resampleSharpes } from '../../backtest/metrics-sharpe.js';
import type { BootstrapJob, BootstrapWorkerData } from './bootstrap-protocol.js';

const port = parentPort;
if (port === null) throw new Error('bootstrap-worker.ts runs as a worker thread, started by BootstrapThread');

port.on('message', (job: BootstrapJob) => {
  let outcome = 1;
  try {
    resampleSharpes(job.plan, job.from, job.to, new Float64Array(job.sharpes, job.from * Float64Array.BYTES_PER_ELEMENT, job.to - job.from));
  } catch {
    outcome = 2;
  }
  Atomics.store(job.done, 0, outcome);
  Atomics.notify(job.done, 0);
});
Atomics.store((workerData as BootstrapWorkerData).ready, 0, 1);
port.postMessage('ready');
