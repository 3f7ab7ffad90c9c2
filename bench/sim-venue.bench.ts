/**
 * Bar-mode cost of the simulated venue: an idle venue (no orders, no position), a venue tracking one resting
 * order that never fills, and, for scale, the cost of a minimal SMA-cross strategy on the same bars.
 */
import { TestClock } from '../src/core/clock.js';
import { fx } from '../src/core/fixed.js';
import { clientOrderId } from '../src/core/ids.js';
import { unixMs, type UnixMs } from '../src/core/time.js';
import { CurrencyScales, defineInstrument } from '../src/domain/instrument.js';
import type { Bar } from '../src/domain/market-data.js';
import { SimulatedVenue } from '../src/venues/sim/sim-venue.js';
import { bestOf, report } from './harness.js';

const N = 1_000_000;
const SPOT = defineInstrument({ id: 'SIM:BTC/USDT', tickSize: '0.01', lotSize: '0.001', takerFee: '0.001' });

function makeBars(): Bar[] {
  const bars: Bar[] = [];
  let price = 30_000;
  let seed = 7;
  for (let i = 0; i < N; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const step = ((seed / 4294967296) - 0.5) * 20;
    const open = price;
    price = Math.max(1000, Math.round((price + step) * 100) / 100);
    const high = Math.max(open, price) + 5;
    const low = Math.min(open, price) - 5;
    bars.push({ type: 'bar', instrumentId: SPOT.id, ts: (i * 60_000) as UnixMs, timeframeMs: 60_000, open, high, low, close: price, volume: 10 });
  }
  return bars;
}

function run(bars: readonly Bar[], withOrder: boolean): number {
  let reports = 0;
  const seconds = bestOf(3, () => {
    const clock = new TestClock(unixMs(0));
    const venue = new SimulatedVenue([SPOT], new CurrencyScales(), clock, { fillModel: 'bar', balances: { USDT: '1000000' } });
    venue.onReport(() => {
      reports += 1;
    });
    for (let i = 0; i < bars.length; i++) {
      const bar = bars[i] as Bar;
      venue.onBar(bar);
      if (withOrder && i === 0) {
        venue.submit({
          clientOrderId: clientOrderId('far'),
          instrumentId: SPOT.id,
          side: 'buy',
          type: 'limit',
          price: fx('1'),
          quantity: fx('1'),
          timeInForce: 'GTC',
          postOnly: false,
          reduceOnly: false,
          owner: 'desk',
        });
      }
    }
  });
  // One acceptance per run when an order is placed; nothing else may happen.
  console.log(`  (${reports} venue reports over 4 runs)`);
  return seconds;
}

function strategyCost(bars: readonly Bar[]): number {
  let signals = 0;
  const seconds = bestOf(3, () => {
    const fast = new Float64Array(10);
    const slow = new Float64Array(30);
    let fastSum = 0;
    let slowSum = 0;
    let previous = 0;
    for (let i = 0; i < bars.length; i++) {
      const close = (bars[i] as Bar).close;
      fastSum += close - (fast[i % 10] as number);
      fast[i % 10] = close;
      slowSum += close - (slow[i % 30] as number);
      slow[i % 30] = close;
      const diff = fastSum / 10 - slowSum / 30;
      if (i >= 30 && Math.sign(diff) !== Math.sign(previous)) signals += 1;
      previous = diff;
    }
  });
  console.log(`  (strategy reference produced ${signals} crossings)`);
  return seconds;
}

const bars = makeBars();
// Each run needs a fresh clock-ordered venue: the venue refuses data older than it has seen.
const idle = run(bars, false);
report('sim.bar.idle', (idle / N) * 1e9, 'ns/bar', `${N.toLocaleString('en-US')} bars, no orders`);
const tracking = run(bars, true);
report('sim.bar.resting_order', (tracking / N) * 1e9, 'ns/bar', 'one resting limit that never fills');
const strategy = strategyCost(bars);
report('sim.bar.strategy_reference', (strategy / N) * 1e9, 'ns/bar', 'a bare SMA(10/30) crossing loop, for scale');
