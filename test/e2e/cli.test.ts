import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateMarket } from '../../src/data/synthetic/index.js';
import { FakeBinance } from '../fakes/fake-binance.js';
import { cliRunner } from '../support/cli-process.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const work = mkdtempSync(join(tmpdir(), 'conclave-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Asynchronously, for tests whose fake server lives in this process (a blocking spawn would starve it). */
function conclaveAsync(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), join(root, 'src/interfaces/cli/main.ts'), ...args], { cwd: work });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => resolvePromise({ status, stdout, stderr }));
  });
}

const conclave = cliRunner(work);

const CSV = ['timestamp,open,high,low,close,volume', ...Array.from({ length: 60 }, (_, i) => {
  const p = 100 + Math.round(10 * Math.sin(i / 5) * 100) / 100;
  return `${1_700_000_000_000 + i * 60_000},${p},${p + 1},${p - 1},${p},${10 + i}`;
})].join('\n');

describe('the conclave CLI', () => {
  it('lists its commands', () => {
    const run = conclave('--help');
    expect(run.status).toBe(0);
    for (const command of ['demo', 'backtest', 'indicators', 'optimize', 'data', 'init', 'check', 'explain', 'decisions', 'evaluate', 'run', 'alerts', 'proposals', 'status', 'halt', 'resume', 'restart']) expect(run.stdout).toContain(command);
  });

  it('loads only the command it runs, and still names an unknown one', () => {
    const help = conclave('check', '--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: conclave check');
    const unknown = conclave('bakctest');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'bakctest'");
  });

  it('backtests a CSV with the documented command and writes the documented JSON', () => {
    writeFileSync(join(work, 'prices.csv'), CSV);
    const run = conclave('backtest', '--data', 'prices.csv', '--strategy', 'sma-cross', '--param', 'fast=3', '--param', 'slow=8', '--qty', '10', '--fee', '0.001', '--cash', '100000', '--json', 'out.json');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Backtest: sma-cross');
    const result = JSON.parse(readFileSync(join(work, 'out.json'), 'utf8')) as Record<string, unknown> & { fills: { side: string }[] };
    expect(result.schema).toBe('conclave.backtest/1');
    expect(result.params).toEqual({ fast: 3, slow: 8, mode: 'long-only' }); // defaults included
    expect(result.instruments).toEqual(['FILE:PRICES/USD']);
    expect(result.bars).toBe(60);
    expect(result.fills.length).toBeGreaterThan(0);
    for (const key of ['finalEquity', 'finalCash', 'metrics', 'fingerprint', 'timing', 'trades']) expect(result).toHaveProperty(key);
  });

  it('infers the tick from every row: whole prices for 5,000 bars and cents after them fill at the cents', () => {
    const T0 = 1_700_000_000_000;
    const rows = Array.from({ length: 5100 }, (_, i) => (i < 5000 ? `${T0 + i * 60_000},100,101,99,100,1` : `${T0 + i * 60_000},100.87,101.12,100.5,100.87,1`));
    writeFileSync(join(work, 'late-cents.csv'), ['timestamp,open,high,low,close,volume', ...rows].join('\n'));
    const run = conclave('backtest', '--data', 'late-cents.csv', '--strategy', 'buy-and-hold', '--param', 'warmup=5050', '--no-cache', '--json', 'late-cents.json', '--quiet');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const result = JSON.parse(readFileSync(join(work, 'late-cents.json'), 'utf8')) as { fills: { ts: number; side: string; qty: number; price: number }[] };
    // Bought on the first bar after the warm-up (bar 5050), filled at the open of the next one, not rounded to 101.
    expect(result.fills.map((f) => [f.ts, f.side, f.qty, f.price])).toEqual([[T0 + 5051 * 60_000, 'buy', 1, 100.87]]);
  });

  it('warns on standard error and in the JSON, even when quiet, when --tick is coarser than the prices', () => {
    const T0 = 1_700_000_000_000;
    writeFileSync(join(work, 'halves.csv'), ['timestamp,open,high,low,close,volume', ...Array.from({ length: 10 }, (_, i) => `${T0 + i * 60_000},107.5,108,107,107.5,1`)].join('\n'));
    const run = conclave('backtest', '--data', 'halves.csv', '--strategy', 'buy-and-hold', '--tick', '1', '--no-cache', '--quiet', '--json', '-');
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/^conclave: warning: FILE:HALVES\/USD: the prices are finer than --tick 1 \(10 of 10 bars have a price between ticks, e\.g\. the open 107\.5 at [^,]+, which the simulated venue takes as 108\)/);
    const result = JSON.parse(run.stdout) as { warnings: string[]; fills: { price: number }[] };
    expect(result.warnings).toEqual([run.stderr.trim().replace('conclave: warning: ', '')]);
    expect(result.fills.map((f) => f.price)).toEqual([108]);
  });

  it('says clearly what is wrong, with a non-zero exit: missing file, unknown strategy, bad parameter', () => {
    const missing = conclave('backtest', '--data', 'nope.csv', '--strategy', 'sma-cross');
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toMatch(/nope\.csv/);
    writeFileSync(join(work, 'prices.csv'), CSV);
    const unknown = conclave('backtest', '--data', 'prices.csv', '--strategy', 'moon');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/moon.*sma-cross/s);
    const param = conclave('backtest', '--data', 'prices.csv', '--strategy', 'sma-cross', '--param', 'fast=banana');
    expect(param.status).toBe(2);
    expect(param.stderr).toMatch(/fast/);
    const option = conclave('backtest', '--data', 'prices.csv', '--strategy', 'sma-cross', '--qty', '-3');
    expect(option.status).toBe(2);
    expect(option.stderr).toMatch(/--qty must be a positive number/);
    for (const [flag, value, message] of [
      ['--fee', '2', '--fee 2: a fee rate is a fraction of the notional'],
      ['--cash', '0', '--cash 0: the starting cash must be positive'],
      ['--leverage', '3', '--leverage applies to perpetuals'],
      ['--slippage-bps', '10000', '--slippage-bps 10000: slippage of 10,000 bps (100%) or more'],
      ['--equity-pct', '2000', '--equity-pct 2000: at most 1000'],
      ['--vol-target', '0.2:100:3', '--vol-target must look like 0.2 or 0.2:100, got "0.2:100:3"'],
      ['--symbol', 'BTC/USDT --symbol ETH/USDT', '2 --symbol values for 1 --data file'],
    ] as const) {
      const refused = conclave('backtest', '--data', 'prices.csv', '--strategy', 'sma-cross', flag, ...value.split(' '));
      expect(refused.status).toBe(2);
      expect(refused.stderr).toContain(message);
    }
  });

  it('names the line of a CSV row that does not fit its header', () => {
    writeFileSync(join(work, 'bad.csv'), 'timestamp,open,high,low,close,volume\n1700000000000,1,2,0.5,1.5,3\n1700000060000,1,2..5,0.5,1.5,3\n');
    const run = conclave('backtest', '--data', 'bad.csv', '--strategy', 'buy-and-hold');
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/line 3/);
  });

  it('prints indicator series, empty before warm-up', () => {
    writeFileSync(join(work, 'prices.csv'), CSV);
    const run = conclave('indicators', '--data', 'prices.csv', '--ind', 'sma:3', '--ind', 'rsi:2', '--csv');
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toBe('timestamp,close,sma3,rsi2');
    expect(lines[1]?.split(',').slice(2)).toEqual(['', '']);
    expect(lines[3]?.split(',')[2]).not.toBe('');
    expect(lines).toHaveLength(61);
    const json = conclave('indicators', '--data', 'prices.csv', '--ind', 'sma:3', '--json');
    const parsed = JSON.parse(json.stdout) as { columns: string[]; rows: (number | null)[][] };
    expect(parsed.columns).toEqual(['timestamp', 'close', 'sma3']);
    expect(parsed.rows[0]?.slice(0, 2)).toEqual(lines[1]?.split(',').slice(0, 2).map(Number));
    expect(parsed.rows[0]?.[2]).toBeNull();
  });

  it('refuses indicators with both --csv and --json: one output format', () => {
    writeFileSync(join(work, 'prices.csv'), CSV);
    const run = conclave('indicators', '--data', 'prices.csv', '--ind', 'sma:3', '--csv', '--json');
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('conclave: --csv and --json are two output formats for the same series; give one (CSV is the default)\n');
  });

  it('optimizes on two worker threads, walk-forward, and exports the best parameters', () => {
    writeFileSync(join(work, 'prices.csv'), CSV);
    const run = conclave('optimize', '--data', 'prices.csv', '--strategy', 'sma-cross', '--param', 'fast=2:4:1', '--param', 'slow=6:8:2', '--workers', '2', '--walk-forward', 'rolling:30:10', '--export', 'best.json');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/6 parameter sets/);
    expect(run.stdout).toMatch(/Walk-forward \(rolling, 30 in-sample \/ 10 out-of-sample bars, 3 windows\)/);
    const best = JSON.parse(readFileSync(join(work, 'best.json'), 'utf8')) as { schema: string; strategy: string; trials: number };
    expect(best).toMatchObject({ schema: 'conclave.best-parameters/1', strategy: 'sma-cross', trials: 6 });
  });

  it('warns, window by window, when a walk-forward selection was made among trials that never traded', () => {
    // Flat for the first 30 bars: no average crosses there, so window 0 picks its parameters on a tie of zeros.
    const rows = Array.from({ length: 80 }, (_, i) => {
      const p = i < 30 ? 100 : 100 + Math.round(10 * Math.sin(i / 5) * 100) / 100;
      return `${1_700_000_000_000 + i * 60_000},${p},${p + 1},${p - 1},${p},10`;
    });
    writeFileSync(join(work, 'flat-start.csv'), ['timestamp,open,high,low,close,volume', ...rows].join('\n'));
    const args = ['optimize', '--data', 'flat-start.csv', '--strategy', 'sma-cross', '--param', 'fast=2:3:1', '--param', 'slow=6:8:2', '--workers', '1', '--walk-forward', 'rolling:30:10'];
    const run = conclave(...args, '--export', 'flat-best.json', '--json', 'flat-report.json', '--quiet');
    expect(run.status).toBe(0);
    const report = JSON.parse(readFileSync(join(work, 'flat-report.json'), 'utf8')) as { warnings: string[]; walkForward: { windows: { selection: { tradedTrials: number }; outOfSampleMetrics: { trades: number } }[] } };
    expect(report.walkForward.windows.map((w) => w.selection.tradedTrials)).toEqual([0, 4, 4, 4, 4]);
    const warning = `window 0 (in-sample bars 0..30): no trial traded, so its parameters (fast=2, slow=6, mode=long-only) were picked among runs without a trade; they traded the out-of-sample bars 30..40 anyway (1 trade)`;
    expect(report.warnings).toEqual([warning]);
    expect(run.stderr).toBe(`conclave: warning: ${warning}\n`);
    const best = JSON.parse(readFileSync(join(work, 'flat-best.json'), 'utf8')) as { warnings: string[] };
    expect(best.warnings).toEqual([warning]);
    // A volatility target's lookback longer than the in-sample windows is refused as a long warm-up is.
    const sized = conclave(...args, '--vol-target', '0.5:40', '--export', 'never.json');
    expect(sized.status).toBe(2);
    expect(sized.stderr).toBe("conclave: in-sample windows of 30 bars leave nothing to trade after a warm-up of 40 bars (the volatility target's lookback); they need at least 42 bars\n");
    expect(existsSync(join(work, 'never.json'))).toBe(false);
  });

  it('refuses a --fill it does not know in optimize as backtest does, before reading any data', () => {
    writeFileSync(join(work, 'prices.csv'), CSV);
    for (const command of [['backtest'], ['optimize', '--param', 'fast=2:4:1', '--param', 'slow=6:8:2', '--workers', '1', '--export', 'fill-best.json']]) {
      const run = conclave(...command, '--data', 'prices.csv', '--strategy', 'sma-cross', '--fill', 'foo');
      expect(run.status).toBe(2);
      expect(run.stderr).toBe('conclave: --fill must be next-open or close, got "foo"\n');
      const missing = conclave(...command, '--data', 'nowhere.csv', '--strategy', 'sma-cross', '--fill', 'foo');
      expect(missing.stderr).toBe('conclave: --fill must be next-open or close, got "foo"\n');
    }
    expect(existsSync(join(work, 'fill-best.json'))).toBe(false);
  });

  it('prices slippage of more than four decimals of a basis point alike in backtest and optimize', () => {
    writeFileSync(join(work, 'prices.csv'), CSV);
    const costs = ['--data', 'prices.csv', '--strategy', 'sma-cross', '--slippage-bps', '1.23456', '--tick', '0.00000001', '--quiet'];
    const backtest = conclave('backtest', ...costs, '--param', 'fast=3', '--param', 'slow=8', '--json', 'slip-backtest.json');
    expect(backtest.status).toBe(0);
    const optimize = conclave('optimize', ...costs, '--param', 'fast=3', '--param', 'slow=8', '--workers', '1', '--export', 'slip-best.json', '--json', 'slip-optimize.json');
    expect(optimize.status).toBe(0);
    const result = JSON.parse(readFileSync(join(work, 'slip-backtest.json'), 'utf8')) as { fingerprint: string; fills: { ts: number; side: string; price: number }[] };
    const report = JSON.parse(readFileSync(join(work, 'slip-optimize.json'), 'utf8')) as { results: { fingerprint: string }[] };
    expect(report.results[0]?.fingerprint).toBe(result.fingerprint);
    // A buy pays the open moved up by 1.23456 bps, rounded up to the tick: the decimal as given, not cut to 1.2346.
    const buy = result.fills.find((fill) => fill.side === 'buy')!;
    const open = Number(CSV.split('\n').find((line) => line.startsWith(`${buy.ts},`))?.split(',')[1]);
    expect(buy.price).toBe(Math.ceil(Math.round(open * 1.000123456 * 1e10) / 100) / 1e8);
  });

  it('writes the best parameters to standard output with --export -, and refuses two reports there', () => {
    writeFileSync(join(work, 'prices.csv'), CSV);
    const base = ['optimize', '--data', 'prices.csv', '--strategy', 'sma-cross', '--param', 'fast=2:4:1', '--param', 'slow=6:8:2', '--workers', '1'];
    const run = conclave(...base, '--export', '-');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const best = JSON.parse(run.stdout) as { schema: string; strategy: string; trials: number; warnings: string[] };
    expect(best).toMatchObject({ schema: 'conclave.best-parameters/1', strategy: 'sma-cross', trials: 6, warnings: [] });
    expect(existsSync(join(work, '-'))).toBe(false);
    const both = conclave(...base, '--export', '-', '--json', '-');
    expect(both.status).toBe(2);
    expect(both.stderr).toBe('conclave: --json - and --export - both name standard output; send one of them to a file\n');
  });

  it('backtests the parameters optimize exported with --params, counting its trials in the deflated Sharpe', () => {
    writeFileSync(join(work, 'prices.csv'), CSV);
    const optimize = conclave('optimize', '--data', 'prices.csv', '--strategy', 'sma-cross', '--param', 'fast=2:4:1', '--param', 'slow=6:8:2', '--workers', '1', '--export', 'again-best.json', '--json', 'again-report.json', '--quiet');
    expect(optimize.status).toBe(0);
    const report = JSON.parse(readFileSync(join(work, 'again-report.json'), 'utf8')) as { best: { trial: number; params: Record<string, unknown> }; results: { fingerprint: string }[] };
    type Result = { strategy: string; params: Record<string, unknown>; fingerprint: string; metrics: { trials: number } };
    const read = (file: string): Result => JSON.parse(readFileSync(join(work, file), 'utf8')) as Result;

    // The strategy comes from the file; the run is the optimizer's own best trial, fill for fill.
    const again = conclave('backtest', '--data', 'prices.csv', '--params', 'again-best.json', '--json', 'again.json', '--quiet');
    expect(again.stderr).toBe('');
    expect(again.status).toBe(0);
    expect(read('again.json')).toMatchObject({ strategy: 'sma-cross', params: report.best.params, fingerprint: report.results[report.best.trial]?.fingerprint, metrics: { trials: 6 } });

    // An explicit --param wins over the file's value; --trials over its count.
    const tweaked = conclave('backtest', '--data', 'prices.csv', '--strategy', 'sma-cross', '--params', 'again-best.json', '--param', 'slow=12', '--trials', '1', '--json', 'tweaked.json', '--quiet');
    expect(tweaked.status).toBe(0);
    expect(read('tweaked.json')).toMatchObject({ params: { ...report.best.params, slow: 12 }, metrics: { trials: 1 } });

    const other = conclave('backtest', '--data', 'prices.csv', '--strategy', 'ema-cross', '--params', 'again-best.json');
    expect(other.status).toBe(2);
    expect(other.stderr).toBe('conclave: --params again-best.json holds parameters for sma-cross, not for --strategy ema-cross\n');
    const notExport = conclave('backtest', '--data', 'prices.csv', '--params', 'again-report.json');
    expect(notExport.status).toBe(2);
    expect(notExport.stderr).toBe(
      'conclave: --params again-report.json: schema is "conclave.optimization/1", not "conclave.best-parameters/1": pass the file optimize writes with --export, not its --json report\n',
    );
    writeFileSync(join(work, 'broken-best.json'), JSON.stringify({ schema: 'conclave.best-parameters/1', strategy: 'sma-cross', params: { fast: [3] }, trials: 6 }));
    const broken = conclave('backtest', '--data', 'prices.csv', '--params', 'broken-best.json');
    expect(broken.status).toBe(2);
    expect(broken.stderr).toBe('conclave: --params broken-best.json: params.fast must be a number or a string, got [3]\n');
  });

  it('refuses a search option the chosen search would ignore', () => {
    writeFileSync(join(work, 'prices.csv'), CSV);
    const base = ['optimize', '--data', 'prices.csv', '--strategy', 'sma-cross', '--param', 'fast=2:4:1', '--param', 'slow=6:8:2', '--workers', '1', '--export', 'ignored.json'];
    const samples = conclave(...base, '--samples', '3');
    expect(samples.status).toBe(2);
    expect(samples.stderr).toBe('conclave: --samples goes with --search random; a grid search tries every parameter set (cap it with --max-trials)\n');
    const maxTrials = conclave(...base, '--search', 'random', '--samples', '3', '--max-trials', '2');
    expect(maxTrials.status).toBe(2);
    expect(maxTrials.stderr).toBe('conclave: --max-trials goes with --search grid; a random search tries the --samples parameter sets it draws\n');
    expect(existsSync(join(work, 'ignored.json'))).toBe(false);
  });

  it('checks a file and reports issues by line, exiting 1 when rows would be refused', () => {
    writeFileSync(join(work, 'gappy.csv'), 'timestamp,open,high,low,close,volume\n0,1,2,0.5,1.5,3\n60000,1,2,0.5,1.5,3\n240000,1,2,0.5,1.5,3\n180000,1,0.4,0.5,1.5,3\n');
    const run = conclave('data', 'check', 'gappy.csv', '--timeframe', '1m');
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/\n {2}gappy\.csv:4 gap: \d+ bars missing between /);
    expect(run.stdout).not.toContain('gap: gap:');
    expect(run.stdout).toContain('gappy.csv:5 out of order: ');
    expect(run.stdout).toContain('gappy.csv:5 impossible candle: high 0.4 is below low 0.5');
    writeFileSync(join(work, 'header-only.csv'), 'timestamp,open,high,low,close,volume\n');
    const empty = conclave('data', 'check', 'header-only.csv');
    expect(empty.status).toBe(1);
    expect(empty.stdout).toContain('issues: the file has no bars; a backtest would refuse it');
  });

  it('resamples into a folder that exists, and refuses a result with no whole bar', () => {
    writeFileSync(join(work, 'minutes.csv'), 'timestamp,open,high,low,close,volume\n1699999920000,1,2,0.5,1.5,3\n1699999980000,1.5,2,1,1.8,3\n');
    const missing = conclave('data', 'resample', 'minutes.csv', '--to', '2m', '--out', 'nowhere/two.csv');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('does not exist');
    expect(existsSync(join(work, 'nowhere'))).toBe(false);
    const none = conclave('data', 'resample', 'minutes.csv', '--to', '1w', '--out', 'weeks.csv');
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('its 2 bars fill no whole 1w bar');
    expect(existsSync(join(work, 'weeks.csv'))).toBe(false);
    const two = conclave('data', 'resample', 'minutes.csv', '--to', '2m', '--out', 'two.csv');
    expect(two.status).toBe(0);
    expect(readFileSync(join(work, 'two.csv'), 'utf8')).toBe('timestamp,open,high,low,close,volume\n1699999920000,1,2,0.5,1.8,6\n');
  });
});

