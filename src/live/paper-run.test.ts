import { describe, expect, it } from 'vitest';
import { buildDesk } from '../backtest/desk-backtest.js';
import { syntheticDeskData } from '../engine/desk/desk-data.js';
import type { Desk } from '../engine/desk/desk.js';
import { exampleDesk } from '../../test/support/desk-config.js';
import { PaperRun, type Pacer, type PaperSummary } from './paper-run.js';
import type { AgentId } from '../core/ids.js';
import type { ParameterSearchResult, ThreadedParameterSearch } from '../agents/desk/parameter-search.js';

const HOUR = 3_600_000;

/** Wall time that moves only when the runner sleeps; every sleep is logged with how many bars were done by then. */
class FakePacer implements Pacer {
  t = 5_000_000;
  readonly sleeps: { ms: number; bars: number }[] = [];
  desk: Desk | undefined;
  /** Wall milliseconds added on the next sleep on top of the requested wait (a stalled machine). */
  stall = 0;

  now(): number {
    return this.t;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push({ ms, bars: this.desk?.barsProcessed ?? 0 });
    if (signal?.aborted !== true) this.t += ms + this.stall;
    this.stall = 0;
    return Promise.resolve();
  }
}

function smallDesk(bars: number): Desk {
  const config = exampleDesk((doc) => {
    doc.agents = doc.agents.filter((a: { role: string }) => a.role !== 'optimizer');
    doc.data['SYNTH:BTC/USDT'].bars = bars;
  });
  return buildDesk({ config, data: syntheticDeskData(config) });
}

/** The example desk on 200 hourly bars whose optimizer searches every 5 days on another thread (`threadedSearch`). */
function searchingDesk(threadedSearch: ThreadedParameterSearch, approval: 'manual' | 'automatic' = 'manual'): Desk {
  const config = exampleDesk((doc) => {
    doc.data['SYNTH:BTC/USDT'].bars = 200;
    const tuner = doc.agents.find((a: { role: string }) => a.role === 'optimizer');
    tuner.every = '5d';
    tuner.lookbackBars = 100;
    tuner.approval = approval;
  });
  return buildDesk({ config, data: syntheticDeskData(config), threadedSearch });
}

/**
 * Runs a desk at full speed until a bar has waited `stopAt` wall ms, halting it once it has waited `haltAt`; the run
 * must end stopped. Returns the summaries taken while the bar waited.
 */
async function haltWhileWaiting(desk: Desk, haltAt: number, stopAt: number): Promise<PaperSummary[]> {
  const pacer = new FakePacer();
  pacer.desk = desk;
  const ticks: PaperSummary[] = [];
  const run = new PaperRun(desk, {
    pacer,
    speed: 0,
    onTick: (summary) => {
      ticks.push(summary);
      const waited = summary.waiting?.ms ?? 0;
      if (waited >= haltAt && summary.tradingState === 'ACTIVE') desk.halt('halted while the bar waits');
      if (waited >= stopAt || ticks.length > 100) void run.stop();
    },
  });
  expect((await run.run()).end).toBe('stopped');
  return ticks.filter((tick) => tick.waiting !== undefined);
}

function paced(bars: number, speed: number, extra: Partial<ConstructorParameters<typeof PaperRun>[1]> = {}) {
  const desk = smallDesk(bars);
  const pacer = new FakePacer();
  pacer.desk = desk;
  const ticks: { wall: number; summary: PaperSummary }[] = [];
  const run = new PaperRun(desk, { pacer, speed, onTick: (summary) => void ticks.push({ wall: pacer.t, summary }), ...extra });
  return { desk, pacer, ticks, run };
}

