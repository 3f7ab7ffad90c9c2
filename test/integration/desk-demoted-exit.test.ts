import { describe, expect, it } from 'vitest';
import { buildDesk } from '../../src/backtest/desk-backtest.js';
import { agentId } from '../../src/core/ids.js';
import { syntheticDeskData } from '../../src/engine/desk/desk-data.js';
import { DESK_OWNER } from '../../src/engine/desk/manager-role.js';
import type { DeskDoc } from '../support/desk-config.js';
import { BTC, decisionsOf, oneAnalystDesk, scripted } from '../support/scripted-analyst.js';

const MODES: readonly (readonly [string, (doc: DeskDoc) => void, string])[] = [
  ['independent', (doc) => (doc.manager = { mode: 'independent' }), 'trend-sma'],
  ['hierarchical', (doc) => (doc.manager = { mode: 'hierarchical' }), 'trend-sma'],
  ['weighted', (doc) => (doc.manager = { mode: 'weighted', weights: { a: '1' } }), DESK_OWNER],
  ['consensus', (doc) => (doc.manager = { mode: 'consensus', k: 1, size: { kind: 'notional', perConviction: '10000' } }), DESK_OWNER],
];

/**
 * `a` goes long at conviction 1, the judge demotes it to conservative (acts at 0.7), then on bar 8 it turns to
 * `direction` at 0.6: above standard's 0.5, below conservative's 0.7. Returns the book's position after bar 4 and
 * after bar 14 (before the first daily review), and the decisions on BTC.
 */
function demotedThenTurns(edit: (doc: DeskDoc) => void, owner: string, direction: 'short' | 'flat') {
  const config = oneAnalystDesk(edit);
  const desk = buildDesk({ config, data: syntheticDeskData(config) });
  scripted(desk, [
    [1, 'long', 1],
    [8, direction, 0.6],
  ]);
  const analyst = desk.analysts.get(agentId('a'));
  if (analyst === undefined) throw new Error('no analyst a');
  const position = () => desk.core.ledger.position(owner, BTC)?.quantity.toPlainString() ?? '0';
  for (let bar = 0; bar < 4; bar += 1) desk.next();
  const opened = position();
  analyst.mode = 'conservative';
  for (let bar = 4; bar < 14; bar += 1) desk.next();
  return { opened, after: position(), decisions: decisionsOf(desk.core.store.read(0)).filter((d) => d.instrumentId === BTC) };
}

describe('a demoted analyst whose view turns below its new threshold', () => {
  for (const [mode, edit, owner] of MODES) {
    for (const direction of ['short', 'flat'] as const) {
      it(`${mode}: a ${direction} at 0.6 closes the long it no longer supports (the 0.7 threshold gates opening, not closing)`, () => {
        const { opened, after, decisions } = demotedThenTurns(edit, owner, direction);
        expect(Number(opened)).toBeGreaterThan(0);
        expect(after).toBe('0');
        const close = decisions.find((d) => d.order.isNegative());
        expect(close?.target.isZero()).toBe(true);
        expect(close?.order.neg().toPlainString()).toBe(opened);
        if (direction === 'short') expect(close?.reason).toMatch(/below conservative's conviction threshold 0\.7: acted on as flat/);
      });
    }
  }
});
