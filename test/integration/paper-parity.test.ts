import { describe, expect, it } from 'vitest';
import { buildDesk, deskRun, runDeskBacktest, trackTrades } from '../../src/backtest/desk-backtest.js';
import { summariseDesk } from '../../src/backtest/desk-summary.js';
import { TestClock } from '../../src/core/clock.js';
import { IdGenerator } from '../../src/core/ids.js';
import type { DeskConfig } from '../../src/config/desk-schema.js';
import type { DeskEvent } from '../../src/domain/events.js';
import { syntheticDeskData } from '../../src/engine/desk/desk-data.js';
import type { Desk } from '../../src/engine/desk/desk.js';
import { TradingCore } from '../../src/engine/trading-core.js';
import { InMemoryEventStore } from '../../src/kernel/event-store.js';
import { PaperRun, type Pacer } from '../../src/live/paper-run.js';
import { SearchThread } from '../../src/adapters/workers/search-thread.js';
import { createDeskParameterSearch } from '../../src/backtest/optimizer/desk-parameter-search.js';
import { exampleDesk } from '../support/desk-config.js';

/** Wall time that moves only when the runner waits, so a paced run takes no real time. */
class FakePacer implements Pacer {
  t = 0;
  waited = 0;
  now(): number {
    return this.t;
  }
  sleep(ms: number): Promise<void> {
    this.t += ms;
    if (ms > 0) this.waited += 1;
    return Promise.resolve();
  }
}

/**
 * The same fake wall time, but each wait lets the event loop turn (no wall time is waited): a worker thread's
 * answer arrives as a message, which a wait that resolves at once would never let in.
 */
class YieldingPacer extends FakePacer {
  override sleep(ms: number): Promise<void> {
    void super.sleep(ms);
    return new Promise((resolve) => setImmediate(resolve));
  }
}

/** The example desk with `bars` hourly bars; its optimizer stays (it journals proposals) unless the edit drops it. */
function desk(bars: number, edit: NonNullable<Parameters<typeof exampleDesk>[0]> = () => undefined): DeskConfig {
  return exampleDesk((doc) => {
    doc.data['SYNTH:BTC/USDT'].bars = bars;
    edit(doc);
  });
}

/** Every event as JSON (Fixed and bigint values serialise to their exact text). */
function journal(d: Desk): string[] {
  return d.core.store.read(0).map((e) => JSON.stringify(e, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)));
}

async function paperRun(config: DeskConfig, speed: number): Promise<{ desk: Desk; pacer: FakePacer }> {
  const d = buildDesk({ config, data: syntheticDeskData(config), store: new InMemoryEventStore<DeskEvent>() });
  const pacer = new FakePacer();
  const outcome = await new PaperRun(d, { pacer, speed, maxBatch: 64 }).run();
  expect(outcome.end).toBe('end-of-data');
  return { desk: d, pacer };
}

function countOf(list: readonly string[], type: string): number {
  return list.filter((line) => line.includes(`"type":"${type}"`)).length;
}

