import { describe, expect, it } from 'vitest';
import { buildDesk } from '../../src/backtest/desk-backtest.js';
import { renderDeskSummary, summariseDesk } from '../../src/backtest/desk-summary.js';
import { agentsSection } from '../../src/backtest/report/html-agents.js';
import { fx } from '../../src/core/fixed.js';
import { agentId, currency, instrumentId } from '../../src/core/ids.js';
import type { DeskEvent } from '../../src/domain/events.js';
import { syntheticDeskData } from '../../src/engine/desk/desk-data.js';
import { fundingOwed } from '../../src/engine/funding-split.js';
import { exampleDesk } from '../support/desk-config.js';

const PERP = instrumentId('SYNTH:BTC/USDT:USDT');
const USDT = currency('USDT');

/** Two sleeves on a perpetual, `a` long and `b` short the same size from the first bar: the venue nets them to nothing. */
function opposedSleeves() {
  const config = exampleDesk((doc) => {
    doc.agents = doc.agents.filter((a: { role: string; id: string }) => a.role === 'manager' || a.id === 'sma' || a.id === 'bb');
    doc.capital.sleeves = doc.capital.sleeves.filter((s: { id: string }) => s.id !== 'breakout-donchian');
    delete doc.capital.rebalance;
    delete doc.capital.profitSweep;
    doc.instruments[0].id = 'SYNTH:BTC/USDT:USDT';
    doc.instruments[0].maxLeverage = '5';
    doc.data['SYNTH:BTC/USDT:USDT'] = { ...doc.data['SYNTH:BTC/USDT'], bars: 100 };
    delete doc.data['SYNTH:BTC/USDT'];
    delete doc.orchestrator.positionCycle;
    delete doc.risk.monitoring;
    delete doc.execution.stopLoss;
    delete doc.execution.takeProfit;
    doc.sizing = { kind: 'quantity', perConviction: '0.3' };
  });
  const desk = buildDesk({ config, data: syntheticDeskData(config) });
  for (const [id, direction] of [
    ['sma', 'long'],
    ['bb', 'short'],
  ] as const) {
    const analyst = desk.analysts.get(agentId(id));
    if (analyst === undefined) throw new Error(`no analyst ${id}`);
    analyst.brain = { name: 'steady', instruments: [PERP], warmup: 0, onBar: (_bar, context) => context.emit({ instrumentId: PERP, direction, conviction: 1, reason: direction }) };
  }
  return desk;
}

describe('funding of sleeves whose positions cancel at the venue', () => {
  it('charges the long sleeve what its own position owes and credits the short sleeve as much, the venue settling nothing', () => {
    const desk = opposedSleeves();
    desk.runToEnd();
    expect(desk.core.ledger.position('trend-sma', PERP)?.quantity.toPlainString()).toBe('0.3');
    expect(desk.core.ledger.position('meanrev-bb', PERP)?.quantity.toPlainString()).toBe('-0.3');
    expect(desk.venue.snapshot().positions).toEqual([]);
    const applied = desk.core.store.read(0).filter((e): e is Extract<DeskEvent, { type: 'FundingApplied' }> => e.type === 'FundingApplied');
    const long = applied.filter((e) => e.owner === 'trend-sma');
    // Every 8 hours once both hold: each time the long pays its own 0.3 at the mark and rate, and the short receives it.
    expect(long.length).toBeGreaterThanOrEqual(10);
    const instrument = desk.setup.instruments.find((i) => i.id === PERP);
    if (instrument === undefined) throw new Error('no instrument');
    for (const event of long) expect(event.amount.toPlainString()).toBe(fundingOwed(instrument, fx("0.3"), event.markPrice, event.rate, desk.setup.scales.of(USDT)).toPlainString());
    const paid = desk.core.ledger.balance('trend-sma', 'funding', USDT);
    expect(paid.isPositive() || paid.isNegative()).toBe(true);
    expect(desk.core.ledger.balance('meanrev-bb', 'funding', USDT).eq(paid.neg())).toBe(true);
  });
});

describe('the desk summary of sleeves that pay and receive funding', () => {
  it('shows each sleeve\'s funding, so its row adds up: equity - capital = realised + unrealised - fees - funding', () => {
    const desk = opposedSleeves();
    desk.runToEnd();
    const summary = summariseDesk(desk);
    const paid = desk.core.ledger.balance('trend-sma', 'funding', USDT).toNumber();
    expect(summary.sleeves.map((s) => [s.sleeve, s.funding])).toEqual([
      ['trend-sma', paid],
      ['meanrev-bb', -paid],
    ]);
    for (const row of summary.sleeves) {
      expect(row.equity - row.capital).toBeCloseTo(row.realisedPnl + row.unrealisedPnl - row.fees - row.funding, 6);
    }
    const text = renderDeskSummary(summary).split('\n');
    const header = text.find((line) => line.trimStart().startsWith('sleeve'));
    expect(header?.split(/\s+/).filter(Boolean)).toEqual(['sleeve', 'equity', 'reserve', 'realised', 'unrealised', 'fees', 'funding', 'return', 'state']);
    const money = (value: number): string => value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    expect(text.find((line) => line.trimStart().startsWith('trend-sma'))?.split(/\s+/).filter(Boolean)[6]).toBe(money(paid));
    expect(agentsSection(summary)).toContain(`<td data-field="funding">${money(paid)}</td>`);
  });
});
