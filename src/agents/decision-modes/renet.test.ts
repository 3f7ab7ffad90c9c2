import { describe, expect, it } from 'vitest';
import { fx } from '../../core/fixed.js';
import type { Fixed } from '../../core/fixed.js';
import { agentId } from '../../core/ids.js';
import type { AgentId, InstrumentId } from '../../core/ids.js';
import { unixMs } from '../../core/time.js';
import { defineInstrument } from '../../domain/instrument.js';
import { renetWithout, type DroppedView } from './renet.js';
import type { AnalystSignal, DecisionInput, Sizing } from './types.js';

const PERP = defineInstrument({ id: 'BYBIT:BTC/USDT:USDT', tickSize: '0.1', lotSize: '0.001', maxLeverage: '20' });
const P = PERP.id;
const A = agentId('alpha');
const B = agentId('beta');
const C = agentId('gamma');
const qty = (text: string): Sizing => ({ kind: 'quantity', perConviction: fx(text) });

function sig(analyst: AgentId, direction: 'long' | 'short' | 'flat', conviction: number): AnalystSignal {
  return { analystId: analyst, sleeve: `sleeve-${analyst}`, ts: unixMs(1000), signal: { instrumentId: P, direction, conviction, reason: direction } };
}

function input(signals: AnalystSignal[], held: string, overrides: Partial<DecisionInput> = {}): DecisionInput {
  return {
    now: unixMs(1_700_000_000_000),
    managerId: agentId('pm'),
    deskOwner: 'desk',
    signals,
    positions: [{ owner: 'desk', instrumentId: P, quantity: fx(held) }],
    prices: new Map<InstrumentId, Fixed>([[P, fx('50000')]]),
    instruments: new Map([[P, PERP]]),
    sizing: new Map<AgentId, Sizing>([
      [A, qty('1')],
      [B, qty('1')],
      [C, qty('1')],
    ]),
    weights: new Map([
      [A, fx('1')],
      [B, fx('1')],
      [C, fx('1')],
    ]),
    consensus: { k: 2, size: qty('1') },
    ...overrides,
  };
}

const failed = (view: AnalystSignal): DroppedView => ({ view, reason: `${view.analystId} failed and is isolated (threw: boom)`, causationId: 'ev-9' });

describe('netting the desk book again without an isolated analyst', () => {
  it('weighted: the failed view no longer counts; the book goes to what the others net to', () => {
    const result = renetWithout('weighted', input([sig(B, 'long', 0.5)], '1.5'), failed(sig(A, 'long', 1)));
    expect(result.intents.map((i) => `${i.side} ${i.quantity.toPlainString()}`)).toEqual(['sell 1']);
    expect(result.decisions[0]?.target.toPlainString()).toBe('0.5');
    expect(result.decisions[0]?.reason).toBe('alpha failed and is isolated (threw: boom): its long view is dropped; net target 0.5 = beta long w=1 c=0.5: 0.5');
    expect(result.decisions[0]?.causationId).toBe(`signal:beta:${P}:1000,ev-9`);
    expect(result.intents[0]?.causationId).toBe(`signal:beta:${P}:1000,ev-9`);
  });

  it('weighted: with no other view the book goes flat, reduce-only, whatever the deadband', () => {
    const result = renetWithout('weighted', input([], '0.001', { deadband: { notional: fx('1000') } }), failed(sig(A, 'short', 1)));
    expect(result.intents.map((i) => `${i.side} ${i.quantity.toPlainString()} ${i.reduceOnly === true}`)).toEqual(['sell 0.001 true']);
    expect(result.decisions[0]?.reason).toBe('alpha failed and is isolated (threw: boom): its short view is dropped; no other view: flat');
    expect(result.decisions[0]?.causationId).toBe('ev-9');
  });

  it('consensus: a quorum that stood on the failed view is gone, so the book goes flat', () => {
    const result = renetWithout('consensus', input([sig(B, 'long', 1), sig(C, 'short', 1)], '1'), failed(sig(A, 'long', 1)));
    expect(result.intents.map((i) => `${i.side} ${i.quantity.toPlainString()} ${i.reduceOnly === true}`)).toEqual(['sell 1 true']);
    expect(result.decisions[0]?.reason).toBe(
      'alpha failed and is isolated (threw: boom): its long view is dropped; no quorum: 1 long, 1 short, 0 flat of 2 (k=2); the book stood on its view: flat',
    );
  });

  it('consensus: the remaining quorum still holds the book, and a dissenting failed view changes nothing', () => {
    const kept = renetWithout('consensus', input([sig(B, 'long', 1), sig(C, 'long', 1)], '1'), failed(sig(A, 'long', 1)));
    expect(kept.intents).toEqual([]);
    expect(kept.decisions[0]?.reason).toContain('already at target');
    const dissent = renetWithout('consensus', input([sig(B, 'long', 1), sig(C, 'flat', 0)], '1'), failed(sig(A, 'short', 1)));
    expect(dissent.intents).toEqual([]);
    expect(dissent.decisions[0]?.reason).toBe('alpha failed and is isolated (threw: boom): its short view is dropped; no quorum: 1 long, 0 short, 1 flat of 2 (k=2): hold');
  });
});
