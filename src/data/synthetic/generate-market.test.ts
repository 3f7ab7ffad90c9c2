import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FixRequestError } from '../../core/errors.js';
import { HOUR_MS, type UnixMs } from '../../core/time.js';
import { barProblem } from '../../domain/market-data.js';
import type { BarSeries } from '../bar-series.js';
import { generateMarket, regimeAt, syntheticInstrument, type SyntheticMarketOptions } from './generate-market.js';
import { fundingRateEvents, markPriceEvent } from './perpetual.js';
import { REGIMES } from './regimes.js';

const START = Date.UTC(2024, 0, 1);

const OPTIONS: SyntheticMarketOptions = {
  seed: 42,
  start: START,
  timeframeMs: HOUR_MS,
  bars: 2_000,
  instruments: [
    { symbol: 'BTC/USDT', startPrice: 42_000 },
    { symbol: 'ETH/USDT', startPrice: 2_300, annualVol: 0.75 },
    { symbol: 'BTC/USDT:USDT', startPrice: 42_000, tickSize: 0.1 },
  ],
  // The perpetual trades on BTC/USDT's price path: its row repeats BTC/USDT's.
  correlation: [
    [1, 0.8, 1],
    [0.8, 1, 0.8],
    [1, 0.8, 1],
  ],
};

function bytes(column: Float64Array): Buffer {
  return Buffer.from(column.buffer, column.byteOffset, column.byteLength);
}

function columns(series: BarSeries): Float64Array[] {
  return [series.ts, series.open, series.high, series.low, series.close, series.volume];
}

function thrown(fn: () => unknown): FixRequestError {
  try {
    fn();
  } catch (error) {
    if (error instanceof FixRequestError) return error;
    throw error;
  }
  throw new Error('expected a FixRequestError');
}

