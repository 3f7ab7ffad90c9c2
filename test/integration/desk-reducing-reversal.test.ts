import { describe, expect, it } from 'vitest';
import { buildDesk } from '../../src/backtest/desk-backtest.js';
import { agentId, type InstrumentId } from '../../src/core/ids.js';
import type { DeskEvent } from '../../src/domain/events.js';
import { syntheticDeskData } from '../../src/engine/desk/desk-data.js';
import type { Desk } from '../../src/engine/desk/desk.js';
import { exampleDesk } from '../support/desk-config.js';
import { scriptByBar } from '../support/scripted-analyst.js';

const PERP = 'SYNTH:BTC/USDT:USDT';

/** The example desk's sleeves on a perpetual, sized in quantity; sma says `script[i]` on bar i, the others nothing. */
function sleeveDesk(script: Readonly<Record<number, 'long' | 'short' | 'flat'>>): Desk {
  const config = exampleDesk((doc) => {
    doc.agents = doc.agents.filter((a: { role: string }) => a.role === 'analyst' || a.role === 'manager');
    doc.instruments[0] = { ...doc.instruments[0], id: PERP, maxLeverage: '3' };
    doc.data = { [PERP]: { ...doc.data['SYNTH:BTC/USDT'], bars: 40 } };
    doc.orchestrator = { nudges: { manager: '1h' } };
    doc.execution = { algorithm: { kind: 'market' } };
    doc.sizing = { kind: 'quantity', perConviction: '0.1' };
  });
  const desk = buildDesk({ config, data: syntheticDeskData(config) });
  // Only sma speaks; the other analysts are kept quiet.
  for (const analyst of desk.analysts.values()) scriptByBar(desk, analyst.id, analyst.id === agentId('sma') ? script : {});
  return desk;
}

const held = (desk: Desk): string => desk.core.ledger.position('trend-sma', PERP as InstrumentId)?.quantity.toPlainString() ?? '0';
const decisions = (desk: Desk): Extract<DeskEvent, { type: 'DecisionMade' }>[] =>
  [...desk.core.store.read(0)].filter((e): e is Extract<DeskEvent, { type: 'DecisionMade' }> => e.type === 'DecisionMade');

describe('a sleeve in REDUCING whose analyst reverses', () => {
  it('closes on the reversal (it never says flat) and opens the other side only once REDUCING is lifted', () => {
    const desk = sleeveDesk({ 3: 'long', 8: 'short' });
    for (let i = 0; i < 6; i++) desk.next();
    expect(held(desk)).toBe('0.1');
    desk.core.reduce('cut by a person');
    for (let i = 0; i < 6; i++) desk.next();
    // The short is acted on as the close it holds: the long is sold, nothing is opened.
    expect(held(desk)).toBe('0');
    const close = decisions(desk).at(-1);
    expect([close?.order.toPlainString(), close?.reason]).toEqual(['-0.1', expect.stringContaining('REDUCING: acted on as a close')]);
    desk.core.resume('resumed by a person');
    for (let i = 0; i < 3; i++) desk.next();
    expect(held(desk)).toBe('-0.1');
  });
});
