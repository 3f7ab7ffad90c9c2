import { describe, expect, it } from 'vitest';
import { FixRequestError } from '../../core/errors.js';
import { fx } from '../../core/fixed.js';
import type { Fixed } from '../../core/fixed.js';
import { agentId, instrumentId } from '../../core/ids.js';
import type { AgentId, InstrumentId } from '../../core/ids.js';
import { unixMs } from '../../core/time.js';
import { defineInstrument } from '../../domain/instrument.js';
import type { OrderIntent } from '../../domain/intent.js';
import { consensusMode, decide, decisionIntentId, emergencyMode, hierarchicalMode, independentMode, weightedMode } from './index.js';
import type { AnalystSignal, DecisionInput, DecisionResult, Sizing } from './index.js';

const PERP = defineInstrument({ id: 'BYBIT:BTC/USDT:USDT', tickSize: '0.1', lotSize: '0.001', maxLeverage: '20' });
const SPOT = defineInstrument({ id: 'BINANCE:ETH/USDT', tickSize: '0.01', lotSize: '0.01' });
const P = PERP.id;
const S = SPOT.id;
const A = agentId('alpha');
const B = agentId('beta');
const C = agentId('gamma');
const PM = agentId('pm');
const NOW = unixMs(1_700_000_000_000);

const qty = (text: string): Sizing => ({ kind: 'quantity', perConviction: fx(text) });

function sig(analyst: AgentId, instrument: InstrumentId, direction: 'long' | 'short' | 'flat', conviction: number, ts = 1000): AnalystSignal {
  return { analystId: analyst, sleeve: `sleeve-${analyst}`, ts: unixMs(ts), signal: { instrumentId: instrument, direction, conviction, reason: `${direction} view` } };
}

function input(overrides: Partial<DecisionInput>): DecisionInput {
  return {
    now: NOW,
    managerId: PM,
    deskOwner: 'desk',
    signals: [],
    positions: [],
    prices: new Map<InstrumentId, Fixed>([
      [P, fx('50000')],
      [S, fx('2000')],
    ]),
    instruments: new Map([
      [P, PERP],
      [S, SPOT],
    ]),
    sizing: new Map<AgentId, Sizing>([
      [A, qty('1')],
      [B, qty('1')],
      [C, qty('1')],
    ]),
    ...overrides,
  };
}

/** Intents as compact rows: owner side quantity instrument. */
const rows = (result: DecisionResult): string[] =>
  result.intents.map((i: OrderIntent) => `${i.owner} ${i.side} ${i.quantity.toPlainString()} ${i.instrumentId}${i.reduceOnly === true ? ' reduce-only' : ''}`);

