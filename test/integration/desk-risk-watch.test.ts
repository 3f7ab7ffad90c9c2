import { describe, expect, it } from 'vitest';
import { buildDesk } from '../../src/backtest/desk-backtest.js';
import { parseDeskConfig } from '../../src/config/parse-desk.js';
import type { DeskEvent } from '../../src/domain/events.js';
import { syntheticDeskData } from '../../src/engine/desk/desk-data.js';
import type { Desk } from '../../src/engine/desk/desk.js';
import { RiskMonitorRole } from '../../src/engine/desk/risk-monitor-role.js';
import { causationChain } from '../../src/engine/causation-chain.js';
import { scriptByBar } from '../support/scripted-analyst.js';

const SPOT = 'SYN:BTC/USDT';
const PERP = 'SYN:BTC/USDT:USDT';

/** A spot and a perpetual of one pair (one synthetic price path), each traded by a scripted analyst in its own sleeve. */
function hedgeDesk(options: { monitoring: string; bars?: number; execution?: string; extra?: string }): string {
  return `
desk: { name: watch, valuationCurrency: USDT, seed: 3 }
instruments:
  - { id: '${SPOT}', tickSize: '0.01', lotSize: '0.0001', minNotional: '10', makerFee: '0', takerFee: '0' }
  - { id: '${PERP}', tickSize: '0.01', lotSize: '0.001', minNotional: '10', makerFee: '0', takerFee: '0', maxLeverage: '3' }
venues:
  - { kind: sim, id: SYN, fillModel: bar, barExecution: next-open, slippage: { kind: none }, leverage: { '${PERP}': '3' } }
data:
  '${SPOT}': { source: synthetic, startPrice: 30000, annualVol: 0.8, start: '2024-01-01', timeframe: 1h, bars: ${options.bars ?? 400} }
  '${PERP}': { source: synthetic, startPrice: 30000, annualVol: 0.8, start: '2024-01-01', timeframe: 1h, bars: ${options.bars ?? 400} }
capital:
  cash: { USDT: '300000' }
  sleeves:
    - { id: s-spot, maxGrossExposure: '1000000', maxDrawdown: '1' }
    - { id: s-perp, maxGrossExposure: '1000000', maxDrawdown: '1' }
agents:
  - { id: a-spot, role: analyst, strategy: buy-and-hold, instruments: ['${SPOT}'], sleeve: s-spot }
  - { id: a-perp, role: analyst, strategy: buy-and-hold, instruments: ['${PERP}'], sleeve: s-perp }
  - { id: pm, role: manager }
sizing: { kind: notional, perConviction: '50000' }
execution: ${options.execution ?? '{ algorithm: { kind: market } }'}
risk:
  limits: { maxLeverage: '5' }
  monitoring: ${options.monitoring}
orchestrator:
  nudges: { risk: 1h }
${options.extra ?? ''}`;
}

function build(yaml: string): Desk {
  const { config } = parseDeskConfig(yaml, 'watch.yaml');
  return buildDesk({ config, data: syntheticDeskData(config) });
}

function ofType<T extends DeskEvent['type']>(d: Desk, type: T): Extract<DeskEvent, { type: T }>[] {
  return [...d.core.store.read(0)].filter((e): e is Extract<DeskEvent, { type: T }> => e.type === type);
}

