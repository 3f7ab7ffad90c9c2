/**
 * Backtest metrics on a million 1-minute bars: computeMetrics with the default 1000-sample stationary bootstrap of
 * the Sharpe ratio (mean block length 100), then the HTML report of the same run. The Sharpe ratio and the max
 * drawdown are checked against a plain recomputation, and the bootstrap interval against a second run with the
 * same seed, so a broken implementation cannot post a figure.
 */
import { computeMetrics } from '../src/backtest/metrics.js';
import type { MetricsInput } from '../src/backtest/metrics.js';
import { renderHtmlReport } from '../src/backtest/report/html-report.js';
import type { BacktestMetrics, BacktestResult } from '../src/backtest/result.js';
import { instrumentId } from '../src/core/ids.js';
import { SeededRandom } from '../src/core/random.js';
import { BarSeriesBuilder } from '../src/data/bar-series.js';
import { bestOf, report } from './harness.js';

const BARS = 1_000_000;
const MINUTE = 60_000;

function check(label: string, ok: boolean, detail: string): void {
  console.log(`  ${label}: ${detail} ${ok ? 'ok' : 'MISMATCH'}`);
  if (!ok) process.exitCode = 1;
}

// A random-walk price and a strategy equity that takes half its moves plus a small drift.
const random = new SeededRandom(2024);
const builder = new BarSeriesBuilder(BARS);
const ts = new Float64Array(BARS);
const equity = new Float64Array(BARS);
let price = 30_000;
let value = 10_000;
const start = Date.UTC(2023, 0, 1);
for (let i = 0; i < BARS; i++) {
  const move = 0.001 * random.normal();
  const open = price;
  price *= 1 + move;
  ts[i] = start + i * MINUTE;
  builder.push(ts[i] as number, open, Math.max(open, price), Math.min(open, price), price, 1);
  value *= 1 + 0.5 * move + 2e-7;
  equity[i] = value;
}
const bars = builder.build(instrumentId('BENCH:BTC/USDT'), MINUTE);

const input: MetricsInput = {
  equity,
  ts,
  barsPerYear: 525_600,
  trades: [],
  feesPaid: 0,
  fundingPaid: 0,
  exposureBars: BARS,
  tradedNotional: 0,
  benchmark: { firstClose: bars.close[0] as number, lastClose: bars.close[BARS - 1] as number },
  trials: 10,
  bootstrap: { samples: 1000, seed: 7 },
};

let metrics: BacktestMetrics | undefined;
const seconds = bestOf(3, () => {
  metrics = computeMetrics(input);
});
report('metrics.compute_1m_bars', seconds * 1000, 'ms', '1,000,000 bars, 1000 bootstrap samples, best of 3');
if (metrics === undefined) throw new Error('no metrics');

// Plain recomputation of the Sharpe ratio and max drawdown.
let sum = 0;
for (let i = 1; i < BARS; i++) sum += (equity[i] as number) / (equity[i - 1] as number) - 1;
const mean = sum / (BARS - 1);
let squares = 0;
for (let i = 1; i < BARS; i++) squares += ((equity[i] as number) / (equity[i - 1] as number) - 1 - mean) ** 2;
const sharpe = (mean / Math.sqrt(squares / (BARS - 2))) * Math.sqrt(525_600);
let peak = 0;
let worst = 0;
for (let i = 0; i < BARS; i++) {
  peak = Math.max(peak, equity[i] as number);
  worst = Math.max(worst, 1 - (equity[i] as number) / peak);
}
check('sharpe', Math.abs(metrics.sharpe - sharpe) < 1e-9, `${metrics.sharpe.toFixed(6)} (expected ${sharpe.toFixed(6)})`);
check('max drawdown', Math.abs(metrics.maxDrawdown - worst) < 1e-12, `${metrics.maxDrawdown.toFixed(6)} (expected ${worst.toFixed(6)})`);
const again = computeMetrics(input).sharpeConfidence;
if (again === null || metrics.sharpeConfidence === null) throw new Error('the bootstrap interval was not drawn');
const { low, high } = metrics.sharpeConfidence;
check(
  'bootstrap interval',
  again.low === low && again.high === high && low < metrics.sharpe && metrics.sharpe < high,
  `[${low.toFixed(4)}, ${high.toFixed(4)}] around ${metrics.sharpe.toFixed(4)}, same for the same seed`,
);

const result: BacktestResult = {
  schema: 'conclave.backtest/1',
  strategy: 'bench',
  params: {},
  instruments: [bars.instrumentId],
  timeframeMs: MINUTE,
  startTs: ts[0] as number,
  endTs: ts[BARS - 1] as number,
  bars: BARS,
  barsByInstrument: [{ instrument: bars.instrumentId, timeframeMs: MINUTE, bars: BARS }],
  initialCash: 10_000,
  finalCash: value,
  finalEquity: value,
  fills: [],
  trades: [],
  metrics,
  fingerprint: '0'.repeat(64),
  timing: { loadMs: 0, engineMs: 0 },
  denials: { total: 0, reasons: [] },
  rejections: { total: 0, reasons: [] },
  warnings: [],
  equityCurve: { ts: [], equity: [], points: 0 },
};
let html = '';
const renderSeconds = bestOf(3, () => {
  html = renderHtmlReport(result, [bars], { equity: { ts, equity } });
});
report('report.html_1m_bars', renderSeconds * 1000, 'ms', `full-resolution equity and price, ${(html.length / 1024).toFixed(0)} KiB`);
check('html size', html.length < 1_000_000 && !/https?:\/\//.test(html), `${html.length.toLocaleString('en-US')} bytes, no URLs`);
