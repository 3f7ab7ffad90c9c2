import { describe, expect, it } from 'vitest';
import { instrumentId, type InstrumentId } from '../../core/ids.js';
import type { UnixMs } from '../../core/time.js';
import { BarSeriesBuilder, type BarSeries } from '../../data/bar-series.js';
import type { DeskData } from '../../engine/desk/desk-data.js';
import { requireWarmup, splitPeriods } from './periods.js';

const BTC = instrumentId('TEST:BTC/USDT:USDT');
const ETH = instrumentId('TEST:ETH/USDT');
const HOUR = 3_600_000;

function series(id: InstrumentId, bars: number, stepMs: number, start = 0): BarSeries {
  const builder = new BarSeriesBuilder();
  for (let i = 0; i < bars; i++) builder.push(start + i * stepMs, 100 + i, 101 + i, 99 + i, 100 + i, 1);
  return builder.build(id, stepMs);
}

function data(): DeskData {
  return {
    // 10 hourly BTC bars; ETH has 4-hourly bars over (about) the same time.
    series: new Map([
      [BTC, series(BTC, 10, HOUR)],
      [ETH, series(ETH, 3, 4 * HOUR)],
    ]),
    extras: [0, 3, 7, 9].map((h) => ({ type: 'funding-rate' as const, instrumentId: BTC, ts: (h * HOUR) as UnixMs, rate: h / 1000 })),
  };
}

describe('splitPeriods', () => {
  it('cuts the span of every series into nearly equal stretches of time, and every series and extra at the same times', () => {
    // BTC: 10 hourly bars from 0h (to 10h); ETH: 4-hourly bars at 0h, 4h and 8h (to 12h). The span is 0h to 12h.
    const periods = splitPeriods(data(), 3);
    expect(periods.map((p) => [p.startTs / HOUR, p.endTs / HOUR, p.bars])).toEqual([
      [0, 3, 5],
      [4, 7, 5],
      [8, 9, 3],
    ]);
    expect(periods.map((p) => Array.from(p.data.series.get(BTC)?.ts ?? []).map((t) => t / HOUR))).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
    expect(periods.map((p) => Array.from(p.data.series.get(ETH)?.ts ?? []).map((t) => t / HOUR))).toEqual([[0], [4], [8]]);
    expect(periods.map((p) => p.data.extras.map((e) => e.ts / HOUR))).toEqual([[0, 3], [7], [9]]);
    expect(periods[1]?.data.series.get(BTC)?.close[0]).toBe(104);
  });

  it("cuts on the whole span, not the first instrument's: bars of another before and after it are in periods that say so", () => {
    // BTC (first) has 8 hourly bars from 4h to 11h; ETH 4-hourly bars at 0h, 4h, 8h and 12h (to 16h).
    const wider: DeskData = { series: new Map([[BTC, series(BTC, 8, HOUR, 4 * HOUR)], [ETH, series(ETH, 4, 4 * HOUR)]]), extras: [] };
    const periods = splitPeriods(wider, 2);
    expect(periods.map((p) => [p.startTs / HOUR, p.endTs / HOUR, p.bars])).toEqual([
      [0, 7, 6],
      [8, 12, 6],
    ]);
    expect(periods.map((p) => [p.data.series.get(BTC)?.length, p.data.series.get(ETH)?.length])).toEqual([
      [4, 2],
      [4, 2],
    ]);
  });

  it('is the whole data as one period', () => {
    const [only] = splitPeriods(data(), 1);
    expect(only?.bars).toBe(13);
    expect([only?.startTs, only?.endTs]).toEqual([0, 9 * HOUR]);
    expect(only?.data.series.get(ETH)?.length).toBe(3);
    expect(only?.data.extras).toHaveLength(4);
  });

  it('refuses more periods than bar times and a count that is not a positive integer', () => {
    expect(() => splitPeriods(data(), 11)).toThrow('11 periods are more than the 10 bar times of the data');
    expect(() => splitPeriods(data(), 0)).toThrow('periods must be a positive integer, got 0');
    expect(() => splitPeriods(data(), 1.5)).toThrow('periods must be a positive integer, got 1.5');
  });
});

describe('requireWarmup', () => {
  it('accepts periods holding the warm-up and two bars, and names the analyst and the most periods that fit otherwise', () => {
    const periods = splitPeriods(data(), 2);
    // The span runs to ETH's last close at 12h, so the cut is at 6h: 6 and 4 BTC bars.
    expect(periods.map((p) => p.data.series.get(BTC)?.length)).toEqual([6, 4]);
    expect(() => requireWarmup(periods, [{ analyst: 'sma', strategy: 'sma-cross', warmup: 2, instruments: [BTC] }], data())).not.toThrow();
    expect(() => requireWarmup(periods, [{ analyst: 'sma', strategy: 'sma-cross', warmup: 3, instruments: [BTC] }], data())).toThrow(
      'period 2 of 2 has 4 bars of TEST:BTC/USDT:USDT, but analyst sma (sma-cross) needs a 3-bar warm-up and 2 bars to trade; use at most 1 period',
    );
    expect(() => requireWarmup(splitPeriods(data(), 1), [{ analyst: 'sma', strategy: 'sma-cross', warmup: 9, instruments: [BTC] }], data())).toThrow(
      'period 1 of 1 has 10 bars of TEST:BTC/USDT:USDT, but analyst sma (sma-cross) needs a 9-bar warm-up and 2 bars to trade; the data holds too few bars of TEST:BTC/USDT:USDT for it even as one period',
    );
  });

  it("advises from the bars of the instrument that falls short, not a finer series' (a longer timeframe has fewer bars)", () => {
    // 200 hourly BTC bars lead; ETH has 50 four-hourly bars over the same time, and its analyst needs 8 + 2.
    const mixed: DeskData = { series: new Map([[BTC, series(BTC, 200, HOUR)], [ETH, series(ETH, 50, 4 * HOUR)]]), extras: [] };
    const needs = [
      { analyst: 'sma', strategy: 'sma-cross', warmup: 8, instruments: [BTC] },
      { analyst: 'donchian', strategy: 'donchian', warmup: 8, instruments: [ETH] },
    ];
    expect(() => requireWarmup(splitPeriods(mixed, 10), needs, mixed)).toThrow(
      'period 1 of 10 has 5 bars of TEST:ETH/USDT, but analyst donchian (donchian) needs a 8-bar warm-up and 2 bars to trade; use at most 5 periods',
    );
    // The advice holds, and is the most that does.
    expect(splitPeriods(mixed, 5).map((p) => p.data.series.get(ETH)?.length)).toEqual([10, 10, 10, 10, 10]);
    expect(() => requireWarmup(splitPeriods(mixed, 5), needs, mixed)).not.toThrow();
    expect(() => requireWarmup(splitPeriods(mixed, 6), needs, mixed)).toThrow(/^period 1 of 6 has 9 bars of TEST:ETH\/USDT.*use at most 5 periods$/);
  });
});
