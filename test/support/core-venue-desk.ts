import { TestClock } from '../../src/core/clock.js';
import { Fixed, fx } from '../../src/core/fixed.js';
import { agentId, currency, IdGenerator, instrumentId, intentId, type InstrumentId } from '../../src/core/ids.js';
import { unixMs, type UnixMs } from '../../src/core/time.js';
import type { DeskEvent } from '../../src/domain/events.js';
import { CurrencyScales, defineInstrument } from '../../src/domain/instrument.js';
import type { OrderIntent } from '../../src/domain/intent.js';
import { TradingCore, type TradingCoreConfig } from '../../src/engine/trading-core.js';
import type { RiskLimits } from '../../src/risk/limits.js';
import type { SimVenueOptions } from '../../src/venues/sim/options.js';
import { SimulatedVenue } from '../../src/venues/sim/sim-venue.js';

/** A trading core on a simulated venue in bar mode (USDT at 6 decimals, BTC at 8), for scenarios across both. */
export const USDT = currency('USDT');
export const BTC = currency('BTC');
export const SPOT = instrumentId('SIM:BTC/USDT');
export const PERP = instrumentId('SIM:BTC/USDT:USDT');
export const INSTRUMENTS = [
  defineInstrument({ id: SPOT, tickSize: '0.01', lotSize: '0.001', minNotional: '5', makerFee: '0.0002', takerFee: '0.001' }),
  defineInstrument({ id: PERP, tickSize: '0.01', lotSize: '0.001', minNotional: '5', makerFee: '0', takerFee: '0.0005', maxLeverage: '20' }),
];
export const T0 = unixMs(Date.UTC(2024, 0, 1));
export const MIN = 60_000;

export interface CoreVenueOptions {
  readonly venue?: Partial<SimVenueOptions>;
  readonly cash?: string;
  readonly limits?: RiskLimits;
  /** Several owners (sleeves) trade through the one venue account. */
  readonly ownersShareVenueAccount?: boolean;
}

export function coreOnVenue(options: CoreVenueOptions = {}) {
  const cash = options.cash ?? '10000';
  const scales = new CurrencyScales({ USDT: 6, BTC: 8 });
  const leverage = new Map([[PERP, fx('10')]]);
  const config: TradingCoreConfig = { instruments: INSTRUMENTS, limits: options.limits ?? { priceBand: fx('0.05') }, valuationCurrency: USDT, scales, leverage, ...(options.ownersShareVenueAccount === true ? { ownersShareVenueAccount: true } : {}) };
  const clock = new TestClock(T0);
  const venue = new SimulatedVenue(INSTRUMENTS, scales, clock, { fillModel: 'bar', balances: { USDT: cash }, leverage, ...options.venue });
  const core = new TradingCore(config, { clock, venue, ids: new IdGenerator('ev') });
  core.deposit('desk', USDT, fx(cash));
  const anomalies: string[] = [];
  core.anomalies.subscribe((anomaly) => anomalies.push(anomaly.problem));
  let index = 0;
  /** One 1m bar: the venue sees it first (orders before strategies), then the core's market view and marks. */
  const bar = (o: number, h: number, l: number, c: number, id: InstrumentId = SPOT, volume = 1000) => {
    const ts = (T0 + index * MIN) as UnixMs;
    index += 1;
    clock.advanceTo((ts + MIN) as UnixMs);
    venue.onBar({ type: 'bar', instrumentId: id, ts, timeframeMs: MIN, open: o, high: h, low: l, close: c, volume });
    core.updateMarket(id, fx(String(c)), clock.now());
    core.markToMarket([{ instrumentId: id, price: fx(String(c)) }]);
    return ts;
  };
  let n = 0;
  const intent = (fields: Partial<OrderIntent>): OrderIntent => ({
    id: intentId(`i${++n}`),
    agentId: agentId('analyst'),
    owner: 'desk',
    instrumentId: SPOT,
    side: 'buy',
    type: 'market',
    quantity: fx('1'),
    tsEvent: clock.now(),
    ...fields,
  });
  /** Submits an intent that must be approved, and returns its order's client id. */
  const submit = (fields: Partial<OrderIntent>) => {
    const outcome = core.submitIntent(intent(fields));
    if (outcome.status !== 'submitted') throw new Error(`not submitted: ${JSON.stringify(outcome)}`);
    return outcome.clientOrderId;
  };
  const events = (): readonly DeskEvent[] => core.store.read(0);
  /** Cash, reservations and margin of every owner in `currency`: what the venue's wallet should hold. */
  const booked = (owners: readonly string[] = ['desk'], code = USDT): Fixed => {
    let total = Fixed.zero();
    for (const owner of owners) for (const kind of ['cash', 'reserved', 'margin'] as const) total = total.add(core.ledger.balance(owner, kind, code));
    return total;
  };
  const replayed = () => TradingCore.replay(config, core.store.read(0), { clock: new TestClock(clock.now()) });
  return { core, venue, clock, bar, intent, submit, events, booked, replayed, config, anomalies };
}
