import { InvariantViolation } from '../../core/errors.js';
import type { BarSeries } from '../../data/bar-series.js';
import { computeMetrics, pointsPerYear } from '../metrics.js';
import type { BacktestTrade } from '../result.js';
import type { OutOfSampleSummary } from './report.js';
import type { TrialResult } from './trial.js';
import type { BarRange } from './windows.js';

const MAX_CURVE_POINTS = 5000;

export interface OutOfSampleRun {
  readonly range: BarRange;
  readonly result: TrialResult;
}

/**
 * Chains the out-of-sample runs (in window order) into one equity curve as described on OutOfSampleSummary, and
 * measures it. Everything a window traded is rescaled with its equity, as if its account had started at the level
 * the chain reached: its round trips' quantities, PnL and fees, its fees and funding paid and its traded notional.
 * So the trades' PnL adds up to the chained curve's, the fees to what it paid, and turnover stays a ratio to it.
 */
export function stitchOutOfSample(
  runs: readonly OutOfSampleRun[],
  primary: BarSeries,
  bootstrap: { readonly samples: number; readonly seed: number },
): OutOfSampleSummary {
  const first = runs[0];
  const last = runs[runs.length - 1];
  if (first === undefined || last === undefined) throw new InvariantViolation('stitching needs at least one out-of-sample run');
  const total = runs.reduce((n, run) => n + (run.result.detail?.equity.length ?? 0), 0);
  const equity = new Float64Array(total);
  const ts = new Float64Array(total);
  const trades: BacktestTrade[] = [];
  let fees = 0;
  let funding = 0;
  let exposureBars = 0;
  let tradedNotional = 0;
  let at = 0;
  let level = Number.NaN;
  let startEquity = Number.NaN;
  for (const run of runs) {
    const detail = run.result.detail;
    if (detail === undefined) throw new InvariantViolation(`out-of-sample trial ${run.result.index} came back without its equity curve`);
    // Each window is chained from its equity before its first bar, so a fill on that bar counts in the chain.
    const start = detail.startEquity;
    if (Number.isNaN(level)) {
      level = start;
      startEquity = start;
    }
    const scale = start > 0 ? level / start : 1;
    for (let i = 0; i < detail.equity.length; i++) {
      equity[at] = (detail.equity[i] as number) * scale;
      ts[at] = detail.ts[i] as number;
      at += 1;
    }
    level = equity[at - 1] as number;
    for (const trade of detail.trades) trades.push(scale === 1 ? trade : { ...trade, qty: trade.qty * scale, pnl: trade.pnl * scale, fees: trade.fees * scale });
    fees += run.result.metrics.feesPaid * scale;
    funding += run.result.metrics.fundingPaid * scale;
    exposureBars += detail.exposureBars;
    tradedNotional += detail.tradedNotional * scale;
  }
  const metrics = computeMetrics({
    equity,
    ts,
    // P of the stitched curve itself (its points over the time they span), as a backtest of those bars would have.
    barsPerYear: pointsPerYear(ts, first.result.barsPerYear),
    startEquity,
    trades,
    feesPaid: fees,
    fundingPaid: funding,
    exposureBars,
    tradedNotional,
    benchmark: { firstClose: primary.close[first.range.from] as number, lastClose: primary.close[last.range.to - 1] as number },
    trials: 1,
    bootstrap,
  });
  return { windows: runs.length, bars: total, metrics, equityCurve: sampleCurve(ts, equity) };
}

function sampleCurve(ts: Float64Array, equity: Float64Array): { ts: number[]; equity: number[] } {
  const n = equity.length;
  const step = Math.max(1, Math.ceil(n / MAX_CURVE_POINTS));
  const curve = { ts: [] as number[], equity: [] as number[] };
  for (let i = 0; i < n; i += step) {
    curve.ts.push(ts[i] as number);
    curve.equity.push(equity[i] as number);
  }
  if (n > 0 && (n - 1) % step !== 0) {
    curve.ts.push(ts[n - 1] as number);
    curve.equity.push(equity[n - 1] as number);
  }
  return curve;
}
