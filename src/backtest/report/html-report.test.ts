import { tradesTable } from './html-tables.js';
import { describe, expect, it } from 'vitest';
import { instrumentId } from '../../core/ids.js';
import { BarSeriesBuilder } from '../../data/bar-series.js';
import type { BarSeries } from '../../data/bar-series.js';
import { computeMetrics, maxDrawdown } from '../metrics.js';
import type { BacktestFill, BacktestResult, BacktestTrade } from '../result.js';
import { renderHtmlReport, underwater } from './html-report.js';

const DAY = 86_400_000;
const INSTRUMENT = 'TEST:BTC/USDT';
const at = (year: number, month: number, day: number): number => Date.UTC(year, month - 1, day);

/** Daily bars from 2024-01-15 to 2024-04-02 and an equity curve with known month ends. */
function fixture(tradeCount = 3): { result: BacktestResult; bars: BarSeries } {
  const start = at(2024, 1, 15);
  const end = at(2024, 4, 2);
  const builder = new BarSeriesBuilder();
  const ts: number[] = [];
  const equity: number[] = [];
  // Month-end equity 110 (Jan), 99 (Feb), 118.8 (Mar), 112.86 (Apr 2): +10%, -10%, +20%, -5%.
  const monthEnd = new Map([
    [at(2024, 1, 31), 110],
    [at(2024, 2, 29), 99],
    [at(2024, 3, 31), 118.8],
    [at(2024, 4, 2), 112.86],
  ]);
  let value = 100;
  for (let t = start, i = 0; t <= end; t += DAY, i++) {
    const close = 40_000 + 500 * Math.sin(i / 5);
    builder.push(t, close, close + 100, close - 100, close, 1);
    value = monthEnd.get(t) ?? (i === 0 ? 100 : value + (i % 2 === 0 ? 0.5 : -0.5));
    ts.push(t);
    equity.push(value);
  }
  const bars = builder.build(instrumentId(INSTRUMENT), DAY);
  const trades: BacktestTrade[] = Array.from({ length: tradeCount }, (_, k) => ({
    instrument: INSTRUMENT,
    direction: k % 2 === 0 ? 'long' : 'short',
    entryTs: start + k * DAY,
    exitTs: start + (k + 1) * DAY,
    qty: 0.01,
    entryPrice: 40_000 + k,
    exitPrice: 40_100 + k,
    pnl: k % 2 === 0 ? 1.25 + k : -(0.75 + k),
    fees: 0.04,
    returnPct: 0.0025,
    bars: 1,
  }));
  const fills: BacktestFill[] = trades.flatMap((trade) => [
    { ts: trade.entryTs, instrument: INSTRUMENT, side: 'buy', qty: 0.01, price: trade.entryPrice, fee: 0.02 },
    { ts: trade.exitTs, instrument: INSTRUMENT, side: 'sell', qty: 0.01, price: trade.exitPrice, fee: 0.02 },
  ]);
  const metrics = computeMetrics({
    equity: Float64Array.from(equity),
    ts: Float64Array.from(ts),
    barsPerYear: 365,
    trades,
    feesPaid: 0.04 * tradeCount,
    fundingPaid: 0,
    exposureBars: tradeCount,
    tradedNotional: 800 * tradeCount,
    benchmark: { firstClose: bars.close[0]!, lastClose: bars.close[bars.length - 1]! },
    trials: 3,
    bootstrap: { samples: 200, seed: 1 },
  });
  const result: BacktestResult = {
    schema: 'conclave.backtest/1',
    strategy: 'sma-cross <b>bold</b>',
    params: { fast: 10, slow: 30, label: '<script>alert("x")</script>' },
    instruments: [INSTRUMENT],
    timeframeMs: DAY,
    startTs: start,
    endTs: end,
    bars: ts.length,
    barsByInstrument: [{ instrument: INSTRUMENT, timeframeMs: DAY, bars: ts.length }],
    initialCash: 100,
    finalCash: 112.86,
    finalEquity: 112.86,
    fills,
    trades,
    metrics,
    fingerprint: 'f'.repeat(64),
    timing: { loadMs: 12, engineMs: 34 },
    denials: { total: 0, reasons: [] },
    rejections: { total: 0, reasons: [] },
    warnings: [],
    equityCurve: { ts, equity, points: ts.length },
  };
  return { result, bars };
}

