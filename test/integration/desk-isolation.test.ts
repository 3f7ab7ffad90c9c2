import { throwOnCall } from '../support/throwing-analyst.js';
import { describe, expect, it } from 'vitest';
import { buildDesk } from '../../src/backtest/desk-backtest.js';
import type { DeskConfig } from '../../src/config/desk-schema.js';
import type { DeskEvent } from '../../src/domain/events.js';
import { causationChain } from '../../src/engine/causation-chain.js';
import { syntheticDeskData } from '../../src/engine/desk/desk-data.js';
import { renderChain } from '../../src/interfaces/cli/commands/explain.js';
import type { Desk } from '../../src/engine/desk/desk.js';
import { exampleDesk, type DeskDoc } from '../support/desk-config.js';

/** A desk book netted from `sma` and a buy-and-hold analyst `hold`, without brackets or a position cycle. */
function nettingDesk(manager: DeskDoc): DeskConfig {
  return exampleDesk((doc) => {
    doc.agents = doc.agents.filter((a: { role: string; id: string }) => a.role !== 'optimizer' && a.id !== 'bb' && a.id !== 'donchian');
    doc.agents.push({ id: 'hold', role: 'analyst', strategy: 'buy-and-hold', sleeve: 'meanrev-bb' });
    doc.capital.sleeves = doc.capital.sleeves.filter((s: { id: string }) => s.id !== 'breakout-donchian');
    doc.data['SYNTH:BTC/USDT'].bars = 1000;
    doc.manager = manager;
    delete doc.orchestrator.positionCycle;
    delete doc.execution.stopLoss;
    delete doc.execution.takeProfit;
  });
}

/** Builds the desk and makes `hold` throw on its 300th bar. */
function failingHold(config: DeskConfig): Desk {
  const desk = buildDesk({ config, data: syntheticDeskData(config) });
  throwOnCall(desk, 'hold', 300, 'boom');
  desk.runToEnd();
  return desk;
}

function decisionsAfterError(list: readonly DeskEvent[]): Extract<DeskEvent, { type: 'DecisionMade' }>[] {
  const error = list.findIndex((e) => e.type === 'StrategyErrored');
  return list.slice(error).filter((e): e is Extract<DeskEvent, { type: 'DecisionMade' }> => e.type === 'DecisionMade');
}

describe('an analyst that throws in a netting mode', () => {
  it('weighted: its view is dropped and the desk book re-netted from the others, flat when they add nothing', () => {
    const desk = failingHold(nettingDesk({ mode: 'weighted', weights: { sma: '0', hold: '1' } }));
    const list = [...desk.core.store.read(0)];
    const id = desk.setup.instruments[0]!.id;
    const error = list.find((e) => e.type === 'StrategyErrored');
    expect(error).toBeDefined();
    const renet = decisionsAfterError(list)[0];
    expect(renet?.reason).toMatch(/^hold failed and is isolated \(threw: boom\): its long view is dropped; net target 0 = sma /);
    expect(renet?.target.toPlainString()).toBe('0');
    expect(renet?.order.isNegative()).toBe(true);
    expect(desk.core.ledger.position('desk', id)?.quantity.isZero() ?? true).toBe(true);
    // explain walks the re-netting order back to the decision, the remaining view and the failure behind it.
    const approval = list.find((e): e is Extract<DeskEvent, { type: 'IntentApproved' }> => e.type === 'IntentApproved' && e.intent.id === renet?.intentId);
    const chain = causationChain(list, approval?.clientOrderId ?? 'none');
    expect(chain.found && chain.failure?.id).toBe(error?.id);
    expect(chain.found && chain.missing).toEqual([]);
    if (!chain.found) return;
    const text = renderChain(chain).join('\n');
    expect(text).toContain('Analyst failure (its view dropped, the desk book netted again)');
    expect(text).not.toContain('Missing links');
  });

  it('weighted: the desk book keeps what the remaining analysts net to', () => {
    const desk = failingHold(nettingDesk({ mode: 'weighted', weights: { sma: '1', hold: '1' } }));
    const list = [...desk.core.store.read(0)];
    const renet = decisionsAfterError(list)[0];
    expect(renet?.reason).toMatch(/^hold failed and is isolated \(threw: boom\): its long view is dropped; net target \S+ = sma (long|short|flat) w=1/);
    expect(renet?.reason).not.toMatch(/hold (long|short|flat) w=/);
  });

  it('consensus: without the quorum the failed analyst was part of, the desk book is flattened', () => {
    // k = 2 of two analysts: the book is long only while both say long, so without hold it can never be.
    const desk = failingHold(nettingDesk({ mode: 'consensus', k: 2, size: { kind: 'notional', perConviction: '10000' } }));
    const list = [...desk.core.store.read(0)];
    const id = desk.setup.instruments[0]!.id;
    const renet = decisionsAfterError(list)[0];
    expect(renet?.reason).toMatch(/^hold failed and is isolated \(threw: boom\): its long view is dropped; no quorum: \d long, 0 short, \d flat of 1 \(k=2\); the book stood on its view: flat/);
    expect(renet?.current.isPositive()).toBe(true);
    expect(renet?.target.toPlainString()).toBe('0');
    expect(desk.core.ledger.position('desk', id)?.quantity.isZero() ?? true).toBe(true);
  });
});
