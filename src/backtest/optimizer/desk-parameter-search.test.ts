import { describe, expect, it } from 'vitest';
import { FixRequestError } from '../../core/errors.js';
import { agentId, currency, instrumentId } from '../../core/ids.js';
import { SeededRandom } from '../../core/random.js';
import { unixMs } from '../../core/time.js';
import type { ParameterSearchRequest } from '../../agents/desk/parameter-search.js';
import { BarSeriesBuilder, sliceSeries, type BarSeries } from '../../data/bar-series.js';
import { generateMarket } from '../../data/synthetic/index.js';
import { defineInstrument } from '../../domain/instrument.js';
import { strategyFactories } from '../../strategies/registry.js';
import type { StrategyFactory } from '../../strategies/strategy.js';
import { createDeskParameterSearch } from './desk-parameter-search.js';
import { stitchOutOfSample } from './stitch.js';
import { runTrial } from './trial.js';

const ID = instrumentId('TEST:ETH/USDT');
const HOUR = 3_600_000;
const INSTRUMENT = defineInstrument({ id: ID, tickSize: '0.01', lotSize: '0.0001', takerFee: '0.001', makerFee: '0.001' });

/** A slow noisy cycle (period about 100 bars): moving-average crossovers of matching length ride it, slow ones lag it. */
function cycle(n: number): BarSeries {
  const builder = new BarSeriesBuilder();
  const noise = new SeededRandom(11);
  let previous = 100;
  for (let i = 0; i < n; i++) {
    const close = Math.round((100 + 10 * Math.sin(i / 16) + 0.5 * noise.normal()) * 100) / 100;
    builder.push(i * HOUR, previous, Math.max(previous, close) + 0.2, Math.min(previous, close) - 0.2, close, 10);
    previous = close;
  }
  return builder.build(ID, HOUR);
}

const SERIES = cycle(1400);

function request(extra: Partial<ParameterSearchRequest> = {}): ParameterSearchRequest {
  return {
    agentId: agentId('trend-analyst'),
    strategy: 'sma-cross',
    current: { fast: 40, slow: 90 },
    series: [SERIES],
    instruments: [INSTRUMENT],
    now: unixMs(SERIES.length * HOUR),
    seed: 7,
    ...extra,
  };
}

const SMA_CROSS = strategyFactories.get('sma-cross') as StrategyFactory;

/** sma-cross that refuses an odd fast period, as a strategy refuses a bad combination. */
const EVEN_FAST: StrategyFactory = {
  ...SMA_CROSS,
  name: 'even-fast',
  create(params, instruments) {
    if (Number(params.fast) % 2 !== 0) throw new FixRequestError('invalid_strategy_parameter', `even-fast: fast ${params.fast} is odd`);
    return SMA_CROSS.create(params, instruments);
  },
};

