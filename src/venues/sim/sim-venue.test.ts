import { describe, expect, it } from 'vitest';
import { TestClock } from '../../core/clock.js';
import { fx } from '../../core/fixed.js';
import { clientOrderId, currency, type InstrumentId } from '../../core/ids.js';
import { unixMs, type UnixMs } from '../../core/time.js';
import type { VenueReport } from '../../domain/events.js';
import { CurrencyScales, defineInstrument } from '../../domain/instrument.js';
import type { OrderSpec } from '../../domain/order.js';
import type { SimVenueOptions } from './options.js';
import { SimulatedVenue } from './sim-venue.js';

const SPOT = defineInstrument({ id: 'SIM:BTC/USDT', tickSize: '0.01', lotSize: '0.001', minNotional: '10', makerFee: '0.0002', takerFee: '0.001' });
const PERP = defineInstrument({ id: 'SIM:BTC/USDT:USDT', tickSize: '0.01', lotSize: '0.001', makerFee: '0', takerFee: '0.0005', maxLeverage: '20' });
const T0 = unixMs(Date.UTC(2024, 0, 1));
const MIN = 60_000;

type Options = Partial<SimVenueOptions>;

function setup(options: Options = {}) {
  const clock = new TestClock(T0);
  const venue = new SimulatedVenue([SPOT, PERP], new CurrencyScales({ USDT: 6, BTC: 8 }), clock, {
    fillModel: 'bar',
    balances: { USDT: '100000' },
    ...options,
  });
  const reports: VenueReport[] = [];
  venue.onReport((r) => reports.push(r));
  let barIndex = 0;
  /** Feeds the next 1m bar (its open time is T0 + index minutes) with the clock at the bar's close. */
  const bar = (o: number, h: number, l: number, c: number, volume = 1000, instrument: InstrumentId = SPOT.id) => {
    const ts = (T0 + barIndex * MIN) as UnixMs;
    barIndex += 1;
    clock.advanceTo((ts + MIN) as UnixMs);
    venue.onBar({ type: 'bar', instrumentId: instrument, ts, timeframeMs: MIN, open: o, high: h, low: l, close: c, volume });
    return ts;
  };
  let n = 0;
  const order = (fields: Partial<OrderSpec>): OrderSpec => {
    n += 1;
    const spec: OrderSpec = {
      clientOrderId: clientOrderId(`o${n}`),
      instrumentId: SPOT.id,
      side: 'buy',
      type: 'market',
      quantity: fx('1'),
      timeInForce: 'GTC',
      postOnly: false,
      reduceOnly: false,
      owner: 'desk',
      ...fields,
    };
    venue.submit(spec);
    return spec;
  };
  const fills = (spec?: OrderSpec) =>
    reports.flatMap((r) => (r.type === 'OrderFilled' && (spec === undefined || r.fill.clientOrderId === spec.clientOrderId) ? [{ ...r.fill, ts: r.tsEvent }] : []));
  const last = (spec: OrderSpec) =>
    reports.filter((r) => ('fill' in r ? r.fill.clientOrderId : 'clientOrderId' in r ? r.clientOrderId : '') === spec.clientOrderId).at(-1);
  return { clock, venue, reports, bar, order, fills, last };
}

