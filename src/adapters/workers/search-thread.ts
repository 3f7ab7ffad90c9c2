/**
 * The desk optimizer's search on a worker thread, so that a paper run keeps replaying its summary, taking halts and
 * watching its kill switch while a walk-forward search works (seconds, on a long lookback). The worker runs the
 * same search as the desk's own thread would, on the same bars, so the proposals are the same.
 *
 * A worker that fails or exits leaves its requests, and every later one, to the search on the calling thread: the
 * result never depends on the worker, only the time it takes. Closing the thread gives up what still waits on it.
 */
import { Worker } from 'node:worker_threads';
import type { ParameterSearch, ParameterSearchRequest, ParameterSearchResult, ThreadedParameterSearch } from '../../agents/desk/parameter-search.js';
import { FixRequestError } from '../../core/errors.js';
import type { InstrumentSpec } from '../../domain/instrument.js';
import type { SearchAnswer, SearchJob, SearchWorkerData } from './search-protocol.js';
import { shareSeries } from './shared-series.js';
import { workerEntry } from './worker-entry.js';

interface Waiting {
  readonly request: ParameterSearchRequest;
  readonly resolve: (result: ParameterSearchResult | undefined) => void;
  readonly reject: (error: unknown) => void;
}

export class SearchThread {
  private worker: Worker | undefined;
  private readonly waiting = new Map<number, Waiting>();
  private jobs = 0;
  private closed = false;
  /** Requests the calling thread searched because the worker was gone. */
  searchedHere = 0;

  private constructor(
    worker: Worker,
    private readonly here: ParameterSearch,
  ) {
    this.worker = worker;
    worker.on('message', (answer: SearchAnswer) => this.answered(answer));
    worker.on('error', () => this.drop());
    worker.on('exit', () => this.drop());
  }

  /**
   * Starts the worker for a desk's instruments (the specs they were defined from); `here` is the same search on the
   * calling thread, which takes over if the worker fails. The worker keeps the process alive only while it searches.
   */
  static start(instruments: readonly InstrumentSpec[], here: ParameterSearch): SearchThread {
    const data: SearchWorkerData = { instruments };
    const worker = new Worker(workerEntry('search-worker', import.meta.url), { workerData: data });
    worker.unref();
    return new SearchThread(worker, here);
  }

  readonly search: ThreadedParameterSearch = (request) => {
    if (this.closed) return Promise.reject(new Error('the optimizer search thread is closed'));
    const worker = this.worker;
    if (worker === undefined) return this.searchHere(request);
    this.jobs += 1;
    const { series, instruments, ...rest } = request;
    const job: SearchJob = { ...rest, job: this.jobs, series: series.map(shareSeries), instrumentIds: instruments.map((instrument) => instrument.id) };
    return new Promise((resolve, reject) => {
      this.waiting.set(job.job, { request, resolve, reject });
      worker.ref();
      worker.postMessage(job);
    });
  };

  /**
   * Stops the worker. A search still waiting on it, or asked for later, is given up (rejected): the run that asked
   * has stopped, and nothing it would record may reach a journal already closed.
   */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    const waiting = [...this.waiting.values()];
    this.waiting.clear();
    for (const { reject } of waiting) reject(new Error('the optimizer search thread was closed before it answered'));
    if (worker === undefined) return;
    worker.removeAllListeners();
    await worker.terminate();
  }

  private answered(answer: SearchAnswer): void {
    const waiting = this.waiting.get(answer.job);
    if (waiting === undefined) return;
    this.waiting.delete(answer.job);
    if (this.waiting.size === 0) this.worker?.unref();
    if (answer.ok) waiting.resolve(answer.result);
    else waiting.reject(answer.error.name === 'FixRequestError' ? new FixRequestError(answer.error.code ?? 'parameter_search_failed', answer.error.message) : new Error(answer.error.message));
  }

  /** The worker failed or exited on its own: what waits on it, and every later search, is searched here. */
  private drop(): void {
    const worker = this.worker;
    if (worker === undefined) return;
    this.worker = undefined;
    worker.removeAllListeners();
    void worker.terminate();
    const waiting = [...this.waiting.values()];
    this.waiting.clear();
    for (const { request, resolve, reject } of waiting) this.searchHere(request).then(resolve, reject);
  }

  private searchHere(request: ParameterSearchRequest): Promise<ParameterSearchResult | undefined> {
    this.searchedHere += 1;
    try {
      return Promise.resolve(this.here(request));
    } catch (error) {
      return Promise.reject(error);
    }
  }
}
