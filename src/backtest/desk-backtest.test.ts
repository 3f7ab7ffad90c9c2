import { describe, expect, it } from 'vitest';
import { instrumentId } from '../core/ids.js';
import { BarSeriesBuilder } from '../data/bar-series.js';
import { barsReplayed } from './desk-backtest.js';

function seriesOf(symbol: string, count: number, timeframeMs: number) {
  const b = new BarSeriesBuilder();
  for (let i = 0; i < count; i++) b.push(i * timeframeMs, 100, 101, 99, 100, 1);
  return b.build(instrumentId(`TEST:${symbol}/USDT`), timeframeMs);
}

describe('bars a desk has replayed of each series', () => {
  const fives = seriesOf('AAA', 4, 300_000);
  const minutes = seriesOf('BBB', 20, 60_000);

  it('at the end, every bar of every series', () => {
    expect(barsReplayed([fives, minutes], undefined, 24)).toEqual([4, 20]);
  });

  it('stopped between close times: the bars closing before the next one', () => {
    // Next is the 1m bar closing at 7 minutes: one 5m bar and six 1m bars are done.
    expect(barsReplayed([fives, minutes], 420_000, 7)).toEqual([1, 6]);
  });

  it('stopped inside a close time: the bars closing then that are done belong to the first series', () => {
    // At 10 minutes the second 5m bar (first series) closes with the tenth 1m bar: with 11 replayed, the 5m bar is done.
    expect(barsReplayed([fives, minutes], 600_000, 11)).toEqual([2, 9]);
    expect(barsReplayed([fives, minutes], 600_000, 10)).toEqual([1, 9]);
  });
});