describe('the desk parameter search', () => {
  it('proposes parameters that beat a lagging current set out of sample, scored on the same windows', () => {
    const result = createDeskParameterSearch()(request());
    expect(result).toBeDefined();
    if (result === undefined) return;
    // 1400 bars: out-of-sample windows of floor(1400 / (3 + 4)) = 200 bars after 600 in-sample bars.
    expect(result.reason).toContain('over the same 4 rolling windows of 200 bars');
    // Lagging by about half a cycle, the current set trades against the swings; re-tuning cuts that loss a lot.
    expect(result.currentScore).toBeLessThan(-20);
    expect(result.proposedScore).toBeGreaterThan(result.currentScore + 10);
    // The neighbourhood of fast=40, slow=90 with factor 2; the strategy refuses fast >= slow, so none comes back.
    const { fast, slow } = result.proposed as { fast: number; slow: number };
    expect(fast).toBeGreaterThanOrEqual(20);
    expect(fast).toBeLessThanOrEqual(80);
    expect(slow).toBeGreaterThanOrEqual(45);
    expect(slow).toBeLessThanOrEqual(180);
    expect(fast).toBeLessThan(slow);
    // The current set and 32 draws, less the ones with fast >= slow.
    expect(result.trials).toBe(28);

    // The current score is the current parameters' stitched run over exactly [600, 800), ..., [1200, 1400).
    const environment = {
      series: [SERIES],
      instruments: [INSTRUMENT],
      factory: SMA_CROSS,
      settings: { cash: { USDT: '10000' }, valuationCurrency: currency('USDT'), sizing: { kind: 'percent-equity', fraction: 0.95 } as const },
    };
    const runs = [600, 800, 1000, 1200].map((from) => {
      const range = { from, to: from + 200 };
      return { range, result: runTrial(environment, { index: 0, params: { fast: 40, slow: 90, mode: 'long-only' }, range, trials: 1, detail: true }) };
    });
    expect(result.currentScore).toBe(stitchOutOfSample(runs, SERIES, { samples: 0, seed: 1 }).metrics.sharpe);
    const format = (x: number): string => String(Number(x.toPrecision(3)));
    expect(result.reason).toContain(`out-of-sample sharpe ${format(result.proposedScore)} vs ${format(result.currentScore)} for the current fast=40, slow=90, mode=long-only`);
  });

  it('gives the same result for the same request, and another seed draws other candidates', () => {
    const search = createDeskParameterSearch();
    const first = search(request());
    expect(search(request())).toEqual(first);
    expect(createDeskParameterSearch()(request())).toEqual(first);
    const other = search(request({ seed: 8 }));
    expect(other?.proposed).not.toEqual(first?.proposed);
  });

  it('returns undefined when the bars are too few for windows of the minimum length', () => {
    const search = createDeskParameterSearch();
    const fastCurrent = { fast: 4, slow: 8 };
    // 349 bars: windows of floor(349 / 7) = 49 bars, under the minimum of 50; 350 bars make 50.
    expect(search(request({ current: fastCurrent, series: [sliceSeries(SERIES, 0, 349)] }))).toBeUndefined();
    expect(search(request({ current: fastCurrent, series: [sliceSeries(SERIES, 0, 350)] }))?.reason).toContain('4 rolling windows of 50 bars');
    // 150 in-sample bars hold too few swings of the cycle for a slow pair to make the minimum 3 round trips.
    expect(search(request({ series: [sliceSeries(SERIES, 0, 350)] }))).toBeUndefined();
    expect(search(request({ series: [sliceSeries(SERIES, 0, 0)] }))).toBeUndefined();
    expect(search(request({ series: [] }))).toBeUndefined();
  });

  it('uses only the bars that had closed by now: bars after it change nothing', () => {
    const search = createDeskParameterSearch();
    const now = unixMs(1000 * HOUR);
    const past = search(request({ series: [sliceSeries(SERIES, 0, 1000)], now }));
    expect(past).toBeDefined();
    expect(search(request({ now }))).toEqual(past);
    // The bar opening at now - 1h closes at now and counts; the one opening at now does not.
    expect(search(request({ series: [sliceSeries(SERIES, 0, 1001)], now }))).toEqual(past);
    expect(past?.reason).toContain('to 1970-02-11T15:00:00.000Z');
    expect(search(request())).not.toEqual(past);
  });

  it('proposes nothing when the improvement is within the margin or the current set is the best', () => {
    expect(createDeskParameterSearch({ minImprovement: 1000 })(request())).toBeUndefined();
    const best = createDeskParameterSearch()(request());
    const margin = (best?.proposedScore ?? 0) - (best?.currentScore ?? 0);
    expect(createDeskParameterSearch({ minImprovement: margin - 1e-9 })(request())).toEqual(best);
    expect(createDeskParameterSearch({ minImprovement: margin })(request())).toBeUndefined();
    // One candidate only (no parameter varies): the current set is all there is.
    const fixed: StrategyFactory = { ...SMA_CROSS, name: 'fixed-sma', parameters: [] };
    const search = createDeskParameterSearch({ factories: new Map([['fixed-sma', fixed]]) });
    expect(search(request({ strategy: 'fixed-sma', current: {} }))).toBeUndefined();
  });

  it('skips parameter sets the strategy refuses, including the current one, without throwing', () => {
    const search = createDeskParameterSearch({ factories: new Map([['even-fast', EVEN_FAST]]) });
    const result = search(request({ strategy: 'even-fast', current: { fast: 7, slow: 30 } }));
    expect(result).toBeDefined();
    expect(Number(result?.proposed.fast) % 2).toBe(0);
    expect(result?.currentScore).toBeNaN();
    expect(result?.reason).toContain('none for the current fast=7, slow=30, mode=long-only (the strategy refuses it)');
    // Of the 32 draws from fast 4..14, slow 15..60 and both modes, the 16 with an even fast period are left.
    expect(result?.trials).toBe(16);
  });

  it('searches the whole declared range on request, and anchored windows', () => {
    const full = createDeskParameterSearch({ space: 'full', samples: 48 })(request());
    const { fast, slow } = full?.proposed as { fast: number; slow: number };
    expect(fast).toBeGreaterThanOrEqual(1);
    expect(slow).toBeLessThanOrEqual(597);
    expect(full?.proposedScore).toBeGreaterThan((full?.currentScore ?? 0) + 0.1);
    const anchored = createDeskParameterSearch({ walkForward: { mode: 'anchored', windows: 2, inSampleRatio: 2 } })(request());
    expect(anchored?.reason).toContain('over the same 2 anchored windows of 350 bars');
    expect(anchored?.reason).toContain('on all bars before each window');
  });

  it('minimises an objective that is better low', () => {
    const result = createDeskParameterSearch({ objective: { metric: 'maxDrawdown', direction: 'min' }, minImprovement: 0.01 })(request());
    expect(result).toBeDefined();
    expect(result?.proposedScore).toBeLessThan((result?.currentScore ?? 0) - 0.01);
    expect(result?.reason).toContain('out-of-sample maxDrawdown');
  });

  it('re-tunes a near-degenerate crossover on a synthetic market and keeps defaults it cannot beat', () => {
    const market = generateMarket({ seed: 5, start: 0, timeframeMs: HOUR, bars: 1500, instruments: [{ symbol: 'BTC/USDT', startPrice: 40_000 }] });
    const bars = (market.instruments[0] as { bars: BarSeries }).bars;
    const instrument = defineInstrument({ id: bars.instrumentId, tickSize: '0.01', lotSize: '0.00001', takerFee: '0.001' });
    const search = createDeskParameterSearch({ minImprovement: 0 });
    const on = (strategy: string, current: Record<string, number>): ParameterSearchRequest =>
      request({ strategy, current, series: [bars], instruments: [instrument], now: unixMs(1500 * HOUR), seed: 3 });
    const result = search(on('sma-cross', { fast: 40, slow: 45 }));
    expect(result?.proposed).toEqual({ fast: 65, slow: 72, mode: 'long-only' });
    expect(result?.proposedScore).toBeCloseTo(3.21, 2);
    expect(result?.currentScore).toBeCloseTo(0.0995, 3);
    expect(result?.reason).toContain('over the same 4 rolling windows of 214 bars, re-tuned among 21 candidates on the 642 bars before each window');
    expect(search(on('bb-rsi', {}))).toBeUndefined();
    expect(search(on('donchian', {}))).toBeUndefined();
  });

  it('refuses an unknown strategy and bad options', () => {
    expect(() => createDeskParameterSearch()(request({ strategy: 'no-such' }))).toThrow(/unknown strategy "no-such"/);
    expect(() => createDeskParameterSearch({ samples: 0, walkForward: { windows: 0 } })).toThrow(/samples must be .*; walk-forward windows must be/);
  });
});