describe('independent mode', () => {
  it('moves each sleeve toward its own signal, sized by sizing x conviction', () => {
    const result = independentMode(
      input({
        signals: [sig(A, P, 'long', 0.5), sig(B, P, 'short', 0.75)],
        positions: [{ owner: 'sleeve-alpha', instrumentId: P, quantity: fx('0.2') }],
      }),
    );
    expect(rows(result)).toEqual([`sleeve-alpha buy 0.3 ${P}`, `sleeve-beta sell 0.75 ${P}`]);
    expect(result.decisions.map((d) => [d.target.toPlainString(), d.current.toPlainString(), d.order.toPlainString()])).toEqual([
      ['0.5', '0.2', '0.3'],
      ['-0.75', '0', '-0.75'],
    ]);
    const first = result.intents[0];
    expect(first?.agentId).toBe(A);
    expect(first?.type).toBe('market');
    expect(first?.causationId).toBe(`signal:alpha:${P}:1000`);
    expect(first?.tsEvent).toBe(NOW);
    expect(result.decisions[0]?.intentId).toBe(first?.id);
    expect(result.decisions[0]?.reason).toContain('alpha long at conviction 0.5');
  });

  it('rounds the order down to the lot', () => {
    const result = independentMode(input({ signals: [sig(A, P, 'long', 1 / 3)] }));
    expect(rows(result)).toEqual([`sleeve-alpha buy 0.333 ${P}`]);
    expect(result.decisions[0]?.target.toPlainString()).toBe('0.333333');
    const below = independentMode(
      input({ signals: [sig(A, P, 'long', 0.5)], positions: [{ owner: 'sleeve-alpha', instrumentId: P, quantity: fx('0.4995') }] }),
    );
    expect(below.intents).toEqual([]);
    expect(below.decisions[0]?.reason).toContain('below one lot');
  });

  it('sizes by notional with the reference price and contract size', () => {
    const result = independentMode(input({ signals: [sig(A, P, 'long', 0.5)], sizing: new Map([[A, { kind: 'notional', perConviction: fx('10000') }]]) }));
    expect(rows(result)).toEqual([`sleeve-alpha buy 0.1 ${P}`]);
    const noPrice = independentMode(
      input({ signals: [sig(A, P, 'long', 0.5)], prices: new Map(), sizing: new Map([[A, { kind: 'notional', perConviction: fx('10000') }]]) }),
    );
    expect(noPrice.intents).toEqual([]);
    expect(noPrice.decisions[0]?.reason).toContain('no reference price');
  });

  it('turns a short target on spot into flat', () => {
    const result = independentMode(
      input({
        signals: [sig(A, S, 'short', 0.9), sig(B, S, 'short', 0.9)],
        positions: [{ owner: 'sleeve-alpha', instrumentId: S, quantity: fx('1.5') }],
      }),
    );
    expect(rows(result)).toEqual([`sleeve-alpha sell 1.5 ${S}`]);
    expect(result.decisions.map((d) => d.target.toPlainString())).toEqual(['0', '0']);
    expect(result.decisions[0]?.reason).toContain('spot cannot be short');
    expect(result.decisions[1]?.reason).toContain('already at target');
  });

  it('flat closes the sleeve; the latest signal per analyst and instrument wins', () => {
    const result = independentMode(
      input({
        signals: [sig(A, P, 'long', 1, 500), sig(A, P, 'flat', 0, 900)],
        positions: [{ owner: 'sleeve-alpha', instrumentId: P, quantity: fx('-0.25') }],
      }),
    );
    expect(rows(result)).toEqual([`sleeve-alpha buy 0.25 ${P}`]);
    expect(result.intents[0]?.causationId).toBe(`signal:alpha:${P}:900`);
  });

  it('derives ids from mode, analyst, instrument and time, so a replay yields the same ids', () => {
    const base = input({ signals: [sig(A, P, 'long', 0.5), sig(B, P, 'long', 0.5)] });
    const once = independentMode(base);
    const again = independentMode(base);
    expect(again.intents.map((i) => i.id)).toEqual(once.intents.map((i) => i.id));
    expect(once.intents[0]?.id).not.toBe(once.intents[1]?.id);
    expect(once.intents[0]?.id).toMatch(/^pm\.independent\.[0-9a-z]+$/);
    const later = independentMode({ ...base, now: unixMs(NOW + 1) });
    expect(later.intents[0]?.id).not.toBe(once.intents[0]?.id);
    const hierarchical = hierarchicalMode(base);
    expect(hierarchical.intents[0]?.id).not.toBe(once.intents[0]?.id);
  });

  it('holds on an unknown instrument, a missing sizing, or a sleeve shared on one instrument', () => {
    const X = instrumentId('KRAKEN:SOL/USD');
    const shared = { ...sig(B, P, 'long', 1), sleeve: 'sleeve-alpha' };
    const result = independentMode(input({ signals: [sig(A, X, 'long', 1), sig(C, S, 'long', 1), sig(A, P, 'long', 1), shared], sizing: new Map([[A, qty('1')], [B, qty('1')]]) }));
    expect(result.intents).toEqual([]);
    expect(result.decisions.map((d) => d.reason)).toEqual([
      `unknown instrument ${X}`,
      'no sizing for analyst gamma',
      `sleeve sleeve-alpha is shared by several analysts on ${P}: no order`,
      `sleeve sleeve-alpha is shared by several analysts on ${P}: no order`,
    ]);
  });
});

