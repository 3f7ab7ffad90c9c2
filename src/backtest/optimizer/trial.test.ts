import { describe, expect, it } from 'vitest';
import { instrumentId, type InstrumentId } from '../../core/ids.js';
import { BarSeriesBuilder, type BarSeries } from '../../data/bar-series.js';
import type { StrategyFactory } from '../../strategies/strategy.js';
import { InProcessExecutor } from './executor.js';
import { runTrial } from './trial.js';
import { buildTrialEnvironment, type PortableTrialSetup } from './trial-environment.js';
import { TrialFailedError } from './trial-error.js';

const ID = instrumentId('TEST:BTC/USDT');
const HOUR = 3_600_000;
const SETUP: PortableTrialSetup = {
  instruments: [{ id: ID, tickSize: '0.01', lotSize: '0.0001', takerFee: '0.001', makerFee: '0.001' }],
  settings: { cash: { USDT: '10000' }, valuationCurrency: 'USDT', sizing: { kind: 'fixed-quantity', quantity: 1 } },
};

/** Closes 100, 101, 102, ...; opens half a point below. */
function rising(n: number): BarSeries {
  const builder = new BarSeriesBuilder();
  for (let i = 0; i < n; i++) builder.push(i * HOUR, 100 + i - 0.5, 100 + i + 1, 100 + i - 1, 100 + i, 10);
  return builder.build(ID, HOUR);
}

/** Wants to be long on every bar; records the first bar index it saw. */
function alwaysLong(seen: number[] = []): StrategyFactory {
  return {
    name: 'always-long',
    description: 'long from the first bar it may trade',
    instrumentCount: 1,
    parameters: [{ name: 'warmup', description: 'bars of warm-up', default: 5, min: 0, integer: true }],
    create(params, instruments: readonly InstrumentId[]) {
      let first = true;
      return {
        name: 'always-long',
        instruments,
        warmup: params.warmup as number,
        onBar(bar, context) {
          if (first) seen.push(bar.ts / HOUR);
          first = false;
          context.emit({ instrumentId: ID, direction: 'long', conviction: 1, reason: 'always' });
        },
      };
    },
  };
}

describe('a trial on a bar range', () => {
  it('feeds the warm-up bars before the range without trading them, and measures the range only', () => {
    const seen: number[] = [];
    const environment = buildTrialEnvironment([rising(40)], alwaysLong(seen), SETUP);
    const result = runTrial(environment, { index: 3, params: { warmup: 5 }, range: { from: 20, to: 30 }, trials: 1, detail: true });
    expect(seen).toEqual([15]);
    expect(result.index).toBe(3);
    expect(result.bars).toBe(10);
    const detail = result.detail!;
    expect(Array.from(detail.ts)).toEqual(Array.from({ length: 10 }, (_, i) => (20 + i) * HOUR));
    // The signal on bar 20 fills at the open of bar 21 (120.5); one unit, fee 0.1205.
    expect(detail.equity[0]).toBe(10000);
    expect(detail.equity[1]).toBeCloseTo(10000 + (121 - 120.5) - 0.1205, 9);
    expect(detail.equity[9]).toBeCloseTo(10000 + (129 - 120.5) - 0.1205, 9);
    expect(detail.trades).toHaveLength(1);
    expect(detail.trades[0]).toMatchObject({ entryTs: 21 * HOUR, entryPrice: 120.5 });
    expect(result.metrics.totalReturn).toBeCloseTo((129 - 120.5 - 0.1205) / 10000, 12);
    expect(result.metrics.buyAndHoldReturn).toBeCloseTo(129 / 120 - 1, 12);
    expect(result.barsPerYear).toBe(8760);
    expect(result.sharpeSample?.observations).toBe(9);
    // No bootstrap per trial: the interval is left out rather than shown as zero width at the point estimate.
    expect(result.metrics.sharpeConfidence).toBeNull();
  });

  it('at the start of the data lets the first warm-up bars of the range pass without trading', () => {
    const environment = buildTrialEnvironment([rising(40)], alwaysLong(), SETUP);
    const result = runTrial(environment, { index: 0, params: { warmup: 5 }, range: { from: 0, to: 12 }, trials: 1, detail: true });
    expect(result.bars).toBe(12);
    expect(result.detail?.trades[0]?.entryTs).toBe(6 * HOUR);
  });

  it('leads in with the lookback of the volatility target when it is longer than the warm-up, so the range trades from its start', () => {
    const seen: number[] = [];
    const sizing = { kind: 'volatility-target' as const, annualVol: 0.2, lookback: 12 };
    const builder = new BarSeriesBuilder();
    for (let i = 0; i < 60; i++) builder.push(i * HOUR, 100, 104, 99, i % 2 === 0 ? 100 : 103, 10);
    const environment = buildTrialEnvironment([builder.build(ID, HOUR)], alwaysLong(seen), { ...SETUP, settings: { ...SETUP.settings, sizing } });
    const result = runTrial(environment, { index: 0, params: { warmup: 5 }, range: { from: 30, to: 40 }, trials: 1, detail: true });
    // Twelve lead-in bars (18..29): the signal on bar 30 is sized from bars 18..30 and fills at the open of bar 31.
    expect(seen).toEqual([18]);
    expect(result.detail?.trades[0]?.entryTs).toBe(31 * HOUR);
  });

  it('keeps no equity curve unless asked', () => {
    const environment = buildTrialEnvironment([rising(40)], alwaysLong(), SETUP);
    expect(runTrial(environment, { index: 0, params: { warmup: 2 }, range: { from: 5, to: 40 }, trials: 4, detail: false }).detail).toBeUndefined();
  });

  it('fails a trial outside the data with its index and parameters', async () => {
    const executor = new InProcessExecutor(buildTrialEnvironment([rising(40)], alwaysLong(), SETUP));
    const failure = await executor.run([{ index: 7, params: { warmup: 2 }, range: { from: 30, to: 50 }, trials: 1, detail: false }]).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TrialFailedError);
    expect((failure as TrialFailedError).trialIndex).toBe(7);
    expect((failure as TrialFailedError).code).toBe('invalid_range');
    expect((failure as Error).message).toBe('trial 7 (warmup=2): trial range 30..50 is not inside the 40 bars of TEST:BTC/USDT');
  });
});

describe('a trial whose first bar trades (close execution)', () => {
  it('measures its return from the cash before that bar, as a backtest does, and keeps that start for stitching', () => {
    const setup: PortableTrialSetup = { ...SETUP, settings: { ...SETUP.settings, venue: { barExecution: 'close' } } };
    const environment = buildTrialEnvironment([rising(20)], alwaysLong(), setup);
    const result = runTrial(environment, { index: 0, params: { warmup: 0 }, range: { from: 0, to: 20 }, trials: 1, detail: true });
    // Bought 1 at bar 0's close (100) with a 0.1% fee, held to 119: 10,000 -> 10,018.90.
    expect(result.finalEquity).toBeCloseTo(10_018.9, 9);
    expect(result.metrics.totalReturn).toBeCloseTo(0.00189, 12);
    expect(result.detail?.startEquity).toBe(10_000);
    expect(result.detail?.equity[0]).toBeCloseTo(9_999.9, 9);
  });
});
