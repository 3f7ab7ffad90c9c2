import { describe, expect, it } from 'vitest';
import { parseDeskConfig } from '../../config/parse-desk.js';
import { instrumentId } from '../../core/ids.js';
import { BarSeriesBuilder } from '../../data/bar-series.js';
import { syntheticDeskData, type DeskData } from '../../engine/desk/desk-data.js';
import { buildDesk, runDeskBacktest } from '../desk-backtest.js';
import { mixSeed, randomDesk } from './baselines.js';
import { evaluateDesk } from './evaluate.js';
import { CONTENDERS, METRICS } from './report.js';

function desk(analyst: string, data: string): string {
  return `
desk: { name: test-desk, valuationCurrency: USDT, seed: 7 }
instruments:
  - { id: 'SYNTH:BTC/USDT', tickSize: '0.01', lotSize: '0.0001', minNotional: '10', makerFee: '0.0002', takerFee: '0.0005' }
venues: [{ kind: sim, id: SYNTH, slippage: { kind: fixed-bps, bps: '2' } }]
data:
  'SYNTH:BTC/USDT': ${data}
capital:
  cash: { USDT: '100000' }
  sleeves: [{ id: main, maxGrossExposure: '50000', maxDrawdown: '0.5' }]
agents:
  - ${analyst}
  - { id: pm, role: manager }
  - { id: judge, role: judge, every: 1d }
sizing: { kind: notional, perConviction: '10000' }
`;
}

const SYNTHETIC = parseDeskConfig(
  desk(`{ id: sma, role: analyst, strategy: sma-cross, params: { fast: 5, slow: 20 }, sleeve: main }`, `{ source: synthetic, startPrice: 30000, annualVol: 0.8, start: '2024-01-01', timeframe: 1h, bars: 600 }`),
  'synthetic',
).config;

/** Mean reversion, whose conviction runs from 0.5 to 1 (sizing scales each position by it). */
const MEAN_REVERSION = parseDeskConfig(
  desk(
    `{ id: bb, role: analyst, strategy: bb-rsi, params: { period: 20, mult: 2, rsiPeriod: 14 }, sleeve: main }`,
    `{ source: synthetic, startPrice: 30000, annualVol: 0.6, start: '2024-01-01', timeframe: 1h, bars: 2000 }`,
  ),
  'mean-reversion',
).config;

/** A file-data desk whose analyst (mean reversion on spot) never finds an entry on a market that only rises. */
const RISING = parseDeskConfig(desk(`{ id: bb, role: analyst, strategy: bb-rsi, sleeve: main }`, `{ source: file, path: rising.csv }`), 'rising').config;

function risingData(): DeskData {
  const builder = new BarSeriesBuilder();
  let close = 30_000;
  for (let i = 0; i < 400; i++) {
    const open = close;
    close = Math.round(open * 1.001 * 100) / 100;
    builder.push(Date.UTC(2024, 0, 1) + i * 3_600_000, open, close, open, close, 10);
  }
  return { series: new Map([[instrumentId('SYNTH:BTC/USDT'), builder.build(instrumentId('SYNTH:BTC/USDT'), 3_600_000)]]), extras: [] };
}

/** Two analysts in their own sleeves, one trading often (a fast moving-average cross), one seldom (a slow breakout). */
const TWO_SLEEVES = parseDeskConfig(
  desk(`{ id: sma, role: analyst, strategy: sma-cross, params: { fast: 5, slow: 20 }, sleeve: main }`, `{ source: synthetic, startPrice: 30000, annualVol: 0.8, start: '2024-01-01', timeframe: 1h, bars: 1200 }`)
    .replace("sleeves: [{ id: main, maxGrossExposure: '50000', maxDrawdown: '0.5' }]", "sleeves: [{ id: main, maxGrossExposure: '50000', maxDrawdown: '0.5' }, { id: slow, maxGrossExposure: '50000', maxDrawdown: '0.5' }]")
    .replace('  - { id: pm, role: manager }', '  - { id: don, role: analyst, strategy: donchian, params: { entry: 60, exit: 30 }, sleeve: slow }\n  - { id: pm, role: manager }'),
  'two-sleeves',
).config;

