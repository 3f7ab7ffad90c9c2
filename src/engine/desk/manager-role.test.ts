import { describe, expect, it } from 'vitest';
import { DEFAULT_MODE_POLICY } from '../../agents/judge/mode-policy.js';
import { fx } from '../../core/fixed.js';
import { agentId, instrumentId } from '../../core/ids.js';
import { unixMs } from '../../core/time.js';
import { defineInstrument } from '../../domain/instrument.js';
import type { TradingCore } from '../trading-core.js';
import { AnalystRole } from './analyst-role.js';
import { DESK_OWNER, ManagerRole } from './manager-role.js';

type NewAgentEvent = Parameters<TradingCore['recordAgentEvent']>[0];

const PERP = defineInstrument({ id: 'SYNTH:BTC/USDT:USDT', tickSize: '0.1', lotSize: '0.001', maxLeverage: '5' });

/** What the manager reads and writes of the core: one book's position, the trading state (ACTIVE) and the journal. */
function stubCore(quantity: string, book = 's'): { core: TradingCore; journal: NewAgentEvent[] } {
  const journal: NewAgentEvent[] = [];
  const position = { instrumentId: PERP.id, quantity: fx(quantity) };
  const core = {
    ledger: {
      position: (owner: string, id: string) => (owner === book && id === PERP.id ? position : undefined),
      allPositions: () => [{ owner: book, position }],
    },
    risk: { stateFor: () => 'ACTIVE' },
    recordAgentEvent: (event: NewAgentEvent) => void journal.push(event),
  };
  return { core: core as unknown as TradingCore, journal };
}

function conservativeDecides(sleeveQuantity: string, direction: 'long' | 'short', conviction: number) {
  const { core, journal } = stubCore(sleeveQuantity);
  const manager = new ManagerRole(agentId('pm'), core, { mode: 'independent' }, new Map([[PERP.id, PERP]]), (a) => DEFAULT_MODE_POLICY.modes[a.mode]);
  const analyst = new AnalystRole(agentId('a'), 's', 'scripted', {}, { name: 'x', instruments: [PERP.id], warmup: 0, onBar: () => undefined }, { kind: 'quantity', perConviction: fx('1') });
  analyst.mode = 'conservative';
  const entry = { analystId: analyst.id, sleeve: 's', ts: unixMs(0), signal: { instrumentId: instrumentId(PERP.id), direction, conviction, reason: 'turned' } };
  const intents = manager.decide(unixMs(0), [entry], new Map([[analyst.id, analyst]]), new Map([[PERP.id, fx('100')]]));
  const decisions = journal.flatMap((e) => (e.type === 'DecisionMade' ? [e] : []));
  return { intents: intents.map((i) => [i.side, i.quantity.toPlainString()]), decisions: decisions.map((d) => [d.target.toPlainString(), d.order.toPlainString(), d.reason]) };
}

describe('a view below its analyst conservative threshold (0.7)', () => {
  it('against the sleeve long closes it and opens no short (a perpetual could have flipped)', () => {
    expect(conservativeDecides('0.8', 'short', 0.6)).toEqual({
      intents: [['sell', '0.8']],
      decisions: [['0', '-0.8', "a flat (turned); a's short at 0.6 is below conservative's conviction threshold 0.7: acted on as flat (it closes, never opens)"]],
    });
  });

  it('against a sleeve short closes it', () => {
    expect(conservativeDecides('-0.8', 'long', 0.6).intents).toEqual([['buy', '0.8']]);
  });

  it('opens nothing from a flat sleeve, and does not touch a position on its own side', () => {
    expect(conservativeDecides('0', 'short', 0.6)).toEqual({ intents: [], decisions: [] });
    expect(conservativeDecides('0.8', 'long', 0.6)).toEqual({ intents: [], decisions: [] });
  });

  it('at the threshold is acted on as said: the sleeve flips to the short', () => {
    expect(conservativeDecides('0.8', 'short', 0.7).intents).toEqual([['sell', '1.15']]);
  });
});

