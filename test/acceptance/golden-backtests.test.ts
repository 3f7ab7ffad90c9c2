import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { backtestCommand, type BacktestOptions } from '../../src/interfaces/cli/commands/backtest.js';

const here = dirname(fileURLToPath(import.meta.url));
const DATA = resolve(here, '../../../shared/data/candles');
const present = existsSync(DATA);
const required = process.env.REQUIRE_SHARED_DATA === '1';
const work = mkdtempSync(join(tmpdir(), 'conclave-golden-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function options(file: string, extra: Partial<BacktestOptions>): BacktestOptions {
  return {
    data: [join(DATA, file)],
    strategy: 'sma-cross',
    param: { fast: '10', slow: '30' },
    qty: 10,
    fee: 0.001,
    fill: 'next-open',
    cash: '100000',
    lot: '0.00000001',
    cache: false,
    quiet: true,
    ...extra,
  };
}

describe('shared data for golden backtests', () => {
  it('is present, or not required (REQUIRE_SHARED_DATA=1 makes it required)', () => {
    expect(present || !required, `${DATA} is required but missing`).toBe(true);
  });
});

describe.skipIf(!present)(`golden backtests on ${DATA} (skipped when the shared data is absent)`, () => {
  it('sma-cross 10/30 on ETH/BTC 5m, exactly as the issue writes the command', async () => {
    const json = join(work, 'eth.json');
    const result = await backtestCommand(options('ETH_BTC-5m.csv', { json }));
    const written = JSON.parse(readFileSync(json, 'utf8')) as typeof result;
    expect(written.fingerprint).toBe(result.fingerprint);
    expect(result.bars).toBe(5760);
    expect(result.fills).toHaveLength(276);
    expect(result.trades).toHaveLength(138);
    // An independent reading of the rules: SMAs by fsum-free sums, crosses with equality carrying the side forward,
    // long-only, orders filling at the next bar's open (the venue sees a bar before the strategy does, so an order is
    // never pending when the strategy looks again). Prices are on the inferred tick (12 decimals).
    const rows = readFileSync(join(DATA, 'ETH_BTC-5m.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
    const expected: { ts: number; side: string; price: number }[] = [];
    let side = 0;
    let long = false;
    for (let i = 29; i < rows.length - 1; i++) {
      const mean = (n: number) => rows.slice(i - n + 1, i + 1).reduce((a, r) => a + (r[4] as number), 0) / n;
      const diff = mean(10) - mean(30);
      const now = diff > 0 ? 1 : diff < 0 ? -1 : side;
      const crossedUp = side === -1 && now === 1;
      const crossedDown = side === 1 && now === -1;
      side = now;
      const next = rows[i + 1] as number[];
      if (crossedUp && !long) {
        expected.push({ ts: next[0] as number, side: 'buy', price: Number((next[1] as number).toFixed(12)) });
        long = true;
      } else if (crossedDown && long) {
        expected.push({ ts: next[0] as number, side: 'sell', price: Number((next[1] as number).toFixed(12)) });
        long = false;
      }
    }
    expect(result.fills.map((f) => ({ ts: f.ts, side: f.side, price: f.price }))).toEqual(expected);
    expect(result.fingerprint).toBe('a40d918d390ac1746176a1e47dbe0dec88ea7e24dd072f42d15b42c3dbeebd90');
    expect(result.finalEquity).toBeCloseTo(99999.73, 2);
    expect(result.metrics.winRate).toBeCloseTo(0.3188, 4);
  });

  it('ema-cross reversal on the XRP/USDT perpetual (5m) at 2x: longs and shorts', async () => {
    const result = await backtestCommand(
      options('XRP_USDT_USDT-5m-futures.csv', { strategy: 'ema-cross', param: { fast: '12', slow: '26', mode: 'reversal' }, qty: 1000, leverage: 2, cash: '10000' }),
    );
    expect(result.instruments).toEqual(['FILE:XRP/USDT:USDT']);
    expect(result.trades.some((t) => t.direction === 'short')).toBe(true);
    expect(result.trades.some((t) => t.direction === 'long')).toBe(true);
    expect({ bars: result.bars, fills: result.fills.length, trades: result.trades.length }).toEqual(GOLDEN.perp.counts);
    expect(result.fingerprint).toBe(GOLDEN.perp.fingerprint);
    expect(result.finalEquity).toBeCloseTo(GOLDEN.perp.finalEquity, 6);
  });

  it('pairs-zscore on ETH/BTC and LTC/BTC (5m): both legs traded together', async () => {
    const result = await backtestCommand({
      ...options('ETH_BTC-5m.csv', { strategy: 'pairs-zscore', param: {}, qty: 1 }),
      data: [join(DATA, 'ETH_BTC-5m.csv'), join(DATA, 'LTC_BTC-5m.csv')],
    });
    expect(result.instruments).toEqual(['FILE:ETH/BTC', 'FILE:LTC/BTC']);
    expect({ bars: result.bars, fills: result.fills.length, trades: result.trades.length }).toEqual(GOLDEN.pairs.counts);
    expect(result.fingerprint).toBe(GOLDEN.pairs.fingerprint);
    expect(result.equityCurve.points).toBe(5760);
  });

  it('two instruments of 50 on the same ETH/BTC prices have the risk figures of one of 100', async () => {
    for (const name of ['A_BTC-5m.csv', 'B_BTC-5m.csv']) copyFileSync(join(DATA, 'ETH_BTC-5m.csv'), join(work, name));
    const hold = { strategy: 'random-agent', param: { switchProbability: '0', initial: 'long' }, cash: '20', fee: 0 };
    const two = await backtestCommand({ ...options('ETH_BTC-5m.csv', { ...hold, qty: 50 }), data: [join(work, 'A_BTC-5m.csv'), join(work, 'B_BTC-5m.csv')] });
    const one = await backtestCommand(options('ETH_BTC-5m.csv', { ...hold, qty: 100 }));
    expect(two.finalEquity).toBeCloseTo(one.finalEquity, 10);
    for (const key of ['volatility', 'sharpe', 'sortino', 'deflatedSharpe'] as const) expect(two.metrics[key]).toBeCloseTo(one.metrics[key], 10);
    expect(two.metrics.sharpeConfidence).toEqual(one.metrics.sharpeConfidence);
    expect(one.metrics.volatility).toBeCloseTo(0.5709, 4);
  });
});

const GOLDEN = {
  perp: { counts: { bars: 1999, fills: 66, trades: 66 }, fingerprint: 'fe3b9c5e97651588b99ee61672e48df79961aa21d09415630571b5fb02c89f3d', finalEquity: 9847.4397 },
  pairs: { counts: { bars: 11520, fills: 166, trades: 83 }, fingerprint: '0682637e58bd6acefe5bb97ce3fcc7e2b249d60d70dbe675d7be3ea49cd3e40b' },
};
