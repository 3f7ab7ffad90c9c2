import type { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import type { ParameterSearchRequest } from '../../agents/desk/parameter-search.js';
import { createDeskParameterSearch } from '../../backtest/optimizer/desk-parameter-search.js';
import { FixRequestError } from '../../core/errors.js';
import { agentId, instrumentId } from '../../core/ids.js';
import { SeededRandom } from '../../core/random.js';
import { unixMs } from '../../core/time.js';
import { BarSeriesBuilder } from '../../data/bar-series.js';
import { defineInstrument, type InstrumentSpec } from '../../domain/instrument.js';
import { SearchThread } from './search-thread.js';

const HOUR = 3_600_000;
const SPEC: InstrumentSpec = { id: 'TEST:ETH/USDT', tickSize: '0.01', lotSize: '0.0001', takerFee: '0.001', makerFee: '0.001' };

/** A slow noisy cycle that a crossover of matching length rides: the search has something to propose. */
function request(strategy = 'sma-cross'): ParameterSearchRequest {
  const builder = new BarSeriesBuilder();
  const noise = new SeededRandom(11);
  let previous = 100;
  for (let i = 0; i < 1400; i++) {
    const close = Math.round((100 + 10 * Math.sin(i / 16) + 0.5 * noise.normal()) * 100) / 100;
    builder.push(i * HOUR, previous, Math.max(previous, close) + 0.2, Math.min(previous, close) - 0.2, close, 10);
    previous = close;
  }
  const series = builder.build(instrumentId(SPEC.id), HOUR);
  return { agentId: agentId('trend'), strategy, current: { fast: 40, slow: 90 }, series: [series], instruments: [defineInstrument(SPEC)], now: unixMs(1400 * HOUR), seed: 7 };
}

describe('the optimizer search on a worker thread', () => {
  it('proposes what the search on this thread proposes', async () => {
    const here = createDeskParameterSearch();
    const expected = here(request());
    expect(expected?.proposed).toBeDefined();
    const thread = SearchThread.start([SPEC], here);
    try {
      expect(await thread.search(request())).toEqual(expected);
      expect(thread.searchedHere).toBe(0);
    } finally {
      await thread.close();
    }
  });

  it("rejects with the search's own error, code and message", async () => {
    const thread = SearchThread.start([SPEC], createDeskParameterSearch());
    try {
      const failure = thread.search(request('no-such-strategy'));
      await expect(failure).rejects.toThrow(FixRequestError);
      await expect(failure).rejects.toMatchObject({ code: 'unknown_strategy', message: expect.stringContaining('unknown strategy "no-such-strategy"') });
    } finally {
      await thread.close();
    }
  });

  it('searches on this thread, to the same result, once the worker has died', async () => {
    const here = createDeskParameterSearch();
    const thread = SearchThread.start([SPEC], here);
    try {
      const waiting = thread.search(request());
      // The worker dies with a search in flight: that one and every later one are searched here.
      await (thread as unknown as { worker: Worker }).worker.terminate();
      const expected = here(request());
      expect(await waiting).toEqual(expected);
      expect(await thread.search(request())).toEqual(expected);
      expect(thread.searchedHere).toBe(2);
    } finally {
      await thread.close();
    }
  });

  it('gives up a search still in flight when it is closed (the run that asked has stopped)', async () => {
    const thread = SearchThread.start([SPEC], createDeskParameterSearch());
    const givenUp = expect(thread.search(request())).rejects.toThrow('the optimizer search thread was closed before it answered');
    await thread.close();
    await givenUp;
    await expect(thread.search(request())).rejects.toThrow('the optimizer search thread is closed');
    expect(thread.searchedHere).toBe(0);
  });
});
