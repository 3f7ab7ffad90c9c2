import { throwOnCall } from '../support/throwing-analyst.js';
import { describe, expect, it } from 'vitest';
import { buildResult } from '../../src/backtest/build-result.js';
import { buildDesk, deskRun, trackTrades } from '../../src/backtest/desk-backtest.js';
import { renderDeskSummary, summariseDesk, type DeskSummary } from '../../src/backtest/desk-summary.js';
import { renderHtmlReport } from '../../src/backtest/report/html-report.js';
import type { DeskEvent } from '../../src/domain/events.js';
import { syntheticDeskData } from '../../src/engine/desk/desk-data.js';
import type { Desk } from '../../src/engine/desk/desk.js';
import { exampleDesk } from '../support/desk-config.js';

/** The example desk on 600 bars without its optimizer, capital split by performance; `bb` throws on its 200th bar. */
function run(): { desk: Desk; summary: DeskSummary; html: string; journal: DeskEvent[] } {
  const config = exampleDesk((doc) => {
    doc.agents = doc.agents.filter((a: { role: string }) => a.role !== 'optimizer');
    doc.data['SYNTH:BTC/USDT'].bars = 600;
    doc.capital.allocation = { kind: 'performance', lookback: 24 };
    doc.capital.rebalance = { kind: 'daily', hourUtc: 0 };
  });
  const desk = buildDesk({ config, data: syntheticDeskData(config) });
  throwOnCall(desk, 'bb', 200, 'boom');
  const trades = trackTrades(desk);
  const initial = desk.core.deskEquity().toNumber();
  desk.runToEnd();
  const result = buildResult(deskRun(desk, trades, initial), { strategy: 'desk:example-desk', params: {}, series: desk.setup.series, timing: { loadMs: 0, engineMs: 0 } });
  const summary = summariseDesk(desk);
  return { desk, summary, html: renderHtmlReport(result, desk.setup.series, { desk: summary }), journal: [...desk.core.store.read(0)] };
}

/** One cell of an agent's row in the report's Agents table. */
function cell(html: string, agent: string, field: string): string | undefined {
  const row = new RegExp(`<tr data-agent="${agent}">(.*?)</tr>`).exec(html)?.[1] ?? '';
  return new RegExp(`data-field="${field}">([^<]*)<`).exec(row)?.[1];
}

describe('the report of a desk run says who did what', () => {
  const { desk, summary, html, journal } = run();
  const count = (agent: string, test: (e: DeskEvent) => boolean): number => journal.filter((e) => test(e)).length;

  it('counts each analyst\'s signals, approvals, denials and fills from the journal', () => {
    for (const id of ['sma', 'bb', 'donchian']) {
      const row = summary.agents.find((a) => a.id === id);
      const signals = count(id, (e) => e.type === 'SignalEmitted' && e.agentId === id);
      const approved = count(id, (e) => e.type === 'IntentApproved' && e.intent.agentId === id);
      const denied = count(id, (e) => e.type === 'IntentDenied' && e.agentId === id);
      const fills = count(id, (e) => e.type === 'OrderFilled' && desk.core.oms.get(e.fill.clientOrderId)?.spec.agentId === id);
      expect(signals).toBeGreaterThan(0);
      expect(row?.activity).toMatchObject({ signals, approved, denied, fills });
      expect([cell(html, id, 'signals'), cell(html, id, 'approved'), cell(html, id, 'denied'), cell(html, id, 'fills')]).toEqual([signals, approved, denied, fills].map(String));
    }
    // Every fill belongs to an agent: the analysts' and the manager's (the isolated sleeve's flattening) add up.
    const fills = summary.agents.reduce((n, a) => n + a.activity.fills, 0);
    expect(fills).toBe(summary.events.OrderFilled);
    expect(summary.agents.find((a) => a.id === 'sma')).toMatchObject({ strategy: 'sma-cross', instruments: ['SYNTH:BTC/USDT'], sleeve: 'trend-sma' });
    expect(cell(html, 'sma', 'fills')).not.toBe('0');
  });

  it('shows each sleeve\'s books and return, the judge\'s score and mode changes, and the capital weights', () => {
    for (const id of ['sma', 'bb', 'donchian']) {
      const agent = summary.agents.find((a) => a.id === id);
      const sleeve = summary.sleeves.find((s) => s.sleeve === agent?.sleeve);
      if (agent === undefined || sleeve === undefined) throw new Error(`no row for ${id}`);
      expect(sleeve.return).toBeCloseTo((sleeve.equity - sleeve.capital) / sleeve.capital, 12);
      const money = (value: number): string => value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
      expect(cell(html, id, 'realised')).toBe(money(sleeve.realisedPnl));
      expect(cell(html, id, 'unrealised')).toBe(money(sleeve.unrealisedPnl));
      expect(cell(html, id, 'fees')).toBe(money(sleeve.fees));
      expect(cell(html, id, 'return')).toBe(`${(sleeve.return ?? 0) >= 0 ? '+' : ''}${((sleeve.return ?? 0) * 100).toFixed(2)}%`);
      const scores = journal.filter((e) => e.type === 'AgentScored' && e.agentId === id);
      const last = scores[scores.length - 1];
      expect(last?.type === 'AgentScored' && cell(html, id, 'score')).toBe(last?.type === 'AgentScored' ? last.score.toFixed(1) : '');
      const changes = journal.flatMap((e) => (e.type === 'AgentModeChanged' && e.agentId === id ? [`${e.from} → ${e.to}`] : []));
      expect(agent.activity.modeChanges).toEqual(changes);
      const allocations = journal.flatMap((e) => (e.type === 'CapitalReallocated' ? [e.weights.find((w) => w.sleeve === agent.sleeve)?.weight.toNumber()] : []));
      expect(allocations.length).toBeGreaterThan(1);
      expect(agent.activity.weightStart).toBe(allocations[0]);
      expect(agent.activity.weightEnd).toBe(allocations[allocations.length - 1]);
    }
    // The first allocation is equal; performance moves the weights later on.
    expect(cell(html, 'sma', 'weight')).toMatch(/^33\.3% → \d+\.\d%$/);
    expect(summary.agents.some((a) => a.activity.weightEnd !== a.activity.weightStart)).toBe(true);
    expect(summary.agents.some((a) => a.activity.modeChanges.length > 0)).toBe(true);
  });

  it('marks the analyst that threw as isolated, its sleeve reducing, in the report and the terminal summary', () => {
    expect(summary.agents.find((a) => a.id === 'bb')).toMatchObject({ health: 'failing', isolated: true, errors: 1 });
    expect(summary.sleeves.find((s) => s.sleeve === 'meanrev-bb')?.state).toBe('REDUCING');
    expect(cell(html, 'bb', 'health')).toBe('isolated (1 error)');
    expect(cell(html, 'sma', 'health')).toBe('healthy');
    expect(html).toContain('<li data-agent="judge">judge (judge), healthy</li>');
    const text = renderDeskSummary(summary);
    const bb = summary.agents.find((a) => a.id === 'bb');
    const line = text.split('\n').find((l) => l.startsWith('    bb '));
    expect(line).toMatch(new RegExp(`^ {4}bb +analyst +failing +bb-rsi +\\w+.* +${bb?.activity.signals} +${bb?.activity.approved} +${bb?.activity.denied} +${bb?.activity.fills} +\\d+\\.\\d% → \\d+\\.\\d% +meanrev-bb isolated, errors 1$`));
    expect(text).toMatch(/ {4}agent +role +health +brain +mode +score +signals +approved +denied +fills +weight +sleeve\n/);
  });
});
