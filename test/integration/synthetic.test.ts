/**
 * The synthetic market's statistics: what the demo and the strategy tests rely on. Each assertion is over enough
 * bars that the tolerance is several standard errors wide, and the seeds are fixed, so the suite is deterministic.
 */
import { describe, expect, it } from 'vitest';
import { HOUR_MS } from '../../src/core/time.js';
import type { BarSeries } from '../../src/data/bar-series.js';
import { generateMarket, REGIMES, type Regime, type SyntheticMarket, type SyntheticMarketOptions } from '../../src/data/synthetic/index.js';

const START = Date.UTC(2024, 0, 1);
const CORRELATION = [
  [1, 0.8, -0.3],
  [0.8, 1, 0],
  [-0.3, 0, 1],
];
const THREE: SyntheticMarketOptions = {
  seed: 11,
  start: START,
  timeframeMs: HOUR_MS,
  bars: 20_000,
  instruments: [
    { symbol: 'BTC/USDT', startPrice: 60_000, annualVol: 0.6 },
    { symbol: 'ETH/USDT', startPrice: 3_000, annualVol: 0.8 },
    { symbol: 'PAXG/USDT', startPrice: 2_000, annualVol: 0.2 },
  ],
  correlation: CORRELATION,
};

function logReturns(series: BarSeries): Float64Array {
  const returns = new Float64Array(series.length - 1);
  for (let i = 1; i < series.length; i++) returns[i - 1] = Math.log(series.close[i]! / series.close[i - 1]!);
  return returns;
}

function correlation(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = Math.min(x.length, y.length);
  let meanX = 0;
  let meanY = 0;
  for (let i = 0; i < n; i++) {
    meanX += x[i]!;
    meanY += y[i]!;
  }
  meanX /= n;
  meanY /= n;
  let xy = 0;
  let xx = 0;
  let yy = 0;
  for (let i = 0; i < n; i++) {
    xy += (x[i]! - meanX) * (y[i]! - meanY);
    xx += (x[i]! - meanX) ** 2;
    yy += (y[i]! - meanY) ** 2;
  }
  return xy / Math.sqrt(xx * yy);
}

function annualised(returns: ArrayLike<number>, barsPerYear: number): number {
  let sum = 0;
  for (let i = 0; i < returns.length; i++) sum += returns[i]! ** 2;
  return Math.sqrt((sum / returns.length) * barsPerYear);
}