describe('weighted mode', () => {
  const weights = new Map<AgentId, Fixed>([
    [A, fx('0.5')],
    [B, fx('0.5')],
  ]);

  it('nets opposing analysts into one desk target', () => {
    const result = weightedMode(input({ weights, signals: [sig(A, P, 'long', 0.8), sig(B, P, 'short', 0.6)] }));
    expect(rows(result)).toEqual([`desk buy 0.1 ${P}`]);
    expect(result.intents[0]?.agentId).toBe(PM);
    expect(result.intents[0]?.causationId).toBe(`signal:alpha:${P}:1000,signal:beta:${P}:1000`);
    expect(result.decisions[0]?.target.toPlainString()).toBe('0.1');
    expect(result.decisions[0]?.reason).toContain('alpha long w=0.5 c=0.8: 0.4 + beta short w=0.5 c=0.6: -0.3');
  });

  it('equal and opposite views net to zero: no trade', () => {
    const result = weightedMode(input({ weights, signals: [sig(A, P, 'long', 0.7), sig(B, P, 'short', 0.7)] }));
    expect(result.intents).toEqual([]);
    expect(result.decisions[0]?.target.isZero()).toBe(true);
    expect(result.decisions[0]?.reason).toContain('already at target');
  });

  it('a net zero target flattens an existing desk position', () => {
    const result = weightedMode(
      input({ weights, signals: [sig(A, P, 'long', 0.7), sig(B, P, 'short', 0.7)], positions: [{ owner: 'desk', instrumentId: P, quantity: fx('0.3') }] }),
    );
    expect(rows(result)).toEqual([`desk sell 0.3 ${P}`]);
  });

  it('skips trades inside the deadband (quantity and notional)', () => {
    const signals = [sig(A, P, 'long', 0.504), sig(B, P, 'short', 0.5)]; // net 0.002
    expect(rows(weightedMode(input({ weights, signals })))).toEqual([`desk buy 0.002 ${P}`]);
    const byQuantity = weightedMode(input({ weights, signals, deadband: { quantity: fx('0.01') } }));
    expect(byQuantity.intents).toEqual([]);
    expect(byQuantity.decisions[0]?.reason).toContain('inside the deadband of 0.01');
    const byNotional = weightedMode(input({ weights, signals, deadband: { notional: fx('200') } })); // 0.002 x 50000 = 100
    expect(byNotional.intents).toEqual([]);
    expect(byNotional.decisions[0]?.reason).toContain('notional 100 inside the deadband of 200');
  });

  it('closes a position smaller than the deadband when the target is flat', () => {
    const signals = [sig(A, P, 'flat', 1), sig(B, P, 'flat', 1)];
    const positions = [{ owner: 'desk', instrumentId: P, quantity: fx('0.001') }]; // 0.001 x 50000 = 50 of notional
    const result = weightedMode(input({ weights, signals, positions, deadband: { notional: fx('200'), quantity: fx('0.01') } }));
    expect(rows(result)).toEqual([`desk sell 0.001 ${P}`]);
    expect(result.decisions[0]?.reason).not.toContain('deadband');
  });

  it('analysts without a weight count zero; spot nets short to flat', () => {
    const result = weightedMode(
      input({
        weights: new Map([[A, fx('2')]]),
        signals: [sig(A, S, 'short', 0.5), sig(C, S, 'long', 1)],
        positions: [{ owner: 'desk', instrumentId: S, quantity: fx('0.4') }],
      }),
    );
    expect(rows(result)).toEqual([`desk sell 0.4 ${S}`]);
    expect(result.decisions[0]?.target.toPlainString()).toBe('0');
    expect(result.decisions[0]?.reason).toContain('spot cannot be short');
  });
});

