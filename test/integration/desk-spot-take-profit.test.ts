import { describe, expect, it } from 'vitest';
import { buildDesk, runDeskBacktest } from '../../src/backtest/desk-backtest.js';
import { parseDeskConfig } from '../../src/config/parse-desk.js';
import { instrumentId } from '../../src/core/ids.js';
import { BarSeriesBuilder } from '../../src/data/bar-series.js';
import type { DeskEvent } from '../../src/domain/events.js';
import { causationChain } from '../../src/engine/causation-chain.js';
import { renderChain } from '../../src/interfaces/cli/commands/explain.js';
import type { Desk } from '../../src/engine/desk/desk.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);
const BTC = instrumentId('S:BTC/USDT');

/** A buy-and-hold analyst on spot with a 5% stop-loss and a 10% take-profit, on bars the test draws. */
function deskYaml(latencyMs: number): string {
  return `
desk: { name: targets, valuationCurrency: USDT, seed: 1 }
instruments:
  - { id: 'S:BTC/USDT', tickSize: '0.01', lotSize: '0.001', takerFee: '0.001', makerFee: '0.001' }
venues:
  - { kind: sim, id: S${latencyMs > 0 ? `, latency: ${latencyMs}ms` : ''} }
data:
  'S:BTC/USDT': { source: synthetic, startPrice: 100, annualVol: 0.5, start: '2024-01-01', timeframe: 1h, bars: 10 }
capital:
  cash: { USDT: '10000' }
  sleeves:
    - { id: hold, maxGrossExposure: '100000', maxDrawdown: '1' }
agents:
  - { id: bh, role: analyst, strategy: buy-and-hold, sleeve: hold }
  - { id: pm, role: manager }
sizing: { kind: notional, perConviction: '1000' }
execution:
  algorithm: { kind: market }
  stopLoss: '0.05'
  takeProfit: '0.1'
`;
}

/** Hourly bars from [open, high, low, close] rows. */
function bars(rows: readonly (readonly [number, number, number, number])[]): Map<typeof BTC, ReturnType<BarSeriesBuilder['build']>> {
  const builder = new BarSeriesBuilder(rows.length);
  rows.forEach(([open, high, low, close], i) => builder.push(T0 + i * HOUR, open, high, low, close, 100));
  return new Map([[BTC, builder.build(BTC, HOUR)]]);
}

function run(latencyMs: number, rows: readonly (readonly [number, number, number, number])[]): { desk: Desk; list: DeskEvent[] } {
  const { config } = parseDeskConfig(deskYaml(latencyMs), 'targets.yaml');
  const { desk } = runDeskBacktest({ config, data: { series: bars(rows), extras: [] } });
  return { desk, list: [...desk.core.store.read(0)] };
}

function ofType<T extends DeskEvent['type']>(list: readonly DeskEvent[], type: T): Extract<DeskEvent, { type: T }>[] {
  return list.filter((e): e is Extract<DeskEvent, { type: T }> => e.type === type);
}

const FLAT: [number, number, number, number] = [100, 100.5, 99.5, 100];