/** Returns of bar i (close over open) grouped by the bar's regime. */
function returnsByRegime(market: SyntheticMarket, series: BarSeries): Map<Regime, number[]> {
  const groups = new Map<Regime, number[]>();
  for (let i = 0; i < series.length; i++) {
    const regime = REGIMES[market.regimes[i]!]!;
    const list = groups.get(regime) ?? [];
    list.push(Math.log(series.close[i]! / series.open[i]!));
    groups.set(regime, list);
  }
  return groups;
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** FNV-1a over the bytes of the columns: a fingerprint of the exact floats. */
function fingerprint(columns: readonly Float64Array[]): string {
  let hash = 0x811c9dc5;
  for (const column of columns) {
    const bytes = new Uint8Array(column.buffer, column.byteOffset, column.byteLength);
    for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

describe('the synthetic market', () => {
  it('is pinned: this seed gives these exact floats on every machine', () => {
    const market = generateMarket({ ...THREE, bars: 500 });
    const btc = market.instruments[0]!.bars;
    expect([btc.open[0], btc.close[0], btc.close[499]]).toEqual([60_000, 60_240.48, 54_904.26]);
    expect(fingerprint([btc.open, btc.high, btc.low, btc.close, btc.volume])).toBe('54d86eb0');
  });

  it('realises the target correlation of returns', () => {
    const market = generateMarket({ ...THREE, regimes: false });
    const [btc, eth, gold] = market.instruments.map((instrument) => logReturns(instrument.bars));
    expect(correlation(btc!, eth!)).toBeCloseTo(0.8, 1);
    expect(Math.abs(correlation(btc!, eth!) - 0.8)).toBeLessThan(0.03);
    expect(Math.abs(correlation(btc!, gold!) + 0.3)).toBeLessThan(0.03);
    expect(Math.abs(correlation(eth!, gold!))).toBeLessThan(0.03);
  });

  it('keeps the correlation close with regimes on (their common drift adds a little)', () => {
    const market = generateMarket(THREE);
    const [btc, eth, gold] = market.instruments.map((instrument) => logReturns(instrument.bars));
    expect(Math.abs(correlation(btc!, eth!) - 0.8)).toBeLessThan(0.06);
    expect(Math.abs(correlation(btc!, gold!) + 0.3)).toBeLessThan(0.08);
  });

  it('realises the long-run volatility asked for, regimes and all', () => {
    const market = generateMarket(THREE);
    const vols = market.instruments.map((instrument) => annualised(logReturns(instrument.bars), 8_760));
    expect(vols[0]).toBeGreaterThan(0.6 * 0.85);
    expect(vols[0]).toBeLessThan(0.6 * 1.15);
    expect(vols[1]).toBeGreaterThan(0.8 * 0.85);
    expect(vols[1]).toBeLessThan(0.8 * 1.15);
  });

  it('crashes: sharp drops on high volatility', () => {
    const market = generateMarket(THREE);
    const btc = market.instruments[0]!.bars;
    const episodes: number[] = [];
    for (let i = 0; i < market.length; ) {
      if (REGIMES[market.regimes[i]!] !== 'crash') {
        i += 1;
        continue;
      }
      let end = i;
      while (end < market.length && REGIMES[market.regimes[end]!] === 'crash') end += 1;
      episodes.push(btc.close[end - 1]! / btc.open[i]! - 1);
      i = end;
    }
    expect(episodes.length).toBeGreaterThanOrEqual(3);
    expect(mean(episodes)).toBeLessThan(-0.1);
    expect(Math.min(...episodes)).toBeLessThan(-0.2);

    const groups = returnsByRegime(market, btc);
    const crashVol = annualised(groups.get('crash')!, 8_760);
    const rangingVol = annualised(groups.get('ranging')!, 8_760);
    expect(crashVol).toBeGreaterThan(3 * rangingVol);
  });

  it('trends: up regimes rise and down regimes fall', () => {
    const market = generateMarket(THREE);
    const groups = returnsByRegime(market, market.instruments[0]!.bars);
    expect(mean(groups.get('trending-up')!)).toBeGreaterThan(0);
    expect(mean(groups.get('trending-down')!)).toBeLessThan(0);
  });

  it('clusters volatility under GARCH and not without it', () => {
    const clustered = logReturns(generateMarket({ ...THREE, regimes: false }).instruments[0]!.bars);
    const squared = clustered.map((value) => value * value);
    expect(correlation(squared.subarray(1), squared.subarray(0, squared.length - 1))).toBeGreaterThan(0.05);

    const flat = logReturns(generateMarket({ ...THREE, regimes: false, garch: false }).instruments[0]!.bars);
    const flatSquared = flat.map((value) => value * value);
    expect(Math.abs(correlation(flatSquared.subarray(1), flatSquared.subarray(0, flatSquared.length - 1)))).toBeLessThan(0.03);
  });

  it('trades more volume on bars that move more', () => {
    const btc = generateMarket(THREE).instruments[0]!.bars;
    const moves = new Float64Array(btc.length);
    for (let i = 0; i < btc.length; i++) moves[i] = Math.abs(Math.log(btc.close[i]! / btc.open[i]!));
    expect(correlation(moves, btc.volume)).toBeGreaterThan(0.5);
  });

  it('prices perpetual funding with the regime: rich in rallies, cheap in crashes', () => {
    const market = generateMarket({ ...THREE, instruments: [{ symbol: 'BTC/USDT:USDT', startPrice: 60_000 }], correlation: undefined });
    const funding = market.instruments[0]!.perpetual!.funding;
    const byRegime = new Map<Regime, number[]>();
    for (let k = 0; k < funding.length; k++) {
      // The regime of the bar that closed at the funding time.
      const bar = (funding.ts[k]! - START) / HOUR_MS - 1;
      const regime = REGIMES[market.regimes[bar]!]!;
      byRegime.set(regime, [...(byRegime.get(regime) ?? []), funding.rate[k]!]);
    }
    expect(mean(byRegime.get('trending-up')!)).toBeGreaterThan(0.0003);
    expect(mean(byRegime.get('crash')!)).toBeLessThan(-0.001);
    expect(mean(byRegime.get('ranging')!)).toBeCloseTo(0.0001, 4);
  });
});