describe('bar fills (DESIGN §5)', () => {
  it('answers status queries and refuses resubmits for orders finished long ago (kept packed)', () => {
    const s = setup();
    s.bar(100, 101, 99, 100);
    const specs = Array.from({ length: 150 }, (_, i) => s.order({ quantity: fx(i % 2 === 0 ? '0.2' : '0.1') }));
    s.bar(100, 101, 99, 100);
    const first = specs[0]!;
    expect(s.venue.orderStatus(first.clientOrderId)).toEqual({ clientOrderId: first.clientOrderId, venueOrderId: 's1', status: 'filled', quantity: fx('0.2'), filled: fx('0.2'), reason: undefined });
    expect(s.venue.ordersReceived).toBe(150);
    const reportsBefore = s.reports.length;
    s.venue.submit(first);
    s.bar(100, 101, 99, 100);
    expect(s.reports.length).toBe(reportsBefore);
    expect(s.venue.ordersReceived).toBe(150);
  });

  it('fills a market order placed on bar t at the open of bar t+1, stamped with that bar', () => {
    const s = setup();
    s.bar(100, 101, 99, 100.5);
    const o = s.order({});
    const t1 = s.bar(102, 103, 101, 102.5);
    expect(s.fills(o).map((f) => [f.price.toPlainString(), f.ts])).toEqual([['102', t1]]);
  });

  it('optionally fills at the close of bar t', () => {
    const s = setup({ barExecution: 'close' });
    const t0 = s.bar(100, 101, 99, 100.5);
    const o = s.order({});
    expect(s.fills(o).map((f) => [f.price.toPlainString(), f.ts])).toEqual([['100.5', t0]]);
  });

  it('never fills an order placed on the last bar', () => {
    const s = setup();
    s.bar(100, 101, 99, 100);
    const o = s.order({});
    expect(s.fills(o)).toEqual([]);
    expect(s.venue.orderStatus(o.clientOrderId)?.status).toBe('open');
  });

  it('limit buy: at the open when the open is at or below the limit, else at the limit when the low reaches it', () => {
    const s = setup();
    s.bar(100, 100, 100, 100);
    const gapped = s.order({ type: 'limit', price: fx('99') });
    const touched = s.order({ type: 'limit', price: fx('97') });
    const missed = s.order({ type: 'limit', price: fx('90') });
    s.bar(100, 100, 100, 100);
    s.bar(98, 99, 96, 97);
    expect(s.fills(gapped).map((f) => [f.price.toPlainString(), f.liquidity])).toEqual([['98', 'maker']]);
    expect(s.fills(touched).map((f) => [f.price.toPlainString(), f.liquidity])).toEqual([['97', 'maker']]);
    expect(s.fills(missed)).toEqual([]);
  });

  it('limit sell mirrors: at the open when at or above the limit, else at the limit when the high reaches it', () => {
    const s = setup({ balances: { USDT: '100000', BTC: '10' } });
    s.bar(100, 100, 100, 100);
    const a = s.order({ side: 'sell', type: 'limit', price: fx('101') });
    const b = s.order({ side: 'sell', type: 'limit', price: fx('104') });
    s.bar(100, 100, 100, 100);
    s.bar(102, 105, 101, 103);
    expect(s.fills(a).map((f) => f.price.toPlainString())).toEqual(['102']);
    expect(s.fills(b).map((f) => f.price.toPlainString())).toEqual(['104']);
  });

  it('a limit the first bar opens through is marketable on arrival: taker', () => {
    const s = setup();
    s.bar(100, 100, 100, 100);
    const o = s.order({ type: 'limit', price: fx('101') });
    s.bar(100.5, 101, 100, 100.5);
    expect(s.fills(o).map((f) => [f.price.toPlainString(), f.liquidity])).toEqual([['100.5', 'taker']]);
  });

  it('stop buy: at the open when the open is at or above the stop, else at the stop when the high reaches it', () => {
    const s = setup();
    s.bar(100, 100, 100, 100);
    const gapped = s.order({ type: 'stop-market', triggerPrice: fx('101') });
    const touched = s.order({ type: 'stop-market', triggerPrice: fx('104') });
    s.bar(100, 100, 100, 100);
    s.bar(102, 105, 101, 103);
    expect(s.fills(gapped).map((f) => [f.price.toPlainString(), f.liquidity])).toEqual([['102', 'taker']]);
    expect(s.fills(touched).map((f) => f.price.toPlainString())).toEqual(['104']);
    expect(s.reports.filter((r) => r.type === 'OrderTriggered')).toHaveLength(2);
  });

  it('stop sell mirrors; take-profit sell triggers when the high reaches it', () => {
    const s = setup({ balances: { USDT: '100000', BTC: '10' } });
    s.bar(100, 100, 100, 100);
    const stop = s.order({ side: 'sell', type: 'stop-market', triggerPrice: fx('97') });
    const take = s.order({ side: 'sell', type: 'take-profit-market', triggerPrice: fx('103') });
    s.bar(100, 104, 96, 100);
    expect(s.fills(stop).map((f) => f.price.toPlainString())).toEqual(['97']);
    expect(s.fills(take).map((f) => f.price.toPlainString())).toEqual(['103']);
  });

  it('stop-limit: fills at the trigger when its limit allows, else rests as a limit', () => {
    const s = setup();
    s.bar(100, 100, 100, 100);
    const marketable = s.order({ type: 'stop-limit', triggerPrice: fx('102'), price: fx('103') });
    const resting = s.order({ type: 'stop-limit', triggerPrice: fx('102'), price: fx('101.5') });
    s.bar(100, 100, 100, 100);
    s.bar(101, 104, 100.5, 103.5);
    expect(s.fills(marketable).map((f) => f.price.toPlainString())).toEqual(['102']);
    expect(s.fills(resting)).toEqual([]);
    s.bar(103, 103, 101, 102);
    expect(s.fills(resting).map((f) => [f.price.toPlainString(), f.liquidity])).toEqual([['101.5', 'maker']]);
  });

  it('trailing stop (sell, 2%): the level follows the highs and triggers when a low reaches it', () => {
    const s = setup({ balances: { USDT: '100000', BTC: '10' } });
    s.bar(100, 100, 100, 100);
    const o = s.order({ side: 'sell', type: 'trailing-stop', trailing: { kind: 'percent', value: fx('2') } });
    s.bar(100, 110, 99, 109); // level 98 before the bar (anchor 100): low 99 does not reach it; anchor -> 110
    expect(s.fills(o)).toEqual([]);
    s.bar(109, 109.5, 107, 108); // level 107.8: low 107 reaches it
    expect(s.fills(o).map((f) => f.price.toPlainString())).toEqual(['107.8']);
  });

  it('IOC gets only the first open; FOK is canceled when the volume cap cannot fill it', () => {
    const s = setup({ volumeShare: fx('0.1') });
    s.bar(100, 100, 100, 100);
    const ioc = s.order({ type: 'limit', price: fx('99'), timeInForce: 'IOC' });
    const fok = s.order({ quantity: fx('5'), timeInForce: 'FOK' });
    s.bar(100, 100, 98, 99, 10);
    expect(s.last(ioc)).toMatchObject({ type: 'OrderCanceled', reason: 'IOC limit not marketable at the open' });
    expect(s.last(fok)).toMatchObject({ type: 'OrderCanceled', reason: 'FOK order could not be filled in full' });
  });

  it('caps fills at a share of bar volume and fills the rest on later bars', () => {
    const s = setup({ volumeShare: fx('0.1') });
    s.bar(100, 100, 100, 100);
    const o = s.order({ quantity: fx('2.5') });
    s.bar(100, 100, 100, 100, 10);
    s.bar(101, 101, 101, 101, 10);
    s.bar(102, 102, 102, 102, 10);
    expect(s.fills(o).map((f) => [f.quantity.toPlainString(), f.price.toPlainString()])).toEqual([
      ['1', '100'],
      ['1', '101'],
      ['0.5', '102'],
    ]);
  });

  it('books the parts of an order at its running value, rounded once, as the ledger does', () => {
    const cheap = defineInstrument({ id: 'SIM:ETH/USDT', tickSize: '0.01', lotSize: '0.001' });
    const clock = new TestClock(T0);
    const venue = new SimulatedVenue([cheap], new CurrencyScales({ USDT: 2, ETH: 8 }), clock, {
      fillModel: 'bar',
      volumeShare: fx('0.1'),
      balances: { USDT: '100' },
    });
    const fills: { quantity: string }[] = [];
    venue.onReport((r) => {
      if (r.type === 'OrderFilled') fills.push({ quantity: r.fill.quantity.toPlainString() });
    });
    const bar = (index: number) => {
      const ts = (T0 + index * MIN) as UnixMs;
      clock.advanceTo((ts + MIN) as UnixMs);
      venue.onBar({ type: 'bar', instrumentId: cheap.id, ts, timeframeMs: MIN, open: 1.01, high: 1.01, low: 1.01, close: 1.01, volume: 0.05 });
    };
    bar(0);
    venue.submit({ clientOrderId: clientOrderId('parts'), instrumentId: cheap.id, side: 'buy', type: 'market', quantity: fx('0.015'), timeInForce: 'GTC', postOnly: false, reduceOnly: false, owner: 'desk' });
    for (let i = 1; i <= 3; i++) bar(i);
    // Three parts of 0.005 at 1.01 are worth 0.00505 each, which alone would round to 0.01 three times (0.03). As
    // a running total the order costs 0.01, 0.00 and 0.01: the 0.01515 of the whole rounded once.
    expect(fills.map((fill) => fill.quantity)).toEqual(['0.005', '0.005', '0.005']);
    expect(venue.account.wallet(currency('USDT')).toPlainString()).toBe('99.98');
    expect(venue.account.wallet(currency('ETH')).toPlainString()).toBe('0.015');
  });

  it('expires a GTD order at its expiry, before a bar at that time can fill it', () => {
    const s = setup();
    s.bar(100, 100, 100, 100);
    const o = s.order({ type: 'limit', price: fx('99'), timeInForce: 'GTD', expireAt: (T0 + 2 * MIN) as UnixMs });
    s.bar(100, 100, 99.5, 100);
    s.bar(98, 98, 97, 98);
    expect(s.fills(o)).toEqual([]);
    expect(s.last(o)).toMatchObject({ type: 'OrderExpired', tsEvent: T0 + 2 * MIN });
  });

  it('cancels the other leg of an OCO when one fills', () => {
    const s = setup({ balances: { USDT: '100000', BTC: '10' } });
    s.bar(100, 100, 100, 100);
    const stop = clientOrderId('oco-stop');
    const take = clientOrderId('oco-take');
    s.order({ clientOrderId: stop, side: 'sell', type: 'stop-market', triggerPrice: fx('95'), linkage: { listId: 'L', role: 'oco-leg', ocoWith: [take] } });
    s.order({ clientOrderId: take, side: 'sell', type: 'limit', price: fx('105'), linkage: { listId: 'L', role: 'oco-leg', ocoWith: [stop] } });
    s.bar(100, 106, 99, 105);
    expect(s.venue.orderStatus(take)?.status).toBe('filled');
    expect(s.venue.orderStatus(stop)).toMatchObject({ status: 'canceled', reason: `one-cancels-other: ${take} filled` });
  });

  it('latency: an order arriving after a bar opened waits for the next one', () => {
    const s = setup({ latencyMs: 90_000 });
    s.bar(100, 100, 100, 100);
    const o = s.order({}); // sent at T0+1m, arrives at T0+2m30s
    expect(s.reports).toEqual([]);
    s.bar(101, 101, 101, 101); // opens at T0+1m
    s.bar(103, 103, 103, 103); // opens at T0+2m, 30 s before the order arrives
    s.bar(102, 102, 102, 102);
    expect(s.reports.map((r) => r.type)).toEqual(['OrderAccepted', 'OrderFilled']);
    expect(s.reports[0]?.tsEvent).toBe(T0 + 2 * MIN + 30_000);
    expect(s.fills(o).map((f) => f.price.toPlainString())).toEqual(['102']);
  });

  it('slippage: fixed bps moves takers against them, rounded to the tick', () => {
    const s = setup({ slippage: { kind: 'fixed-bps', bps: fx('10') }, balances: { USDT: '100000', BTC: '10' } });
    s.bar(100, 100, 100, 100);
    const buy = s.order({});
    const sell = s.order({ side: 'sell' });
    s.bar(100.03, 101, 99, 100);
    expect(s.fills(buy).map((f) => f.price.toPlainString())).toEqual(['100.14']);
    expect(s.fills(sell).map((f) => f.price.toPlainString())).toEqual(['99.92']);
  });

  it('slippage: volume-share impact grows with the order share of volume', () => {
    const s = setup({ slippage: { kind: 'volume-share', impact: fx('0.1') } });
    s.bar(100, 100, 100, 100);
    const o = s.order({ quantity: fx('5') });
    s.bar(100, 100, 100, 100, 50); // 10% of volume x 0.1 = 1% impact
    expect(s.fills(o).map((f) => f.price.toPlainString())).toEqual(['101']);
  });

  it('charges maker and taker fees per instrument, rounded half-even', () => {
    const s = setup();
    s.bar(100, 100, 100, 100);
    const taker = s.order({ quantity: fx('0.333') });
    const maker = s.order({ type: 'limit', price: fx('99.99'), quantity: fx('0.333') });
    s.bar(100.01, 100.01, 99.5, 100);
    expect(s.fills(taker)[0]?.fee.toPlainString()).toBe('0.033303'); // 0.333 x 100.01 x 0.001 = 0.03330333 -> 6 dp
    expect(s.fills(maker)[0]?.fee.toPlainString()).toBe('0.006659'); // 0.333 x 99.99 x 0.0002 = 0.006659334
  });
});

