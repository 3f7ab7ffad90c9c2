/**
 * sma-cross and ema-cross on flat markets: a price that does not move is no cross, however its averages round.
 * The ordering rules themselves (crosses, modes, pending orders) are in strategies.test.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { instrumentId } from '../core/ids.js';
import { SMA } from '../indicators/moving-averages.js';
import { createStrategy } from './registry.js';
import type { BarView, Signal, StrategyContext, StrategyParameters } from './strategy.js';

const BTC = instrumentId('TEST:BTC/USDT');
const CANDLES = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/data/candles');
const FILES = ['UNITTEST_BTC-1m', 'TRX_BTC-5m', 'XMR_BTC-5m', 'ADA_BTC-5m', 'NXT_BTC-5m'] as const;
const dataPresent = FILES.every((file) => existsSync(resolve(CANDLES, `${file}.csv`)));
const dataRequired = process.env['REQUIRE_SHARED_DATA'] === '1';

/** Feeds closes to a strategy over a desk that fills every signal at once; returns [bar, direction] per signal. */
function signals(name: string, parameters: StrategyParameters, closes: readonly number[]): [number, Signal['direction']][] {
  const strategy = createStrategy(name, parameters, [BTC]);
  const out: [number, Signal['direction']][] = [];
  let position = 0;
  let bar = 0;
  const desk: StrategyContext = {
    position: () => position,
    hasPendingOrder: () => false,
    emit: (signal) => {
      out.push([bar, signal.direction]);
      position = signal.direction === 'long' ? 1 : signal.direction === 'short' ? -1 : 0;
    },
  };
  const view: BarView = { instrumentId: BTC, index: 0, ts: 0, open: 0, high: 0, low: 0, close: 0, volume: 0 };
  closes.forEach((close, index) => {
    bar = index;
    Object.assign(view, { index, ts: index * 60_000, open: close, high: close, low: close, close });
    strategy.onBar(view, desk);
  });
  return out;
}

describe('sma-cross on a flat market', () => {
  it('takes SMA(3) and SMA(5) of one price, a rounding step apart, as equal: no cross, no trade', () => {
    // TRX/BTC 5m: one bar at 0.00010322, then flat at 0.000103. Both windows are flat on the last bar.
    const closes = [0.00010322, 0.000103, 0.000103, 0.000103, 0.000103, 0.000103];
    const fast = new SMA(3);
    const slow = new SMA(5);
    for (const close of closes) {
      fast.update(close);
      slow.update(close);
    }
    expect([fast.value, slow.value]).toEqual([0.000103, 0.00010299999999999998]);
    expect(signals('sma-cross', { fast: 3, slow: 5 }, closes)).toEqual([]);
    expect(signals('sma-cross', { fast: 3, slow: 5, mode: 'reversal' }, closes)).toEqual([]);
  });

  it('still crosses when the price leaves the flat stretch', () => {
    const closes = [0.00010322, 0.000103, 0.000103, 0.000103, 0.000103, 0.000103, 0.000104];
    expect(signals('sma-cross', { fast: 3, slow: 5 }, closes)).toEqual([[6, 'long']]);
  });

  it.skipIf(!dataPresent && !dataRequired)('never signals on shared candles where both windows are flat', () => {
    let crosses = 0;
    for (const file of FILES) {
      const closes = readFileSync(resolve(CANDLES, `${file}.csv`), 'utf8').trim().split('\n').slice(1).map((line) => Number(line.split(',')[4]));
      for (const [fast, slow] of [[2, 3], [2, 5], [3, 5], [3, 7], [4, 6], [5, 10]] as const) {
        for (const [bar] of signals('sma-cross', { fast, slow, mode: 'reversal' }, closes)) {
          crosses += 1;
          const window = closes.slice(bar - slow + 1, bar + 1);
          expect(window.every((close) => close === closes[bar]), `${file} ${fast}/${slow} bar ${bar}: a signal on a flat window`).toBe(false);
        }
      }
    }
    expect(crosses).toBeGreaterThan(10_000);
  });
});

describe('ema-cross on a flat market', () => {
  it('sees two EMAs close in on a price that stopped moving, the fast one ahead, without crossing', () => {
    // A rise to 0.000103, then 1000 bars at that price: EMA(12) stays above EMA(26) all the way in.
    const ramp = Array.from({ length: 40 }, (_, i) => 0.000103 * (0.98 + 0.0003 * i));
    const closes = [...ramp, ...Array.from({ length: 1000 }, () => 0.000103)];
    expect(signals('ema-cross', { fast: 12, slow: 26, mode: 'reversal' }, closes)).toEqual([]);
    const falling = [...ramp.map((x) => 0.000206 - x), ...Array.from({ length: 1000 }, () => 0.000103)];
    expect(signals('ema-cross', { fast: 9, slow: 21, mode: 'reversal' }, falling)).toEqual([]);
  });
});
