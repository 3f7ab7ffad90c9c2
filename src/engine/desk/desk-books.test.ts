import { describe, expect, it } from 'vitest';
import { TestClock } from '../../core/clock.js';
import { fx } from '../../core/fixed.js';
import { agentId, currency, IdGenerator, instrumentId, intentId } from '../../core/ids.js';
import type { UnixMs } from '../../core/time.js';
import { CurrencyScales, defineInstrument } from '../../domain/instrument.js';
import { SimulatedVenue } from '../../venues/sim/sim-venue.js';
import { TradingCore } from '../trading-core.js';
import { DeskBooks } from './desk-books.js';

const USDT = currency('USDT');
const PERP_ID = instrumentId('SIM:ETH/USDT:USDT');
const PERP = defineInstrument({ id: PERP_ID, tickSize: '0.01', lotSize: '0.001', takerFee: '0', makerFee: '0', maxLeverage: '10' });
const MIN = 60_000;

describe('desk books: the float equity mirror', () => {
  it('values perpetual shorts and longs of different sleeves as the exact books do', () => {
    const scales = new CurrencyScales({ USDT: 6 });
    const clock = new TestClock(0 as UnixMs);
    const venue = new SimulatedVenue([PERP], scales, clock, { fillModel: 'bar', balances: { USDT: '20000' }, leverage: new Map([[PERP_ID, fx('5')]]) });
    const core = new TradingCore({ instruments: [PERP], limits: {}, valuationCurrency: USDT, scales, leverage: new Map([[PERP_ID, fx('5')]]) }, { clock, venue, ids: new IdGenerator('ev') });
    const books = new DeskBooks(core, USDT, 6, new Map([[PERP_ID, PERP]]), 10);
    core.events.subscribe((event) => books.onEvent(event));
    core.deposit('long-sleeve', USDT, fx('10000'));
    core.deposit('short-sleeve', USDT, fx('10000'));
    let index = 0;
    const bar = (open: number, close: number): void => {
      const ts = (index * MIN) as UnixMs;
      index += 1;
      clock.advanceTo((ts + MIN) as UnixMs);
      venue.onBar({ type: 'bar', instrumentId: PERP_ID, ts, timeframeMs: MIN, open, high: Math.max(open, close) + 1, low: Math.min(open, close) - 1, close, volume: 1000 });
      core.updateMarket(PERP_ID, fx(String(close)), clock.now());
      books.onClose(PERP_ID, close);
    };
    bar(100, 100);
    const order = (owner: string, side: 'buy' | 'sell', quantity: string): void => {
      core.submitIntent({ id: intentId(`${owner}.${index}`), agentId: agentId(owner), owner, instrumentId: PERP_ID, side, type: 'market', quantity: fx(quantity), tsEvent: clock.now() });
    };
    order('long-sleeve', 'buy', '2');
    order('short-sleeve', 'sell', '1');
    bar(100, 104);
    expect(books.quantity('long-sleeve', PERP_ID)).toBe(2);
    expect(books.quantity('short-sleeve', PERP_ID)).toBe(-1);
    for (const close of [104, 110, 90]) {
      bar(close, close);
      core.markToMarket([{ instrumentId: PERP_ID, price: fx(String(close)) }]);
      // The long gains 2 x (close - 100), the short loses 1 x (close - 100).
      expect(books.equity()).toBeCloseTo(20000 + 2 * (close - 100) - (close - 100), 9);
      expect(books.equity()).toBeCloseTo(core.deskEquity().toNumber(), 9);
    }
  });
});