describe('rejections are reports with reasons', () => {
  it('insufficient balance, below min notional, reduce-only, unknown instrument', () => {
    const s = setup();
    s.bar(100, 100, 100, 100);
    const big = s.order({ quantity: fx('2000') });
    const tiny = s.order({ quantity: fx('0.05') });
    const reduce = s.order({ side: 'sell', reduceOnly: true });
    expect(s.last(big)).toMatchObject({ type: 'OrderRejected', reason: 'insufficient balance: needs 200200 USDT, 100000 free' });
    expect(s.last(tiny)).toMatchObject({ type: 'OrderRejected', reason: 'notional 5 is below the minimum 10' });
    expect(s.last(reduce)).toMatchObject({ type: 'OrderRejected', reason: 'reduce-only order would increase the position' });
  });
});

describe('L1: quotes and trades', () => {
  const quote = (s: ReturnType<typeof setup>, bid: number, ask: number, size = 10) => {
    s.clock.advanceBy(1000);
    s.venue.onQuote({ type: 'quote', instrumentId: SPOT.id, ts: s.clock.now(), bidPrice: bid, bidSize: size, askPrice: ask, askSize: size });
  };
  const trade = (s: ReturnType<typeof setup>, price: number, size = 1) => {
    s.clock.advanceBy(1000);
    s.venue.onTrade({ type: 'trade', instrumentId: SPOT.id, ts: s.clock.now(), price, size, aggressor: 'sell', tradeId: 'x' });
  };

  it('fills market orders at the touch: buys at the ask, sells at the bid', () => {
    const s = setup({ fillModel: 'l1', balances: { USDT: '100000', BTC: '5' } });
    quote(s, 99.5, 100.5);
    const buy = s.order({});
    const sell = s.order({ side: 'sell' });
    expect(s.fills(buy).map((f) => f.price.toPlainString())).toEqual(['100.5']);
    expect(s.fills(sell).map((f) => f.price.toPlainString())).toEqual(['99.5']);
  });

  it('fills a resting limit at its price when the quote moves through it', () => {
    const s = setup({ fillModel: 'l1' });
    quote(s, 99.5, 100.5);
    const o = s.order({ type: 'limit', price: fx('99') });
    quote(s, 98.5, 99.2);
    expect(s.fills(o)).toEqual([]);
    quote(s, 98, 98.9);
    expect(s.fills(o).map((f) => [f.price.toPlainString(), f.liquidity])).toEqual([['99', 'maker']]);
  });

  it('fills a resting limit when a trade goes through its price, not when one only touches it', () => {
    const s = setup({ fillModel: 'l1' });
    quote(s, 99.5, 100.5);
    const o = s.order({ type: 'limit', price: fx('99') });
    trade(s, 99);
    expect(s.fills(o)).toEqual([]);
    trade(s, 98.99);
    expect(s.fills(o).map((f) => f.price.toPlainString())).toEqual(['99']);
  });

  it('rejects a post-only limit that would take, and rests one that would not', () => {
    const s = setup({ fillModel: 'l1' });
    quote(s, 99.5, 100.5);
    const taking = s.order({ type: 'limit', price: fx('100.5'), postOnly: true });
    const resting = s.order({ type: 'limit', price: fx('100.4'), postOnly: true });
    expect(s.last(taking)).toMatchObject({ type: 'OrderRejected', reason: 'post-only order would take liquidity' });
    expect(s.venue.orderStatus(resting.clientOrderId)?.status).toBe('open');
  });

  it('triggers a stop on the quote and fills it at the touch', () => {
    const s = setup({ fillModel: 'l1' });
    quote(s, 99.5, 100.5);
    const o = s.order({ type: 'stop-market', triggerPrice: fx('101') });
    quote(s, 100.5, 101.5);
    expect(s.fills(o).map((f) => f.price.toPlainString())).toEqual(['101.5']);
  });
});

