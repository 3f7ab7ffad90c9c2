/**
 * The optimizer on real worker threads: the same report in process and on two workers, and failures in a worker
 * surfacing as typed errors with the trial's index while every worker is shut down.
 *
 * The workers build `sma-cross` from the strategy registry; one test loads a user strategy module (written to a
 * temporary .mjs file) instead.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessExecutor } from '../../src/backtest/optimizer/executor.js';
import { parseObjective } from '../../src/backtest/optimizer/objective.js';
import { exportBestParameters } from '../../src/backtest/optimizer/report.js';
import { buildTrialEnvironment, type PortableTrialSetup } from '../../src/backtest/optimizer/trial-environment.js';
import { TrialFailedError, TrialInterruptedError } from '../../src/backtest/optimizer/trial-error.js';
import type { TrialSpec } from '../../src/backtest/optimizer/trial.js';
import { runOptimization, type OptimizationOptions } from '../../src/adapters/workers/run-optimization.js';
import { resolveStrategyFactory, type StrategySource } from '../../src/adapters/workers/strategy-source.js';
import { WorkerPoolExecutor } from '../../src/adapters/workers/worker-pool-executor.js';
import { FixRequestError, RetryLaterError } from '../../src/core/errors.js';
import { instrumentId } from '../../src/core/ids.js';
import { SeededRandom } from '../../src/core/random.js';
import { BarSeriesBuilder, type BarSeries } from '../../src/data/bar-series.js';

const ID = instrumentId('TEST:BTC/USDT');
const MINUTE = 60_000;

/** A user strategy module that ends its thread on the first bar: how a worker dying under a trial looks. */
const EXITING_MODULE = `
export const exiting = {
  name: 'exiting',
  description: 'ends the worker thread with the given code on its first bar',
  instrumentCount: 1,
  parameters: [{ name: 'exitCode', description: 'exit code', default: 7, min: 1, integer: true }],
  create(params, instruments) {
    return { name: 'exiting', instruments, warmup: 0, onBar() { process.exit(params.exitCode); } };
  },
};
`;

const SETUP: PortableTrialSetup = {
  instruments: [{ id: ID, tickSize: '0.01', lotSize: '0.0001', takerFee: '0.001', makerFee: '0.001' }],
  settings: { cash: { USDT: '10000' }, valuationCurrency: 'USDT', sizing: { kind: 'percent-equity', fraction: 0.5 } },
};

function randomWalk(n: number, seed: number): BarSeries {
  const random = new SeededRandom(seed);
  const builder = new BarSeriesBuilder(n);
  let close = 100;
  for (let i = 0; i < n; i++) {
    const open = close;
    close = Math.round(open * (1 + 0.004 * random.normal() + 0.0002 * Math.sin(i / 200)) * 100) / 100;
    builder.push(i * MINUTE, open, Math.max(open, close) + 0.05, Math.min(open, close) - 0.05, close, 5);
  }
  return builder.build(ID, MINUTE);
}

const SMA_CROSS: StrategySource = { kind: 'registry', name: 'sma-cross' };
let directory = '';
let exiting: StrategySource = { kind: 'module', url: '', exportName: 'exiting' };
const SERIES = randomWalk(3000, 5);

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'conclave-optimizer-'));
  const file = join(directory, 'exiting.mjs');
  writeFileSync(file, EXITING_MODULE);
  exiting = { kind: 'module', url: pathToFileURL(file).href, exportName: 'exiting' };
});

afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

function options(workers: number, progress?: [number, number][]): OptimizationOptions {
  return {
    series: [SERIES],
    setup: SETUP,
    strategy: SMA_CROSS,
    parameters: ['fast=3:9:3', 'slow=20,40'],
    search: { method: 'grid' },
    objective: parseObjective('sharpe'),
    walkForward: { mode: 'rolling', inSampleBars: 1200, outOfSampleBars: 600 },
    workers,
    ...(progress ? { onProgress: (done: number, total: number) => progress.push([done, total]) } : {}),
  };
}