describe('the risk watch of a desk trading several instruments', () => {
  it('measures after every bar closing at its time: the marks and last returns of both legs are those of that close', () => {
    const d = build(hedgeDesk({ monitoring: "{ confidence: 0.99, method: historical, lookbackBars: 50, shocks: ['-0.1'] }" }));
    scriptByBar(d, 'a-spot', { 60: 'long' });
    scriptByBar(d, 'a-perp', { 60: 'short' });
    const seen: { now: number; marks: Map<string, number> }[] = [];
    const assess = RiskMonitorRole.prototype.assess;
    const monitor = (d as unknown as { monitor: RiskMonitorRole }).monitor;
    monitor.assess = function (this: RiskMonitorRole, ...args: Parameters<RiskMonitorRole['assess']>) {
      seen.push({ now: args[2], marks: new Map([...args[1]].map(([id, price]) => [id, price.toNumber()])) });
      return assess.apply(this, args);
    };
    d.runToEnd();
    const lanes = (d as unknown as { market: { lane(id: string): { series: { ts: Float64Array; close: Float64Array } } } }).market;
    const closeAt = (id: string, now: number): number => {
      const s = lanes.lane(id).series;
      return s.close[s.ts.indexOf(now - 3_600_000)] as number;
    };
    expect(seen.length).toBe(400);
    for (const { now, marks } of seen) {
      expect(marks.get(SPOT)).toBeCloseTo(closeAt(SPOT, now), 6);
      expect(marks.get(PERP)).toBeCloseTo(closeAt(PERP, now), 6);
    }
    // Both legs are held from bar 61 on: long spot, short perp of about the same size on one price path, so the
    // VaR of the pair (14-27 here) is a small part of one leg's. Measured with the perpetual a bar behind, it was ~700.
    const assessed = ofType(d, 'RiskAssessed').filter((r) => r.tsEvent > seen[120]!.now);
    expect(assessed.length).toBeGreaterThan(5);
    for (const r of assessed) expect(r.valueAtRisk).toBeLessThan(50);
  });
});

describe('the risk watch before it has returns enough', () => {
  it('says VaR is not measured, and why, instead of a VaR of 0 within limits', () => {
    const d = build(hedgeDesk({ monitoring: "{ confidence: 0.99, method: historical, lookbackBars: 50, maxVar: '0.0001', shocks: ['-0.1'] }", bars: 100 }));
    scriptByBar(d, 'a-spot', { 2: 'long' });
    scriptByBar(d, 'a-perp', {});
    d.runToEnd();
    const first = ofType(d, 'RiskAssessed')[0];
    expect(first?.tsEvent).toBe(Date.UTC(2024, 0, 1, 4));
    expect(first?.valueAtRisk).toBeUndefined();
    expect(first?.conditionalValueAtRisk).toBeUndefined();
    expect(first?.action).toBe('none');
    expect(first?.reason).toBe('No measured limit breached (state ACTIVE). VaR and CVaR not measured: SYN:BTC/USDT has 3 bar returns; 30 are needed.');
    // From 30 returns on, the same limit is measured, and breached.
    const measured = ofType(d, 'RiskAssessed').find((r) => r.valueAtRisk !== undefined);
    expect(measured?.tsEvent).toBe(Date.UTC(2024, 0, 1, 31));
    expect(measured?.action).toBe('reduce');
  });
});