describe('conclave data fetch against a local fake exchange (real ccxt over HTTP)', () => {
  let fake: FakeBinance;
  beforeAll(async () => {
    const market = generateMarket({ seed: 5, start: Date.UTC(2024, 0, 1), timeframeMs: 3_600_000, bars: 1500, instruments: [{ symbol: 'BTC/USDT', startPrice: 40000 }] });
    const series = market.instruments[0]?.bars;
    if (series === undefined) throw new Error('no series');
    fake = await FakeBinance.start({ markets: [{ symbol: 'BTC/USDT', series }], maxPageSize: 500 });
  });
  afterAll(async () => {
    await fake.close();
  });

  it('downloads bars page by page into a canonical CSV', async () => {
    const run = await conclaveAsync('data', 'fetch', '--exchange', 'binance', '--symbol', 'BTC/USDT', '--timeframe', '1h', '--since', '2024-01-01', '--until', '2024-02-01', '--limit', '500', '--base-url', fake.url, '--out', 'btc.csv');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/744 bars of BTC\/USDT 1h from binance/);
    const lines = readFileSync(join(work, 'btc.csv'), 'utf8').trim().split('\n');
    expect(lines[0]).toBe('timestamp,open,high,low,close,volume');
    expect(lines).toHaveLength(745);
    expect(existsSync(join(work, 'btc.csv'))).toBe(true);
  });

  it('names its file so that a backtest knows the instrument, and refuses a folder that does not exist', async () => {
    const run = await conclaveAsync('data', 'fetch', '--exchange', 'binance', '--symbol', 'BTC/USDT', '--timeframe', '1h', '--since', '2024-01-01', '--until', '2024-01-03', '--base-url', fake.url);
    expect(run.status).toBe(0);
    const backtest = await conclaveAsync('backtest', '--data', 'binance_BTC_USDT-1h.csv', '--strategy', 'buy-and-hold', '--json', '-');
    expect(backtest.status).toBe(0);
    expect((JSON.parse(backtest.stdout) as { instruments: string[] }).instruments).toEqual(['BINANCE:BTC/USDT']);
    const nowhere = await conclaveAsync('data', 'fetch', '--exchange', 'binance', '--symbol', 'BTC/USDT', '--timeframe', '1h', '--since', '2024-01-01', '--base-url', fake.url, '--out', 'none/btc.csv');
    expect(nowhere.status).toBe(2);
    expect(existsSync(join(work, 'none'))).toBe(false);
  });
});
