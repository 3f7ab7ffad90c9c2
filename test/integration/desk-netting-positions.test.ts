import { describe, expect, it } from 'vitest';
import { buildDesk } from '../../src/backtest/desk-backtest.js';
import type { DeskConfig } from '../../src/config/desk-schema.js';
import { agentId, instrumentId } from '../../src/core/ids.js';
import { syntheticDeskData } from '../../src/engine/desk/desk-data.js';
import type { Desk } from '../../src/engine/desk/desk.js';
import type { Signal } from '../../src/strategies/strategy.js';
import { exampleDesk } from '../support/desk-config.js';

const BTC = instrumentId('SYNTH:BTC/USDT');

/** A weighted desk of two analysts, `a` and `b`, without brackets, cycle, judge or risk watch. */
function weightedDesk(): DeskConfig {
  return exampleDesk((doc) => {
    doc.agents = doc.agents.filter((a: { role: string; id: string }) => a.role === 'manager' || a.id === 'sma' || a.id === 'bb');
    doc.agents[0].id = 'a';
    doc.agents[1].id = 'b';
    doc.capital.sleeves = doc.capital.sleeves.filter((s: { id: string }) => s.id !== 'breakout-donchian');
    delete doc.capital.profitSweep;
    delete doc.capital.rebalance;
    doc.data['SYNTH:BTC/USDT'].bars = 40;
    doc.manager = { mode: 'weighted', weights: { a: '1', b: '1' } };
    delete doc.orchestrator.positionCycle;
    delete doc.risk.monitoring;
    delete doc.execution.stopLoss;
    delete doc.execution.takeProfit;
  });
}

/** Gives analyst `id` a brain that says `view` on `at` and records the position it is shown on every bar. */
function probe(desk: Desk, id: string, at: number, view: Signal['direction']): number[] {
  const analyst = desk.analysts.get(agentId(id));
  if (analyst === undefined) throw new Error(`no analyst ${id}`);
  const seen: number[] = [];
  let bar = 0;
  analyst.brain = {
    name: 'probe',
    instruments: [BTC],
    warmup: 0,
    onBar(_bar, context) {
      bar += 1;
      seen.push(context.position(BTC));
      if (bar === at) context.emit({ instrumentId: BTC, direction: view, conviction: 0.5, reason: `probe ${view}` });
    },
  };
  return seen;
}

describe('an analyst in a netting mode', () => {
  it("is shown the position its own views imply, not the desk book the other analysts' views moved", () => {
    const desk = buildDesk({ config: weightedDesk(), data: syntheticDeskData(weightedDesk()) });
    probe(desk, 'a', 2, 'long');
    const seenByB = probe(desk, 'b', 20, 'long');
    desk.runToEnd();
    // a's long made the desk book long from bar 3 on; b sees nothing of it until its own long.
    expect(desk.core.ledger.position('desk', BTC)?.quantity.isPositive()).toBe(true);
    expect(seenByB.slice(0, 20).every((position) => position === 0)).toBe(true);
    const price = desk.analysts.get(agentId('b'))?.calls.get(BTC)?.price ?? 0;
    // Its own long at conviction 0.5 of 10,000 USDT a conviction, at the close it was said at.
    expect(seenByB[20]).toBeCloseTo(5000 / price, 10);
  });
});
