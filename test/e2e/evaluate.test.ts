import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXAMPLE_DESK_YAML } from '../../src/config/example-desk.js';
import type { EvaluationReport } from '../../src/backtest/evaluate/report.js';
import { cliRunner } from '../support/cli-process.js';

const work = mkdtempSync(join(tmpdir(), 'conclave-evaluate-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// An evaluation runs many desk backtests; on shared cores under load one command may take most of a minute.
const conclave = cliRunner(work, 120_000);

writeFileSync(join(work, 'desk.yaml'), EXAMPLE_DESK_YAML);

/** A desk on a CSV file in a sub-folder: the path is resolved from the desk file's folder. */
const FILE_DESK = `
desk: { name: file-desk, valuationCurrency: USD, seed: 5 }
instruments: [{ id: 'FILE:BTC/USD', tickSize: '0.01', lotSize: '0.0001', takerFee: '0.001', makerFee: '0.001' }]
venues: [{ kind: sim, id: FILE }]
data:
  'FILE:BTC/USD': { source: file, path: prices.csv }
capital:
  cash: { USD: '100000' }
  sleeves: [{ id: main, maxGrossExposure: '50000', maxDrawdown: '0.5' }]
agents:
  - { id: sma, role: analyst, strategy: sma-cross, params: { fast: 4, slow: 12 }, sleeve: main }
  - { id: pm, role: manager }
  - { id: judge, role: judge }
sizing: { kind: notional, perConviction: '20000' }
`;
const CSV = ['timestamp,open,high,low,close,volume', ...Array.from({ length: 300 }, (_, i) => {
  const p = Math.round((30_000 + 1500 * Math.sin(i / 9) + 20 * i) * 100) / 100;
  return `${Date.UTC(2024, 0, 1) + i * 3_600_000},${p},${p + 40},${p - 40},${p},${5 + (i % 7)}`;
})].join('\n');

describe('conclave evaluate', () => {
  it('runs the example desk against buy-and-hold and the random agent over 3 seeds x 2 periods, the same bytes every time', () => {
    const run = conclave('evaluate', '--desk', 'desk.yaml', '--seeds', '3', '--periods', '2', '--json', 'evaluation.json');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Evaluation: example-desk');
    expect(run.stdout).toContain('3 seeds (42-44) x 2 periods = 6 runs, a new synthetic market per seed');
    expect(run.stdout).toMatch(/^ {2}desk {11}[-+]\d/m);
    expect(run.stdout).toMatch(/^ {2}buy-and-hold {3}[-+]\d/m);
    expect(run.stdout).toMatch(/desk vs random: +return difference .*, desk ahead in \d of 6 runs/);
    const text = readFileSync(join(work, 'evaluation.json'), 'utf8');
    const report = JSON.parse(text) as EvaluationReport;
    expect(report.schema).toBe('conclave.evaluate/2');
    expect(report.seeds).toEqual([42, 43, 44]);
    expect(report.runs.map((r) => `${r.seed}/${r.period}`)).toEqual(['42/1', '42/2', '43/1', '43/2', '44/1', '44/2']);
    expect(report.runs.every((r) => r.bars === 1000)).toBe(true);
    for (const name of ['desk', 'buy-and-hold', 'random'] as const) {
      for (const metric of ['totalReturn', 'sharpe', 'maxDrawdown', 'trades', 'fees', 'turnover'] as const) {
        const { mean, low, high, units } = report.contenders[name][metric];
        expect(units).toBe(6);
        expect(low).toBeLessThanOrEqual(mean);
        expect(mean).toBeLessThanOrEqual(high as number);
      }
    }
    // The random agent trades the desk's notional, sleeve by sleeve. One more switch redraws a book's whole path, so
    // its notional jumps with its rate: on seed 43's second period breakout-donchian trades 0.45x the desk's at a
    // switching probability of 0.0385 and 1.18x at 0.0386, and the calibration's runs find no rate that lands closer.
    // That run ends up just over 10% off, and the summary warns of it.
    for (const r of report.runs) expect(r.random.calibration.map((c) => c.book)).toEqual(['trend-sma', 'meanrev-bb', 'breakout-donchian']);
    const ratio = (r: (typeof report.runs)[number]): number => r.random.turnover / r.desk.turnover;
    const off = report.runs.filter((r) => Math.abs(ratio(r) - 1) > 0.1);
    expect(off.map((r) => `${r.seed}/${r.period}`)).toEqual(['43/2']);
    const jumped = off[0]!.random.calibration.find((c) => c.book === 'breakout-donchian')!;
    expect(jumped.turnover / jumped.deskTurnover).toBeGreaterThan(1.15);
    expect(ratio(off[0]!)).toBeLessThan(1.11);
    expect(run.stdout).toMatch(/random agent's turnover per run: \d\.\d\dx to \d\.\d\dx the desk's/);
    expect(run.stdout).toContain("Warning: the random agent's turnover is more than 10% off the desk's in 1 of 6 runs (1.10x)");
    const again = conclave('evaluate', '--desk', 'desk.yaml', '--seeds', '3', '--periods', '2', '--json', 'again.json', '--quiet');
    expect(again.status).toBe(0);
    expect(again.stdout).toBe('');
    expect(readFileSync(join(work, 'again.json'), 'utf8')).toBe(text);
  }, 240_000); // two evaluations of 6 desk runs each, in child processes

  it('evaluates a desk on a data file, where seeds change only the random agent, and writes JSON to standard output', () => {
    const folder = join(work, 'file-desk');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'desk.yaml'), FILE_DESK);
    writeFileSync(join(folder, 'prices.csv'), CSV);
    const run = conclave('evaluate', '--desk', 'file-desk/desk.yaml', '--seeds', '2', '--periods', '3', '--interval', 'student-t', '--json', '-');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as EvaluationReport;
    expect(report.marketVariesBySeed).toBe(false);
    expect(report.intervals).toEqual({ method: 'student-t', level: 0.95, unit: 'period', units: 3 });
    expect(report.runs.map((r) => r.bars)).toEqual([100, 100, 100, 100, 100, 100]);
    expect(report.runs[3]?.desk).toEqual(report.runs[0]?.desk);
    expect(report.runs[3]?.['buy-and-hold']).toEqual(report.runs[0]?.['buy-and-hold']);
    expect(report.runs[0]?.desk.trades).toBeGreaterThan(0);
  });

  it('counts a single run as one run', () => {
    const folder = join(work, 'one-run');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'desk.yaml'), FILE_DESK);
    writeFileSync(join(folder, 'prices.csv'), CSV);
    const run = conclave('evaluate', '--desk', 'one-run/desk.yaml', '--seeds', '1', '--periods', '1');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/\n {2}1 run in \d+\.\d s\n$/);
  });

  it('refuses a desk beside whose instruments the evaluated desk has no data for, naming them', () => {
    const folder = join(work, 'beside');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'desk.yaml'), FILE_DESK);
    writeFileSync(join(folder, 'prices.csv'), CSV);
    const run = conclave('evaluate', '--desk', 'beside/desk.yaml', '--beside', 'desk.yaml', '--seeds', '1', '--periods', '1');
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim()).toBe(
      "conclave: --beside desk.yaml trades SYNTH:BTC/USDT, which --desk beside/desk.yaml does not; the desk beside runs on the evaluated desk's data, so its instruments must be among FILE:BTC/USD",
    );
  });

  it('refuses zero seeds and more periods than the data holds for the warm-up, saying why', () => {
    const zero = conclave('evaluate', '--desk', 'desk.yaml', '--seeds', '0');
    expect(zero.status).toBe(2);
    expect(zero.stderr).toContain('--seeds must be a positive integer, got "0"');
    const many = conclave('evaluate', '--desk', 'desk.yaml', '--seeds', '1', '--periods', '100');
    expect(many.status).toBe(2);
    expect(many.stderr).toContain('conclave: period 1 of 100 has 20 bars of SYNTH:BTC/USDT, but analyst sma (sma-cross) needs a 30-bar warm-up and 2 bars to trade; use at most 62 periods');
  });
});