describe('optimizer on worker threads', () => {
  it('gives the same report in process and on two workers', async () => {
    const progress: [number, number][] = [];
    const inProcess = await runOptimization(options(1));
    const pooled = await runOptimization(options(2, progress));
    expect(inProcess.trials).toBe(6);
    expect(inProcess.walkForward?.windows).toHaveLength(3);
    expect(inProcess.backtests).toBe(6 * 4 + 3);
    expect(new Set(inProcess.results.map((r) => r.fingerprint)).size).toBeGreaterThan(10);
    expect(pooled).toEqual(inProcess);
    expect(exportBestParameters(pooled)).toEqual(exportBestParameters(inProcess));
    expect(progress).toHaveLength(27);
    expect(progress.map(([done]) => done)).toEqual(Array.from({ length: 27 }, (_, i) => i + 1));
    expect(progress.every(([, total]) => total === 27)).toBe(true);
  });

  it('returns a batch sorted by trial index, whatever order the workers finish in', async () => {
    const factory = await resolveStrategyFactory(SMA_CROSS);
    const specs: TrialSpec[] = [9, 2, 7, 0, 5].map((index, i) => ({
      index,
      params: { fast: 3 + i, slow: 30 },
      range: { from: 100 * i, to: 100 * i + 800 + 300 * (i % 2) },
      trials: 5,
      detail: i === 1,
    }));
    const pool = await WorkerPoolExecutor.start({ workers: 2, series: [SERIES], strategy: SMA_CROSS, setup: SETUP });
    try {
      const pooled = await pool.run(specs);
      const local = await new InProcessExecutor(buildTrialEnvironment([SERIES], factory, SETUP)).run(specs);
      expect(pooled.map((r) => r.index)).toEqual([0, 2, 5, 7, 9]);
      expect(pooled).toEqual(local);
      expect(pooled[1]?.detail?.equity.length).toBe(1100);
    } finally {
      await pool.close();
    }
  });

  it('fails a batch with the index of a trial that throws in a worker, and shuts every worker down', async () => {
    const pool = await WorkerPoolExecutor.start({ workers: 2, series: [SERIES], strategy: SMA_CROSS, setup: SETUP });
    const good = (index: number): TrialSpec => ({ index, params: { fast: 3, slow: 20 }, range: { from: 0, to: 500 }, trials: 1, detail: false });
    const bad: TrialSpec = { index: 4, params: { fast: 3, slow: 20 }, range: { from: 2900, to: 3100 }, trials: 1, detail: false };
    const error = await pool.run([good(0), good(1), good(2), good(3), bad, good(5)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrialFailedError);
    expect(error).toBeInstanceOf(FixRequestError);
    expect((error as TrialFailedError).trialIndex).toBe(4);
    expect((error as TrialFailedError).code).toBe('invalid_range');
    expect((error as Error).message).toBe('trial 4 (fast=3, slow=20): trial range 2900..3100 is not inside the 3000 bars of TEST:BTC/USDT');
    const closed = await pool.run([good(6)]).catch((e: unknown) => e);
    expect((closed as FixRequestError).code).toBe('pool_closed');
  });

  it('reports a worker that dies under a trial as retryable, naming the trial', async () => {
    const pool = await WorkerPoolExecutor.start({ workers: 2, series: [SERIES], strategy: exiting, setup: SETUP });
    const spec: TrialSpec = { index: 12, params: { exitCode: 7 }, range: { from: 0, to: 500 }, trials: 1, detail: false };
    const error = await pool.run([spec]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrialInterruptedError);
    expect(error).toBeInstanceOf(RetryLaterError);
    expect((error as TrialInterruptedError).trialIndex).toBe(12);
    expect((error as Error).message).toBe('trial 12 (exitCode=7): its worker thread exited with code 7');
    await pool.close();
  });

  it('refuses to start when the workers cannot get the strategy', async () => {
    const missing: StrategySource = { kind: 'module', url: exiting.kind === 'module' ? exiting.url : '', exportName: 'nothing' };
    const error = await WorkerPoolExecutor.start({ workers: 2, series: [SERIES], strategy: missing, setup: SETUP }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FixRequestError);
    expect((error as FixRequestError).code).toBe('not_a_strategy_factory');
    expect((error as Error).message).toContain('a trial worker could not start:');
  });

  it('names the known strategies when the registry has no such name', async () => {
    const error = await runOptimization({ ...options(2), strategy: { kind: 'registry', name: 'nope' } }).catch((e: unknown) => e);
    expect((error as FixRequestError).code).toBe('unknown_strategy');
    expect((error as Error).message).toContain('unknown strategy "nope"; known: sma-cross');
  });
});
