import type { SharpeBootstrapPlan } from '../../backtest/metrics-sharpe.js';

/** Set to 1 by the bootstrap worker once it listens for jobs. */
export interface BootstrapWorkerData {
  readonly ready: Int32Array;
}

/**
 * Samples [from, to) of a plan, written as Float64 values into `sharpes` from element `from` on; then `done` is
 * set to 1 (or 2 when the worker failed) and notified. Every buffer is shared memory: nothing is copied.
 */
export interface BootstrapJob {
  readonly plan: SharpeBootstrapPlan;
  readonly from: number;
  readonly to: number;
  readonly sharpes: SharedArrayBuffer;
  readonly done: Int32Array;
}
