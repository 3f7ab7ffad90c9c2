import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliRunner } from '../support/cli-process.js';

const work = mkdtempSync(join(tmpdir(), 'conclave-perp-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const conclave = cliRunner(work);

const T0 = 1_699_999_200_000; // a whole hour
const HOUR = 3_600_000;
const BARS = ['timestamp,open,high,low,close,volume', ...Array.from({ length: 48 }, (_, i) => `${T0 + i * HOUR},1,1.005,0.995,1,1000`)].join('\n');
// freqtrade's funding layout: the rate in the open column, the rest zero. Positive three times, then negative.
const FUNDING = ['timestamp,open,high,low,close,volume', ...[8, 16, 24, 32, 40].map((h, k) => `${T0 + h * HOUR},${k < 3 ? 0.0005 : -0.0005},0,0,0,0`)].join('\n');

describe('conclave backtest on a perpetual with funding and mark files', () => {
  it('trades the carry on the rates of --funding and books the funding the venue settles', () => {
    writeFileSync(join(work, 'perp.csv'), BARS);
    writeFileSync(join(work, 'funding.csv'), FUNDING);
    const run = conclave('backtest', '--data', 'perp.csv', '--symbol', 'XRP/USDT:USDT', '--strategy', 'funding-carry', '--funding', 'funding.csv', '--qty', '1000', '--cash', '10000', '--no-cache', '--json', 'out.json', '--quiet');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const result = JSON.parse(readFileSync(join(work, 'out.json'), 'utf8')) as { fills: { ts: number; side: string; qty: number }[]; metrics: { fundingPaid: number } };
    // Short after the first positive rate (08:00), flipped long after the first negative one (32:00).
    expect(result.fills.map((f) => [f.ts, f.side, f.qty])).toEqual([
      [T0 + 9 * HOUR, 'sell', 1000],
      [T0 + 33 * HOUR, 'buy', 2000],
    ]);
    // 1000 x 1 x 0.05% = 0.5 a settlement: the short receives at 16:00 and 24:00 and pays at 32:00; the long receives at 40:00.
    expect(result.metrics.fundingPaid).toBeCloseTo(-0.5 - 0.5 + 0.5 - 0.5, 10);
  });

  it('liquidates a leveraged long on a mark candle that wicked through its liquidation price', () => {
    writeFileSync(join(work, 'perp.csv'), BARS);
    // Flat marks at 1, except one candle (12:00-13:00) whose low touches 0.85 and which closes at 1 again.
    const candle = (i: number): string => `${T0 + i * HOUR},1,1.01,${i === 12 ? 0.85 : 0.99},1,0`;
    writeFileSync(join(work, 'wick.csv'), ['timestamp,open,high,low,close,volume', ...Array.from({ length: 48 }, (_, i) => candle(i))].join('\n'));
    const run = conclave('backtest', '--data', 'perp.csv', '--symbol', 'XRP/USDT:USDT', '--strategy', 'buy-and-hold', '--marks', 'wick.csv', '--qty', '10000', '--leverage', '10', '--cash', '1000', '--fee', '0', '--no-cache', '--json', 'wick.json', '--quiet');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const result = JSON.parse(readFileSync(join(work, 'wick.json'), 'utf8')) as { fills: { ts: number; side: string; qty: number; price: number }[] };
    // Long 10,000 at 1 with 10x: 1,000 of margin, liquidated at (10000 - 1000) / (10000 x 0.995) = 0.90452, up to the
    // 0.001 tick of the data: 0.905; booked when the candle is known, at its close (13:00).
    expect(result.fills.map((f) => [f.ts, f.side, f.qty, f.price])).toEqual([
      [T0 + HOUR, 'buy', 10000, 1],
      [T0 + 13 * HOUR, 'sell', 10000, 0.905],
    ]);
  });

  it('refuses funding for a spot instrument and a funding file whose open column is not a rate', () => {
    writeFileSync(join(work, 'spot.csv'), BARS);
    const spot = conclave('backtest', '--data', 'spot.csv', '--symbol', 'XRP/USDT', '--strategy', 'sma-cross', '--funding', 'funding.csv', '--no-cache');
    expect(spot.status).toBe(2);
    expect(spot.stderr).toContain('no --data instrument is a perpetual');
    const prices = conclave('backtest', '--data', 'perp.csv', '--symbol', 'XRP/USDT:USDT', '--strategy', 'funding-carry', '--funding', 'perp.csv', '--no-cache');
    expect(prices.status).toBe(2);
    expect(prices.stderr).toContain('perp.csv: funding row 1 has the rate 1');
    writeFileSync(join(work, 'marks.csv'), ['timestamp,open,high,low,close,volume', `${T0},1,1.01,0.99,1,0`, `${T0 + HOUR},1,1.01,0.99,1,0`].join('\n'));
    const marks = conclave('backtest', '--data', 'perp.csv', '--symbol', 'XRP/USDT:USDT', '--strategy', 'buy-and-hold', '--marks', 'marks.csv', '--no-cache');
    expect(marks.status).toBe(2);
    expect(marks.stderr).toMatch(/--marks marks\.csv: the marks end at .* but the bars of FILE:XRP\/USDT:USDT run to .*; give marks that cover the run/);
  });
});

describe('conclave backtest and optimize on a leverage below 1', () => {
  it('refuse it naming --leverage, instead of dividing by a margin that rounds to zero or trading nothing', () => {
    writeFileSync(join(work, 'perp.csv'), BARS);
    for (const leverage of ['0.0000001', '0.5', '0']) {
      for (const command of [['backtest'], ['optimize', '--param', 'warmup=0,1', '--workers', '1', '--export', 'never.json']]) {
        const run = conclave(...command, '--data', 'perp.csv', '--symbol', 'XRP/USDT:USDT', '--strategy', 'buy-and-hold', '--leverage', leverage, '--no-cache', '--quiet');
        expect(run.status).toBe(2);
        expect(run.stderr).toContain(`--leverage must be a number >= 1 (1 = no leverage), got "${leverage}"`);
        expect(run.stderr).not.toContain('divide');
      }
    }
    expect(existsSync(join(work, 'never.json'))).toBe(false);
    const one = conclave('backtest', '--data', 'perp.csv', '--symbol', 'XRP/USDT:USDT', '--strategy', 'buy-and-hold', '--leverage', '1', '--qty', '100', '--no-cache', '--json', 'lev1.json', '--quiet');
    expect(one.stderr).toBe('');
    expect(one.status).toBe(0);
    const result = JSON.parse(readFileSync(join(work, 'lev1.json'), 'utf8')) as { fills: { ts: number; side: string; qty: number; price: number }[] };
    expect(result.fills.map((f) => [f.ts, f.side, f.qty, f.price])).toEqual([[T0 + HOUR, 'buy', 100, 1]]);
  });
});

describe('conclave optimize on a perpetual with funding and mark files', () => {
  interface Report {
    results: { params: Record<string, number>; finalEquity: number; fingerprint: string; metrics: { fundingPaid: number; trades: number; turnover: number } }[];
  }
  const carry = ['optimize', '--data', 'perp.csv', '--symbol', 'XRP/USDT:USDT', '--strategy', 'funding-carry', '--param', 'threshold=0.0001,0.001', '--qty', '1000', '--cash', '10000', '--objective', 'totalReturn', '--no-cache'];

  it('trades the carry on the rates of --funding, on worker threads as in process', () => {
    writeFileSync(join(work, 'perp.csv'), BARS);
    writeFileSync(join(work, 'funding.csv'), FUNDING);
    const pooled = conclave(...carry, '--funding', 'funding.csv', '--workers', '2', '--json', 'carry-2.json', '--export', 'carry-best.json', '--quiet');
    expect(pooled.stderr).toBe('');
    expect(pooled.status).toBe(0);
    const report = JSON.parse(readFileSync(join(work, 'carry-2.json'), 'utf8')) as Report;
    // As the backtest of the carry above: short at 09:00, long at 33:00, 0.5 received at 16:00, 24:00 and 40:00 and
    // paid at 32:00; a threshold of 0.1% is above every rate and never trades.
    expect(report.results.map((r) => [r.params.threshold, r.metrics.trades, r.metrics.fundingPaid, r.finalEquity])).toEqual([
      [0.0001, 2, -1, 10001],
      [0.001, 0, 0, 10000],
    ]);
    const best = JSON.parse(readFileSync(join(work, 'carry-best.json'), 'utf8')) as { params: Record<string, number>; score: number };
    expect(best.params).toEqual({ threshold: 0.0001 });
    expect(best.score).toBeCloseTo(0.0001, 12);
    const inProcess = conclave(...carry, '--funding', 'funding.csv', '--workers', '1', '--json', 'carry-1.json', '--export', 'carry-best-1.json', '--quiet');
    expect(inProcess.status).toBe(0);
    expect((JSON.parse(readFileSync(join(work, 'carry-1.json'), 'utf8')) as Report).results).toEqual(report.results);
  });

  it('warns on standard error, even with --quiet, and in the files it writes, when no trial traded at all', () => {
    writeFileSync(join(work, 'perp.csv'), BARS);
    const run = conclave(...carry, '--workers', '1', '--export', 'carry-none.json', '--json', 'carry-none-report.json', '--quiet');
    expect(run.status).toBe(0);
    const warning =
      'no trial traded in 2 backtests, so the best parameters (score 0) were picked among runs without a trade; funding-carry trades on funding rates: give them with --funding';
    expect(run.stderr).toBe(`conclave: warning: ${warning}\n`);
    expect((JSON.parse(readFileSync(join(work, 'carry-none.json'), 'utf8')) as { warnings: string[] }).warnings).toEqual([warning]);
    expect((JSON.parse(readFileSync(join(work, 'carry-none-report.json'), 'utf8')) as { warnings: string[] }).warnings).toEqual([warning]);
  });

  it('liquidates on the candles of --marks in every trial, as the backtest does, and refuses marks that end early', () => {
    writeFileSync(join(work, 'perp.csv'), BARS);
    const candle = (i: number): string => `${T0 + i * HOUR},1,1.01,${i === 12 ? 0.85 : 0.99},1,0`;
    writeFileSync(join(work, 'wick.csv'), ['timestamp,open,high,low,close,volume', ...Array.from({ length: 48 }, (_, i) => candle(i))].join('\n'));
    const costs = ['--qty', '10000', '--leverage', '10', '--cash', '1000', '--fee', '0', '--no-cache', '--quiet'];
    const backtest = conclave('backtest', '--data', 'perp.csv', '--symbol', 'XRP/USDT:USDT', '--strategy', 'buy-and-hold', '--marks', 'wick.csv', ...costs, '--json', 'wick-bt.json');
    expect(backtest.status).toBe(0);
    const single = JSON.parse(readFileSync(join(work, 'wick-bt.json'), 'utf8')) as { finalEquity: number; fingerprint: string };
    expect(single.finalEquity).toBe(4.75);
    const optimize = (...more: string[]) => conclave('optimize', '--data', 'perp.csv', '--symbol', 'XRP/USDT:USDT', '--strategy', 'buy-and-hold', '--param', 'warmup=0,1', ...costs, '--workers', '2', '--export', 'wick-best.json', ...more);
    const marked = optimize('--marks', 'wick.csv', '--json', 'wick-opt.json');
    expect(marked.stderr).toBe('');
    expect(marked.status).toBe(0);
    const report = JSON.parse(readFileSync(join(work, 'wick-opt.json'), 'utf8')) as Report;
    // Both trials are long before the 12:00 candle and liquidated on its wick; warmup=0 is the backtest, fill for fill.
    expect(report.results.map((r) => r.finalEquity)).toEqual([4.75, 4.75]);
    expect(report.results[0]?.fingerprint).toBe(single.fingerprint);
    const unmarked = optimize('--json', 'wick-none.json');
    expect(unmarked.status).toBe(0);
    expect((JSON.parse(readFileSync(join(work, 'wick-none.json'), 'utf8')) as Report).results.map((r) => r.finalEquity)).toEqual([1000, 1000]);
    writeFileSync(join(work, 'marks.csv'), ['timestamp,open,high,low,close,volume', `${T0},1,1.01,0.99,1,0`, `${T0 + HOUR},1,1.01,0.99,1,0`].join('\n'));
    const short = optimize('--marks', 'marks.csv');
    expect(short.status).toBe(2);
    expect(short.stderr).toMatch(/--marks marks\.csv: the marks end at .* but the bars of FILE:XRP\/USDT:USDT run to .*; give marks that cover the run/);
  });
});
