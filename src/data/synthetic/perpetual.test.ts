import { describe, expect, it } from 'vitest';
import type { InstrumentId } from '../../core/ids.js';
import { HOUR_MS } from '../../core/time.js';
import { BasisProcess, fundingRateFor, fundingSeries, resolvePerpetualOptions } from './perpetual.js';

const OPTIONS = resolvePerpetualOptions();
const ID = 'SYNTH:BTC/USDT:USDT' as InstrumentId;

describe('funding rates', () => {
  it('pays exactly the interest rate while the premium is small', () => {
    expect(fundingRateFor(0, OPTIONS)).toBe(0.0001);
    expect(fundingRateFor(0.0004, OPTIONS)).toBe(0.0001);
    expect(fundingRateFor(-0.0003, OPTIONS)).toBe(0.0001);
  });

  it('follows the premium beyond the ±0.05% band', () => {
    expect(fundingRateFor(0.002, OPTIONS)).toBe(0.0015);
    expect(fundingRateFor(-0.002, OPTIONS)).toBe(-0.0015);
  });

  it('is clamped to ±0.75% like Binance', () => {
    expect(fundingRateFor(0.05, OPTIONS)).toBe(0.0075);
    expect(fundingRateFor(-0.05, OPTIONS)).toBe(-0.0075);
    expect(fundingRateFor(0.05, resolvePerpetualOptions({ fundingCap: 0.003 }))).toBe(0.003);
  });

  it('averages the premium of the bars that closed in each interval', () => {
    // Four 4h bars closing at 04:00, 08:00, 12:00, 16:00 with premiums 0.1%, 0.3%, 1%, 2%.
    const ts = Float64Array.from([4, 8, 12, 16], (hours) => hours * HOUR_MS);
    const price = Float64Array.from([100, 100, 100, 100]);
    const close = Float64Array.from([100.1, 100.3, 101, 102]);
    const series = fundingSeries(ID, { length: 4, ts, price }, close, OPTIONS);
    expect(Array.from(series.ts)).toEqual([8 * HOUR_MS, 16 * HOUR_MS]);
    // 08:00: P = 0.2% -> 0.2% - 0.05% = 0.15%; 16:00: P = 1.5% -> clamped to 0.75%.
    expect(Array.from(series.rate)).toEqual([0.0015, 0.0075]);
  });

  it('refuses nonsense options', () => {
    expect(() => resolvePerpetualOptions({ fundingIntervalMs: 0 })).toThrow('fundingIntervalMs');
    expect(() => resolvePerpetualOptions({ basisNoise: -1 })).toThrow('basisNoise');
  });
});

describe('the basis process', () => {
  it('decays halfway to its target in one half-life without noise', () => {
    const basis = new BasisProcess(4 * HOUR_MS, resolvePerpetualOptions({ basisNoise: 0 }), 0.002);
    expect(basis.step(0, 0)).toBeCloseTo(0.001, 12);
    expect(basis.step(0, 0)).toBeCloseTo(0.0005, 12);
  });
});
