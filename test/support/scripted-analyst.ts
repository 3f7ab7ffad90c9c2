import { agentId, instrumentId, type InstrumentId } from '../../src/core/ids.js';
import type { DeskConfig } from '../../src/config/desk-schema.js';
import type { DeskEvent } from '../../src/domain/events.js';
import type { Desk } from '../../src/engine/desk/desk.js';
import type { Strategy } from '../../src/strategies/strategy.js';
import { exampleDesk, type DeskDoc } from './desk-config.js';

export const BTC = instrumentId('SYNTH:BTC/USDT');

/** A step of a scripted view: from this bar on, the analyst says this direction at this conviction. */
export type ScriptStep = readonly [number, 'long' | 'short' | 'flat', number];

/**
 * The example desk cut to one analyst `a` in its own sleeve (trend-sma), 200 synthetic bars, no brackets, cycle or
 * risk watch; the manager nudged hourly. `edit` changes the desk file further (the manager's mode, say).
 */
export function oneAnalystDesk(edit: (doc: DeskDoc) => void = () => undefined): DeskConfig {
  return exampleDesk((doc) => {
    doc.agents = doc.agents.filter((a: { role: string; id: string }) => a.role === 'manager' || a.id === 'sma');
    doc.agents[0].id = 'a';
    doc.agents[0].sleeve = 'trend-sma';
    doc.capital.sleeves = doc.capital.sleeves.filter((s: { id: string }) => s.id === 'trend-sma');
    doc.data['SYNTH:BTC/USDT'].bars = 200;
    delete doc.orchestrator.positionCycle;
    delete doc.risk.monitoring;
    delete doc.execution.stopLoss;
    delete doc.execution.takeProfit;
    edit(doc);
  });
}

/**
 * Replaces analyst `id`'s brain with one that says, from each step's bar on, that step's view (repeated every bar);
 * `throwAt` makes it throw on that bar.
 */
export function scripted(desk: Desk, steps: readonly ScriptStep[], throwAt?: number, id = 'a'): void {
  const analyst = desk.analysts.get(agentId(id));
  if (analyst === undefined) throw new Error(`no analyst ${id}`);
  let bar = 0;
  let view: ScriptStep | undefined;
  const brain: Strategy = {
    name: 'scripted',
    instruments: [BTC],
    warmup: 0,
    onBar(_bar, context) {
      bar += 1;
      if (bar === throwAt) throw new Error('boom');
      for (const step of steps) if (step[0] <= bar) view = step;
      if (view !== undefined) context.emit({ instrumentId: BTC, direction: view[1], conviction: view[2], reason: `scripted ${view[1]}` });
    },
  };
  analyst.brain = brain;
}

export const decisionsOf = (events: readonly DeskEvent[]) => events.filter((e): e is Extract<DeskEvent, { type: 'DecisionMade' }> => e.type === 'DecisionMade');

/**
 * Replaces analyst `id`'s brain by one that says `steps[i]` on its instrument's bar i (counting from 0) and nothing on
 * the other bars.
 */
export function scriptByBar(desk: Desk, id: string, steps: Readonly<Record<number, 'long' | 'short' | 'flat'>>, conviction = 1): void {
  const analyst = desk.analysts.get(agentId(id));
  if (analyst === undefined) throw new Error(`no analyst ${id}`);
  const instrument = analyst.instruments[0] as InstrumentId;
  let bar = -1;
  analyst.brain = {
    name: 'script',
    instruments: [instrument],
    warmup: 0,
    onBar(view, context) {
      if (view.instrumentId !== instrument) return;
      bar += 1;
      const direction = steps[bar];
      if (direction !== undefined) context.emit({ instrumentId: instrument, direction, conviction, reason: `script bar ${bar}` });
    },
  };
}