describe('L2: book walking and queue position', () => {
  const book = (s: ReturnType<typeof setup>, bids: [number, number][], asks: [number, number][]) => {
    s.clock.advanceBy(1000);
    s.venue.onBook({ type: 'book-snapshot', instrumentId: SPOT.id, ts: s.clock.now(), sequence: 1, bids, asks });
  };
  const trade = (s: ReturnType<typeof setup>, price: number, size: number, aggressor: 'buy' | 'sell') => {
    s.clock.advanceBy(1000);
    s.venue.onTrade({ type: 'trade', instrumentId: SPOT.id, ts: s.clock.now(), price, size, aggressor, tradeId: 't' });
  };

  it('walks the levels with a market order: partial fills across levels at the average price', () => {
    const s = setup({ fillModel: 'l2' });
    book(s, [[99, 5]], [[100, 1], [101, 2], [102, 5]]);
    const o = s.order({ quantity: fx('2.5') });
    // 1 @ 100 + 1.5 @ 101 = 251.5 / 2.5 = 100.6
    expect(s.fills(o).map((f) => [f.quantity.toPlainString(), f.price.toPlainString()])).toEqual([['2.5', '100.6']]);
  });

  it('a marketable limit walks only up to its price and rests the remainder', () => {
    const s = setup({ fillModel: 'l2' });
    book(s, [[99, 5]], [[100, 1], [101, 2]]);
    const o = s.order({ type: 'limit', price: fx('100'), quantity: fx('3') });
    expect(s.fills(o).map((f) => [f.quantity.toPlainString(), f.price.toPlainString()])).toEqual([['1', '100']]);
    expect(s.venue.orderStatus(o.clientOrderId)?.status).toBe('open');
  });

  it('a resting limit fills only when trades at its price have exhausted the queue ahead of it', () => {
    const s = setup({ fillModel: 'l2' });
    book(s, [[99, 3]], [[100, 5]]);
    const o = s.order({ type: 'limit', price: fx('99'), quantity: fx('2') });
    trade(s, 99, 2, 'sell');
    expect(s.fills(o)).toEqual([]);
    trade(s, 99, 2, 'sell'); // 1 left ahead, then 1 for us
    expect(s.fills(o).map((f) => [f.quantity.toPlainString(), f.liquidity])).toEqual([['1', 'maker']]);
    trade(s, 99, 5, 'sell');
    expect(s.fills(o).map((f) => f.quantity.toPlainString())).toEqual(['1', '1']);
    expect(s.venue.orderStatus(o.clientOrderId)?.status).toBe('filled');
  });
});