describe('consensus mode', () => {
  const consensus = { k: 2, size: qty('2') };

  it('trades when 2 of 3 agree, sized by the mean conviction of the agreeing ones', () => {
    const result = consensusMode(input({ consensus, signals: [sig(A, P, 'long', 0.6), sig(B, P, 'long', 0.9), sig(C, P, 'short', 0.5)] }));
    expect(rows(result)).toEqual([`desk buy 1.5 ${P}`]);
    expect(result.intents[0]?.causationId).toBe(`signal:alpha:${P}:1000,signal:beta:${P}:1000`);
    expect(result.decisions[0]?.reason).toContain('2 of 3 long (k=2');
    expect(result.decisions[0]?.reason).toContain('mean conviction 0.75');
  });

  it("scales the desk size by the agreeing analysts' mean mode multiplier", () => {
    // alpha conservative (×0.5), beta aggressive (×1.5): mean ×1; alpha alone (k=1 would do) ×0.5.
    const sizeMultipliers = new Map([
      [A, fx('0.5')],
      [B, fx('1.5')],
    ]);
    const both = consensusMode(input({ consensus, sizeMultipliers, signals: [sig(A, P, 'long', 0.6), sig(B, P, 'long', 0.9)] }));
    expect(rows(both)).toEqual([`desk buy 1.5 ${P}`]);
    const conservative = consensusMode(input({ consensus: { k: 1, size: qty('2') }, sizeMultipliers, signals: [sig(A, P, 'long', 0.6)] }));
    expect(rows(conservative)).toEqual([`desk buy 0.6 ${P}`]);
    expect(conservative.decisions[0]?.reason).toContain('mean conviction 0.6, mode size ×0.5');
  });

  it('holds without a quorum', () => {
    const result = consensusMode(
      input({
        consensus,
        signals: [sig(A, P, 'long', 0.6), sig(B, P, 'flat', 0), sig(C, P, 'short', 0.5)],
        positions: [{ owner: 'desk', instrumentId: P, quantity: fx('0.5') }],
      }),
    );
    expect(result.intents).toEqual([]);
    expect(result.decisions[0]?.target.toPlainString()).toBe('0.5');
    expect(result.decisions[0]?.reason).toBe('no quorum: 1 long, 1 short, 1 flat of 3 (k=2): hold');
  });

  it('flat is a vote of its own: a flat quorum closes the desk position', () => {
    const result = consensusMode(
      input({
        consensus,
        signals: [sig(A, P, 'flat', 0), sig(B, P, 'flat', 0), sig(C, P, 'short', 1)],
        positions: [{ owner: 'desk', instrumentId: P, quantity: fx('-0.4') }],
      }),
    );
    expect(rows(result)).toEqual([`desk buy 0.4 ${P}`]);
  });

  it('holds on conflicting quorums, short on spot is flat, and k is checked', () => {
    const conflicting = consensusMode(
      input({ consensus: { k: 1, size: qty('1') }, signals: [sig(A, P, 'long', 1), sig(B, P, 'short', 1)] }),
    );
    expect(conflicting.intents).toEqual([]);
    expect(conflicting.decisions[0]?.reason).toContain('conflicting quorums (long and short)');
    const spot = consensusMode(
      input({ consensus, signals: [sig(A, S, 'short', 1), sig(B, S, 'short', 1)], positions: [{ owner: 'desk', instrumentId: S, quantity: fx('3') }] }),
    );
    expect(rows(spot)).toEqual([`desk sell 3 ${S}`]);
    expect(() => consensusMode(input({ consensus: { k: 0, size: qty('1') } }))).toThrow(FixRequestError);
    expect(() => consensusMode(input({}))).toThrow(FixRequestError);
  });
});