describe('a risk cut', () => {
  const twap = '{ algorithm: { kind: twap, slices: 8, over: 8h } }';

  it('stops the algorithm opening a busy book and cuts that book too, at market, saying what it cut', () => {
    const d = build(hedgeDesk({ monitoring: "{ confidence: 0.99, method: historical, lookbackBars: 50, maxVar: '0.0005', shocks: ['-0.1'] }", bars: 60, execution: twap }));
    // The perpetual's long is held from the first hours; the spot long's TWAP runs from 05:00 to 12:00 on the second
    // day, and the first VaR measured (07:00) is over its limit.
    scriptByBar(d, 'a-perp', { 1: 'long' }, 0.5);
    scriptByBar(d, 'a-spot', { 28: 'long' });
    d.runToEnd();
    const acting = ofType(d, 'RiskAssessed').filter((r) => r.action === 'reduce');
    const first = acting[0];
    expect(first?.tsEvent).toBe(Date.UTC(2024, 0, 2, 7));
    expect(first?.reason).toMatch(/Cut at market: s-perp SYN:BTC\/USDT:USDT \([\d.]+\), s-spot SYN:BTC\/USDT \([\d.]+\)\./);
    expect(first?.reason).not.toMatch(/Not cut/);
    // The spot TWAP's remaining slices are canceled or never sent: no slice of it is approved after the cut.
    const approved = ofType(d, 'IntentApproved');
    const spotSlices = approved.filter((a) => a.intent.owner === 's-spot' && /\.\d+$/.test(a.intent.id));
    expect(spotSlices.length).toBeGreaterThan(0);
    expect(spotSlices.every((a) => a.tsEvent <= (first?.tsEvent ?? 0))).toBe(true);
    // Each book's cut is one market order, not TWAP slices, and it fills at the next open (the bar opening at 07:00).
    const cuts = approved.filter((a) => a.tsEvent === first?.tsEvent && a.intent.reduceOnly === true);
    expect(cuts.map((a) => [a.intent.owner, a.intent.type, /\.\d+$/.test(a.intent.id)]).sort()).toEqual([
      ['s-perp', 'market', false],
      ['s-spot', 'market', false],
    ]);
    const filled = ofType(d, 'OrderFilled').filter((f) => cuts.some((c) => c.clientOrderId === f.fill.clientOrderId));
    expect(filled.map((f) => f.tsEvent)).toEqual([Date.UTC(2024, 0, 2, 7), Date.UTC(2024, 0, 2, 7)]);
  });
});

describe('REDUCING set by the risk watch', () => {
  const monitoring = "{ confidence: 0.99, method: historical, lookbackBars: 50, maxVar: '0.0005', shocks: ['-0.1'] }";

  it('is lifted once every measure is at or below its release level, quoting how far below; between it and the limit it holds', () => {
    const d = build(hedgeDesk({ monitoring, bars: 60 }));
    scriptByBar(d, 'a-perp', { 1: 'long' }, 0.5);
    scriptByBar(d, 'a-spot', {});
    d.runToEnd();
    const changes = ofType(d, 'TradingStateChanged');
    expect(changes.map((e) => [e.from, e.to, e.trigger, e.tsEvent])).toEqual([
      ['ACTIVE', 'REDUCING', 'risk-monitor', Date.UTC(2024, 0, 2, 7)],
      ['REDUCING', 'ACTIVE', 'risk-monitor', Date.UTC(2024, 0, 3, 10)],
    ]);
    // The cut aims at the release level (90% of the 150.48 limit), not the limit itself.
    expect(changes[0]?.reason).toBe(
      'risk monitor: 99% 1-bar VaR 239.55 (0.08% of equity 300968.95) exceeds the 0.05% limit (150.48): reduce gross exposure by 43.5% (to 90% of the limit, its release level).',
    );
    // A day later VaR (137.76) is under the limit but above the release level: the desk stays REDUCING, and says why.
    const held = ofType(d, 'RiskAssessed').find((r) => r.tsEvent === Date.UTC(2024, 0, 3, 7));
    expect(held?.reason).toBe('Risk within limits (state REDUCING). REDUCING holds: VaR 137.76 is above its release level 135.41 (90% of the 0.05% limit).');
    expect(changes[1]?.reason).toBe(
      'risk monitor: every measure is at or below its release level: VaR 123.62, 11.78 below its release level 135.41 (90% of the 0.05% limit); CVaR 123.62; worst stress loss 1453.25 on equity 300901.17; the desk returns to ACTIVE.',
    );
  });

  it('near its limit does not flip back and forth with tiny cuts: each cut reaches the release level, and lifts there', () => {
    const d = build(hedgeDesk({ monitoring, bars: 300 }));
    scriptByBar(d, 'a-perp', { 1: 'long' }, 0.5);
    scriptByBar(d, 'a-spot', {});
    d.runToEnd();
    // Lifted as soon as VaR was back at its limit, the next hours' drift breached it again: 32 changes in 12 days,
    // most of them cuts of 0.1-0.7%.
    expect(ofType(d, 'TradingStateChanged').map((e) => [e.to, new Date(e.tsEvent).toISOString()])).toEqual([
      ['REDUCING', '2024-01-02T07:00:00.000Z'],
      ['ACTIVE', '2024-01-03T10:00:00.000Z'],
      ['REDUCING', '2024-01-05T04:00:00.000Z'],
      ['ACTIVE', '2024-01-05T06:00:00.000Z'],
      ['REDUCING', '2024-01-12T04:00:00.000Z'],
      ['ACTIVE', '2024-01-12T05:00:00.000Z'],
    ]);
    const cuts = ofType(d, 'RiskAssessed').filter((r) => r.action === 'reduce');
    expect(cuts.map((r) => /reduce gross exposure by ([\d.]+)%/.exec(r.reason)?.[1])).toEqual(['43.5', '19.4', '10.1']);
  });

  it('near a stress-loss limit holds the same band: lifted at the limit itself (releaseFraction 1) it changed state 20 times in 12 days', () => {
    const changesAt = (releaseFraction: string): string[][] => {
      const d = build(hedgeDesk({ monitoring: `{ lookbackBars: 50, maxStressLoss: '0.005', shocks: ['-0.1'], releaseFraction: '${releaseFraction}' }`, bars: 300 }));
      scriptByBar(d, 'a-perp', { 1: 'long' }, 0.5);
      scriptByBar(d, 'a-spot', {});
      d.runToEnd();
      return ofType(d, 'TradingStateChanged').map((e) => [e.to, new Date(e.tsEvent).toISOString()]);
    };
    expect(changesAt('1')).toHaveLength(20);
    expect(changesAt('0.9')).toEqual([
      ['REDUCING', '2024-01-01T03:00:00.000Z'],
      ['ACTIVE', '2024-01-01T08:00:00.000Z'],
    ]);
  });

  it('is not lifted when a person set it', () => {
    const d = build(hedgeDesk({ monitoring: "{ confidence: 0.99, method: historical, lookbackBars: 50, maxVar: '0.5', shocks: ['-0.1'] }", bars: 60 }));
    scriptByBar(d, 'a-perp', { 1: 'long' }, 0.5);
    scriptByBar(d, 'a-spot', {});
    for (let bar = 0; bar < 40; bar++) d.next();
    d.core.reduce('the operator trims the desk', 'command');
    d.runToEnd();
    expect(ofType(d, 'TradingStateChanged').map((e) => [e.to, e.trigger])).toEqual([['REDUCING', 'command']]);
    expect(d.core.tradingState).toBe('REDUCING');
  });
});

