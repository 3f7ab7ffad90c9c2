import { refuseCancels } from '../support/refused-cancels.js';
import { describe, expect, it } from 'vitest';
import { buildDesk } from '../../src/backtest/desk-backtest.js';
import { parseDeskConfig } from '../../src/config/parse-desk.js';
import { agentId, instrumentId, intentId, type InstrumentId } from '../../src/core/ids.js';
import { fx } from '../../src/core/fixed.js';
import { unixMs } from '../../src/core/time.js';
import { BarSeriesBuilder } from '../../src/data/bar-series.js';
import type { DeskEvent } from '../../src/domain/events.js';
import type { Desk } from '../../src/engine/desk/desk.js';
import { causationChain } from '../../src/engine/causation-chain.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);
const SPOT = instrumentId('S:BTC/USDT');
const PERP = instrumentId('S:BTC/USDT:USDT');
const FLAT: [number, number, number, number] = [100, 100.5, 99.5, 100];

/** A buy-and-hold analyst with a 5% stop-loss and a 10% take-profit on one instrument, on bars the test draws. */
function desk(id: InstrumentId, rows: readonly (readonly [number, number, number, number])[]): Desk {
  const yaml = `
desk: { name: cut, valuationCurrency: USDT, seed: 1 }
instruments:
  - { id: '${id}', tickSize: '0.01', lotSize: '0.001', takerFee: '0.001', makerFee: '0.001' }
venues:
  - { kind: sim, id: S }
data:
  '${id}': { source: synthetic, startPrice: 100, annualVol: 0.5, start: '2024-01-01', timeframe: 1h, bars: 10 }
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
  const { config } = parseDeskConfig(yaml, 'cut.yaml');
  const builder = new BarSeriesBuilder(rows.length);
  rows.forEach(([open, high, low, close], i) => builder.push(T0 + i * HOUR, open, high, low, close, 100));
  return buildDesk({ config, data: { series: new Map([[id, builder.build(id, HOUR)]]), extras: [] } });
}

/** Bought 10 at bar 1's open (100); after bar 2 a risk cut sells 4 of them, reduce-only, filled at bar 3's open. */
function cutAfterBarTwo(d: Desk, id: InstrumentId): void {
  d.next();
  d.next();
  d.next();
  const instrument = d.core.instrument(id);
  if (instrument === undefined) throw new Error('no instrument');
  const cut = { id: intentId('risk-cut'), agentId: agentId('risk'), owner: 'hold', instrumentId: id, side: 'sell' as const, type: 'market' as const, quantity: fx('4'), reduceOnly: true, tsEvent: unixMs(T0 + 3 * HOUR) };
  d.executor.execute(cut, instrument, fx('100'), unixMs(T0 + 3 * HOUR));
}

function submitted(list: readonly DeskEvent[]): string[] {
  return list.flatMap((e) => (e.type === 'OrderSubmitted' ? [`${e.order.intentId} ${e.order.type} ${e.order.side} ${e.order.quantity.toPlainString()}${e.order.triggerPrice === undefined ? '' : ` @${e.order.triggerPrice.toPlainString()}`}`] : []));
}

function fills(list: readonly DeskEvent[]): (string | number)[][] {
  return list.flatMap((e) => (e.type === 'OrderFilled' ? [[e.fill.side, e.fill.quantity.toPlainString(), e.fill.price.toPlainString(), (e.tsEvent - T0) / HOUR]] : []));
}

describe('a partial cut puts the exits back for what it leaves', () => {
  it('on a perpetual: a stop-loss and take-profit for the remaining 6 at the triggers it had, and the stop closes them', () => {
    const d = desk(PERP, [FLAT, FLAT, FLAT, FLAT, FLAT, [100, 100, 94, 96], FLAT, FLAT, FLAT, FLAT]);
    cutAfterBarTwo(d, PERP);
    d.runToEnd();
    const list = [...d.core.store.read(0)];
    expect(submitted(list)).toEqual([
      expect.stringMatching(/ market buy 10$/),
      expect.stringMatching(/\.sl stop-market sell 10 @95$/),
      expect.stringMatching(/\.tp take-profit-market sell 10 @110$/),
      'risk-cut market sell 4',
      'risk-cut.sl stop-market sell 6 @95',
      'risk-cut.tp take-profit-market sell 6 @110',
    ]);
    expect(fills(list)).toEqual([
      ['buy', '10', '100', 1],
      ['sell', '4', '100', 3],
      ['sell', '6', '95', 5],
    ]);
    expect(d.core.oms.openCount()).toBe(0);
  });

  it('on spot: the stop goes back to the venue and the target to the watch, which sells the rest when a close reaches it', () => {
    const d = desk(SPOT, [FLAT, FLAT, FLAT, FLAT, FLAT, [100, 111, 99.8, 110.5], [109, 112, 108, 111], FLAT, FLAT, FLAT]);
    cutAfterBarTwo(d, SPOT);
    expect(d.executor.watchedTargets()).toEqual([]);
    d.runToEnd();
    const list = [...d.core.store.read(0)];
    expect(submitted(list).slice(2)).toEqual(['risk-cut market sell 4', 'risk-cut.sl stop-market sell 6 @95', 'risk-cut.tp market sell 6']);
    expect(fills(list)).toEqual([
      ['buy', '10', '100', 1],
      ['sell', '4', '100', 3],
      ['sell', '6', '109', 6],
    ]);
    expect(list.filter((e) => e.type === 'TakeProfitTriggered')).toHaveLength(1);
  });
});

describe("a cut given up because the venue refused to cancel one of a perpetual's exits", () => {
  /** The cut after bar 2 as above; the venue refuses the first two requests to cancel an order of role `refused`. */
  function refusing(rows: readonly (readonly [number, number, number, number])[], refused: 'stop-loss' | 'take-profit'): DeskEvent[] {
    const d = desk(PERP, rows);
    refuseCancels(d, 2, (id) => d.core.oms.get(id)?.spec.linkage?.role === refused);
    cutAfterBarTwo(d, PERP);
    d.runToEnd();
    const list = [...d.core.store.read(0)];
    expect(d.core.oms.openCount()).toBe(0);
    return list;
  }

  it('gives the take-profit it canceled back beside the stop that stays, one-cancels-the-other with it', () => {
    // The stop's cancel is refused at bar 2's close and again at bar 3's: the cut is given up, the position keeps its
    // 10 and its stop; the take-profit, canceled at once, goes back for the 10 and closes them at bar 5 (high 111),
    // and the stop is canceled as its sibling.
    const list = refusing([FLAT, FLAT, FLAT, FLAT, FLAT, [100, 111, 99, 110], FLAT, FLAT, FLAT, FLAT], 'stop-loss');
    expect(list.filter((e) => e.type === 'IntentDenied').map((e) => e.type === 'IntentDenied' && [e.intentId, e.code])).toEqual([['risk-cut', 'cancel_refused']]);
    expect(submitted(list)).toEqual([
      expect.stringMatching(/ market buy 10$/),
      expect.stringMatching(/\.sl stop-market sell 10 @95$/),
      expect.stringMatching(/\.tp take-profit-market sell 10 @110$/),
      'risk-cut.tp take-profit-market sell 10 @110',
    ]);
    const restored = list.filter((e): e is Extract<DeskEvent, { type: 'ExitsRestored' }> => e.type === 'ExitsRestored');
    expect(restored.map((r) => [r.intentId, r.quantity.toPlainString(), r.stopLoss?.toPlainString(), r.takeProfit?.toPlainString()])).toEqual([['risk-cut', '10', undefined, '110']]);
    const stop = list.find((e): e is Extract<DeskEvent, { type: 'OrderSubmitted' }> => e.type === 'OrderSubmitted' && e.order.linkage?.role === 'stop-loss')?.order.clientOrderId;
    const denial = list.find((e) => e.type === 'IntentDenied');
    expect([restored[0]?.reason, restored[0]?.causationId]).toEqual([
      `risk-cut was denied (cancel_refused: ${denial?.type === 'IntentDenied' ? denial.detail : ''}) and left 10 BTC of S:BTC/USDT:USDT: its stop-loss ${stop} stays and its take-profit 110 goes back beside it, one-cancels-the-other`,
      denial?.id,
    ]);
    expect(fills(list)).toEqual([
      ['buy', '10', '100', 1],
      ['sell', '10', '110', 5],
    ]);
    // The take-profit's fill cancels the stop that stayed beside it.
    const fill = list.filter((e) => e.type === 'OrderFilled').at(-1);
    const asked = list.filter((e) => e.type === 'OrderPendingCancel').at(-1);
    expect(asked?.type === 'OrderPendingCancel' && [asked.clientOrderId, asked.causationId]).toEqual([stop, fill?.id]);
    expect(list.filter((e) => e.type === 'OrderCanceled').at(-1)).toMatchObject({ clientOrderId: stop });
  });

  it('gives the stop-loss it canceled back beside the take-profit that stays', () => {
    const list = refusing([FLAT, FLAT, FLAT, FLAT, FLAT, [100, 100, 94, 96], FLAT, FLAT, FLAT, FLAT], 'take-profit');
    expect(submitted(list).slice(3)).toEqual(['risk-cut.sl stop-market sell 10 @95']);
    expect(fills(list)).toEqual([
      ['buy', '10', '100', 1],
      ['sell', '10', '95', 5],
    ]);
  });
});

describe("a perpetual's exits whose cancels the venue refused", () => {
  it('stay one-cancels-the-other: the take-profit filling cancels the stop', () => {
    // The cut asks to cancel both exits; the venue refuses both, and the stop's again: the cut is given up with both
    // exits standing. Bar 5's high reaches the target, and its fill still cancels the stop beside it.
    const d = desk(PERP, [FLAT, FLAT, FLAT, FLAT, FLAT, [100, 111, 99, 110], FLAT, FLAT, FLAT, FLAT]);
    refuseCancels(d, 3);
    cutAfterBarTwo(d, PERP);
    d.runToEnd();
    const list = [...d.core.store.read(0)];
    expect(list.filter((e) => e.type === 'IntentDenied').map((e) => e.type === 'IntentDenied' && [e.intentId, e.code])).toEqual([['risk-cut', 'cancel_refused']]);
    expect(list.filter((e) => e.type === 'ExitsRestored')).toEqual([]);
    expect(fills(list)).toEqual([
      ['buy', '10', '100', 1],
      ['sell', '10', '110', 5],
    ]);
    expect(d.core.oms.openCount()).toBe(0);
  });
});

/**
 * Bought 10 at bar 1's open (stop 95, target 110) and 5 more at bar 3's (stop 94, target 112); after bar 3 a risk cut
 * sells 4, reduce-only, and the venue refuses twice to cancel the first stop. Returns the first stop's id.
 */
function cutOverFirstStop(d: Desk, id: InstrumentId): string | undefined {
  const instrument = d.core.instrument(id);
  if (instrument === undefined) throw new Error('no instrument');
  d.next();
  d.next();
  d.next();
  const added = unixMs(T0 + 3 * HOUR);
  d.executor.execute({ id: intentId('add'), agentId: agentId('bh'), owner: 'hold', instrumentId: id, side: 'buy', type: 'market', quantity: fx('5'), stopLoss: fx('94'), takeProfit: fx('112'), tsEvent: added }, instrument, fx('100'), added);
  d.next();
  const first = d.core.oms.openOrders({ owner: 'hold', instrumentId: id }).find((o) => o.spec.linkage?.role === 'stop-loss' && o.spec.triggerPrice?.toPlainString() === '95')?.spec.clientOrderId;
  refuseCancels(d, 2, (order) => order === first);
  const now = unixMs(T0 + 4 * HOUR);
  d.executor.execute({ id: intentId('risk-cut'), agentId: agentId('risk'), owner: 'hold', instrumentId: id, side: 'sell', type: 'market', quantity: fx('4'), reduceOnly: true, tsEvent: now }, instrument, fx('100'), now);
  return first;
}

function restoredOf(list: readonly DeskEvent[]): { readonly reason: string; readonly row: (string | undefined)[] }[] {
  return list.flatMap((e) => (e.type === 'ExitsRestored' ? [{ reason: e.reason, row: [e.intentId, e.quantity.toPlainString(), e.stopLoss?.toPlainString(), e.takeProfit?.toPlainString(), e.causationId] }] : []));
}

describe('a cut given up over the stop of the first of two entries that built the position', () => {
  const FALL: [number, number, number, number] = [100, 100, 90, 91];

  it('on a perpetual: the stop that stayed gets a take-profit of its 10, and the other 5 a stop-loss and take-profit of their own', () => {
    // The cut cancels the second stop and both targets before the venue refuses the first stop's cancel twice: the cut
    // is given up, and 15 are held with one stop covering 10. Bar 7 falls to 90 and the two stops close all 15; each
    // fill cancels the take-profit beside it.
    const d = desk(PERP, [FLAT, FLAT, FLAT, FLAT, FLAT, FLAT, FLAT, FALL, FLAT, FLAT]);
    const first = cutOverFirstStop(d, PERP);
    d.runToEnd();
    const list = [...d.core.store.read(0)];
    const denial = list.find((e) => e.type === 'IntentDenied');
    expect(denial?.type === 'IntentDenied' && [denial.intentId, denial.code]).toEqual(['risk-cut', 'cancel_refused']);
    expect(submitted(list).slice(3)).toEqual([
      'add market buy 5',
      'add.sl stop-market sell 5 @94',
      'add.tp take-profit-market sell 5 @112',
      'risk-cut.tp take-profit-market sell 10 @110',
      'risk-cut.rest.sl stop-market sell 5 @95',
      'risk-cut.rest.tp take-profit-market sell 5 @110',
    ]);
    expect(restoredOf(list)).toEqual([
      {
        reason: `risk-cut was denied (cancel_refused: ${denial?.type === 'IntentDenied' ? denial.detail : ''}) and left 15 BTC of S:BTC/USDT:USDT: its stop-loss ${first} stays for 10 and a take-profit 110 for 10 goes back beside it, one-cancels-the-other; a stop-loss 95 and a take-profit 110 go back for the other 5, one-cancels-the-other`,
        row: ['risk-cut', '15', '95', '110', denial?.id],
      },
    ]);
    expect(fills(list)).toEqual([
      ['buy', '10', '100', 1],
      ['buy', '5', '100', 3],
      ['sell', '10', '95', 7],
      ['sell', '5', '95', 7],
    ]);
    expect(d.core.ledger.position('hold', PERP)?.quantity.toPlainString() ?? '0').toBe('0');
    expect(d.core.oms.openCount()).toBe(0);
    // explain walks from the cut to every exit it gave back, the other 5's pair included.
    const chain = causationChain(list, 'risk-cut');
    expect(chain.found && chain.order.children.map((child) => [child.intentId, child.status])).toEqual([
      ['risk-cut.tp', 'canceled'],
      ['risk-cut.rest.sl', 'filled'],
      ['risk-cut.rest.tp', 'canceled'],
    ]);
  });

  it('on spot: the stop that stayed keeps its watched target, and the other 5 get a stop-loss with a watched target of their own', () => {
    const d = desk(SPOT, [FLAT, FLAT, FLAT, FLAT, FLAT, FLAT, FLAT, FALL, FLAT, FLAT]);
    const first = cutOverFirstStop(d, SPOT);
    d.next();
    d.next();
    expect(d.executor.watchedTargets().map((t) => [t.listId, t.trigger.toPlainString()])).toEqual([
      [expect.stringMatching(/^pm\./), '110'],
      ['risk-cut.rest', '110'],
    ]);
    d.runToEnd();
    const list = [...d.core.store.read(0)];
    const denial = list.find((e) => e.type === 'IntentDenied');
    expect(submitted(list).slice(2)).toEqual(['add market buy 5', 'add.sl stop-market sell 5 @94', 'risk-cut.rest.sl stop-market sell 5 @95']);
    expect(restoredOf(list)).toEqual([
      {
        reason: `risk-cut was denied (cancel_refused: ${denial?.type === 'IntentDenied' ? denial.detail : ''}) and left 15 BTC of S:BTC/USDT: its stop-loss ${first} and the take-profit 110 watched beside it stay for 10; a stop-loss 95 and a watched take-profit 110 go back for the other 5`,
        row: ['risk-cut', '15', '95', '110', denial?.id],
      },
    ]);
    expect(fills(list)).toEqual([
      ['buy', '10', '100', 1],
      ['buy', '5', '100', 3],
      ['sell', '10', '95', 7],
      ['sell', '5', '95', 7],
    ]);
    expect(d.core.oms.openCount()).toBe(0);
    expect(d.executor.watchedTargets()).toEqual([]);
  });
});