describe('generateMarket', () => {
  it('produces bit-identical series, marks, funding and regimes for the same seed', () => {
    const first = generateMarket(OPTIONS);
    const second = generateMarket(OPTIONS);
    for (let i = 0; i < first.instruments.length; i++) {
      const a = first.instruments[i]!;
      const b = second.instruments[i]!;
      columns(a.bars).forEach((column, c) => expect(bytes(column).equals(bytes(columns(b.bars)[c]!))).toBe(true));
      if (a.perpetual !== undefined && b.perpetual !== undefined) {
        expect(bytes(a.perpetual.markPrice.price).equals(bytes(b.perpetual.markPrice.price))).toBe(true);
        expect(bytes(a.perpetual.funding.rate).equals(bytes(b.perpetual.funding.rate))).toBe(true);
      }
    }
    expect(Buffer.from(first.regimes).equals(Buffer.from(second.regimes))).toBe(true);
  });

  it('produces different prices for a different seed', () => {
    const a = generateMarket(OPTIONS).instruments[0]!.bars;
    const b = generateMarket({ ...OPTIONS, seed: 43 }).instruments[0]!.bars;
    let differing = 0;
    for (let i = 0; i < a.length; i++) if (a.close[i] !== b.close[i]) differing += 1;
    expect(differing).toBeGreaterThan(a.length * 0.99);
  });

  it('lays bars out back to back from the start, each opening at the previous close', () => {
    const market = generateMarket(OPTIONS);
    const bars = market.instruments[0]!.bars;
    expect(bars.instrumentId).toBe('SYNTH:BTC/USDT');
    expect(bars.timeframeMs).toBe(HOUR_MS);
    expect(bars.length).toBe(2_000);
    expect(bars.open[0]).toBe(42_000);
    for (let i = 0; i < bars.length; i++) expect(bars.ts[i]).toBe(START + i * HOUR_MS);
    for (let i = 1; i < bars.length; i++) expect(bars.open[i]).toBe(bars.close[i - 1]);
  });

  it('keeps every price on its tick, so it prints and parses back exactly', () => {
    const market = generateMarket(OPTIONS);
    for (const instrument of market.instruments) {
      const decimals = instrument.tickSize === 0.1 ? 1 : 2;
      for (const column of [instrument.bars.open, instrument.bars.high, instrument.bars.low, instrument.bars.close]) {
        for (const price of column) expect(Number(price.toFixed(decimals))).toBe(price);
      }
      for (const volume of instrument.bars.volume) expect(Number(volume.toFixed(4))).toBe(volume);
    }
  });

  it('never produces an impossible bar, whatever the instrument', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.double({ min: 0.001, max: 1e6, noNaN: true }),
        fc.double({ min: 0.05, max: 3, noNaN: true }),
        fc.constantFrom(0.0001, 0.01, 0.5, 1, 5),
        fc.constantFrom(60_000, HOUR_MS, 86_400_000),
        (seed, startPrice, annualVol, tickSize, timeframeMs) => {
          const market = generateMarket({
            seed,
            start: START,
            timeframeMs,
            bars: 300,
            instruments: [{ symbol: 'X/USDT:USDT', startPrice, annualVol, tickSize }],
          });
          const bars = market.instruments[0]!.bars;
          for (let i = 0; i < bars.length; i++) {
            const bar = { ts: bars.ts[i] as UnixMs, open: bars.open[i]!, high: bars.high[i]!, low: bars.low[i]!, close: bars.close[i]!, volume: bars.volume[i]! };
            expect(barProblem(bar)).toBeUndefined();
            expect(bar.low).toBeGreaterThanOrEqual(tickSize);
          }
          const marks = market.instruments[0]!.perpetual!.markPrice.price;
          for (const mark of marks) expect(mark).toBeGreaterThanOrEqual(tickSize);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('labels every bar with a regime, and only random-walk when regimes are off', () => {
    const on = generateMarket({ ...OPTIONS, bars: 20_000 });
    const seen = new Set(Array.from(on.regimes, (code) => REGIMES[code]));
    expect([...seen].sort()).toEqual(['crash', 'ranging', 'trending-down', 'trending-up']);
    expect(regimeAt(on, 0)).toBe('ranging');

    const off = generateMarket({ ...OPTIONS, regimes: false });
    expect(new Set(off.regimes)).toEqual(new Set([0]));
    expect(regimeAt(off, 1_999)).toBe('random-walk');
    expect(thrown(() => regimeAt(off, 2_000)).code).toBe('invalid_range');
  });

  it('starts in the regime asked for', () => {
    const market = generateMarket({ ...OPTIONS, regimes: { initial: 'crash' } });
    expect(regimeAt(market, 0)).toBe('crash');
  });

  it('keeps the same prices when only the volume settings change', () => {
    const off = generateMarket({ ...OPTIONS, regimes: false, garch: false });
    const again = generateMarket({ ...OPTIONS, regimes: false, garch: false, instruments: OPTIONS.instruments.map((spec) => ({ ...spec, baseVolume: 1 })) });
    expect(bytes(off.instruments[1]!.bars.close).equals(bytes(again.instruments[1]!.bars.close))).toBe(true);
    expect(off.instruments[1]!.bars.volume[5]).not.toBe(again.instruments[1]!.bars.volume[5]);
  });

  it('gives perpetuals a mark at each bar close and funding every 8 hours on UTC funding times', () => {
    const market = generateMarket(OPTIONS);
    expect(market.instruments[0]!.perpetual).toBeUndefined();
    const perp = syntheticInstrument(market, 'BTC/USDT:USDT');
    const { markPrice, funding } = perp.perpetual!;
    expect(markPrice.length).toBe(2_000);
    for (let i = 0; i < markPrice.length; i++) {
      expect(markPrice.ts[i]).toBe(START + (i + 1) * HOUR_MS);
      expect(Math.abs(markPrice.price[i]! / perp.bars.close[i]! - 1)).toBeLessThan(0.06);
    }
    // 2,000 hourly bars close from 01:00 on day 1 to 08:00 on day 84: funding at 08:00 on day 1 ... 08:00 on day 84.
    expect(funding.length).toBe(250);
    for (let k = 0; k < funding.length; k++) {
      expect(funding.ts[k]).toBe(START + (k + 1) * 8 * HOUR_MS);
      expect(new Date(funding.ts[k]!).getUTCHours() % 8).toBe(0);
      expect(Math.abs(funding.rate[k]!)).toBeLessThanOrEqual(0.0075);
    }
    const rates = new Set(funding.rate);
    expect(rates.has(0.0001)).toBe(true);
    expect(rates.size).toBeGreaterThan(10);

    expect(markPriceEvent(markPrice, 0)).toEqual({
      type: 'mark-price',
      instrumentId: perp.instrumentId,
      ts: START + HOUR_MS,
      price: markPrice.price[0],
      open: markPrice.open[0],
      high: markPrice.high[0],
      low: markPrice.low[0],
    });
    const events = fundingRateEvents(funding);
    expect(events[0]).toEqual({ type: 'funding-rate', instrumentId: perp.instrumentId, ts: START + 8 * HOUR_MS, rate: funding.rate[0] });
    expect(events).toHaveLength(250);
  });

  it("gives each perpetual bar a mark candle: the bar's open, high, low and close over one premium", () => {
    const perp = syntheticInstrument(generateMarket(OPTIONS), 'BTC/USDT:USDT');
    const { bars } = perp;
    const mark = perp.perpetual!.markPrice;
    const tick = 0.1;
    for (let i = 0; i < mark.length; i++) {
      const scale = bars.close[i]! / mark.price[i]!;
      expect(mark.low[i]).toBeLessThanOrEqual(Math.min(mark.open[i]!, mark.price[i]!));
      expect(mark.high[i]).toBeGreaterThanOrEqual(Math.max(mark.open[i]!, mark.price[i]!));
      for (const [markValue, barValue] of [[mark.open[i]!, bars.open[i]!], [mark.high[i]!, bars.high[i]!], [mark.low[i]!, bars.low[i]!]]) {
        // The same premium as the close, up to the rounding of both to the tick.
        expect(Math.abs(markValue! - barValue! / scale)).toBeLessThanOrEqual(tick * 1.01);
      }
    }
    // The deepest wick under a bar's close is carried into its mark.
    let wick = 0;
    for (let i = 1; i < bars.length; i++) if (bars.low[i]! / bars.close[i]! < bars.low[wick]! / bars.close[wick]!) wick = i;
    expect(bars.low[wick]! / bars.close[wick]!).toBeLessThan(0.975);
    expect(mark.low[wick]! / mark.price[wick]!).toBeCloseTo(bars.low[wick]! / bars.close[wick]!, 5);
  });

  it('trades a perpetual beside its spot at the spot price times one plus its premium, its mark at the spot', () => {
    const market = generateMarket(OPTIONS);
    const spot = syntheticInstrument(market, 'BTC/USDT').bars;
    const perp = syntheticInstrument(market, 'BTC/USDT:USDT');
    const mark = perp.perpetual!.markPrice;
    for (let i = 0; i < spot.length; i++) {
      const premium = perp.bars.close[i]! / mark.price[i]! - 1;
      expect(Math.abs(premium)).toBeLessThanOrEqual(0.05 + 1e-5);
      // Both rounded to their ticks: the spot's 0.01, the perpetual's 0.1.
      expect(Math.abs(perp.bars.close[i]! - spot.close[i]! * (1 + premium))).toBeLessThanOrEqual(0.11);
      expect(Math.abs(mark.price[i]! - spot.close[i]!)).toBeLessThanOrEqual(0.11);
      // A wick of the spot reaches the mark (deeper when the perpetual opened on the previous bar's premium).
      expect(mark.low[i]! - spot.low[i]!).toBeLessThanOrEqual(0.11);
    }
    // The spot alone, in a market without its perpetual, draws the same path.
    const alone = generateMarket({ ...OPTIONS, instruments: OPTIONS.instruments.slice(0, 2), correlation: [[1, 0.8], [0.8, 1]] });
    expect(bytes(alone.instruments[0]!.bars.close).equals(bytes(spot.close))).toBe(true);
  });

  it('samples funding from the latest bar when bars are longer than the funding interval', () => {
    const market = generateMarket({ ...OPTIONS, timeframeMs: 86_400_000, bars: 10 });
    const funding = market.instruments[2]!.perpetual!.funding;
    // Daily bars close at midnight: funding runs from the first close (day 2 00:00) to the last (day 11 00:00).
    expect(funding.length).toBe(28);
    expect(funding.ts[0]).toBe(START + 24 * HOUR_MS);
    expect(funding.ts[27]).toBe(START + 10 * 24 * HOUR_MS);
    // 08:00 and 16:00 see no bar close inside their interval: they reuse the premium of the last close.
    expect(funding.rate[1]).toBe(funding.rate[0]);
    expect(funding.rate[2]).toBe(funding.rate[0]);
  });

  it('refuses options it cannot honour, naming the problem', () => {
    expect(thrown(() => generateMarket({ ...OPTIONS, bars: 0 })).message).toContain('bars');
    expect(thrown(() => generateMarket({ ...OPTIONS, timeframeMs: 1.5 })).message).toContain('timeframeMs');
    expect(thrown(() => generateMarket({ ...OPTIONS, instruments: [] })).message).toContain('instruments');
    const twice = thrown(() => generateMarket({ ...OPTIONS, instruments: [OPTIONS.instruments[0]!, OPTIONS.instruments[0]!], correlation: undefined }));
    expect(twice.message).toContain('BTC/USDT is listed twice');
    const tick = thrown(() => generateMarket({ ...OPTIONS, instruments: [{ symbol: 'A/USDT', startPrice: 1, tickSize: 0.03 }], correlation: undefined }));
    expect(tick.message).toContain('tickSize 0.03');
    expect(thrown(() => generateMarket({ ...OPTIONS, correlation: [[1]] })).code).toBe('invalid_correlation');
    const split = thrown(() => generateMarket({ ...OPTIONS, correlation: [[1, 0.8, 0.98], [0.8, 1, 0.78], [0.98, 0.78, 1]] }));
    expect(split.message).toBe("BTC/USDT:USDT trades on BTC/USDT's price path: its correlation with BTC/USDT must be 1 and with every other instrument the same as BTC/USDT's");
    const elsewhere = thrown(() => generateMarket({ ...OPTIONS, instruments: [OPTIONS.instruments[0]!, { symbol: 'BTC/USDT:USDT', startPrice: 40_000 }], correlation: undefined }));
    expect(elsewhere.message).toBe("BTC/USDT:USDT trades on BTC/USDT's price path, so its startPrice must be BTC/USDT's (42000), got 40000");
    expect(thrown(() => generateMarket({ ...OPTIONS, garch: { alpha: 0.1, beta: 0.95 } })).message).toContain('alpha + beta < 1');
    expect(thrown(() => generateMarket({ ...OPTIONS, regimes: { averageDurationMs: { crash: 0 } } })).message).toContain('crash');
    expect(thrown(() => syntheticInstrument(generateMarket({ ...OPTIONS, bars: 2 }), 'SOL/USDT')).message).toContain('BTC/USDT, ETH/USDT');
  });
});