describe('weighted: an analyst isolated, the desk book netted again without it', () => {
  it('a remaining view below its analyst threshold does not hold the book: nothing is left, so it goes flat', () => {
    const { core, journal } = stubCore('0.8', DESK_OWNER);
    const manager = new ManagerRole(agentId('pm'), core, { mode: 'weighted', weights: new Map([[agentId('a'), fx('1')], [agentId('b'), fx('1')]]) }, new Map([[PERP.id, PERP]]), (a) => DEFAULT_MODE_POLICY.modes[a.mode]);
    const b = new AnalystRole(agentId('b'), 's', 'scripted', {}, { name: 'x', instruments: [PERP.id], warmup: 0, onBar: () => undefined }, { kind: 'quantity', perConviction: fx('1') });
    b.mode = 'conservative';
    const view = (analyst: string, conviction: number) => ({ analystId: agentId(analyst), sleeve: analyst, ts: unixMs(0), signal: { instrumentId: instrumentId(PERP.id), direction: 'long' as const, conviction, reason: 'up' } });
    // b's long at 0.6 is below conservative's 0.7: it was never a part of the book (a's long made it all).
    const intents = manager.renet(unixMs(1), { view: view('a', 0.8), reason: 'a failed and is isolated', causationId: 'e1' }, [view('b', 0.6)], new Map([[b.id, b]]), new Map([[PERP.id, fx('100')]]));
    expect(intents.map((i) => [i.side, i.quantity.toPlainString(), i.reduceOnly])).toEqual([['sell', '0.8', true]]);
    expect(journal.flatMap((e) => (e.type === 'DecisionMade' ? [e.reason] : []))).toEqual(['a failed and is isolated: its long view is dropped; no other view: flat']);
  });
});

describe('a risk cut of a fraction of each position', () => {
  function cut(quantity: string, fraction: number) {
    const { core, journal } = stubCore(quantity);
    const manager = new ManagerRole(agentId('pm'), core, { mode: 'independent' }, new Map([[PERP.id, PERP]]), (a) => DEFAULT_MODE_POLICY.modes[a.mode]);
    const intents = manager.flatten(unixMs(0), { code: 'var', reason: 'VaR over its limit' }, new Map(), new Map([[PERP.id, fx('100')]]), undefined, fraction);
    const decision = journal.find((e) => e.type === 'DecisionMade');
    const made = decision?.type === 'DecisionMade' ? decision : undefined;
    return { intents: intents.map((i) => [i.side, i.quantity.toPlainString(), i.reduceOnly]), target: made?.target.toPlainString(), cut: made?.reason.replace(/^.*\((a cut[^)]*)\)$/, '$1') };
  }

  it('rounds the cut up to the lot, so what is left is no more than the measure was sized for', () => {
    // 0.882 x 0.489951 = 0.432136...: cut down to the lot it would leave 0.45, above the 0.449864 the cut aimed at.
    expect(cut('0.882', 0.489951)).toEqual({ intents: [['sell', '0.433', true]], target: '0.449', cut: 'a cut of 49.0%, 49.1% once rounded up to the lot' });
    expect(cut('-0.882', 0.489951)).toEqual({ intents: [['buy', '0.433', true]], target: '-0.449', cut: 'a cut of 49.0%, 49.1% once rounded up to the lot' });
    expect(cut('0.8', 0.5).cut).toBe('a cut of 50.0%');
  });

  it('never cuts more than the position, and a lot-exact cut stays as it is', () => {
    expect(cut('0.882', 1).intents).toEqual([['sell', '0.882', true]]);
    expect(cut('0.8', 0.5).intents).toEqual([['sell', '0.4', true]]);
    expect(cut('0.001', 0.3).intents).toEqual([['sell', '0.001', true]]);
  });
});