describe('paper on replay against the backtest', () => {
  const cases: [string, DeskConfig][] = [
    ['the example desk (independent sleeves, market orders, optimizer, judge, position cycle)', desk(1500)],
    [
      'a weighted desk book worked by TWAP',
      desk(1200, (doc) => {
        doc.agents = doc.agents.filter((a: { role: string }) => a.role !== 'optimizer');
        doc.manager = { mode: 'weighted', weights: { sma: '1', bb: '0.5', donchian: '1' }, deadband: { notional: '50' } };
        doc.execution = { ...doc.execution, algorithm: { kind: 'twap', slices: 4, over: '3h' } };
      }),
    ],
  ];

  for (const [name, config] of cases) {
    it(`journals exactly what the backtest journals: ${name}`, async () => {
      const backtest = runDeskBacktest({ config, data: syntheticDeskData(config) });
      const expected = journal(backtest.desk);
      // Speed 7200: an hourly bar every half wall second, so the runner really waits between bars.
      const { desk: paper, pacer } = await paperRun(config, 7200);
      const actual = journal(paper);
      expect(pacer.waited).toBeGreaterThan(paper.totalBars);
      expect(countOf(expected, 'OrderFilled')).toBeGreaterThan(20);
      expect(countOf(expected, 'DecisionMade')).toBeGreaterThan(20);
      expect(actual.length).toBe(expected.length);
      expect(actual).toEqual(expected);
      expect(paper.core.snapshot()).toBe(backtest.desk.core.snapshot());
      expect(paper.books.fills).toEqual(backtest.desk.books.fills);
    });
  }

  it('journals what the backtest journals with the optimizer searching on a worker thread', async () => {
    const config = desk(1500);
    const backtest = runDeskBacktest({ config, data: syntheticDeskData(config) });
    const expected = journal(backtest.desk);
    expect(countOf(expected, 'ParametersProposed')).toBeGreaterThan(0);
    const thread = SearchThread.start(config.instruments, createDeskParameterSearch());
    try {
      const d = buildDesk({ config, data: syntheticDeskData(config), store: new InMemoryEventStore<DeskEvent>(), threadedSearch: thread.search });
      expect(d.asynchronous).toBe(true);
      const outcome = await new PaperRun(d, { pacer: new YieldingPacer(), speed: 7200, maxBatch: 64 }).run();
      expect(outcome.end).toBe('end-of-data');
      expect(journal(d)).toEqual(expected);
      // Every search went to the worker: none fell back to this thread.
      expect(thread.searchedHere).toBe(0);
    } finally {
      await thread.close();
    }
  });

  it('runs at max speed to the same journal too', async () => {
    const config = desk(600, (doc) => (doc.agents = doc.agents.filter((a: { role: string }) => a.role !== 'optimizer')));
    const backtest = runDeskBacktest({ config, data: syntheticDeskData(config) });
    const { desk: paper, pacer } = await paperRun(config, 0);
    expect(pacer.t).toBe(0);
    expect(journal(paper)).toEqual(journal(backtest.desk));
  });

  it('leaves a journal that replays to the same books when stopped mid-run', async () => {
    const config = desk(900, (doc) => (doc.agents = doc.agents.filter((a: { role: string }) => a.role !== 'optimizer')));
    const d = buildDesk({ config, data: syntheticDeskData(config) });
    const pacer = new FakePacer();
    const run = new PaperRun(d, {
      pacer,
      speed: 3600,
      onTick: (summary) => {
        if (summary.barsProcessed >= 500) void run.stop();
      },
    });
    const outcome = await run.run();
    expect(outcome.end).toBe('stopped');
    expect(d.barsProcessed).toBe(500);
    const events = d.core.store.read(0);
    expect(events.filter((e) => e.type === 'OrderFilled').length).toBeGreaterThan(10);
    const replayed = TradingCore.replay(
      { instruments: d.setup.instruments, limits: d.setup.limits, valuationCurrency: d.setup.valuationCurrency, scales: d.setup.scales },
      events,
      { clock: new TestClock(d.clock.now()), ids: new IdGenerator('replay') },
    );
    expect(replayed.snapshot()).toBe(d.core.snapshot());
    // The stopped journal is a prefix of the whole run's: nothing was half-written or reordered.
    const whole = journal(runDeskBacktest({ config, data: syntheticDeskData(config) }).desk);
    expect(whole.slice(0, events.length)).toEqual(journal(d));
    // Its final equity is the books' at the last close replayed (the journal's last marks may be hours older).
    const result = deskRun(d, trackTrades(d), 100_000);
    expect(result.finalEquity).toBe(result.equity[result.equity.length - 1]);
  });

  it('reports the equity at the last close when stopped holding a position between marks', async () => {
    const config = desk(900, (doc) => (doc.agents = doc.agents.filter((a: { role: string }) => a.role !== 'optimizer')));
    const d = buildDesk({ config, data: syntheticDeskData(config) });
    const holding = (): boolean => [...d.core.ledger.allPositions()].some(({ position }) => !position.quantity.isZero());
    const run = new PaperRun(d, {
      pacer: new FakePacer(),
      speed: 3600,
      onTick: (summary) => {
        if (summary.barsProcessed >= 300 && summary.barsProcessed % 24 !== 0 && holding()) void run.stop();
      },
    });
    expect((await run.run()).end).toBe('stopped');
    expect(holding()).toBe(true);
    const result = deskRun(d, trackTrades(d), 100_000);
    expect(result.finalEquity).toBe(result.equity[result.equity.length - 1]);
    expect(result.finalEquity).not.toBe(d.core.deskEquity().toNumber());
    // The sleeves, and the goals' return, are valued at the same closes: their rows add up to that equity.
    const summary = summariseDesk(d);
    const rows = summary.sleeves.reduce((sum, row) => sum + row.equity, 0);
    expect(rows).toBeCloseTo(result.finalEquity, 6);
    const returnSoFar = /Return so far (-?[\d.]+)%/.exec(summary.goals?.reason ?? '')?.[1];
    expect(Number(returnSoFar)).toBeCloseTo((result.finalEquity / 100_000 - 1) * 100, 2);
  });
});
