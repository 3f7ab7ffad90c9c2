import { describe, expect, it } from 'vitest';
import { instrumentId } from '../../../core/ids.js';
import { BarSeriesBuilder } from '../../../data/bar-series.js';
import { defineInstrument } from '../../../domain/instrument.js';
import { offTickWarning } from './off-tick-prices.js';

const ID = instrumentId('FILE:ABC/USD');
const T0 = Date.UTC(2024, 0, 1);

function series(bars: readonly (readonly [number, number, number, number])[]) {
  const b = new BarSeriesBuilder();
  bars.forEach(([o, h, l, c], i) => b.push(T0 + i * 300_000, o, h, l, c, 1));
  return b.build(ID, 300_000);
}
const onTick = (tick: string) => defineInstrument({ id: ID, tickSize: tick, lotSize: '0.0001' });

describe('prices finer than the --tick given', () => {
  it('names the tick, the first price between ticks, its bar and what the venue takes it for', () => {
    const bars = series([
      [107, 108, 106, 107],
      [107.5, 109, 107, 108.25],
      [108, 109, 107, 108],
    ]);
    expect(offTickWarning(bars, onTick('1'))).toBe(
      'FILE:ABC/USD: the prices are finer than --tick 1 (1 of 3 bars has a price between ticks, e.g. the open 107.5 at 2024-01-01T00:05:00.000Z, ' +
        'which the simulated venue takes as 108): every price is moved to the nearest tick, so fills move by up to half a tick, sometimes in ' +
        "the trader's favour; give a --tick that divides the prices, or leave --tick out to use the data's own",
    );
  });

  it('says nothing when every price is on the tick, a tick of 0.5 and of 0.0001 alike, float noise included', () => {
    expect(offTickWarning(series([[107.5, 108, 106.5, 107]]), onTick('0.5'))).toBeUndefined();
    expect(offTickWarning(series([[1.1602999999999999, 1.1604, 1.16, 1.1603]]), onTick('0.0001'))).toBeUndefined();
    expect(offTickWarning(series([[0.1 + 0.2, 0.4, 0.3, 0.3]]), onTick('0.1'))).toBeUndefined();
  });

  it('counts every bar with a price between ticks, whichever price it is', () => {
    const warning = offTickWarning(series([[100, 100.2, 100, 100], [100, 100, 100, 100], [100, 100, 99.9, 100]]), onTick('0.5'));
    expect(warning).toContain('(2 of 3 bars have a price between ticks, e.g. the high 100.2 at 2024-01-01T00:00:00.000Z, which the simulated venue takes as 100)');
  });
});
