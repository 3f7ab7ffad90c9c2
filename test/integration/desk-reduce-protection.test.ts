import { describe, expect, it } from 'vitest';
import { buildDesk } from '../../src/backtest/desk-backtest.js';
import { parseDeskConfig } from '../../src/config/parse-desk.js';
import { agentId, instrumentId, intentId, type InstrumentId } from '../../src/core/ids.js';
import { fx } from '../../src/core/fixed.js';
import { unixMs } from '../../src/core/time.js';
import { BarSeriesBuilder } from '../../src/data/bar-series.js';
import type { DeskEvent } from '../../src/domain/events.js';
import type { Desk } from '../../src/engine/desk/desk.js';

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
