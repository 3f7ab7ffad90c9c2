import { describe, expect, it } from 'vitest';
import { instrumentId, type InstrumentId } from '../core/ids.js';
import { BarSeriesBuilder } from '../data/bar-series.js';
import { defineInstrument } from '../domain/instrument.js';
import type { Strategy, StrategyContext } from '../strategies/strategy.js';
import { buildResult } from './build-result.js';
import { fingerprintOf } from './backtest-run.js';
import { runBacktest } from './runner.js';
import { callsAt, ID, scripted, series, SPOT, USDT } from '../../test/support/runner-scripts.js';


describe('backtest runner', () => {
  it('fills a signal on bar t at the open of bar t+1 and books fees exactly', () => {
    const run = runBacktest({
      series: [series([100, 101, 102, 103, 104, 105])],
      instruments: [SPOT],
      strategy: scripted([1], [3]),
      cash: { USDT: '10000' },
      valuationCurrency: USDT,
      sizing: { kind: 'fixed-quantity', quantity: 2 },
    });
    expect(run.fills.toArray()).toEqual([
      { ts: 120_000, instrument: ID, side: 'buy', qty: 2, price: 101.5, fee: 0.203 },
      { ts: 240_000, instrument: ID, side: 'sell', qty: 2, price: 103.5, fee: 0.207 },
    ]);
    expect(run.trades).toHaveLength(1);
    expect(run.trades[0]).toMatchObject({ direction: 'long', qty: 2, entryPrice: 101.5, exitPrice: 103.5, bars: 2 });
    expect(run.trades[0]?.open).toBeUndefined();
    expect(run.trades[0]?.pnl).toBeCloseTo(4 - 0.41, 12);
    expect(run.finalEquity).toBe(10003.59);
    expect(run.finalCash).toBe(10003.59);
    expect(run.bars).toBe(6);
    expect(run.exposureBars).toBe(2);
    expect(run.fingerprint).toBe(fingerprintOf(run.fills));
    expect(Array.from(run.equity)).toEqual([10000, 10000, 10000 + 2 * (102 - 101.5) - 0.203, 10000 + 2 * (103 - 101.5) - 0.203, 10003.59, 10003.59]);
  });

  it('counts a position still held at the end as a trade flagged open, valued at the last close', () => {
    const run = runBacktest({
      series: [series([100, 101, 102, 103, 104, 105])],
      instruments: [SPOT],
      strategy: scripted([1], []),
      cash: { USDT: '10000' },
      valuationCurrency: USDT,
      sizing: { kind: 'fixed-quantity', quantity: 2 },
    });
    expect(run.fills.toArray()).toHaveLength(1);
    expect(run.trades).toHaveLength(1);
    expect(run.trades[0]).toMatchObject({ direction: 'long', qty: 2, entryPrice: 101.5, exitPrice: 105, open: true });
    expect(run.trades[0]?.pnl).toBeCloseTo(2 * (105 - 101.5) - 0.203, 12);
  });

  it('ignores signals during warm-up and never fills on the last bar', () => {
    const run = runBacktest({
      series: [series([100, 101, 102, 103])],
      instruments: [SPOT],
      strategy: scripted([0, 3], [], 2),
      cash: { USDT: '10000' },
      valuationCurrency: USDT,
      sizing: { kind: 'fixed-quantity', quantity: 1 },
    });
    expect(run.fills.toArray()).toEqual([]);
    expect(run.core.oms.openCount()).toBe(1);
  });

  it('is deterministic: the same inputs give the same fingerprint', () => {
    const config = {
      series: [series([100, 99, 101, 103, 102, 104, 101, 100])],
      instruments: [SPOT],
      strategy: scripted([0, 4], [2, 6]),
      cash: { USDT: '10000' },
      valuationCurrency: USDT,
      sizing: { kind: 'percent-equity', fraction: 0.5 } as const,
    };
    const a = runBacktest(config);
    const b = runBacktest(config);
    expect(a.fills.length).toBe(4);
    expect(a.fingerprint).toBe(b.fingerprint);
  });

  it('turns a throwing strategy into recorded errors, not a crash', () => {
    const run = runBacktest({
      series: [series([100, 101, 102])],
      instruments: [SPOT],
      strategy: { name: 'broken', instruments: [ID], warmup: 0, onBar: () => { throw new Error('boom'); } },
      cash: { USDT: '1000' },
      valuationCurrency: USDT,
      sizing: { kind: 'fixed-notional', notional: 100 },
    });
    expect(run.strategyErrors.map((e) => e.message)).toEqual(['boom', 'boom', 'boom']);
    const journaled = run.core.store.read(0).filter((e) => e.type === 'StrategyErrored');
    expect(journaled).toHaveLength(3);
    expect(journaled[0]).toMatchObject({ agentId: 'broken', instrumentId: ID, message: 'boom', tsEvent: 0 });
    expect(run.bars).toBe(3);
  });

  it('refuses a bad sizing', () => {
    expect(() =>
      runBacktest({
        series: [series([100])],
        instruments: [SPOT],
        strategy: scripted([], []),
        cash: { USDT: '1000' },
        valuationCurrency: USDT,
        sizing: { kind: 'fixed-quantity', quantity: -1 },
      }),
    ).toThrow('sizing fixed-quantity: quantity must be positive, got -1');
  });
});