describe('a spot bracket: the stop-loss rests at the venue, the take-profit is watched by the desk', () => {
  it('sells at market once a close reaches the target, after canceling the stop that held the coins', () => {
    // Bought at bar 1's open (100); the target is 110. Bar 4's high touches 111 but it closes at 108: nothing.
    // Bar 5 closes at 110.5: the stop is canceled and the coins go at bar 6's open (109). Fills carry their bar's time.
    const { desk, list } = run(0, [FLAT, FLAT, FLAT, [100, 105, 99.8, 104], [104, 111, 103, 108], [108, 111, 107, 110.5], [109, 112, 108, 111], [111, 112, 110, 111], FLAT, FLAT]);
    const fills = ofType(list, 'OrderFilled').map((f) => [f.fill.side, f.fill.quantity.toPlainString(), f.fill.price.toPlainString(), (f.tsEvent - T0) / HOUR]);
    expect(fills).toEqual([
      ['buy', '10', '100', 1],
      ['sell', '10', '109', 6],
    ]);
    const triggered = ofType(list, 'TakeProfitTriggered');
    expect(triggered).toHaveLength(1);
    const trigger = triggered[0]!;
    expect([trigger.triggerPrice.toPlainString(), trigger.price.toPlainString(), trigger.owner, (trigger.tsEvent - T0) / HOUR]).toEqual(['110', '110.5', 'hold', 6]);
    // The stop that held the coins was canceled by the trigger, before the exit went to the gate.
    const stop = ofType(list, 'OrderSubmitted').find((s) => s.order.linkage?.role === 'stop-loss');
    expect(stop?.order.triggerPrice?.toPlainString()).toBe('95');
    expect(stop?.order.clientOrderId).toBe(trigger.stopClientOrderId);
    const cancel = list.findIndex((e) => e.type === 'OrderPendingCancel' && e.clientOrderId === trigger.stopClientOrderId);
    const approval = list.findIndex((e) => e.type === 'IntentApproved' && e.intent.id === trigger.intentId);
    expect(list[cancel]?.causationId).toBe(trigger.id);
    expect(approval).toBeGreaterThan(list.findIndex((e) => e.type === 'OrderCanceled' && e.clientOrderId === trigger.stopClientOrderId));
    const exit = list[approval] as Extract<DeskEvent, { type: 'IntentApproved' }>;
    expect([exit.intent.type, exit.intent.reduceOnly, exit.intent.causationId]).toEqual(['market', true, trigger.id]);
    // Nothing is left open or held back, and no take-profit order ever went to the venue.
    expect(desk.core.oms.openOrders({}).length).toBe(0);
    expect(desk.core.ledger.position('hold', BTC)?.quantity.isZero() ?? true).toBe(true);
    expect(ofType(list, 'OrderSubmitted').some((s) => s.order.type === 'take-profit-market')).toBe(false);
    // explain walks the exit back to the trigger's entry decision.
    const chain = causationChain(list, trigger.intentId);
    expect(chain.found && chain.decision?.intentId).toBe(trigger.intentId.replace(/\.tp$/, ''));
    expect(chain.found && chain.order.status).toBe('filled');
  });

  it('is explained whole: the entry shows its watched target and the exit that sold, the exit walks back to the trigger and its entry', () => {
    const { list } = run(0, [FLAT, FLAT, FLAT, [100, 105, 99.8, 104], [104, 111, 103, 108], [108, 111, 107, 110.5], [109, 112, 108, 111], [111, 112, 110, 111], FLAT, FLAT]);
    const trigger = ofType(list, 'TakeProfitTriggered')[0]!;
    const entryIntent = trigger.intentId.replace(/\.tp$/, '');
    const entry = causationChain(list, entryIntent);
    if (!entry.found) throw new Error('no entry');
    const approved = entry.order.verdicts[0];
    expect(approved?.type === 'IntentApproved' && [approved.intent.watchedTakeProfit?.price.toPlainString(), approved.intent.watchedTakeProfit?.fraction?.toPlainString()]).toEqual(['110', '0.1']);
    expect(entry.order.children.map((child) => [child.intentId, child.status, child.trigger?.id])).toEqual([
      [`${entryIntent}.sl`, 'canceled', undefined],
      [trigger.intentId, 'filled', trigger.id],
    ]);
    const stop = entry.order.children[0]!;
    expect(stop.causes?.map((cause) => [cause.id, cause.type])).toEqual([[trigger.id, 'TakeProfitTriggered']]);
    const exitOrder = entry.order.children[1]!;
    const text = renderChain(entry).join('\n');
    expect(text).toContain("bracket: stop-loss 95 at the decision's price (set 5% from the entry's fill price once it fills), take-profit 110 at the decision's price (set 10% from the entry's fill price once it fills), watched by the desk beside the stop-loss");
    expect(text).toContain(`(caused by ${trigger.id} TakeProfitTriggered)`);
    expect(text).toContain(`Bracket take-profit ${exitOrder.clientOrderId}: filled`);
    expect(text).toContain(`TakeProfitTriggered`);
    expect(text).toContain('total 10 of 10 at average 109');

    const exit = causationChain(list, trigger.intentId);
    if (!exit.found) throw new Error('no exit');
    expect([exit.parentClientOrderId, exit.parentIntentId, exit.order.trigger?.id, exit.decision?.intentId, exit.missing]).toEqual([entry.order.clientOrderId, undefined, trigger.id, entryIntent, []]);
    const exitText = renderChain(exit).join('\n');
    expect(exitText).not.toContain('worked by the execution algorithm');
    expect(exitText).toContain(`A bracket child of ${entry.order.clientOrderId}; the signals and decision below are the entry's.`);
    expect(exitText).toMatch(new RegExp(`Take-profit reached:\\n  \\S+ ${trigger.id}\\s+TakeProfitTriggered`));
  });

  it('waits for the venue to confirm the stop is canceled when requests take time to arrive', () => {
    // With 50 ms of latency the entry reaches the venue during bar 1 and fills at bar 2's open.
    const { list } = run(50, [FLAT, FLAT, FLAT, [100, 111, 99.8, 110.5], [111, 112, 110, 111], [111.5, 112, 110, 111], [112, 113, 111, 112], [112.5, 113, 112, 112.5], FLAT, FLAT]);
    const trigger = ofType(list, 'TakeProfitTriggered')[0];
    expect(trigger === undefined ? undefined : (trigger.tsEvent - T0) / HOUR).toBe(4);
    // Bar 3's close reaches the target; the cancel arrives during bar 4 and is confirmed with bar 5; the exit sent
    // then arrives during bar 6 and fills at bar 7's open.
    const fills = ofType(list, 'OrderFilled').map((f) => [f.fill.side, f.fill.price.toPlainString(), (f.tsEvent - T0) / HOUR]);
    expect(fills).toEqual([
      ['buy', '100', 2],
      ['sell', '112.5', 7],
    ]);
  });

  it('keeps the stop and lets the target wait while the desk is halted', () => {
    const { config } = parseDeskConfig(deskYaml(0), 'targets.yaml');
    const desk = buildDesk({ config, data: { series: bars([FLAT, FLAT, FLAT, [100, 111, 99.8, 110.5], [110, 110, 90, 92], FLAT, FLAT, FLAT, FLAT, FLAT]), extras: [] } });
    desk.next();
    desk.next();
    desk.halt('operator');
    desk.runToEnd();
    const list = [...desk.core.store.read(0)];
    // Bar 3's close reaches the target, but a halted desk sends nothing: the stop stays and sells at 95 on bar 4.
    expect(ofType(list, 'TakeProfitTriggered')).toHaveLength(0);
    const fills = ofType(list, 'OrderFilled').map((f) => [f.fill.side, f.fill.price.toPlainString(), (f.tsEvent - T0) / HOUR]);
    expect(fills).toEqual([
      ['buy', '100', 1],
      ['sell', '95', 4],
    ]);
    expect(ofType(list, 'IntentDenied')).toEqual([]);
  });

  it('drops the target when the stop-loss fills first', () => {
    const { desk, list } = run(0, [FLAT, FLAT, FLAT, [100, 101, 94, 96], [96, 120, 95, 118], FLAT, FLAT, FLAT, FLAT, FLAT]);
    const fills = ofType(list, 'OrderFilled').map((f) => [f.fill.side, f.fill.price.toPlainString()]);
    expect(fills).toEqual([
      ['buy', '100'],
      ['sell', '95'],
    ]);
    expect(ofType(list, 'TakeProfitTriggered')).toHaveLength(0);
    expect(desk.executor.watchedTargets()).toHaveLength(0);
  });
});

