import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BacktestResult } from '../../../backtest/result.js';
import { FixRequestError } from '../../../core/errors.js';
import { backtestCommand, loadSeries, type BacktestOptions } from './backtest.js';

const work = mkdtempSync(join(tmpdir(), 'conclave-backtest-command-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A canonical CSV of `count` bars `timeframeMs` apart, at the given price. */
function barFile(name: string, count: number, timeframeMs: number, price = '100'): string {
  const rows = Array.from({ length: count }, (_, i) => `${1_700_000_000_000 + i * timeframeMs},${price},${price},${price},${price},1`);
  const path = join(work, name);
  writeFileSync(path, ['timestamp,open,high,low,close,volume', ...rows].join('\n'));
  return path;
}

describe('backtest --data: one series per instrument', () => {
  const minutes = barFile('XRP_ETH-1m.csv', 10, 60_000);
  const fives = barFile('XRP_ETH-5m.csv', 2, 300_000);

  it('refuses two files that trade as the same instrument, naming both, the instrument and --symbol', async () => {
    const refused = loadSeries({ data: [minutes, fives], cache: false });
    await expect(refused).rejects.toThrow(FixRequestError);
    await expect(refused).rejects.toThrow(
      `--data ${minutes} and --data ${fives} both trade as FILE:XRP/ETH (an instrument takes one series): give each file its own --symbol, one per --data file in order (e.g. XRP/ETH for one and XRP2/ETH for the other)`,
    );
  });

  it('refuses the same file twice, and a --symbol that names an instrument twice', async () => {
    await expect(loadSeries({ data: [minutes, minutes], cache: false })).rejects.toThrow(`--data ${minutes} and --data ${minutes} both trade as FILE:XRP/ETH`);
    await expect(loadSeries({ data: [minutes, fives], symbol: ['XRP/ETH', 'XRP/ETH'], cache: false })).rejects.toThrow('both trade as FILE:XRP/ETH');
  });

  it('loads the two files as two instruments when --symbol tells them apart', async () => {
    const series = await loadSeries({ data: [minutes, fives], symbol: ['XRP/ETH', 'XRP5/ETH'], cache: false });
    expect(series.map((s) => [s.instrumentId, s.length])).toEqual([
      ['FILE:XRP/ETH', 10],
      ['FILE:XRP5/ETH', 2],
    ]);
  });
});

describe('backtest --tick coarser than the prices', () => {
  const halves = join(work, 'halves.csv');
  writeFileSync(halves, ['timestamp,open,high,low,close,volume', ...Array.from({ length: 6 }, (_, i) => `${1_700_000_000_000 + i * 60_000},107.5,108,107,107.5,1`)].join('\n'));
  const run = (tick?: string): Promise<BacktestResult> => {
    const options: BacktestOptions = { data: [halves], strategy: 'buy-and-hold', fill: 'next-open', cash: '1000', lot: '0.00000001', cache: false, quiet: true, ...(tick === undefined ? {} : { tick }) };
    return backtestCommand(options);
  };

  it('warns in the result, naming the tick and a price, and still runs on the tick', async () => {
    const result = await run('1');
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatch(/^FILE:HALVES\/USD: the prices are finer than --tick 1 \(6 of 6 bars have a price between ticks, e\.g\. the open 107\.5 at .*, which the simulated venue takes as 108\)/);
    expect(result.fills.map((f) => f.price)).toEqual([108]);
  });

  it('has no warning with the data\'s own tick', async () => {
    expect((await run()).warnings).toEqual([]);
    expect((await run('0.5')).warnings).toEqual([]);
  });
});