describe('renderHtmlReport', () => {
  const { result, bars } = fixture();
  const html = renderHtmlReport(result, [bars]);

  it('is one self-contained page: no network references, inline SVG charts', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(/i);
    expect(html.match(/<svg /g)).toHaveLength(3); // equity, drawdown, price
    expect(html).toContain('class="drawdown area"');
    expect(html).not.toContain('NaN');
  });

  it('escapes the strategy name and parameter values', () => {
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>bold</b>');
    expect(html).toContain('label=&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('sma-cross &lt;b&gt;bold&lt;/b&gt;');
  });

  it('shows the header: params, instruments, period and fingerprint', () => {
    expect(html).toContain('fast=10');
    expect(html).toContain('slow=30');
    expect(html).toContain('2024-01-15 00:00 → 2024-04-02 00:00 UTC');
    expect(html).toContain(`<code>${'f'.repeat(64)}</code>`);
    expect(html).toContain(INSTRUMENT);
  });

  it('counts the bars of two instruments of one timeframe once, times the instruments', () => {
    const pair = renderHtmlReport({ ...result, bars: 2 * result.bars, barsByInstrument: ['A', 'B'].map((instrument) => ({ instrument, timeframeMs: DAY, bars: result.bars })) }, [bars]);
    expect(pair).toContain(`<dt>Bars</dt><dd>${result.bars} × 1d × 2 instruments</dd>`);
    expect(html).toContain(`<dt>Bars</dt><dd>${result.bars} × 1d</dd>`);
  });

  it('says what the run warned of under the header, and nothing when it warned of nothing', () => {
    const warned = renderHtmlReport({ ...result, warnings: ['FILE:ABC/USD: the prices are finer than --tick 1 (<e.g.> 107.5)'] }, [bars]);
    expect(warned).toContain('<p class="note">Warning: FILE:ABC/USD: the prices are finer than --tick 1 (&lt;e.g.&gt; 107.5)</p>');
    expect(html).not.toContain('Warning:');
  });

  it('says what was denied or rejected, as the terminal summary does, and nothing when nothing was', () => {
    const refused = renderHtmlReport(
      {
        ...result,
        denials: { total: 3, reasons: [{ code: 'insufficient_funds', count: 2, example: 'needs 10 USDT' }, { code: 'max_open_orders', count: 1, example: 'x' }] },
        rejections: { total: 1, reasons: [{ code: 'post-only would take', count: 1, example: 'post-only would take <at 10>' }] },
      },
      [bars],
    );
    expect(refused).toContain('<p class="note">Denied 3 orders: insufficient_funds 2 (e.g. needs 10 USDT); max_open_orders 1</p>');
    expect(refused).toContain('<p class="note">Rejected 1 order: post-only would take 1 (e.g. post-only would take &lt;at 10&gt;)</p>');
    expect(html).not.toContain('Denied');
    expect(html).not.toContain('Rejected');
  });

  it('lists the metric values', () => {
    const m = result.metrics;
    expect(html).toContain(`data-metric="sharpe">${m.sharpe.toFixed(2)}<`);
    expect(html).toContain(`data-metric="totalReturn">+${(m.totalReturn * 100).toFixed(2)}%<`);
    expect(html).toContain(`data-metric="maxDrawdown">-${(m.maxDrawdown * 100).toFixed(2)}%<`);
    expect(html).toContain(`data-metric="trials">3<`);
    expect(html).toContain(`data-metric="winRate">66.7%<`); // 2 of 3 trades win
    expect(html).toContain(`data-metric="deflatedSharpe">${m.deflatedSharpe.toFixed(3)}<`);
  });

  it('marks a trade still open at the end in the trades table', () => {
    const trade = { instrument: 'T:X/USDT', direction: 'long' as const, entryTs: 0, exitTs: 60_000, qty: 1, entryPrice: 100, exitPrice: 101, pnl: 1, fees: 0, returnPct: 0.01, bars: 1 };
    const table = tradesTable([trade, { ...trade, open: true }], 10);
    expect(table.match(/open at the end/g)).toHaveLength(1);
  });

  it('lists every trade and marks the fills on the price chart', () => {
    expect(html).toContain('<h2>Trades (3)</h2>');
    const table = html.slice(html.indexOf('<table class="trades">'));
    expect(table.match(/<tr><td>\d+<\/td>/g)).toHaveLength(3);
    expect(table).toContain('<td class="positive">3.25</td>'); // third trade: 1.25 + 2
    expect(html.match(/class="marker buy"/g)?.length).toBe(3);
    expect(html.match(/class="marker sell"/g)?.length).toBe(3);
  });

  it('tabulates monthly returns from the equity curve', () => {
    expect(html).toMatch(/data-month="2024-01"[^>]*>\+10\.00%</);
    expect(html).toMatch(/data-month="2024-02"[^>]*>-10\.00%</);
    expect(html).toMatch(/data-month="2024-03"[^>]*>\+20\.00%</);
    expect(html).toMatch(/data-month="2024-04"[^>]*>-5\.00%</);
    expect(html).toMatch(/data-year="2024"[^>]*>\+12\.86%</);
    expect(html).toContain('data-month="2024-05"></td>');
  });

  it('is deterministic: the same run gives the same bytes however long it took to load and run', () => {
    expect(renderHtmlReport(result, [bars])).toBe(html);
    expect(renderHtmlReport({ ...result, timing: { loadMs: 950, engineMs: 4_100 } }, [bars])).toBe(html);
  });

  it('caps the trades table at the first and last rows with a note', () => {
    const many = fixture(10);
    const capped = renderHtmlReport(many.result, [many.bars], { maxTradeRows: 4 });
    const table = capped.slice(capped.indexOf('<table class="trades">'));
    const numbers = [...table.matchAll(/<tr><td>(\d+)<\/td>/g)].map((match) => Number(match[1]));
    expect(numbers).toEqual([1, 2, 9, 10]);
    expect(capped).toContain('… 6 trades not shown …');
    expect(capped).toContain('<h2>Trades (10)</h2>');
  });

  it('shows an infinite profit factor as ∞', () => {
    const { result: base, bars: series } = fixture(1);
    const page = renderHtmlReport(base, [series]);
    expect(base.metrics.profitFactor).toBe(Number.POSITIVE_INFINITY);
    expect(page).toContain('data-metric="profitFactor">∞<');
  });

  it('renders an empty run without failing', () => {
    const empty = { ...result, bars: 0, fills: [], trades: [], equityCurve: { ts: [], equity: [], points: 0 } };
    const page = renderHtmlReport(empty, []);
    expect(page).toContain('No trades.');
    expect(page).toContain('No equity data.');
    expect(page).toContain('>no data</text>');
    expect(page).not.toContain('NaN');
  });

  it('calls the curve sampled only when it holds fewer points than the run had, whatever the bars of several instruments', () => {
    // Two instruments' bars closing together make one point each time: a curve of every point is not sampled.
    const twoInstruments = { ...result, bars: 2 * result.equityCurve.points };
    expect(renderHtmlReport(twoInstruments, [bars])).not.toContain('sampled');
    const sampled = renderHtmlReport({ ...result, equityCurve: { ...result.equityCurve, points: 12_000 } }, [bars]);
    expect(sampled).toContain(`come from ${result.equityCurve.ts.length} sampled points of 12,000; the metrics use every point.`);
  });

  it('stays small for a long run by downsampling the charts', () => {
    const n = 300_000;
    const builder = new BarSeriesBuilder(n);
    const ts = new Float64Array(n);
    const equity = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const close = i === 150_000 ? 200 : i === 1000 ? 50 : 100; // one-bar spike and dip in a flat series
      ts[i] = at(2024, 1, 1) + i * 60_000;
      equity[i] = 1000 + Math.cos(i / 3000);
      builder.push(ts[i]!, close, close, close, close, 1);
    }
    const page = renderHtmlReport({ ...result, bars: n, fills: [] }, [builder.build(instrumentId(INSTRUMENT), 60_000)], {
      equity: { ts, equity },
      chartWidth: 800,
    });
    expect(page.length).toBeLessThan(250_000);
    const pricePath = page.match(/<path class="price line" d="([^"]+)"/)?.[1] ?? '';
    expect(pricePath.split(/[ML]/).length - 1).toBeLessThanOrEqual(2 * 800);
    const priceChart = page.slice(page.indexOf('close price with fills'));
    expect(priceChart).toContain('>200<'); // both one-bar extremes survive and stretch the axis
    expect(priceChart).toContain('>50<');
  });
});

describe('the drawdown chart', () => {
  it('measures from the starting equity, as the max-drawdown metric does: a run down at its first point starts under water', () => {
    const drawn = [...underwater([91, 95, 100, 90], 100)];
    expect(drawn.map((v) => Number(v.toFixed(4)))).toEqual([-0.09, -0.05, 0, -0.1]);
    const deepest = Math.min(...drawn);
    expect(-deepest).toBeCloseTo(maxDrawdown([91, 95, 100, 90], [0, 1, 2, 3], 100).maxDrawdown, 12);
  });
});