describe('a paper run', () => {
  it('replays an hourly bar each wall second at speed 3600, and a summary each second', async () => {
    const { pacer, ticks, run, desk } = paced(30, 3600);
    const start = pacer.t;
    const outcome = await run.run();
    expect(outcome.end).toBe('end-of-data');
    expect(outcome.summary.barsProcessed).toBe(30);
    // Bar i closes (i + 1) hours after the first open: (i + 1) wall seconds in.
    expect(pacer.t - start).toBe(30_000);
    expect(ticks.map((t) => t.wall - start)).toEqual(Array.from({ length: 30 }, (_, i) => (i + 1) * 1000));
    expect(ticks.map((t) => t.summary.barsProcessed)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(ticks[9]?.summary.marketTime).toBe((desk.setup.series[0]?.ts[0] as number) + 10 * HOUR);
    expect(ticks.every((t) => t.summary.behindMs === 0 && t.summary.totalBars === 30 && t.summary.tradingState === 'ACTIVE')).toBe(true);
    // Three analysts, the manager and the judge (the optimizer is left out of this desk).
    expect(ticks[0]?.summary.agents).toEqual({ healthy: 5, total: 5, unhealthy: [] });
  });

  it('wakes for a summary every second while it waits for a slow bar', async () => {
    const { pacer, ticks, run } = paced(3, 60);
    const start = pacer.t;
    await run.run();
    // At speed 60 an hourly bar takes a wall minute: 180 s for three bars, a summary every second on the way.
    expect(pacer.t - start).toBe(180_000);
    expect(ticks).toHaveLength(180);
    expect(ticks[58]?.summary.barsProcessed).toBe(0);
    expect(ticks[59]?.summary.barsProcessed).toBe(1);
    expect(pacer.sleeps.every((s) => s.ms <= 1000)).toBe(true);
  });

  it('runs as fast as it can at speed 0, yielding between bounded batches', async () => {
    const { pacer, run } = paced(1200, 0, { maxBatch: 250 });
    const start = pacer.t;
    const outcome = await run.run();
    expect(outcome.summary.barsProcessed).toBe(1200);
    expect(pacer.t).toBe(start);
    expect(pacer.sleeps).toEqual([250, 500, 750, 1000].map((bars) => ({ ms: 0, bars })));
  });

  it('catches up in bounded batches when the machine stalls', async () => {
    const { pacer, run } = paced(400, 3600, { maxBatch: 40 });
    pacer.stall = 150_000; // the first wait oversleeps by 150 wall seconds: 150 bars are overdue
    await run.run();
    const batches = pacer.sleeps.map((s) => s.bars);
    expect(batches.slice(0, 5)).toEqual([0, 40, 80, 120, 151]);
    // Every step from one sleep to the next replays at most a batch.
    for (let i = 1; i < batches.length; i++) expect((batches[i] as number) - (batches[i - 1] as number)).toBeLessThanOrEqual(40);
    expect(run.desk.barsProcessed).toBe(400);
  });

  it('stops after the bar in progress and replays nothing more', async () => {
    const { run, ticks, desk } = paced(200, 3600, {
      onTick: (summary) => {
        if (summary.barsProcessed === 25) void run.stop();
      },
    });
    const outcome = await run.run();
    expect(ticks).toHaveLength(0);
    expect(outcome.end).toBe('stopped');
    expect(outcome.summary.barsProcessed).toBe(25);
    expect(desk.barsProcessed).toBe(25);
    expect((await run.stop()).end).toBe('stopped');
  });

  it('reports equity, pnl, fills and denials from the books', async () => {
    const { run, desk } = paced(600, 0);
    const { summary } = await run.run();
    expect(summary.fills).toBe(desk.books.fills.length);
    expect(summary.fills).toBeGreaterThan(10);
    expect(summary.denials).toBe(desk.books.denials);
    expect(summary.equity).toBeCloseTo(desk.books.equity(), 9);
    expect(summary.pnl).toBeCloseTo(summary.equity - 100_000, 6);
  });

  it('refuses a negative speed', () => {
    expect(() => new PaperRun(smallDesk(5), { pacer: new FakePacer(), speed: -1 })).toThrow('speed must be a non-negative number, got -1');
  });

  it('keeps summarising, takes a halt and stops while a model never answers, saying whose model it waits on', async () => {
    const desk = smallDesk(50);
    const sma = [...desk.analysts.values()].find((analyst) => analyst.id === 'sma');
    if (sma === undefined) throw new Error('no sma');
    const brain = sma.brain;
    let calls = 0;
    // A model call that hangs on the tenth bar; the desk is asynchronous, as a model-driven one is.
    sma.brain = {
      ...brain,
      instruments: brain.instruments,
      warmup: brain.warmup,
      onBar: (bar, context) => ((calls += 1) === 10 ? new Promise<void>(() => undefined) : Promise.resolve().then(() => brain.onBar(bar, context))) as unknown as void,
    };
    Object.defineProperty(desk, 'asynchronous', { get: () => true });
    const waiting = await haltWhileWaiting(desk, 2000, 4000);
    expect(waiting.map((tick) => [tick.waiting?.agent, tick.waiting?.ms, tick.tradingState])).toEqual([
      // The first summary is due at once (the last was a batch ago), then one a second.
      ['sma', 1, 'ACTIVE'],
      ['sma', 1001, 'ACTIVE'],
      ['sma', 2001, 'ACTIVE'],
      ['sma', 3001, 'HALTED'],
      ['sma', 4001, 'HALTED'],
    ]);
    expect(waiting.every((tick) => tick.barsProcessed === 9)).toBe(true);
    expect(desk.core.tradingState).toBe('HALTED');
  });

  it("keeps summarising and takes a halt while the optimizer's search on another thread works, saying it waits on the optimizer", async () => {
    let searches = 0;
    // A search that never answers (a worker busy for longer than the test looks).
    const desk = searchingDesk(() => ((searches += 1), new Promise(() => undefined)));
    expect(desk.asynchronous).toBe(true);
    const waiting = await haltWhileWaiting(desk, 1000, 2000);
    expect(waiting.map((tick) => [tick.waiting?.agent, tick.waiting?.for, tick.waiting?.ms, tick.tradingState])).toEqual([
      ['tuner', 'search', 1, 'ACTIVE'],
      ['tuner', 'search', 1001, 'ACTIVE'],
      ['tuner', 'search', 2001, 'HALTED'],
    ]);
    // The first analyst it searches for holds the bar that made the search due; the clock does not move on.
    expect(searches).toBe(1);
    expect(new Set(waiting.map((tick) => tick.barsProcessed))).toEqual(new Set([167]));
    expect(desk.core.tradingState).toBe('HALTED');
  });

  it('drops an answer that comes after the run stopped: the bar it held is never finished and nothing more is recorded', async () => {
    let answer: ((result: ParameterSearchResult) => void) | undefined;
    const desk = searchingDesk((request) => new Promise((resolve) => (answer = (result) => resolve({ ...result, proposed: { ...request.current, fast: 7 } }))), 'automatic');
    const run = new PaperRun(desk, {
      pacer: new FakePacer(),
      speed: 0,
      onTick: (summary) => {
        if ((summary.waiting?.ms ?? 0) >= 1000) void run.stop();
      },
    });
    expect((await run.run()).end).toBe('stopped');
    const recorded = desk.core.store.length;
    const bars = desk.barsProcessed;
    expect(answer).toBeDefined();
    answer?.({ proposed: {}, proposedScore: 2, currentScore: 1, trials: 3, reason: 'late' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(desk.core.store.length).toBe(recorded);
    expect(desk.barsProcessed).toBe(bars);
    expect(desk.core.store.read(0).filter((event) => event.type === 'ParametersProposed')).toEqual([]);
  });

  it('records a proposal against the parameters it was searched from, though they changed while the search worked', async () => {
    let answer: (() => void) | undefined;
    // The first analyst's search (sma's) waits until answered; the others find nothing.
    const desk = searchingDesk((request) =>
      answer !== undefined
        ? Promise.resolve(undefined)
        : new Promise((resolve) => (answer = () => resolve({ proposed: { ...request.current, fast: 7 }, proposedScore: 2, currentScore: 1, trials: 3, reason: 'test' }))),
    );
    const sma = desk.analysts.get('sma' as AgentId);
    if (sma === undefined) throw new Error('no sma');
    const searched = { ...sma.parameters };
    let step = desk.nextAsync();
    while (answer === undefined) {
      await step;
      step = desk.nextAsync();
    }
    // An earlier proposal approved while the search works (by hand here).
    sma.parameters = { ...searched, slow: 99 };
    answer();
    await step;
    const proposed = desk.core.store.read(0).filter((event) => event.type === 'ParametersProposed');
    expect(proposed.map((event) => event.type === 'ParametersProposed' && [event.agentId, event.current])).toEqual([['sma', searched]]);
  });
});