describe('backtest runner: several instruments and timeframes', () => {
  it('processes bars in order of their close time, so a 1h bar comes after the 1m bars inside it', () => {
    const hourly = instrumentId('TEST:ETH/USDT');
    const ETH = defineInstrument({ id: hourly, tickSize: '0.01', lotSize: '0.0001' });
    const minutes = new BarSeriesBuilder();
    for (let i = 0; i < 120; i++) minutes.push(i * 60_000, 100, 101, 99, 100, 1);
    const hours = new BarSeriesBuilder();
    for (let i = 0; i < 2; i++) hours.push(i * 3_600_000, 50, 51, 49, 50, 1);
    const seen: string[] = [];
    runBacktest({
      series: [hours.build(hourly, 3_600_000), minutes.build(ID, 60_000)],
      instruments: [ETH, SPOT],
      strategy: {
        name: 'watcher',
        instruments: [hourly, ID],
        warmup: 0,
        onBar(bar) {
          if (bar.instrumentId === hourly || bar.index % 30 === 29) seen.push(`${bar.instrumentId === hourly ? 'h' : 'm'}${bar.index}`);
        },
      },
      cash: { USDT: '1000' },
      valuationCurrency: USDT,
      sizing: { kind: 'fixed-quantity', quantity: 1 },
    });
    // The first hourly bar closes at 60 min, with the 1m bar opening at 59 min: the 1m bar (listed second) ties
    // on close time and comes after it only because lanes tie in the order given; every earlier 1m bar is first.
    expect(seen).toEqual(['m29', 'h0', 'm59', 'm89', 'h1', 'm119']);
  });
});

describe('backtest runner: perpetual funding', () => {
  it('passes funding rates to the strategy and books the funding the venue settles', async () => {
    const { createStrategy } = await import('../strategies/registry.js');
    const perpId = instrumentId('TEST:BTC/USDT:USDT');
    const PERP = defineInstrument({ id: perpId, tickSize: '0.01', lotSize: '0.001', takerFee: '0.0005', maxLeverage: '10' });
    const b = new BarSeriesBuilder();
    for (let i = 0; i < 48; i++) b.push(i * 3_600_000, 100, 100.5, 99.5, 100, 1000);
    const funding = [8, 16, 24, 32, 40].map((h, k) => ({
      type: 'funding-rate' as const,
      instrumentId: perpId,
      ts: (h * 3_600_000) as never,
      rate: k < 3 ? 0.0005 : -0.0005,
    }));
    const run = runBacktest({
      series: [b.build(perpId, 3_600_000)],
      instruments: [PERP],
      strategy: createStrategy('funding-carry', { threshold: 0.0001 }, [perpId]),
      cash: { USDT: '10000' },
      valuationCurrency: USDT,
      sizing: { kind: 'fixed-quantity', quantity: 2 },
      funding,
    });
    // Short after the first positive rate (08:00), flipped long after the first negative one (32:00).
    expect(run.fills.map((f) => [f.side, f.qty])).toEqual([
      ['sell', 2],
      ['buy', 4],
    ]);
    expect(run.fills.map((f) => f.ts)).toEqual([9 * 3_600_000, 33 * 3_600_000]);
    // 2 x 100 x 0.05% = 0.1 a settlement: the short receives at 16:00 and 24:00 and pays at 32:00 (the rate turned
    // negative before it flipped); the long receives at 40:00.
    expect(run.fundingPaid).toBeCloseTo(-0.1 - 0.1 + 0.1 - 0.1, 10);
  });
});

