import { describe, expect, it } from 'vitest';
import { runDeskBacktest } from '../../src/backtest/desk-backtest.js';
import type { DeskEvent } from '../../src/domain/events.js';
import { causationChain } from '../../src/engine/causation-chain.js';
import { syntheticDeskData } from '../../src/engine/desk/desk-data.js';
import { renderChain } from '../../src/interfaces/cli/commands/explain.js';
import { exampleDesk, type DeskDoc } from '../support/desk-config.js';

/** The example desk on 400 bars without its optimizer, with the manager given; its journal. */
function journal(manager?: DeskDoc): DeskEvent[] {
  const config = exampleDesk((doc) => {
    doc.agents = doc.agents.filter((a: { role: string }) => a.role !== 'optimizer');
    doc.data['SYNTH:BTC/USDT'].bars = 400;
    if (manager !== undefined) doc.manager = manager;
  });
  return [...runDeskBacktest({ config, data: syntheticDeskData(config) }).desk.core.store.read(0)];
}

/** Each entry order the desk decided (its decision names an intent) with the explain text of its first order. */
function explained(events: readonly DeskEvent[]): { decision: Extract<DeskEvent, { type: 'DecisionMade' }>; text: string }[] {
  return events.flatMap((event) => {
    if (event.type !== 'DecisionMade' || event.intentId === undefined) return [];
    const chain = causationChain(events, event.intentId);
    return chain.found ? [{ decision: event, text: renderChain(chain).join('\n') }] : [];
  });
}

describe('conclave explain names who is behind an order of a desk run', () => {
  it('independent: the analyst whose view it trades, and its sleeve', () => {
    const orders = explained(journal());
    expect(new Set(orders.map((o) => o.decision.agentId))).toEqual(new Set(['sma', 'bb', 'donchian']));
    const sleeves: Record<string, string> = { sma: 'trend-sma', bb: 'meanrev-bb', donchian: 'breakout-donchian' };
    for (const { decision, text } of orders) {
      expect(text.split('\n')[1]).toBe(`Behind it: analyst ${decision.agentId}, for sleeve ${sleeves[decision.agentId]}.`);
    }
  });

  it('weighted: the manager that netted the views for the desk book, and the analysts whose views it netted', () => {
    const events = journal({ mode: 'weighted', weights: { sma: '1', bb: '0.5', donchian: '1' } });
    const orders = explained(events);
    expect(orders.length).toBeGreaterThan(0);
    for (const { decision, text } of orders) {
      const chain = causationChain(events, decision.intentId ?? '');
      const views = chain.found ? [...new Set(chain.signals.map((s) => s.agentId))] : [];
      expect(views.length).toBeGreaterThan(0);
      expect(text.split('\n')[1]).toBe(`Behind it: the manager pm (weighted mode), for the desk book, on the views of ${views.join(', ')}.`);
    }
    expect(orders.some(({ text }) => /on the views of \w+, \w+/.test(text))).toBe(true);
  });
});
