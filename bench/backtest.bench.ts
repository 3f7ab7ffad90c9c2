/**
 * Backtest figures: engine throughput of sma-cross through the whole desk path on 1M one-minute bars, the whole
 * CLI run on a 1M-row CSV (parsing included), and resident memory per bar on a 10M-bar run (in a child process).
 * `node --import tsx bench/backtest.bench.ts [--memory-child N]`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runBacktest } from '../src/backtest/runner.js';
import { monotonicNs } from '../src/core/clock.js';
import { currency, instrumentId } from '../src/core/ids.js';
import { BarSeriesBuilder, type BarSeries } from '../src/data/bar-series.js';
import { defineInstrument } from '../src/domain/instrument.js';
import { createStrategy } from '../src/strategies/registry.js';
import { report } from './harness.js';

const ID = instrumentId('BENCH:BTC/USDT');
const SPOT = defineInstrument({ id: ID, tickSize: '0.01', lotSize: '0.0001', takerFee: '0.001', makerFee: '0.001' });
const USDT = currency('USDT');

/** When the bars start: a real epoch in ms, as exchange data has (the CSV reader tells the unit by magnitude). */
const START = Date.UTC(2024, 0, 1);

/** A trending-and-ranging random walk of one-minute bars (cheap to make, realistic enough for throughput). */
function makeSeries(n: number): BarSeries {
  const b = new BarSeriesBuilder(n);
  let price = 30_000;
  let seed = 12345;
  let drift = 0;
  for (let i = 0; i < n; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    const u = seed / 4294967296;
    if (i % 720 === 0) drift = (u - 0.5) * 6;
    const open = price;
    price = Math.max(100, Math.round((price + drift + (u - 0.5) * 30) * 100) / 100);
    b.push(START + i * 60_000, open, Math.round((Math.max(open, price) + 4) * 100) / 100, Math.round((Math.min(open, price) - 4) * 100) / 100, price, 10 + Math.round(u * 100));
  }
  return b.build(ID, 60_000);
}

function engine(series: BarSeries, strategy = 'sma-cross', params: Record<string, number> = { fast: 10, slow: 30 }): { seconds: number; fills: number } {
  const start = monotonicNs();
  const run = runBacktest({
    series: [series],
    instruments: [SPOT],
    strategy: createStrategy(strategy, params, [ID]),
    cash: { USDT: '1000000000' },
    valuationCurrency: USDT,
    sizing: { kind: 'fixed-quantity', quantity: 1 },
  });
  return { seconds: Number(monotonicNs() - start) / 1e9, fills: run.fills.length };
}

function writeCsv(path: string, series: BarSeries): void {
  const lines = ['timestamp,open,high,low,close,volume'];
  for (let i = 0; i < series.length; i++) {
    lines.push(`${series.ts[i]},${series.open[i]},${series.high[i]},${series.low[i]},${series.close[i]},${series.volume[i]}`);
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

const here = dirname(fileURLToPath(import.meta.url));
const memoryChild = process.argv.indexOf('--memory-child');
if (memoryChild >= 0) {
  const n = Number(process.argv[memoryChild + 1]);
  const strategy = process.argv[memoryChild + 2] ?? 'sma-cross';
  const before = process.memoryUsage().rss;
  const series = makeSeries(n);
  const { fills } = strategy === 'sma-cross' ? engine(series) : engine(series, strategy, {});
  const after = process.memoryUsage().rss;
  process.stdout.write(JSON.stringify({ bars: n, fills, rssBefore: before, rssAfter: after }));
} else {
  const series = makeSeries(1_000_000);
  // The CLI first, best of three, while this process is still small and idle.
  const dir = mkdtempSync(join(tmpdir(), 'conclave-bench-'));
  try {
    const csv = join(dir, 'BTC_USDT-1m.csv');
    writeCsv(csv, series);
    const built = join(here, '..', 'dist', 'interfaces', 'cli', 'main.js');
    const command = existsSync(built) ? [built] : ['--import', 'tsx', join(here, '..', 'src', 'interfaces', 'cli', 'main.ts')];
    const args = [...command, 'backtest', '--data', csv, '--strategy', 'sma-cross', '--param', 'fast=10', '--param', 'slow=30', '--qty', '1', '--fee', '0.001', '--cash', '1000000000', '--no-cache', '--json', join(dir, 'out.json'), '--quiet'];
    let best = Number.POSITIVE_INFINITY;
    for (let round = 0; round < 3; round++) {
      const start = monotonicNs();
      const cli = spawnSync(process.execPath, args, { encoding: 'utf8' });
      const ms = Number(monotonicNs() - start) / 1e6;
      if (cli.status !== 0) throw new Error(`CLI failed: ${cli.stderr}`);
      best = Math.min(best, ms);
    }
    report('backtest.cli_1m_rows', best, 'ms', `${existsSync(built) ? 'dist' : 'tsx'} CLI, 1M-row CSV, parsing and JSON output included, best of 3`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  engine(makeSeries(50_000)); // warm up the JIT
  let run = engine(series);
  for (let round = 0; round < 2; round++) {
    const again = engine(series);
    if (again.fills !== run.fills) throw new Error(`runs differ: ${again.fills} vs ${run.fills} fills`);
    if (again.seconds < run.seconds) run = again;
  }
  report('backtest.engine_sma_cross', series.length / run.seconds, 'bars/s', `1M 1m bars, ${run.fills} fills, full path, best of 3`);

  const bars = 10_000_000;
  const measure = (strategy: string): { rssBefore: number; rssAfter: number; fills: number } => {
    const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--memory-child', String(bars), strategy], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (child.status !== 0) throw new Error(`memory run failed: ${child.stderr}`);
    return JSON.parse(child.stdout) as { rssBefore: number; rssAfter: number; fills: number };
  };
  const active = measure('sma-cross');
  report('backtest.memory_per_bar', (active.rssAfter - active.rssBefore) / bars, 'bytes/bar', `10M bars, sma-cross with ${active.fills} fills, resident growth`);
  const quiet = measure('buy-and-hold');
  const baseline = (quiet.rssAfter - quiet.rssBefore) / bars;
  report('backtest.memory_per_bar_few_fills', baseline, 'bytes/bar', `10M bars, buy-and-hold with ${quiet.fills} fill(s)`);
  report('backtest.memory_per_fill', ((active.rssAfter - active.rssBefore) - (quiet.rssAfter - quiet.rssBefore)) / Math.max(1, active.fills - quiet.fills), 'bytes/fill', 'journal, orders, books and results per fill');
}
