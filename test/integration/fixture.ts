import { TestClock } from '../../src/core/clock.js';
import { fx, type Fixed } from '../../src/core/fixed.js';
import { agentId, currency, IdGenerator, instrumentId, intentId, type InstrumentId } from '../../src/core/ids.js';
import { unixMs } from '../../src/core/time.js';
import { CurrencyScales, defineInstrument } from '../../src/domain/instrument.js';
import type { OrderIntent } from '../../src/domain/intent.js';
import { TradingCore, type TradingCoreConfig } from '../../src/engine/trading-core.js';
import type { KillSwitchProbe } from '../../src/risk/kill-switch.js';
import type { RiskLimits } from '../../src/risk/limits.js';
import { SimulatedVenue } from '../../src/venues/sim/sim-venue.js';

export const USDT = currency('USDT');
export const BTC = currency('BTC');
export const SPOT = instrumentId('BINANCE:BTC/USDT');
export const PERP = instrumentId('BINANCE:BTC/USDT:USDT');

export const INSTRUMENTS = [
  defineInstrument({ id: SPOT, tickSize: '0.01', lotSize: '0.0001', minNotional: '5', makerFee: '0.001', takerFee: '0.001' }),
  defineInstrument({ id: PERP, tickSize: '0.1', lotSize: '0.001', minNotional: '5', makerFee: '0.0002', takerFee: '0.0005', maxLeverage: '20' }),
];

export class ManualKillSwitch implements KillSwitchProbe {
  on = false;
  engaged() {
    return { engaged: this.on, detail: 'test switch' };
  }
}

export interface Desk {
  readonly core: TradingCore;
  readonly venue: SimulatedVenue;
  readonly clock: TestClock;
  readonly config: TradingCoreConfig;
  readonly killSwitch: ManualKillSwitch;
  price(value: string | Fixed, ids?: readonly InstrumentId[]): void;
  intent(fields: Partial<OrderIntent> & Pick<OrderIntent, 'side' | 'quantity'>): OrderIntent;
}

/** A core on a simulated venue quoted by `price()`; `latencyMs` delays every request to the venue by that much. */
export function makeDesk(limits: RiskLimits = {}, cash = '100000', latencyMs = 0): Desk {
  const config: TradingCoreConfig = {
    instruments: INSTRUMENTS,
    limits,
    valuationCurrency: USDT,
    scales: new CurrencyScales({ USDT: 6, BTC: 8 }),
    leverage: new Map([[PERP, fx('4')]]),
  };
  const clock = new TestClock(unixMs(Date.UTC(2024, 0, 1)));
  // The simulated venue on quotes: each price() is a zero-spread quote with ample size, so takers fill at it.
  const venue = new SimulatedVenue(INSTRUMENTS, config.scales ?? new CurrencyScales(), clock, {
    fillModel: 'l1',
    balances: { USDT: cash },
    ...(latencyMs > 0 ? { latencyMs } : {}),
    ...(config.leverage ? { leverage: config.leverage } : {}),
  });
  const killSwitch = new ManualKillSwitch();
  const core = new TradingCore(config, { clock, venue, killSwitch, ids: new IdGenerator('ev') });
  core.deposit('desk', USDT, fx(cash));
  let n = 0;
  return {
    core,
    venue,
    clock,
    config,
    killSwitch,
    price(value, ids = [SPOT, PERP]) {
      const p = typeof value === 'string' ? fx(value) : value;
      for (const id of ids) {
        core.updateMarket(id, p, clock.now());
        venue.onQuote({ type: 'quote', instrumentId: id, ts: clock.now(), bidPrice: p.toNumber(), bidSize: 1e9, askPrice: p.toNumber(), askSize: 1e9 });
      }
      core.markToMarket(ids.map((id) => ({ instrumentId: id, price: p })));
    },
    intent(fields) {
      n += 1;
      return {
        id: intentId(`i-${n}`),
        agentId: agentId('tester'),
        owner: 'desk',
        instrumentId: SPOT,
        type: 'market',
        tsEvent: clock.now(),
        ...fields,
      };
    },
  };
}

/** Replays the desk's journal into a fresh core and returns both snapshots. */
export function replaySnapshots(desk: Desk): { live: string; replayed: string } {
  const replayed = TradingCore.replay(desk.config, desk.core.store.read(0), { clock: new TestClock(desk.clock.now()) });
  return { live: desk.core.snapshot(), replayed: replayed.snapshot() };
}