describe("a risk cut's causation", () => {
  it('cites the RiskAssessed event that decided it, so the chain from the cut back to the assessment is whole', () => {
    const d = build(hedgeDesk({ monitoring: "{ confidence: 0.99, method: historical, lookbackBars: 50, maxVar: '0.0005', shocks: ['-0.1'] }", bars: 60 }));
    scriptByBar(d, 'a-perp', { 1: 'long' }, 0.5);
    scriptByBar(d, 'a-spot', {});
    d.runToEnd();
    const acting = ofType(d, 'RiskAssessed').filter((r) => r.action === 'reduce');
    const cuts = ofType(d, 'DecisionMade').filter((e) => e.mode === 'emergency');
    expect(acting.length).toBeGreaterThan(0);
    expect(cuts.length).toBeGreaterThan(0);
    const ids = new Set<string>(acting.map((r) => r.id));
    for (const cut of cuts) {
      expect(ids.has(cut.causationId ?? '')).toBe(true);
      expect(acting.find((r) => r.id === cut.causationId)?.tsEvent).toBe(cut.tsEvent);
      const chain = causationChain([...d.core.store.read(0)], cut.intentId ?? '');
      expect(chain.found && [chain.assessment?.id, chain.decision?.id, chain.missing]).toEqual([cut.causationId, cut.id, []]);
    }
  });
});
