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
    // BTC leads with 10 hourly bars; ETH has 4-hourly bars over (about) the same time.
    series: new Map([
      [BTC, series(BTC, 10, HOUR)],
      [ETH, series(ETH, 3, 4 * HOUR)],
    ]),
    extras: [0, 3, 7, 9].map((h) => ({ type: 'funding-rate' as const, instrumentId: BTC, ts: (h * HOUR) as UnixMs, rate: h / 1000 })),
  };
}

describe('splitPeriods', () => {
  it('cuts the lead series into nearly equal runs and every other series and extra at the same times', () => {
    const periods = splitPeriods(data(), [BTC, ETH], 3);
    expect(periods.map((p) => p.bars)).toEqual([3, 3, 4]);
    expect(periods.map((p) => [p.startTs / HOUR, p.endTs / HOUR])).toEqual([
      [0, 2],
      [3, 5],
      [6, 9],
    ]);
    // ETH bars open at 0h, 4h and 8h.
    expect(periods.map((p) => Array.from(p.data.series.get(ETH)?.ts ?? []).map((t) => t / HOUR))).toEqual([[0], [4], [8]]);
    expect(periods.map((p) => p.data.extras.map((e) => e.ts / HOUR))).toEqual([[0], [3], [7, 9]]);
    expect(periods[1]?.data.series.get(BTC)?.close[0]).toBe(103);
  });

  it('is the whole data as one period', () => {
    const [only] = splitPeriods(data(), [BTC, ETH], 1);
    expect(only?.bars).toBe(10);
    expect(only?.data.series.get(ETH)?.length).toBe(3);
    expect(only?.data.extras).toHaveLength(4);
  });

  it('refuses more periods than bars and a count that is not a positive integer', () => {
    expect(() => splitPeriods(data(), [BTC], 11)).toThrow('11 periods are more than the 10 bars of TEST:BTC/USDT:USDT');
    expect(() => splitPeriods(data(), [BTC], 0)).toThrow('periods must be a positive integer, got 0');
    expect(() => splitPeriods(data(), [BTC], 1.5)).toThrow('periods must be a positive integer, got 1.5');
  });
});

describe('requireWarmup', () => {
  it('accepts periods holding the warm-up and two bars, and names the analyst and the most periods that fit otherwise', () => {
    const periods = splitPeriods(data(), [BTC], 2);
    expect(() => requireWarmup(periods, [{ analyst: 'sma', strategy: 'sma-cross', warmup: 3, instruments: [BTC] }], data(), [BTC])).not.toThrow();
    expect(() => requireWarmup(periods, [{ analyst: 'sma', strategy: 'sma-cross', warmup: 4, instruments: [BTC] }], data(), [BTC])).toThrow(
      'period 1 of 2 has 5 bars of TEST:BTC/USDT:USDT, but analyst sma (sma-cross) needs a 4-bar warm-up and 2 bars to trade; use at most 1 period',
    );
    expect(() => requireWarmup(splitPeriods(data(), [BTC], 1), [{ analyst: 'sma', strategy: 'sma-cross', warmup: 9, instruments: [BTC] }], data(), [BTC])).toThrow(
      'period 1 of 1 has 10 bars of TEST:BTC/USDT:USDT, but analyst sma (sma-cross) needs a 9-bar warm-up and 2 bars to trade; the data holds too few bars of TEST:BTC/USDT:USDT for it even as one period',
    );
  });

  it("advises from the bars of the instrument that falls short, not the lead series' (a longer timeframe has fewer bars)", () => {
    // 200 hourly BTC bars lead; ETH has 50 four-hourly bars over the same time, and its analyst needs 8 + 2.
    const mixed: DeskData = { series: new Map([[BTC, series(BTC, 200, HOUR)], [ETH, series(ETH, 50, 4 * HOUR)]]), extras: [] };
    const needs = [
      { analyst: 'sma', strategy: 'sma-cross', warmup: 8, instruments: [BTC] },
      { analyst: 'donchian', strategy: 'donchian', warmup: 8, instruments: [ETH] },
    ];
    expect(() => requireWarmup(splitPeriods(mixed, [BTC, ETH], 10), needs, mixed, [BTC, ETH])).toThrow(
      'period 1 of 10 has 5 bars of TEST:ETH/USDT, but analyst donchian (donchian) needs a 8-bar warm-up and 2 bars to trade; use at most 5 periods',
    );
    // The advice holds, and is the most that does.
    expect(splitPeriods(mixed, [BTC, ETH], 5).map((p) => p.data.series.get(ETH)?.length)).toEqual([10, 10, 10, 10, 10]);
    expect(() => requireWarmup(splitPeriods(mixed, [BTC, ETH], 5), needs, mixed, [BTC, ETH])).not.toThrow();
    expect(() => requireWarmup(splitPeriods(mixed, [BTC, ETH], 6), needs, mixed, [BTC, ETH])).toThrow(/^period 1 of 6 has 9 bars of TEST:ETH\/USDT.*use at most 5 periods$/);
  });
});