describe('backtest runner: funding inside a bar', () => {
  const perpId = instrumentId('TEST:SOL/USDT:USDT');
  const PERP = defineInstrument({ id: perpId, tickSize: '0.01', lotSize: '0.001', takerFee: '0', makerFee: '0', maxLeverage: '10' });
  const DAY = 86_400_000;
  const HOUR = 3_600_000;
  const days = (n: number) => {
    const b = new BarSeriesBuilder();
    for (let i = 0; i < n; i++) b.push(i * DAY, 100 + i, 101 + i, 99 + i, 100 + i, 1000);
    return b.build(perpId, DAY);
  };
  const eightHourly = (n: number, rate: number) =>
    Array.from({ length: n }, (_, k) => ({ type: 'funding-rate' as const, instrumentId: perpId, ts: (k * 8 * HOUR) as never, rate }));

  it('charges a position opened at the open the funding settled later inside that bar', () => {
    const run = runBacktest({
      series: [days(3)],
      instruments: [PERP],
      strategy: callsAt(perpId, { 0: 'long' }),
      cash: { USDT: '10000' },
      valuationCurrency: USDT,
      sizing: { kind: 'fixed-quantity', quantity: 2 },
      funding: eightHourly(9, 0.001),
    });
    // Bought 2 at day 1's open (101). Funding at day 1 00:00 comes before that fill; the five after it find the
    // long. Without mark data each settles at the venue's last price: the close of the bar it falls in once the
    // venue has seen that bar (101 on day 1, 102 on day 2), the close before it at a bar's open (101 at day 2 00:00).
    expect(run.fills.toArray()).toEqual([{ ts: DAY, instrument: perpId, side: 'buy', qty: 2, price: 101, fee: 0 }]);
    expect(run.fundingPaid).toBeCloseTo(2 * 0.001 * (101 + 101 + 101 + 102 + 102), 10);
  });

  it('fills an order placed on funding inside a bar at the next open, not at an open before the funding', () => {
    const onFunding = (id: InstrumentId, ts: number, _rate: number, ctx: StrategyContext) => {
      if (ts === 8 * HOUR) ctx.emit({ instrumentId: id, direction: 'short', conviction: 1, reason: 'funding' });
    };
    const run = runBacktest({
      series: [days(3)],
      instruments: [PERP],
      strategy: { name: 'on-funding', instruments: [perpId], warmup: 0, onBar: () => undefined, onFunding },
      cash: { USDT: '10000' },
      valuationCurrency: USDT,
      sizing: { kind: 'fixed-quantity', quantity: 1 },
      funding: eightHourly(6, 0.001),
    });
    expect(run.fills.toArray()).toEqual([{ ts: DAY, instrument: perpId, side: 'sell', qty: 1, price: 101, fee: 0 }]);
  });
});

describe('backtest runner: equity of a perpetual short', () => {
  it('marks a short at its entry value less its value now, bar by bar, and ends at the books equity', () => {
    const perpId = instrumentId('TEST:ETH/USDT:USDT');
    const PERP = defineInstrument({ id: perpId, tickSize: '0.01', lotSize: '0.001', takerFee: '0', makerFee: '0', maxLeverage: '10' });
    const b = new BarSeriesBuilder();
    const closes = [100, 100, 104, 110, 95];
    closes.forEach((c, i) => b.push(i * 60_000, i === 2 ? 102 : c, c + 1, Math.min(c, 102) - 1, c, 100));
    const run = runBacktest({
      series: [b.build(perpId, 60_000)],
      instruments: [PERP],
      strategy: callsAt(perpId, { 1: 'short' }),
      cash: { USDT: '10000' },
      valuationCurrency: USDT,
      sizing: { kind: 'fixed-quantity', quantity: 2 },
    });
    // Sold 2 at bar 2's open (102): the short gains as the price falls below 102 and loses above it.
    expect(run.fills.toArray()).toEqual([{ ts: 120_000, instrument: perpId, side: 'sell', qty: 2, price: 102, fee: 0 }]);
    expect(Array.from(run.equity)).toEqual([10000, 10000, 10000 - 2 * (104 - 102), 10000 - 2 * (110 - 102), 10000 + 2 * (102 - 95)]);
    expect(run.finalEquity).toBe(10014);
  });
});

