/**
 * A trial worker thread: builds its trial environment once (the bars from shared memory, the strategy factory
 * from its source, the settings from their portable form), then runs one trial per `run` message and answers
 * with the result (equity curves transferred, not copied) or the failure.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runTrial, type TrialResult } from '../../backtest/optimizer/trial.js';
import { buildTrialEnvironment, type TrialEnvironment } from '../../backtest/optimizer/trial-environment.js';
import { failureOf } from '../../backtest/optimizer/trial-error.js';
import { seriesFromShared } from './shared-series.js';
import { resolveStrategyFactory } from './strategy-source.js';
import type { FromWorker, ToWorker, TrialWorkerData } from './trial-protocol.js';

const port = parentPort;
if (port === null) throw new Error('trial-worker.ts runs as a worker thread, started by WorkerPoolExecutor');

const send = (message: FromWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

async function start(data: TrialWorkerData): Promise<TrialEnvironment> {
  const factory = await resolveStrategyFactory(data.strategy);
  return buildTrialEnvironment(data.series.map(seriesFromShared), factory, data.setup);
}

function transferables(result: TrialResult): ArrayBuffer[] {
  const detail = result.detail;
  return detail === undefined ? [] : [detail.ts.buffer as ArrayBuffer, detail.equity.buffer as ArrayBuffer];
}

start(workerData as TrialWorkerData).then(
  (environment) => {
    port.on('message', (message: ToWorker) => {
      let result: TrialResult;
      try {
        result = runTrial(environment, message.spec);
      } catch (error) {
        send({ type: 'failed', index: message.spec.index, failure: failureOf(error) });
        return;
      }
      send({ type: 'result', result }, transferables(result));
    });
    send({ type: 'ready' });
  },
  (error: unknown) => send({ type: 'start-failed', failure: failureOf(error) }),
);
