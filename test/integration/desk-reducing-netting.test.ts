import { describe, expect, it } from 'vitest';
import { buildDesk } from '../../src/backtest/desk-backtest.js';
import type { InstrumentId } from '../../src/core/ids.js';
import type { DeskEvent } from '../../src/domain/events.js';
import { syntheticDeskData } from '../../src/engine/desk/desk-data.js';
import type { Desk } from '../../src/engine/desk/desk.js';
import { exampleDesk, type DeskDoc } from '../support/desk-config.js';
import { scriptByBar } from '../support/scripted-analyst.js';

type Direction = 'long' | 'short' | 'flat';

const PERP = 'SYNTH:BTC/USDT:USDT';

/**
 * The example desk's three analysts netted into one desk book, sized in quantity (0.1 a conviction-1 view) so every
 * target is exact whatever the price; each analyst says `steps[i]` on bar i. No judge, no exits, no schedules but
 * those given: only the views and the trading state move the book.
 */
function nettingDesk(manager: DeskDoc, steps: Readonly<Record<string, Readonly<Record<number, Direction>>>>, orchestrator: DeskDoc = {}): Desk {
  const config = exampleDesk((doc) => {
    doc.agents = doc.agents.filter((a: { role: string }) => a.role === 'analyst' || a.role === 'manager');
    // A perpetual, so a netted target may flip the book.
    doc.instruments[0] = { ...doc.instruments[0], id: PERP, maxLeverage: '3' };
    doc.data = { [PERP]: { ...doc.data['SYNTH:BTC/USDT'], bars: 40 } };
    doc.orchestrator = orchestrator;
    doc.execution = { algorithm: { kind: 'market' } };
    doc.sizing = { kind: 'quantity', perConviction: '0.1' };
    doc.manager = manager;
  });
  const desk = buildDesk({ config, data: syntheticDeskData(config) });
  for (const [id, script] of Object.entries(steps)) scriptByBar(desk, id, script);
  return desk;
}

const decisions = (desk: Desk): Extract<DeskEvent, { type: 'DecisionMade' }>[] =>
  [...desk.core.store.read(0)].filter((e): e is Extract<DeskEvent, { type: 'DecisionMade' }> => e.type === 'DecisionMade');

const held = (desk: Desk): string => desk.core.ledger.position('desk', PERP as InstrumentId)?.quantity.toPlainString() ?? '0';

/** sma and bb long from bar 3 (the book 0.2 long), the desk REDUCING from bar 6, donchian flat on bar 8. */
function flatWhileReducing(manager: DeskDoc): { desk: Desk; before: number } {
  const desk = nettingDesk(manager, { sma: { 3: 'long' }, bb: { 3: 'long' }, donchian: { 8: 'flat' } });
  for (let i = 0; i < 6; i++) desk.next();
  expect(held(desk)).toBe('0.2');
  desk.core.reduce('cut by a person');
  const before = decisions(desk).length;
  for (let i = 0; i < 6; i++) desk.next();
  return { desk, before };
}

describe('a netting desk in REDUCING', () => {
  it('weighted: one flat view does not close the book the other standing views keep long', () => {
    const { desk, before } = flatWhileReducing({ mode: 'weighted', weights: { sma: '1', bb: '1', donchian: '1' } });
    expect(decisions(desk).slice(before).map((d) => [d.target.toPlainString(), d.current.toPlainString(), d.order.toPlainString(), d.reason])).toEqual([
      ['0.2', '0.2', '0', 'net target 0.2 = sma long w=1 c=1: 0.1 + bb long w=1 c=1: 0.1 + donchian flat w=1: 0; already at target'],
    ]);
    expect(held(desk)).toBe('0.2');
  });

  it('consensus: a flat vote beside a long quorum holds the book, as it would while ACTIVE', () => {
    const { desk, before } = flatWhileReducing({ mode: 'consensus', k: 1, size: { kind: 'quantity', perConviction: '0.2' } });
    expect(decisions(desk).slice(before).map((d) => [d.target.toPlainString(), d.order.toPlainString(), d.reason])).toEqual([
      ['0.2', '0', 'conflicting quorums (long and flat): 2 long, 0 short, 1 flat of 3 (k=1): hold'],
    ]);
    expect(held(desk)).toBe('0.2');
  });

  it('weighted: a netted target that would grow the book is held; one that flips it only closes it', () => {
    const grows = nettingDesk({ mode: 'weighted', weights: { sma: '1', bb: '1', donchian: '1' } }, { sma: { 3: 'long' }, bb: { 3: 'long' }, donchian: { 8: 'long' } });
    for (let i = 0; i < 6; i++) grows.next();
    grows.core.reduce('cut by a person');
    for (let i = 0; i < 6; i++) grows.next();
    const grown = decisions(grows).at(-1);
    expect([grown?.target.toPlainString(), grown?.order.toPlainString(), grown?.reason]).toEqual([
      '0.3',
      '0',
      'net target 0.3 = sma long w=1 c=1: 0.1 + bb long w=1 c=1: 0.1 + donchian long w=1 c=1: 0.1; REDUCING: the growth from 0.2 to 0.3 is held',
    ]);
    expect(held(grows)).toBe('0.2');

    const flips = nettingDesk({ mode: 'weighted', weights: { sma: '1', bb: '1', donchian: '1' } }, { sma: { 3: 'long', 8: 'short' }, bb: { 3: 'long', 8: 'short' } });
    for (let i = 0; i < 6; i++) flips.next();
    flips.core.reduce('cut by a person');
    for (let i = 0; i < 6; i++) flips.next();
    const last = decisions(flips).at(-1);
    expect([last?.target.toPlainString(), last?.order.toPlainString(), last?.reason]).toEqual([
      '-0.2',
      '-0.2',
      'net target -0.2 = sma short w=1 c=1: -0.1 + bb short w=1 c=1: -0.1; REDUCING: the flip to -0.2 is cut to a close',
    ]);
    expect(held(flips)).toBe('0');
  });

  it('opens nothing from a flat book, and a manager nudge opens what the views net to once REDUCING is lifted', () => {
    const desk = nettingDesk({ mode: 'weighted', weights: { sma: '1', bb: '1', donchian: '1' } }, { sma: { 3: 'long' }, bb: { 3: 'long' } }, { nudges: { manager: '1h' } });
    desk.core.reduce('cut by a person');
    for (let i = 0; i < 6; i++) desk.next();
    expect(decisions(desk).map((d) => [d.target.toPlainString(), d.order.toPlainString(), d.reason])).toEqual([
      ['0.2', '0', 'net target 0.2 = sma long w=1 c=1: 0.1 + bb long w=1 c=1: 0.1; REDUCING: nothing opens from a flat book'],
    ]);
    desk.core.resume('resumed by a person');
    for (let i = 0; i < 3; i++) desk.next();
    expect(decisions(desk).slice(1).map((d) => [d.target.toPlainString(), d.order.toPlainString(), d.reason])).toEqual([
      ['0.2', '0.2', 'net target 0.2 = sma long w=1 c=1: 0.1 + bb long w=1 c=1: 0.1'],
    ]);
    expect(held(desk)).toBe('0.2');
  });
});
