/**
 * The desk optimizer's worker thread: runs the desk's parameter search (the same `createDeskParameterSearch()` a
 * desk run uses on its own thread) on each request it is sent, and answers with the result or the error.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ConclaveError } from '../../core/errors.js';
import { createDeskParameterSearch } from '../../backtest/optimizer/desk-parameter-search.js';
import { defineInstrument, type Instrument } from '../../domain/instrument.js';
import type { SearchAnswer, SearchJob, SearchWorkerData } from './search-protocol.js';
import { seriesFromShared } from './shared-series.js';

const port = parentPort;
if (port === null) throw new Error('search-worker.ts runs as a worker thread, started by SearchThread');

const instruments = new Map<string, Instrument>((workerData as SearchWorkerData).instruments.map((spec) => [spec.id, defineInstrument(spec)]));
const search = createDeskParameterSearch();

port.on('message', (job: SearchJob) => {
  let answer: SearchAnswer;
  try {
    const { job: _job, instrumentIds, ...request } = job;
    const result = search({
      ...request,
      series: job.series.map(seriesFromShared),
      instruments: instrumentIds.map((id) => {
        const instrument = instruments.get(id);
        if (instrument === undefined) throw new Error(`the search thread has no instrument ${id}`);
        return instrument;
      }),
    });
    answer = { job: job.job, ok: true, result };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    answer = { job: job.job, ok: false, error: { name: e.name, message: e.message, ...(e instanceof ConclaveError ? { code: e.code } : {}) } };
  }
  port.postMessage(answer);
});
