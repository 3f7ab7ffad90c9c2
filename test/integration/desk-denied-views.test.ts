import { describe, expect, it } from 'vitest';
import { buildDesk } from '../../src/backtest/desk-backtest.js';
import type { DeskEvent } from '../../src/domain/events.js';
import { syntheticDeskData } from '../../src/engine/desk/desk-data.js';
import { exampleDesk, type DeskDoc } from '../support/desk-config.js';

function run(edit: (doc: DeskDoc) => void): DeskEvent[] {
  const config = exampleDesk(edit);
  const desk = buildDesk({ config, data: syntheticDeskData(config) });
  desk.runToEnd();
  return [...desk.core.store.read(0)];
}

function count(list: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const id of list) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}

describe('a view the risk gate denied', () => {
  it('is decided and denied once per intent: the nudge at the close time it was denied does not decide it again', () => {
    const events = run((d) => {
      d.risk.limits.maxGrossExposure = '15000';
      d.data['SYNTH:BTC/USDT'].bars = 600;
    });
    const denials = events.filter((e): e is Extract<DeskEvent, { type: 'IntentDenied' }> => e.type === 'IntentDenied');
    const decided = count(events.flatMap((e) => (e.type === 'DecisionMade' && e.intentId !== undefined ? [e.intentId] : [])));
    expect(denials.length).toBeGreaterThan(0);
    expect(new Set(denials.map((e) => e.intentId)).size).toBe(denials.length);
    for (const denial of denials) expect([denial.intentId, decided.get(denial.intentId)]).toEqual([denial.intentId, 1]);
    expect(denials.map((e) => e.code)).toEqual(denials.map(() => 'max_gross_exposure'));
  });

  it('is not sent again on every nudge while nothing it rested on changed: a sleeve left with no cash is denied once per change', () => {
    const events = run((d) => {
      d.capital.allocation = { kind: 'performance', lookback: 7, shrink: '0', maxStep: '1' };
    });
    const denials = events.filter((e): e is Extract<DeskEvent, { type: 'IntentDenied' }> => e.type === 'IntentDenied' && e.code === 'insufficient_funds');
    // Sent again on every hourly nudge, the sleeve's views were denied 642 times here. (Each order that ends unfilled
    // anywhere on the desk, a stop canceled by its target say, lets them be tried again.)
    expect(denials.length).toBe(49);
    // Each denial of a book on a nudge follows a change: a fill somewhere on the desk, cash moved, a new signal or a new
    // state. (The position cycle's opens back off on their own schedule: 1, 2, 4, 8 reviews.)
    const cycleOpens = new Set(events.flatMap((e) => (e.type === 'DecisionMade' && e.intentId !== undefined && /(^|,)ev-/.test(e.causationId ?? '') ? [e.intentId] : [])));
    const changes = new Set(['OrderFilled', 'FundsTransferred', 'CapitalReallocated', 'SignalEmitted', 'SleeveStateChanged', 'TradingStateChanged', 'AgentModeChanged', 'OrderSubmitted', 'OrderCanceled', 'OrderExpired', 'OrderRejected', 'FundingApplied', 'ProfitSwept']);
    const last = new Map<string, number>();
    events.forEach((event, i) => {
      if (event.type !== 'IntentDenied' || event.code !== 'insufficient_funds' || cycleOpens.has(event.intentId)) return;
      const book = `${event.agentId}|${event.instrumentId}`;
      const before = last.get(book);
      if (before !== undefined) expect(events.slice(before, i).some((e) => changes.has(e.type))).toBe(true);
      last.set(book, i);
    });
  });

  it("is held back by its intent's own id when the algorithm's leg (<intent>.1) was the order denied", () => {
    const events = run((d) => {
      d.risk.limits.maxGrossExposure = '15000';
      d.data['SYNTH:BTC/USDT'].bars = 3000;
      d.execution = { ...d.execution, algorithm: { kind: 'post-only-chase', maxReprices: 3, fallback: 'market' } };
    });
    const legDenials = events.filter((e): e is Extract<DeskEvent, { type: 'IntentDenied' }> => e.type === 'IntentDenied' && /\.\d+$/.test(e.intentId));
    expect(legDenials.length).toBeGreaterThan(0);
    // Decided twice at one close time, the same intent's leg was denied twice (18 intents before).
    const decisions = events.flatMap((e) => (e.type === 'DecisionMade' && e.intentId !== undefined ? [`${e.intentId}@${e.tsEvent}`] : []));
    expect([...count(decisions)].filter(([, n]) => n > 1)).toEqual([]);
    expect(new Set(legDenials.map((e) => e.intentId)).size).toBe(legDenials.length);
  });
});