describe('a spot take-profit whose exit does not go out', () => {
  it('puts the stop back, halt or not, when a halt refuses the exit sent once the stop is canceled, and the stop then holds the fall', () => {
    // With 50 ms of latency: bought at bar 2's open (100); bar 3's close (110.5) reaches the target and the stop's
    // cancel goes out. The operator halts the desk before the venue confirms it: the exit sent then is refused.
    const { config } = parseDeskConfig(deskYaml(50), 'targets.yaml');
    const rows: [number, number, number, number][] = [FLAT, FLAT, FLAT, [100, 111, 99.8, 110.5], [108, 109, 104, 105], [105, 106, 104, 105], [105, 106, 104, 105], [105, 106, 104, 105], [104, 104, 80, 82], [82, 83, 81, 82]];
    const desk = buildDesk({ config, data: { series: bars(rows), extras: [] } });
    for (let i = 0; i < 4; i++) desk.next();
    desk.halt('operator');
    desk.next();
    desk.next();
    desk.resume('operator');
    desk.runToEnd();
    const list = [...desk.core.store.read(0)];
    const trigger = ofType(list, 'TakeProfitTriggered')[0];
    expect(trigger === undefined ? undefined : (trigger.tsEvent - T0) / HOUR).toBe(4);
    const entry = trigger?.intentId.replace(/\.tp$/, '');
    const denied = ofType(list, 'IntentDenied').map((d) => [d.intentId, d.code]);
    expect(denied).toEqual([[trigger?.intentId, 'trading_halted']]);
    // The position gets a fresh stop at the one it had (95) while the desk is still halted (a halt refuses new risk,
    // not the protection of a position), and the fall sells there.
    const stops = ofType(list, 'OrderSubmitted').filter((s) => s.order.linkage?.role === 'stop-loss');
    expect(stops.map((s) => [s.order.intentId, s.order.triggerPrice?.toPlainString(), s.order.quantity.toPlainString(), (s.tsEvent - T0) / HOUR])).toEqual([
      [`${entry}.sl`, '95', '10', 3],
      [`${entry}.tp.sl`, '95', '10', 6],
    ]);
    const fills = ofType(list, 'OrderFilled').map((f) => [f.fill.side, f.fill.price.toPlainString(), (f.tsEvent - T0) / HOUR]);
    expect(fills).toEqual([
      ['buy', '100', 2],
      ['sell', '95', 8],
    ]);
    expect(desk.core.ledger.position('hold', BTC)?.quantity.isZero() ?? true).toBe(true);
    // The journal says why, caused by the denial; explain shows the stop the refused exit gave back.
    const restored = ofType(list, 'ExitsRestored');
    expect(restored.map((r) => [r.intentId, r.quantity.toPlainString(), r.stopLoss?.toPlainString(), r.takeProfit?.toPlainString(), r.causationId])).toEqual([
      [trigger?.intentId, '10', '95', '110', ofType(list, 'IntentDenied')[0]?.id],
    ]);
    expect(restored[0]?.reason).toBe(
      `${trigger?.intentId} was denied (trading_halted: Trading is halted; no new orders are accepted until an operator resumes it.) and left 10 BTC of S:BTC/USDT: its stop-loss 95 and watched take-profit 110 go back`,
    );
    const chain = causationChain(list, trigger?.intentId ?? '');
    expect(chain.found && [chain.order.status, chain.order.children.map((child) => [child.intentId, child.status])]).toEqual(['denied', [[`${entry}.tp.sl`, 'filled']]]);
    expect(chain.found && chain.decision?.intentId).toBe(entry);
  });
});
