import { describe, expect, it } from 'vitest';
import { buildDesk } from '../../src/backtest/desk-backtest.js';
import type { DeskConfig } from '../../src/config/desk-schema.js';
import type { DeskEvent } from '../../src/domain/events.js';
import { syntheticDeskData } from '../../src/engine/desk/desk-data.js';
import type { Desk } from '../../src/engine/desk/desk.js';
import { causationChain } from '../../src/engine/causation-chain.js';
import { exampleDesk, type DeskDoc } from '../support/desk-config.js';

/** One buy-and-hold analyst (sma's sleeve) on the example desk's hourly bars, with the position cycle and `edit`. */
function holderDesk(bars: number, edit: (doc: DeskDoc) => void): DeskConfig {
  return exampleDesk((doc) => {
    doc.agents = doc.agents.filter((a: { id: string; role: string }) => a.role !== 'optimizer' && (a.role !== 'analyst' || a.id === 'sma'));
    const sma = doc.agents.find((a: { id: string }) => a.id === 'sma');
    sma.strategy = 'buy-and-hold';
    delete sma.params;
    doc.capital.sleeves = doc.capital.sleeves.filter((s: { id: string }) => s.id === 'trend-sma');
    doc.data['SYNTH:BTC/USDT'].bars = bars;
    edit(doc);
  });
}

const events = (d: Desk): DeskEvent[] => [...d.core.store.read(0)];
function ofType<T extends DeskEvent['type']>(list: readonly DeskEvent[], type: T): Extract<DeskEvent, { type: T }>[] {
  return list.filter((e): e is Extract<DeskEvent, { type: T }> => e.type === type);
}

