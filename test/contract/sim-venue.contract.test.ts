import { TestClock } from '../../src/core/clock.js';
import { fx } from '../../src/core/fixed.js';

import { unixMs, type UnixMs } from '../../src/core/time.js';
import type { VenueReport } from '../../src/domain/events.js';
import { CurrencyScales, defineInstrument } from '../../src/domain/instrument.js';
import type { FillModel } from '../../src/venues/sim/options.js';
import { SimulatedVenue } from '../../src/venues/sim/sim-venue.js';
import { describeVenueContract, type VenueHarness } from './venue-contract.js';

const SPOT = defineInstrument({ id: 'SIM:BTC/USDT', tickSize: '0.01', lotSize: '0.001', minNotional: '1', makerFee: '0.0002', takerFee: '0.001' });

function harness(fillModel: FillModel, share?: string): VenueHarness {
  const clock = new TestClock(unixMs(Date.UTC(2024, 0, 1)));
  const venue = new SimulatedVenue([SPOT], new CurrencyScales({ USDT: 6, BTC: 8 }), clock, {
    fillModel,
    balances: { USDT: '1000000' },
    ...(share === undefined ? {} : { volumeShare: fx('1') }),
  });
  const reports: VenueReport[] = [];
  venue.onReport((r) => reports.push(r));
  const size = share === undefined ? 1000 : Number(share);
  let sequence = 0;
  return {
    venue,
    reports,
    instrument: SPOT,
    setMarket(price: string) {
      const p = Number(price);
      const ts = clock.now();
      sequence += 1;
      if (fillModel === 'bar') {
        clock.advanceTo((ts + 60_000) as UnixMs);
        venue.onBar({ type: 'bar', instrumentId: SPOT.id, ts, timeframeMs: 60_000, open: p, high: p, low: p, close: p, volume: size });
      } else if (fillModel === 'l1') {
        clock.advanceTo((ts + 1000) as UnixMs);
        venue.onQuote({ type: 'quote', instrumentId: SPOT.id, ts: clock.now(), bidPrice: p, bidSize: size, askPrice: p, askSize: size });
      } else {
        clock.advanceTo((ts + 1000) as UnixMs);
        venue.onBook({
          type: 'book-snapshot',
          instrumentId: SPOT.id,
          ts: clock.now(),
          sequence,
          bids: [[p - 0.01, size]],
          asks: [[p, size]],
        });
      }
    },
    settle() {},
  };
}

for (const model of ['bar', 'l1', 'l2'] as const) {
  describeVenueContract(`simulated venue (${model})`, () => harness(model), { partial: (share) => harness(model, share) });
}