describe('hierarchical mode', () => {
  it('vetoes instruments on the veto list', () => {
    const result = hierarchicalMode(input({ signals: [sig(A, P, 'long', 1), sig(B, S, 'long', 0.5)], hierarchy: { vetoInstruments: [P] } }));
    expect(rows(result)).toEqual([`sleeve-beta buy 0.5 ${S}`]);
    expect(result.decisions[0]?.order.isZero()).toBe(true);
    expect(result.decisions[0]?.reason).toContain(`manager veto: ${P} is on the veto list`);
  });

  it('vetoes an instrument where analysts disagree, unless turned off', () => {
    const signals = [sig(A, P, 'long', 1), sig(B, P, 'short', 0.5), sig(C, P, 'flat', 0)];
    const positions = [{ owner: 'sleeve-gamma', instrumentId: P, quantity: fx('0.1') }];
    const result = hierarchicalMode(input({ signals, positions }));
    // Gamma's flat closes its own long: a veto stops new exposure, never an exit.
    expect(rows(result)).toEqual([`sleeve-gamma sell 0.1 ${P}`]);
    expect(result.decisions.map((d) => d.reason.includes(`analysts disagree on the direction of ${P}`))).toEqual([true, true, true]);
    expect(result.decisions[2]?.reason).toContain(`a reduction, let through despite: analysts disagree on the direction of ${P}`);
    const allowed = hierarchicalMode(input({ signals, positions, hierarchy: { vetoOnDisagreement: false } }));
    expect(rows(allowed)).toEqual([`sleeve-alpha buy 1 ${P}`, `sleeve-beta sell 0.5 ${P}`, `sleeve-gamma sell 0.1 ${P}`]);
  });

  it("vetoes a new view that disagrees with another analyst's standing view, but not with the analyst's own old one", () => {
    const disputed = hierarchicalMode(input({ signals: [sig(B, P, 'short', 1)], standing: [sig(A, P, 'long', 1), sig(B, P, 'long', 1)] }));
    expect(disputed.intents).toEqual([]);
    expect(disputed.decisions[0]?.reason).toContain(`analysts disagree on the direction of ${P}`);
    const ownOnly = hierarchicalMode(input({ signals: [sig(B, P, 'short', 1)], standing: [sig(B, P, 'long', 1), sig(A, P, 'flat', 0)] }));
    expect(rows(ownOnly)).toEqual([`sleeve-beta sell 1 ${P}`]);
  });

  it('never vetoes an exit or a smaller position, and cuts a vetoed flip to the close', () => {
    const positions = [
      { owner: 'sleeve-alpha', instrumentId: P, quantity: fx('1') },
      { owner: 'sleeve-beta', instrumentId: P, quantity: fx('0.8') },
      { owner: 'sleeve-gamma', instrumentId: P, quantity: fx('0.2') },
    ];
    const signals = [sig(A, P, 'flat', 0), sig(B, P, 'short', 1), sig(C, P, 'long', 0.5)];
    const hierarchy = { vetoInstruments: [P] };
    const result = hierarchicalMode(input({ signals, positions, hierarchy }));
    // Alpha closes; beta's flip to short only closes its long; gamma's growth from 0.2 to 0.5 is vetoed.
    expect(rows(result)).toEqual([`sleeve-alpha sell 1 ${P}`, `sleeve-beta sell 0.8 ${P}`]);
    expect(result.decisions[1]?.reason).toContain(`manager veto of the new position (${P} is on the veto list): close only`);
    expect(result.decisions[2]?.reason).toContain(`manager veto: ${P} is on the veto list`);
    const smaller = hierarchicalMode(input({ signals: [sig(C, P, 'long', 0.1)], positions, hierarchy }));
    expect(rows(smaller)).toEqual([`sleeve-gamma sell 0.1 ${P}`]);
  });

  it('resizes a proposal to the quantity cap and the notional cap, with a reason', () => {
    const result = hierarchicalMode(
      input({
        signals: [sig(A, P, 'long', 0.8), sig(B, S, 'long', 1)],
        sizing: new Map([[A, qty('1')], [B, qty('10')]]),
        hierarchy: { maxTargetQuantity: new Map([[P, fx('0.25')]]), maxTargetNotional: fx('5000') },
      }),
    );
    expect(rows(result)).toEqual([`sleeve-alpha buy 0.1 ${P}`, `sleeve-beta buy 2.5 ${S}`]);
    expect(result.decisions[0]?.reason).toContain(`manager resized target from 0.8 to 0.25 (cap 0.25 on ${P})`);
    expect(result.decisions[0]?.reason).toContain('manager resized target from 0.25 to 0.1 (notional cap 5000 at price 50000)');
    expect(result.decisions[1]?.target.toPlainString()).toBe('2.5');
  });

  it('resizes shorts symmetrically and vetoes when the notional cap cannot be checked', () => {
    const short = hierarchicalMode(input({ signals: [sig(A, P, 'short', 1)], hierarchy: { maxTargetQuantity: new Map([[P, fx('0.3')]]) } }));
    expect(rows(short)).toEqual([`sleeve-alpha sell 0.3 ${P}`]);
    const noPrice = hierarchicalMode(input({ signals: [sig(A, P, 'short', 1)], prices: new Map(), hierarchy: { maxTargetNotional: fx('1000') } }));
    expect(noPrice.intents).toEqual([]);
    expect(noPrice.decisions[0]?.reason).toContain('manager veto: no reference price');
  });
});