describe('backtest runner: refusals and early ends', () => {
  it('counts denials by reason, with the first detail, when the cash cannot pay for the order', () => {
    const run = runBacktest({
      series: [series([100, 101, 102, 103])],
      instruments: [SPOT],
      strategy: scripted([1], []),
      cash: { USDT: '50' },
      valuationCurrency: USDT,
      sizing: { kind: 'fixed-quantity', quantity: 2 },
    });
    expect(run.fills.length).toBe(0);
    expect(run.denials).toBe(1);
    expect(run.denialReasons).toEqual([{ code: 'insufficient_funds', count: 1, example: 'The order needs 202.202 USDT but only 50 is available.' }]);
    const result = buildResult(run, { strategy: 'scripted', params: {}, series: [series([100, 101, 102, 103])], timing: { loadMs: 0, engineMs: 0 } });
    expect(result.denials).toEqual({ total: 1, reasons: run.denialReasons });
    expect(result.warnings).toEqual([]);
  });

  it('warns, with their count and the first problem, of venue reports the books could not apply', () => {
    const run = runBacktest({
      series: [series([100, 101, 102, 103])],
      instruments: [SPOT],
      strategy: scripted([1], []),
      cash: { USDT: '1000' },
      valuationCurrency: USDT,
      sizing: { kind: 'fixed-quantity', quantity: 1 },
    });
    for (const id of ['ghost-1', 'ghost-2']) run.core.applyVenueReport({ type: 'OrderCanceled', clientOrderId: id as never, reason: 'canceled on request', tsEvent: 0 as never });
    const result = buildResult(run, { strategy: 'scripted', params: {}, series: [series([100, 101, 102, 103])], timing: { loadMs: 0, engineMs: 0 } });
    expect(result.warnings).toEqual(['2 reports the books could not apply, so the books may differ from the venue from then on; the first: OrderCanceled for unknown order ghost-1']);
  });

  it('holds a signal until the volatility target has its lookback, and names a signal the sizing gives nothing', () => {
    const closes = [100, 101, 103, 102, 104, 106, 105, 107, 108];
    const vol = runBacktest({
      series: [series(closes)],
      instruments: [SPOT],
      strategy: scripted([1, 5], []),
      cash: { USDT: '100000' },
      valuationCurrency: USDT,
      sizing: { kind: 'volatility-target', annualVol: 0.5, lookback: 4 },
    });
    // The signal on bar 1 comes before four bars of history: it waits (neither sized to nothing nor denied) and is
    // acted on at bar 4, once the lookback is there; the long of bar 5 finds the position already held.
    expect(vol.fills.toArray().map((f) => f.ts)).toEqual([5 * 60_000]);
    expect(vol.denials).toBe(0);
    const hesitant: Strategy = {
      name: 'hesitant',
      instruments: [ID],
      warmup: 0,
      onBar: (bar, ctx) => (bar.index === 1 ? ctx.emit({ instrumentId: ID, direction: 'long', conviction: 0, reason: 'unsure' }) : undefined),
    };
    const none = runBacktest({ series: [series(closes)], instruments: [SPOT], strategy: hesitant, cash: { USDT: '1000' }, valuationCurrency: USDT, sizing: { kind: 'percent-equity', fraction: 0.5 } });
    expect(none.fills.length).toBe(0);
    expect(none.denialReasons).toEqual([{ code: 'no_size', count: 1, example: `the percent-equity sizing gave no quantity for a long signal on ${ID} at 1970-01-01T00:02:00.000Z` }]);
  });

  it('compares with buy and hold over the bars processed, not the whole series', () => {
    const whole = series([100, 110, 120, 200]);
    const run = runBacktest({ series: [series([100, 110, 120])], instruments: [SPOT], strategy: scripted([], []), cash: { USDT: '1000' }, valuationCurrency: USDT, sizing: { kind: 'fixed-quantity', quantity: 1 } });
    const result = buildResult(run, { strategy: 'scripted', params: {}, series: [whole], timing: { loadMs: 0, engineMs: 0 } });
    expect(result.metrics.buyAndHoldReturn).toBeCloseTo(0.2, 12);
  });
});

describe('backtest runner: liquidations', () => {
  it('lists a liquidation among the fills (and in the fingerprint), as a sell of the whole long', async () => {
    const { Fixed } = await import('../core/fixed.js');
    const perpId = instrumentId('TEST:SOL/USDT:USDT');
    const PERP = defineInstrument({ id: perpId, tickSize: '0.01', lotSize: '0.001', takerFee: '0.0005', makerFee: '0.0005', maxLeverage: '10' });
    const b = new BarSeriesBuilder();
    [[100, 101, 99, 100], [100, 101, 99, 100], [100, 100, 80, 82], [82, 83, 81, 82]].forEach(([o, h, l, c], i) => b.push(i * 60_000, o!, h!, l!, c!, 1000));
    const run = runBacktest({
      series: [b.build(perpId, 60_000)],
      instruments: [PERP],
      strategy: callsAt(perpId, { 0: 'long' }),
      cash: { USDT: '1000' },
      valuationCurrency: USDT,
      sizing: { kind: 'fixed-quantity', quantity: 50 },
      leverage: new Map([[perpId, Fixed.fromInt(10)]]),
    });
    const fills = run.fills.toArray();
    expect(fills.map((f) => [f.ts, f.side, f.qty])).toEqual([
      [60_000, 'buy', 50],
      [120_000, 'sell', 50],
    ]);
    expect(run.fingerprint).toBe(fingerprintOf(fills));
    expect(run.trades).toHaveLength(1);
  });
});

