import { describe, expect, it } from 'vitest';
import { buildDesk } from '../../src/backtest/desk-backtest.js';
import { syntheticDeskData } from '../../src/engine/desk/desk-data.js';
import type { DeskDoc } from '../support/desk-config.js';
import { BTC, decisionsOf, oneAnalystDesk, scripted, type ScriptStep } from '../support/scripted-analyst.js';

/** Runs the one-analyst desk (manager nudged hourly, on hourly bars) with `a` saying `steps`; its decisions on BTC. */
function run(edit: (doc: DeskDoc) => void, steps: readonly ScriptStep[]) {
  const config = oneAnalystDesk(edit);
  const desk = buildDesk({ config, data: syntheticDeskData(config) });
  scripted(desk, steps);
  desk.runToEnd();
  return { desk, decisions: decisionsOf(desk.core.store.read(0)).filter((d) => d.instrumentId === BTC) };
}

describe('hierarchical: a held proposal is decided once, not once per manager nudge', () => {
  it('a vetoed view is journaled once per distinct view, however many nudges look at it again, and never trades', () => {
    const { desk, decisions } = run((doc) => (doc.manager = { mode: 'hierarchical', vetoInstruments: ['SYNTH:BTC/USDT'] }), [
      [1, 'long', 1],
      [60, 'short', 0.9],
      [120, 'long', 0.8],
    ]);
    // 200 hourly nudges looked at the vetoed views again; each view (a new signal) is vetoed once.
    expect(decisions.map((d) => [(d.causationId ?? '').replace(/:\d+$/, ''), d.order.toPlainString(), /manager veto: SYNTH:BTC\/USDT is on the veto list/.test(d.reason)])).toEqual([
      ['signal:a:SYNTH:BTC/USDT', '0', true],
      ['signal:a:SYNTH:BTC/USDT', '0', true],
      ['signal:a:SYNTH:BTC/USDT', '0', true],
    ]);
    expect(new Set(decisions.map((d) => d.causationId)).size).toBe(3);
    expect(desk.core.ledger.position('trend-sma', BTC)?.quantity.isZero() ?? true).toBe(true);
  });

  it('a view resized below one lot is journaled once, not on every nudge', () => {
    const { desk, decisions } = run((doc) => (doc.manager = { mode: 'hierarchical', maxTargetQuantity: { 'SYNTH:BTC/USDT': '0.00005' } }), [[1, 'long', 1]]);
    expect(decisions).toHaveLength(1);
    expect(decisions[0]?.reason).toMatch(/manager resized target from [\d.]+ to 0\.00005 .*change below one lot: no order/);
    expect(desk.core.ledger.position('trend-sma', BTC)?.quantity.isZero() ?? true).toBe(true);
  });
});

describe('the netting modes: a held target is decided once, not once per manager nudge', () => {
  it('weighted: a net target inside the deadband is journaled once per view, the desk book left flat', () => {
    const { desk, decisions } = run((doc) => (doc.manager = { mode: 'weighted', weights: { a: '1' }, deadband: { notional: '1000000' } }), [
      [1, 'long', 1],
      [100, 'short', 0.9],
    ]);
    // Spot: the short nets to a flat target, which is the book already: not a view the nudges look at again.
    expect(decisions.map((d) => [d.order.toPlainString(), /inside the deadband of 1000000: no order/.test(d.reason)])).toEqual([
      ['0', true],
      ['0', false],
    ]);
    expect(desk.core.ledger.position('desk', BTC)?.quantity.isZero() ?? true).toBe(true);
  });

  it('consensus: a quorum whose size is below one lot is journaled once', () => {
    const { decisions } = run((doc) => (doc.manager = { mode: 'consensus', k: 1, size: { kind: 'quantity', perConviction: '0.00005' } }), [[1, 'long', 1]]);
    expect(decisions.map((d) => [d.order.toPlainString(), /1 of 1 long .*change below one lot: no order/.test(d.reason)])).toEqual([['0', true]]);
  });
});