describe('the position cycle', () => {
  it('counts a remainder below the minimums as flat, says so once, and opens again instead of closing it forever', () => {
    // A tiny volume share fills the close only in part: a few lots (a few USDT, under the 10 USDT minimum) are left.
    const config = holderDesk(80, (doc) => {
      doc.venues[0].volumeShare = '0.00001';
      doc.execution = { algorithm: { kind: 'limit', offsetBps: '0', expireAfter: '2h' }, stopLoss: '0.08' };
      doc.orchestrator = { positionCycle: { open: true, reviewEvery: '4h', closeAfter: '12h' } };
    });
    const d = buildDesk({ config, data: syntheticDeskData(config) });
    d.runToEnd();
    const list = events(d);
    const steps = ofType(list, 'CycleStepTaken');
    const flat = steps.filter((s) => s.step === 'flat');
    // Each cycle whose close left dust says so once (two cycles here: 0.0002 and 0.0001 BTC left), and opens again at once.
    expect(flat.map((s) => s.reason)).toEqual([
      expect.stringMatching(/^0\.0002 left, notional 6\.\d+ below the minimum 10: too small to trade, counted as flat$/),
      expect.stringMatching(/^0\.0001 left, notional 2\.\d+ below the minimum 10: too small to trade, counted as flat$/),
    ]);
    for (const step of flat) expect(steps.find((s) => s.tsEvent === step.tsEvent && s.step === 'open')).toBeDefined();
    // No close is asked for a remainder, and no exit is sent for it: the only refusals below the minimums are the
    // executor's dust notices when a limit exit expired leaving one, once per remainder.
    const small = ofType(list, 'IntentDenied').filter((x) => x.code === 'below_min_notional' || x.code === 'below_min_quantity');
    expect(small.map((x) => x.detail)).toEqual([
      expect.stringMatching(/^trend-sma holds 0\.0002 BTC of SYNTH:BTC\/USDT, dust below .*: no order can sell it, so it is left and not tried again$/),
      expect.stringMatching(/^trend-sma holds 0\.0001 BTC of SYNTH:BTC\/USDT, dust below .*: no order can sell it, so it is left and not tried again$/),
    ]);
    const after = steps.filter((s) => s.tsEvent >= (flat[0]?.tsEvent ?? Infinity));
    expect(after.filter((s) => s.step === 'open').length).toBeGreaterThan(0);
    expect(after.filter((s) => s.step === 'close').length).toBeLessThan(after.length / 2);
    // The reopened position traded on: more buys after the remainder was found.
    const buysAfter = ofType(list, 'OrderFilled').filter((f) => f.tsEvent > (flat[0]?.tsEvent ?? Infinity) && f.fill.side === 'buy');
    expect(buysAfter.length).toBeGreaterThan(0);
  });

  it('does not journal an open a REDUCING sleeve could not make: one blocked step, no decision', () => {
    const config = holderDesk(60, (doc) => (doc.orchestrator = { positionCycle: { open: true, reviewEvery: '4h', closeAfter: '8h' } }));
    const d = buildDesk({ config, data: syntheticDeskData(config) });
    for (let i = 0; i < 3; i++) d.next();
    d.core.setSleeveState('trend-sma', 'REDUCING', 'sleeve reducing');
    d.runToEnd();
    const list = events(d);
    const reducedAt = ofType(list, 'SleeveStateChanged')[0]?.tsEvent ?? 0;
    const later = ofType(list, 'CycleStepTaken').filter((s) => s.tsEvent > reducedAt && s.step !== 'hold' && s.step !== 'close');
    expect(later.map((s) => `${s.step}: ${s.reason}`)).toEqual([
      "blocked: flat and sma's latest view is long (conviction 1), but trading for trend-sma is REDUCING: no open until it is ACTIVE again",
    ]);
    const decisionsAfterFlat = ofType(list, 'DecisionMade').filter((x) => x.mode !== 'emergency' && x.tsEvent > (later[0]?.tsEvent ?? Infinity));
    expect(decisionsAfterFlat).toEqual([]);
  });

  it('backs off an open the gate always denies: tries after 1, 2, 4, 8 reviews and says so once each time', () => {
    const config = holderDesk(100, (doc) => {
      doc.instruments[0].minNotional = '200000';
      doc.orchestrator = { positionCycle: { open: true, reviewEvery: '4h', closeAfter: '1d' } };
    });
    const d = buildDesk({ config, data: syntheticDeskData(config) });
    d.runToEnd();
    const list = events(d);
    const steps = ofType(list, 'CycleStepTaken');
    const hours = (t: number): number => (t - (steps[0]?.tsEvent ?? 0)) / 3_600_000;
    expect(steps.filter((s) => s.step === 'open').map((s) => hours(s.tsEvent))).toEqual([0, 8, 20, 40, 76]);
    const blocked = steps.filter((s) => s.step === 'blocked');
    expect(blocked.map((s) => hours(s.tsEvent))).toEqual([4, 12, 24, 44, 80]);
    expect(blocked[0]?.reason).toMatch(/^flat and sma's latest view is long \(conviction 1\), but the last open was denied \((insufficient_funds|below_min_notional): .+\): open again in 1 review$/);
    expect(blocked[1]?.reason).toMatch(/\(refused 2 times in a row\): open again in 2 reviews$/);
    // One denial per open tried (the analyst's own signal decided and was denied once before the cycle's reviews).
    const cycleDenials = ofType(list, 'IntentDenied').filter((x) => x.tsEvent >= (steps[0]?.tsEvent ?? 0));
    expect(cycleDenials).toHaveLength(5);
  });

  it('names its open step as a cause of the decision, so explain shows it beside the signal', () => {
    const config = holderDesk(60, (doc) => (doc.orchestrator = { positionCycle: { open: true, reviewEvery: '4h', closeAfter: '8h' } }));
    const d = buildDesk({ config, data: syntheticDeskData(config) });
    d.runToEnd();
    const list = events(d);
    const open = ofType(list, 'CycleStepTaken').find((s) => s.step === 'open');
    const decision = ofType(list, 'DecisionMade').find((x) => x.tsEvent === open?.tsEvent && x.mode === 'independent');
    expect(decision?.causationId).toBe(`signal:sma:SYNTH:BTC/USDT:1704070800000,${open?.id}`);
    const chain = causationChain(list, decision?.intentId ?? '');
    expect(chain.found).toBe(true);
    if (!chain.found) return;
    expect(chain.cycleStep?.id).toBe(open?.id);
    expect(chain.signals.map((s) => s.signalId)).toEqual(['signal:sma:SYNTH:BTC/USDT:1704070800000']);
    expect(chain.missing).toEqual([]);
  });

  it('counts closeAfter from the fill that opened the position, not from the open decision (a TWAP entry)', () => {
    const config = holderDesk(80, (doc) => {
      doc.execution = { algorithm: { kind: 'twap', slices: 4, over: '4h' }, stopLoss: '0.08' };
      doc.orchestrator = { positionCycle: { open: true, reviewEvery: '1h', closeAfter: '6h' } };
    });
    const d = buildDesk({ config, data: syntheticDeskData(config) });
    d.runToEnd();
    const list = events(d);
    const opens = ofType(list, 'CycleStepTaken').filter((s) => s.step === 'open');
    expect(opens.length).toBeGreaterThan(2);
    for (const open of opens) {
      const firstFill = ofType(list, 'OrderFilled').find((f) => f.tsEvent > open.tsEvent);
      const close = ofType(list, 'CycleStepTaken').find((s) => s.step === 'close' && s.tsEvent > open.tsEvent);
      if (firstFill === undefined || close === undefined) continue;
      expect(close.tsEvent - firstFill.tsEvent).toBe(6 * 3_600_000);
      expect(close.reason).toBe('held 360 min, at least the 360 min limit: close');
    }
  });
});