describe('perpetuals: margin, funding, liquidation', () => {
  const perpBar = (s: ReturnType<typeof setup>, o: number, h: number, l: number, c: number) => s.bar(o, h, l, c, 1000, PERP.id);

  it('rejects an order beyond the free margin, and leverage above the instrument maximum is capped', () => {
    const s = setup({ balances: { USDT: '1000' }, leverage: new Map([[PERP.id, fx('10')]]) });
    perpBar(s, 100, 100, 100, 100);
    const big = s.order({ instrumentId: PERP.id, quantity: fx('100') });
    expect(s.last(big)).toMatchObject({ type: 'OrderRejected', reason: 'insufficient margin: needs 1005 USDT, 1000 free' });
    const fits = s.order({ instrumentId: PERP.id, quantity: fx('99') });
    expect(s.venue.orderStatus(fits.clientOrderId)?.status).toBe('open');
  });

  it('rejects leverage above the tier maximum for the resulting notional', () => {
    const tiered = defineInstrument({
      id: 'SIM:ETH/USDT:USDT',
      tickSize: '0.01',
      lotSize: '0.01',
      maxLeverage: '50',
      marginTiers: [
        { maxNotional: '10000', maintenanceRate: '0.01', maxLeverage: '50' },
        { maxNotional: null, maintenanceRate: '0.02', maxLeverage: '10' },
      ],
    });
    const clock = new TestClock(T0);
    const venue = new SimulatedVenue([tiered], new CurrencyScales(), clock, {
      fillModel: 'bar',
      balances: { USDT: '100000' },
      leverage: new Map([[tiered.id, fx('20')]]),
    });
    const reports: VenueReport[] = [];
    venue.onReport((r) => reports.push(r));
    clock.advanceTo((T0 + MIN) as UnixMs);
    venue.onBar({ type: 'bar', instrumentId: tiered.id, ts: T0, timeframeMs: MIN, open: 100, high: 100, low: 100, close: 100, volume: 1 });
    const base = { instrumentId: tiered.id, side: 'buy', type: 'market', timeInForce: 'GTC', postOnly: false, reduceOnly: false, owner: 'desk' } as const;
    venue.submit({ ...base, clientOrderId: clientOrderId('a'), quantity: fx('100') });
    venue.submit({ ...base, clientOrderId: clientOrderId('b'), quantity: fx('101') });
    expect(reports.map((r) => r.type)).toEqual(['OrderAccepted', 'OrderRejected']);
    expect(reports[1]).toMatchObject({ reason: 'leverage 20 is above the 10 allowed at notional 10100' });
  });

  it('settles funding at funding times: longs pay a positive rate on notional at mark', () => {
    const s = setup({ leverage: new Map([[PERP.id, fx('5')]]) });
    perpBar(s, 100, 100, 100, 100);
    s.order({ instrumentId: PERP.id, quantity: fx('10') });
    perpBar(s, 100, 100, 100, 100);
    const wallet = s.venue.account.wallet(PERP.settle);
    s.venue.onMark({ type: 'mark-price', instrumentId: PERP.id, ts: s.clock.now(), price: 102 });
    s.venue.onFunding({ type: 'funding-rate', instrumentId: PERP.id, ts: s.clock.now(), rate: 0.0001 });
    const settled = s.reports.at(-1);
    expect(settled).toMatchObject({ type: 'FundingSettled' });
    if (settled?.type !== 'FundingSettled') throw new Error('no funding');
    expect(settled.amount.toPlainString()).toBe('0.102'); // 10 x 102 x 0.0001
    expect(wallet.sub(s.venue.account.wallet(PERP.settle)).toPlainString()).toBe('0.102');
  });

  it('liquidates an isolated long at its liquidation price with a fee, worked example', () => {
    const s = setup({ balances: { USDT: '1000' }, leverage: new Map([[PERP.id, fx('10')]]) });
    perpBar(s, 100, 100, 100, 100);
    s.order({ instrumentId: PERP.id, quantity: fx('10') });
    perpBar(s, 100, 100, 100, 100); // long 10 @ 100: margin 100, taker fee 0.5
    perpBar(s, 95, 96, 90, 91); // liquidation price (1000 - 100) / (10 x 0.995) = 90.4522 -> 90.46
    const liquidation = s.reports.find((r) => r.type === 'PositionLiquidated');
    if (liquidation?.type !== 'PositionLiquidated') throw new Error('not liquidated');
    expect(liquidation.side).toBe('sell');
    expect(liquidation.quantity.toPlainString()).toBe('10');
    expect(liquidation.price.toPlainString()).toBe('90.46');
    expect(liquidation.fee.toPlainString()).toBe('4.523'); // 904.6 x 0.5%
    // 1000 - 0.5 (fee) - 95.4 (loss) - 4.523 (liquidation fee)
    expect(s.venue.account.wallet(PERP.settle).toPlainString()).toBe('899.577');
    expect(s.venue.snapshot().positions).toEqual([]);
  });

  it('liquidates at the open when the bar gaps through the liquidation price', () => {
    const s = setup({ balances: { USDT: '1000' }, leverage: new Map([[PERP.id, fx('10')]]) });
    perpBar(s, 100, 100, 100, 100);
    s.order({ instrumentId: PERP.id, quantity: fx('10') });
    perpBar(s, 100, 100, 100, 100);
    perpBar(s, 88, 89, 87, 88);
    const liquidation = s.reports.find((r) => r.type === 'PositionLiquidated');
    expect(liquidation?.type === 'PositionLiquidated' && liquidation.price.toPlainString()).toBe('88');
  });

  it('uses mark prices from data when given: last-price spikes do not liquidate', () => {
    const s = setup({ balances: { USDT: '1000' }, leverage: new Map([[PERP.id, fx('10')]]) });
    perpBar(s, 100, 100, 100, 100);
    s.order({ instrumentId: PERP.id, quantity: fx('10') });
    s.venue.onMark({ type: 'mark-price', instrumentId: PERP.id, ts: s.clock.now(), price: 100 });
    perpBar(s, 100, 100, 100, 100);
    perpBar(s, 95, 96, 85, 95); // the last price wicks to 85, the mark stays at 95
    expect(s.reports.some((r) => r.type === 'PositionLiquidated')).toBe(false);
    s.venue.onMark({ type: 'mark-price', instrumentId: PERP.id, ts: s.clock.now(), price: 90 });
    const liquidation = s.reports.find((r) => r.type === 'PositionLiquidated');
    expect(liquidation?.type === 'PositionLiquidated' && liquidation.price.toPlainString()).toBe('90');
  });

  it('cross margin: the whole wallet backs the position, worked example', () => {
    const s = setup({ balances: { USDT: '1000' }, leverage: new Map([[PERP.id, fx('10')]]), marginMode: 'cross' });
    perpBar(s, 100, 100, 100, 100);
    s.order({ instrumentId: PERP.id, quantity: fx('50') });
    perpBar(s, 100, 100, 100, 100); // long 50 @ 100, fee 2.5: wallet 997.5
    perpBar(s, 95, 96, 85, 91); // isolated at 10x would go at 90.46; cross has the wallet behind it
    expect(s.reports.some((r) => r.type === 'PositionLiquidated')).toBe(false);
    perpBar(s, 91, 91, 80, 82); // (5000 - 997.5) / (50 x 0.995) = 80.452 -> 80.46
    const liquidation = s.reports.find((r) => r.type === 'PositionLiquidated');
    expect(liquidation?.type === 'PositionLiquidated' && liquidation.price.toPlainString()).toBe('80.46');
  });
});

