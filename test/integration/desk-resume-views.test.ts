import { describe, expect, it } from 'vitest';
import { buildDesk } from '../../src/backtest/desk-backtest.js';
import type { DeskConfig } from '../../src/config/desk-schema.js';
import type { DeskEvent } from '../../src/domain/events.js';
import { syntheticDeskData } from '../../src/engine/desk/desk-data.js';
import type { Desk } from '../../src/engine/desk/desk.js';
import { exampleDesk, type DeskDoc } from '../support/desk-config.js';

/** One analyst whose brain turns long on the 15th bar it sees, and says so on every bar after. */
function lateBull(edit: (doc: DeskDoc) => void = () => undefined): Desk {
  const config: DeskConfig = exampleDesk((doc) => {
    doc.agents = doc.agents.filter((a: { id: string; role: string }) => a.role !== 'optimizer' && (a.role !== 'analyst' || a.id === 'sma'));
    doc.capital.sleeves = doc.capital.sleeves.filter((s: { id: string }) => s.id === 'trend-sma');
    doc.data['SYNTH:BTC/USDT'].bars = 80;
    doc.orchestrator = {};
    edit(doc);
  });
  const desk = buildDesk({ config, data: syntheticDeskData(config) });
  const sma = [...desk.analysts.values()][0];
  if (sma === undefined) throw new Error('no analyst');
  let bars = 0;
  const instrumentId = sma.brain.instruments[0];
  if (instrumentId === undefined) throw new Error('no instrument');
  sma.brain = {
    name: 'late-bull',
    instruments: sma.brain.instruments,
    warmup: 0,
    onBar: (_bar, context) => {
      bars += 1;
      if (bars >= 15) context.emit({ instrumentId, direction: 'long', conviction: 1, reason: 'turned long' });
    },
  };
  return desk;
}

const ofType = <T extends DeskEvent['type']>(desk: Desk, type: T): Extract<DeskEvent, { type: T }>[] =>
  [...desk.core.store.read(0)].filter((e): e is Extract<DeskEvent, { type: T }> => e.type === type);

describe('resuming a halted desk', () => {
  for (const mode of ['independent', 'weighted'] as const) {
    it(`acts on a view taken while halted at the first bar after the resume (${mode})`, () => {
      const desk = lateBull((doc) => {
        if (mode === 'weighted') doc.manager = { mode: 'weighted', weights: { sma: '1' } };
      });
      for (let i = 0; i < 10; i++) desk.next();
      desk.halt('halted by a person');
      for (let i = 0; i < 20; i++) desk.next();
      const [signal] = ofType(desk, 'SignalEmitted');
      expect(signal?.direction).toBe('long');
      expect(ofType(desk, 'DecisionMade')).toEqual([]);
      desk.resume('resumed by a person');
      const resumedAt = desk.clock.now();
      desk.next();
      const decisions = ofType(desk, 'DecisionMade');
      expect(decisions.map((d) => [d.tsEvent - resumedAt, d.causationId])).toEqual([[3_600_000, signal?.signalId]]);
      for (let i = 0; i < 3; i++) desk.next();
      const owner = mode === 'weighted' ? 'desk' : 'trend-sma';
      expect(desk.core.ledger.position(owner, signal?.instrumentId ?? ('' as never))?.quantity.isPositive()).toBe(true);
    });
  }
});