/** A breakout analyst on a perpetual, long-only unless told otherwise. */
function perpetualDesk(mode: 'long-only' | 'long-short') {
  return parseDeskConfig(
    desk(`{ id: don, role: analyst, strategy: donchian, params: { entry: 20, exit: 10, mode: ${mode} }, sleeve: main }`, `{ source: synthetic, startPrice: 30000, annualVol: 0.8, start: '2024-01-01', timeframe: 1h, bars: 800 }`)
      .replaceAll('SYNTH:BTC/USDT', 'SYNTH:BTC/USDT:USDT')
      .replace('sizing:', "risk: { limits: { maxLeverage: '3' } }\nsizing:"),
    mode,
  ).config;
}

describe('evaluateDesk', () => {
  it('on a market that only rises, buy-and-hold gains in every run and beats a desk that stays flat', async () => {
    const report = await evaluateDesk({ config: RISING, seeds: 3, periods: 2, loadData: risingData });
    expect(report.marketVariesBySeed).toBe(false);
    // Three seeds of two periods of one market: two independent units.
    expect(report.intervals).toEqual({ method: 'bootstrap', level: 0.95, unit: 'period', units: 2 });
    expect(report.runs.map((r) => [r.seed, r.period, r.bars])).toEqual([
      [7, 1, 200],
      [7, 2, 200],
      [8, 1, 200],
      [8, 2, 200],
      [9, 1, 200],
      [9, 2, 200],
    ]);
    for (const run of report.runs) {
      expect(run.desk).toEqual({ totalReturn: 0, sharpe: 0, maxDrawdown: 0, trades: 0, fees: 0, turnover: 0 });
      // 10,000 bought after the warm-up rides about 18% of the 1.001-per-bar rise: about +1.9% of 100,000.
      expect(run['buy-and-hold'].totalReturn).toBeGreaterThan(0.017);
      expect(run['buy-and-hold'].totalReturn).toBeLessThan(0.021);
      expect(run['buy-and-hold'].maxDrawdown).toBeLessThan(0.001);
      expect(run['buy-and-hold'].trades).toBe(1);
      // The desk made no trade, so neither does the random agent calibrated to it.
      expect(run.random.calibration).toEqual([{ book: 'main', analysts: ['bb'], switchProbability: 0, deskTurnover: 0, turnover: 0 }]);
      expect(run.random.trades).toBe(0);
      expect(run.random.convictions).toEqual({});
      // 10,000 sized at a close and bought once, at the next open.
      expect(run['buy-and-hold'].turnover).toBeGreaterThan(9_950);
      expect(run['buy-and-hold'].turnover).toBeLessThan(10_050);
    }
    // File data: the market and the desk are the same for every seed.
    expect(report.runs[2]?.['buy-and-hold']).toEqual(report.runs[0]?.['buy-and-hold']);
    const versus = report.comparisons.find((c) => c.baseline === 'buy-and-hold');
    // The desk and buy-and-hold are the same for every seed of file data: each period is compared once.
    expect([versus?.deskWins, versus?.runs, versus?.unit, versus?.deskWinShare]).toEqual([0, 2, 'period', 0]);
    // The random agent changes with the seed: every run counts.
    const random = report.comparisons.find((c) => c.baseline === 'random');
    expect([random?.runs, random?.unit]).toEqual([6, 'run']);
    expect(versus?.returnDifference.high).toBeLessThan(0);
    expect(report.contenders['buy-and-hold'].totalReturn.low).toBeGreaterThan(0.017);
  });

  it('gives no interval for a single period of file data, whatever the number of seeds', async () => {
    const report = await evaluateDesk({ config: RISING, seeds: 3, periods: 1, loadData: risingData });
    expect(report.intervals.units).toBe(1);
    const hold = report.contenders['buy-and-hold'].totalReturn;
    expect(hold.mean).toBeGreaterThan(0.03);
    expect([hold.low, hold.high, hold.units]).toEqual([null, null, 1]);
    const versus = report.comparisons.find((c) => c.baseline === 'buy-and-hold');
    expect([versus?.returnDifference.low, versus?.returnDifference.high]).toEqual([null, null]);
  });

  it('matches the random agent turnover to the desk run by run, with intervals that hold their means', async () => {
    const report = await evaluateDesk({ config: SYNTHETIC, seeds: 2, periods: 2, loadData: (seed) => syntheticDeskData(SYNTHETIC, seed) });
    expect(report.marketVariesBySeed).toBe(true);
    expect(report.seeds).toEqual([7, 8]);
    expect(report.runs).toHaveLength(4);
    for (const run of report.runs) {
      expect(run.desk.trades).toBeGreaterThan(5);
      expect(Math.abs(run.random.turnover / run.desk.turnover - 1)).toBeLessThan(0.1);
      expect(run.random.calibration[0]?.switchProbability).toBeGreaterThan(0);
    }
    // A new market per seed: the same period of two seeds differs.
    expect(report.runs[2]?.['buy-and-hold'].totalReturn).not.toBe(report.runs[0]?.['buy-and-hold'].totalReturn);
    for (const name of CONTENDERS) {
      for (const metric of METRICS) {
        const { mean, low, high, units } = report.contenders[name][metric];
        expect(mean).toBeCloseTo(report.runs.reduce((sum, run) => sum + run[name][metric], 0) / 4, 9);
        expect(units).toBe(4);
        expect(low).toBeLessThanOrEqual(mean);
        expect(high).toBeGreaterThanOrEqual(mean);
      }
    }
    for (const comparison of report.comparisons) {
      const differences = report.runs.map((run) => run.desk.totalReturn - (run[comparison.baseline] as { totalReturn: number }).totalReturn);
      expect(comparison.deskWins).toBe(differences.filter((d) => d > 0).length);
      expect(comparison.returnDifference.mean).toBeCloseTo(differences.reduce((a, b) => a + b, 0) / 4, 12);
    }
  });

  it("matches the random agent's traded notional to the desk's in each sleeve, not its number of round trips", async () => {
    const report = await evaluateDesk({ config: TWO_SLEEVES, seeds: 3, periods: 1, loadData: (seed) => syntheticDeskData(TWO_SLEEVES, seed) });
    for (const run of report.runs) {
      expect(run.random.turnover / run.desk.turnover).toBeGreaterThan(0.9);
      expect(run.random.turnover / run.desk.turnover).toBeLessThan(1.1);
      expect(run.random.calibration.map((book) => [book.book, book.analysts])).toEqual([
        ['main', ['sma']],
        ['slow', ['don']],
      ]);
      // A book's notional moves in steps of a trade: the slow breakout's few trades are matched less closely.
      for (const book of run.random.calibration) {
        expect(book.deskTurnover).toBeGreaterThan(0);
        expect(book.turnover / book.deskTurnover).toBeGreaterThan(0.8);
        expect(book.turnover / book.deskTurnover).toBeLessThan(1.25);
      }
      // Each sleeve is switched at its own rate: the fast cross trades far more often than the slow breakout.
      const [fast, slow] = run.random.calibration;
      expect(fast?.switchProbability).toBeGreaterThan(2 * (slow?.switchProbability ?? 1));
      expect(fast?.deskTurnover).toBeCloseTo(run.desk.turnover - (slow?.deskTurnover ?? 0), 6);
    }
  });

  it('lets the random agent go short on a perpetual only where the analyst it replaces went short', async () => {
    const longOnly = perpetualDesk('long-only');
    const report = await evaluateDesk({ config: longOnly, seeds: 2, periods: 1, loadData: (seed) => syntheticDeskData(longOnly, seed) });
    for (const run of report.runs) {
      expect(run.desk.trades).toBeGreaterThan(3);
      expect(run.random.trades).toBeGreaterThan(3);
      expect(run.random.shorting).toEqual([]);
      // Every trade the random agent made was long: rerun with the same seeds and look.
      const data = syntheticDeskData(longOnly, run.seed);
      const rates = new Map(run.random.calibration.flatMap((c) => c.analysts.map((a) => [a, c.switchProbability] as const)));
      const random = runDeskBacktest({ config: randomDesk(longOnly, mixSeed(run.seed, 0), rates, new Map(Object.entries(run.random.convictions)), new Set(run.random.shorting)), data, seed: run.seed }).run;
      expect(random.tradedNotional).toBe(run.random.turnover);
      expect(random.trades.map((t) => t.direction)).toEqual(random.trades.map(() => 'long'));
    }
    const longShort = perpetualDesk('long-short');
    const both = await evaluateDesk({ config: longShort, seeds: 1, periods: 1, loadData: (seed) => syntheticDeskData(longShort, seed) });
    expect(both.runs[0]?.random.shorting).toEqual(['don']);
  });

  it("sizes the random agent by the replaced analyst's mean conviction, so its turnover and fees match the desk's", async () => {
    const report = await evaluateDesk({ config: MEAN_REVERSION, seeds: 3, periods: 1, loadData: (seed) => syntheticDeskData(MEAN_REVERSION, seed) });
    for (const run of report.runs) {
      // The analyst's own views that opened a position (long: short means flat on spot), read from the desk's journal.
      const deskRun = buildDesk({ config: MEAN_REVERSION, data: syntheticDeskData(MEAN_REVERSION, run.seed), seed: run.seed });
      const convictions: number[] = [];
      deskRun.core.events.subscribe((event) => {
        if (event.type === 'SignalEmitted' && event.direction === 'long') convictions.push(event.conviction);
      });
      deskRun.runToEnd();
      const mean = convictions.reduce((a, b) => a + b, 0) / convictions.length;
      expect(mean).toBeGreaterThan(0.5);
      expect(mean).toBeLessThan(0.8);
      expect(run.random.convictions).toEqual({ bb: mean });
      expect(run.desk.turnover).toBe(deskRun.books.tradedNotional);
      expect(Math.abs(run.random.turnover / run.desk.turnover - 1)).toBeLessThan(0.1);
    }
    // Said with conviction 1 the agent traded about twice the desk's notional, and paid twice its fees.
    const { desk: ours, random } = report.contenders;
    expect(random.turnover.mean / ours.turnover.mean).toBeGreaterThan(0.75);
    expect(random.turnover.mean / ours.turnover.mean).toBeLessThan(1.33);
    expect(random.fees.mean / ours.fees.mean).toBeGreaterThan(0.75);
    expect(random.fees.mean / ours.fees.mean).toBeLessThan(1.33);
  });

  it('gives byte-identical JSON for the same inputs, and the plain desk backtest for one seed and one period', async () => {
    const once = async () => JSON.stringify(await evaluateDesk({ config: SYNTHETIC, seeds: 1, periods: 1, loadData: (seed) => syntheticDeskData(SYNTHETIC, seed) }));
    const first = await once();
    expect(await once()).toBe(first);
    const whole = runDeskBacktest({ config: SYNTHETIC, data: syntheticDeskData(SYNTHETIC, 7) }).run;
    const report = JSON.parse(first) as { runs: { desk: { totalReturn: number; trades: number; fees: number; turnover: number } }[] };
    expect(report.runs[0]?.desk.totalReturn).toBe(whole.finalEquity / whole.initialEquity - 1);
    expect(report.runs[0]?.desk.trades).toBe(whole.trades.length);
    expect(report.runs[0]?.desk.fees).toBe(whole.feesPaid);
    expect(report.runs[0]?.desk.turnover).toBe(whole.tradedNotional);
  });

  it('refuses, before any run, a desk beside that trades an instrument the evaluated desk has no bars for', async () => {
    const other = parseDeskConfig(
      desk(`{ id: sma, role: analyst, strategy: sma-cross, sleeve: main }`, `{ source: synthetic, startPrice: 30000, start: '2024-01-01', timeframe: 1h, bars: 600 }`)
        .replace('test-desk', 'eth-desk')
        .replaceAll('SYNTH:BTC/USDT', 'SYNTH:ETH/USDT'),
      'eth',
    ).config;
    let loads = 0;
    const loadData = (seed: number) => (loads++, syntheticDeskData(SYNTHETIC, seed));
    await expect(evaluateDesk({ config: SYNTHETIC, seeds: 1, periods: 1, loadData, beside: other })).rejects.toThrow(
      "desk eth-desk trades SYNTH:ETH/USDT, which desk test-desk does not; the desk beside runs on the evaluated desk's data, so its instruments must be among SYNTH:BTC/USDT",
    );
    expect(loads).toBe(0);
    // The same instruments are fine.
    const report = await evaluateDesk({ config: SYNTHETIC, seeds: 1, periods: 1, loadData, beside: SYNTHETIC });
    expect(report.beside?.summary.totalReturn.mean).toBe(report.contenders.desk.totalReturn.mean);
  });

  it('refuses zero seeds and more periods than the warm-up allows', async () => {
    const loadData = (seed: number) => syntheticDeskData(SYNTHETIC, seed);
    await expect(evaluateDesk({ config: SYNTHETIC, seeds: 0, periods: 1, loadData })).rejects.toThrow('--seeds must be a positive integer, got 0');
    await expect(evaluateDesk({ config: SYNTHETIC, seeds: 1, periods: 40, loadData })).rejects.toThrow(
      'period 1 of 40 has 15 bars of SYNTH:BTC/USDT, but analyst sma (sma-cross) needs a 20-bar warm-up and 2 bars to trade; use at most 27 periods',
    );
  });
});