describe('bad market data is refused before it changes anything', () => {
  it('names the instrument, time and problem: NaN, negative size, crossed snapshot, out of order', () => {
    const s = setup({ fillModel: 'l2' });
    const ts = s.clock.now();
    const snapshot = (bids: [number, number][], asks: [number, number][], sequence: number, at = ts) =>
      s.venue.onBook({ type: 'book-snapshot', instrumentId: SPOT.id, ts: at, sequence, bids, asks });
    snapshot([[99, 1]], [[100, 1]], 1);
    const before = s.venue.snapshot();
    expect(() => snapshot([[101, 1]], [[100, 1]], 2)).toThrow(`book-snapshot for SIM:BTC/USDT at ${ts} (sequence 2): crossed snapshot: best bid 101 >= best ask 100`);
    expect(() => snapshot([[99, -1]], [[100, 1]], 3)).toThrow(/bid size -1 at 99 is negative/);
    expect(() => snapshot([[Number.NaN, 1]], [[100, 1]], 4)).toThrow(/bid price NaN is not a positive number/);
    expect(() => snapshot([[99, 1]], [[100, 1]], 5, (ts - 1) as UnixMs)).toThrow(/comes after book-snapshot at .*; data must be in time order/);
    expect(() =>
      s.venue.onBar({ type: 'bar', instrumentId: SPOT.id, ts, timeframeMs: MIN, open: 100, high: 99, low: 98, close: 99, volume: 1 }),
    ).toThrow(/open or close is above high/);
    expect(s.venue.snapshot()).toEqual(before);
    const o = s.order({ quantity: fx('0.5') });
    expect(s.fills(o).map((f) => f.price.toPlainString())).toEqual(['100']);
  });

  it('sets aside a book that a delta crosses until the next snapshot', () => {
    const s = setup({ fillModel: 'l2' });
    s.venue.onBook({ type: 'book-snapshot', instrumentId: SPOT.id, ts: s.clock.now(), sequence: 1, bids: [[99, 1]], asks: [[100, 1]] });
    s.venue.onBook({
      type: 'book-delta',
      instrumentId: SPOT.id,
      ts: s.clock.now(),
      firstSequence: 2,
      sequence: 2,
      previousSequence: 1,
      bids: [[100.5, 1]],
      asks: [],
    });
    expect(s.venue.dataProblems()).toEqual(['book for SIM:BTC/USDT crossed after sequence 2; waiting for a snapshot']);
    const o = s.order({ quantity: fx('0.5') });
    expect(s.fills(o)).toEqual([]);
    s.venue.onBook({ type: 'book-snapshot', instrumentId: SPOT.id, ts: s.clock.now(), sequence: 3, bids: [[99, 1]], asks: [[100, 1]] });
    expect(s.fills(o).map((f) => f.price.toPlainString())).toEqual(['100']);
  });
});

describe('the venue on the clock alone', () => {
  it('expires GTD orders when advanced, without market data', () => {
    const s = setup();
    s.bar(100, 100, 100, 100);
    const o = s.order({ type: 'limit', price: fx('90'), timeInForce: 'GTD', expireAt: (T0 + 5 * MIN) as UnixMs });
    s.venue.advanceTo((T0 + 5 * MIN - 1) as UnixMs);
    expect(s.venue.orderStatus(o.clientOrderId)?.status).toBe('open');
    s.venue.advanceTo((T0 + 5 * MIN) as UnixMs);
    expect(s.last(o)).toMatchObject({ type: 'OrderExpired', tsEvent: T0 + 5 * MIN });
  });

  it('delivers delayed requests when advanced', () => {
    const s = setup({ latencyMs: 250 });
    s.bar(100, 100, 100, 100);
    const o = s.order({ type: 'limit', price: fx('90') });
    expect(s.venue.orderStatus(o.clientOrderId)).toBeUndefined();
    s.venue.advanceTo((s.clock.now() + 250) as UnixMs);
    expect(s.venue.orderStatus(o.clientOrderId)?.status).toBe('open');
  });
});
