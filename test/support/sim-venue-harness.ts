import { TestClock } from '../../src/core/clock.js';
import { fx } from '../../src/core/fixed.js';
import { clientOrderId, type InstrumentId } from '../../src/core/ids.js';
import { unixMs, type UnixMs } from '../../src/core/time.js';
import type { VenueReport } from '../../src/domain/events.js';
import { CurrencyScales, defineInstrument } from '../../src/domain/instrument.js';
import type { OrderSpec } from '../../src/domain/order.js';
import type { SimVenueOptions } from '../../src/venues/sim/options.js';
import { SimulatedVenue } from '../../src/venues/sim/sim-venue.js';

export const SPOT = defineInstrument({ id: 'SIM:BTC/USDT', tickSize: '0.01', lotSize: '0.001', minNotional: '10', makerFee: '0.0002', takerFee: '0.001' });
export const PERP = defineInstrument({ id: 'SIM:BTC/USDT:USDT', tickSize: '0.01', lotSize: '0.001', makerFee: '0', takerFee: '0.0005', maxLeverage: '20' });
export const T0 = unixMs(Date.UTC(2024, 0, 1));
export const MIN = 60_000;

export type Options = Partial<SimVenueOptions>;

export function setup(options: Options = {}) {
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