describe('emergency mode', () => {
  it('ignores signals and flattens every long and short position reduce-only', () => {
    const result = emergencyMode(
      input({
        signals: [sig(A, P, 'long', 1)],
        breach: { code: 'drawdown', reason: 'drawdown 12% over the 10% ceiling' },
        positions: [
          { owner: 'sleeve-alpha', instrumentId: P, quantity: fx('0.5') },
          { owner: 'desk', instrumentId: P, quantity: fx('-0.25') },
          { owner: 'sleeve-beta', instrumentId: S, quantity: fx('0') },
          { owner: 'sleeve-beta', instrumentId: S, quantity: fx('2.005') },
        ],
      }),
    );
    expect(rows(result)).toEqual([`sleeve-alpha sell 0.5 ${P} reduce-only`, `desk buy 0.25 ${P} reduce-only`, `sleeve-beta sell 2 ${S} reduce-only`]);
    expect(result.intents.every((i) => i.agentId === PM && i.type === 'market' && i.causationId === `breach:drawdown:${NOW}`)).toBe(true);
    expect(result.decisions.map((d) => d.target.toPlainString())).toEqual(['0', '0', '0']);
    expect(result.decisions[0]?.reason).toBe('emergency (drawdown 12% over the 10% ceiling): flatten 0.5 reduce-only');
    expect(new Set(result.intents.map((i) => i.id)).size).toBe(3);
  });

  it('does nothing without positions', () => {
    expect(emergencyMode(input({ signals: [sig(A, P, 'long', 1)] }))).toEqual({ intents: [], decisions: [] });
  });
});

describe('decide', () => {
  it('dispatches to the configured mode', () => {
    const base = input({ signals: [sig(A, P, 'long', 0.5)], weights: new Map([[A, fx('1')]]), consensus: { k: 1, size: qty('1') } });
    expect(rows(decide('independent', base))).toEqual([`sleeve-alpha buy 0.5 ${P}`]);
    expect(rows(decide('hierarchical', base))).toEqual([`sleeve-alpha buy 0.5 ${P}`]);
    expect(rows(decide('weighted', base))).toEqual([`desk buy 0.5 ${P}`]);
    expect(rows(decide('consensus', base))).toEqual([`desk buy 0.5 ${P}`]);
    expect(decide('emergency', base).intents).toEqual([]);
    expect(decide('weighted', base).decisions[0]?.mode).toBe('weighted');
  });
});

describe('decisionIntentId', () => {
  it('is the FNV-1a 64 hash of the decision in base 36, so replayed decisions keep their order ids', () => {
    expect(decisionIntentId('independent', 'sma', 'trend-sma', instrumentId('SYNTH:BTC/USDT'), unixMs(1704067260000))).toBe('pm.independent.2tbcb6oda0vau');
    expect(decisionIntentId('weighted', 'pm', 'sleeve-\u00e9\u4e2d', instrumentId('BINANCE:ETH/USDT'), unixMs(0))).toBe('pm.weighted.es3lyzfzpv5u');
  });
});
