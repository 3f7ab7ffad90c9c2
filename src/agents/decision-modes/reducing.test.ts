import { describe, expect, it } from 'vitest';
import { fx } from '../../core/fixed.js';
import type { Fixed } from '../../core/fixed.js';
import { agentId } from '../../core/ids.js';
import type { AgentId, InstrumentId } from '../../core/ids.js';
import { unixMs } from '../../core/time.js';
import { defineInstrument } from '../../domain/instrument.js';
import { consensusMode } from './consensus.js';
import type { AnalystSignal, DecisionInput, DecisionResult, Sizing } from './types.js';
import { weightedMode } from './weighted.js';

const PERP = defineInstrument({ id: 'BYBIT:BTC/USDT:USDT', tickSize: '0.1', lotSize: '0.001', maxLeverage: '20' });
const P = PERP.id;
const [A, B, C] = [agentId('alpha'), agentId('beta'), agentId('gamma')];
const qty = (text: string): Sizing => ({ kind: 'quantity', perConviction: fx(text) });

const sig = (analyst: AgentId, direction: 'long' | 'short' | 'flat', conviction = 1): AnalystSignal => ({
  analystId: analyst,
  sleeve: `sleeve-${analyst}`,
  ts: unixMs(1000),
  signal: { instrumentId: P, direction, conviction, reason: direction },
});

/** The desk book holding `held`, REDUCING; every analyst weighted 1 and sized 1 a conviction. */
function reducing(signals: AnalystSignal[], held: string): DecisionInput {
  return {
    now: unixMs(1_700_000_000_000),
    managerId: agentId('pm'),
    deskOwner: 'desk',
    signals,
    positions: [{ owner: 'desk', instrumentId: P, quantity: fx(held) }],
    prices: new Map<InstrumentId, Fixed>([[P, fx('50000')]]),
    instruments: new Map([[P, PERP]]),
    sizing: new Map<AgentId, Sizing>([A, B, C].map((a) => [a, qty('1')])),
    weights: new Map([A, B, C].map((a) => [a, fx('1')])),
    consensus: { k: 2, size: qty('1') },
    deskReducing: true,
  };
}

const made = (result: DecisionResult): string[][] => [
  ...result.decisions.map((d) => [d.target.toPlainString(), d.order.toPlainString(), d.reason]),
  ...result.intents.map((i) => [`${i.side} ${i.quantity.toPlainString()} reduce-only ${i.reduceOnly === true}`]),
];

describe('a netted target while the desk book is REDUCING', () => {
  it('on the book side and no larger goes through, reduce-only', () => {
    expect(made(weightedMode(reducing([sig(A, 'long'), sig(B, 'long', 0.5), sig(C, 'flat')], '2')))).toEqual([
      ['1.5', '-0.5', 'net target 1.5 = alpha long w=1 c=1: 1 + beta long w=1 c=0.5: 0.5 + gamma flat w=1: 0'],
      ['sell 0.5 reduce-only true'],
    ]);
  });

  it('larger than the book orders nothing: the decision keeps the netted target', () => {
    expect(made(weightedMode(reducing([sig(A, 'long'), sig(B, 'long'), sig(C, 'long')], '2')))).toEqual([
      ['3', '0', 'net target 3 = alpha long w=1 c=1: 1 + beta long w=1 c=1: 1 + gamma long w=1 c=1: 1; REDUCING: the growth from 2 to 3 is held'],
    ]);
  });

  it('on the other side closes the book and opens nothing: the decision names the target, the order only closes', () => {
    expect(made(consensusMode(reducing([sig(A, 'short'), sig(B, 'short'), sig(C, 'long')], '2')))).toEqual([
      ['-1', '-2', '2 of 3 short (k=2; 1 long, 2 short, 0 flat): alpha, beta; mean conviction 1; REDUCING: the flip to -1 is cut to a close'],
      ['sell 2 reduce-only true'],
    ]);
  });

  it('opens nothing from a flat book', () => {
    expect(made(consensusMode(reducing([sig(A, 'long'), sig(B, 'long')], '0')))).toEqual([
      ['1', '0', '2 of 2 long (k=2; 2 long, 0 short, 0 flat): alpha, beta; mean conviction 1; REDUCING: nothing opens from a flat book'],
    ]);
  });
});
