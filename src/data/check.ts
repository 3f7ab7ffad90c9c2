/**
 * The data check: what is wrong with a bar series, bar by bar, by source and line.
 *
 * - `out-of-order`: a bar whose time is before the bar above it in the file.
 * - `duplicate`: a bar at the same time as an earlier one (anywhere in the file); the message says whether the
 *   values differ.
 * - `impossible`: a candle that cannot have happened (high < low, open or close outside [low, high], a price
 *   <= 0, negative volume, NaN or infinite values), by the same rule the simulated venue applies (`barProblem`).
 * - `gap`: bars missing between two consecutive distinct times, given the timeframe (counted over the times in
 *   order, so a file out of order still reports the true holes); reported at the bar after the hole.
 * - `misaligned`: a bar whose time is not on the timeframe's UTC grid (checked for timeframes that divide a day).
 *
 * `checkBars` lists every issue; `assertBarsUsable` is the strict gate of backtests: it refuses out-of-order,
 * duplicate and impossible bars, naming the first one and how many more there are. Gaps and misaligned bars
 * are reported but not refused (markets halt, exchanges go down; a backtest should see that as it happened).
 */
import { barProblem } from '../domain/market-data.js';
import { DataFileError } from './data-file-error.js';
import { formatTimeframe } from './timeframe.js';
import type { SourcedBars } from './sourced-bars.js';

export type BarIssueKind = 'out-of-order' | 'duplicate' | 'impossible' | 'gap' | 'misaligned';

export interface BarIssue {
  readonly kind: BarIssueKind;
  readonly source: string;
  /** 1-based line (text files) or record (JSON, feather) of the bar at fault; `originKind` in the report says which. */
  readonly line: number;
  /** The bar's index in the series. */
  readonly index: number;
  readonly ts: number;
  readonly message: string;
  /** For a gap: how many bars are missing before this one. */
  readonly missingBars?: number;
}

export interface DataCheckReport {
  readonly source: string;
  readonly originKind: 'line' | 'record';
  readonly bars: number;
  readonly timeframeMs: number;
  /** Earliest and latest bar times (NaN for an empty series). */
  readonly firstTs: number;
  readonly lastTs: number;
  /** Every issue, ordered by line. */
  readonly issues: readonly BarIssue[];
  readonly counts: Readonly<Record<BarIssueKind, number>>;
  /** Bars missing in all gaps together. */
  readonly missingBars: number;
}

export interface CheckOptions {
  /** Bar length for gaps and alignment; default the series' own (no gap check when 0). */
  readonly timeframeMs?: number;
}

const DAY_MS = 86_400_000;
const REFUSED: readonly BarIssueKind[] = ['out-of-order', 'duplicate', 'impossible'];
/** Within one line, issues are listed in this order. */
const KIND_RANK: Readonly<Record<BarIssueKind, number>> = { 'out-of-order': 0, duplicate: 1, impossible: 2, gap: 3, misaligned: 4 };

function isoTime(ts: number): string {
  return Number.isFinite(ts) && Math.abs(ts) <= 8.64e15 ? new Date(ts).toISOString() : String(ts);
}

/** Every issue of a series (see the module comment). Linear for data in order; n log n otherwise. */
export function checkBars(bars: SourcedBars, options: CheckOptions = {}): DataCheckReport {
  const { series, source, origins } = bars;
  const { ts, open, high, low, close, volume } = series;
  const n = series.length;
  const timeframeMs = options.timeframeMs ?? series.timeframeMs;
  const issues: BarIssue[] = [];
  const lineOf = (index: number): number => origins[index] ?? index + 1;
  const where = (index: number): string => `${bars.originKind} ${lineOf(index)}`;
  const add = (kind: BarIssueKind, index: number, message: string, missingBars?: number): void => {
    const issue: BarIssue = { kind, source, line: lineOf(index), index, ts: ts[index] as number, message };
    issues.push(missingBars === undefined ? issue : { ...issue, missingBars });
  };

  // Only timeframes that divide a day have a grid anchored at UTC midnight (weeks start on Monday, not 1970-01-01).
  const alignable = timeframeMs > 0 && DAY_MS % timeframeMs === 0;
  let ordered = true;
  for (let i = 0; i < n; i++) {
    const t = ts[i] as number;
    const o = open[i] as number;
    const h = high[i] as number;
    const l = low[i] as number;
    const c = close[i] as number;
    const v = volume[i] as number;
    // The cheap test first; barProblem (which builds a message) only for bars that fail it.
    if (!(l > 0 && l <= o && l <= c && o <= h && c <= h && v >= 0 && h < Infinity && v < Infinity)) {
      const problem = barProblem({ ts: t as never, open: o, high: h, low: l, close: c, volume: v });
      if (problem !== undefined) add('impossible', i, `impossible candle: ${problem}`);
    }
    if (alignable && t % timeframeMs !== 0) {
      add('misaligned', i, `bar time ${isoTime(t)} is not on the ${formatTimeframe(timeframeMs)} grid`);
    }
    if (i > 0) {
      const previous = ts[i - 1] as number;
      if (t < previous) {
        ordered = false;
        add('out-of-order', i, `out of order: ${isoTime(t)} comes after ${isoTime(previous)} (${where(i - 1)})`);
      }
    }
  }

  // Visit the bars in time order (stable, so the first of equal times is the one earlier in the file).
  let order: ArrayLike<number> | undefined;
  if (!ordered) {
    const indices = Array.from({ length: n }, (_, i) => i);
    indices.sort((a, b) => (ts[a] as number) - (ts[b] as number) || a - b);
    order = indices;
  }
  const at = (k: number): number => (order === undefined ? k : (order[k] as number));
  let missingBars = 0;
  let runStart = 0;
  for (let k = 1; k < n; k++) {
    const index = at(k);
    const previousIndex = at(k - 1);
    const t = ts[index] as number;
    const previous = ts[previousIndex] as number;
    if (t === previous) {
      const firstIndex = at(runStart);
      const same =
        open[index] === open[firstIndex] &&
        high[index] === high[firstIndex] &&
        low[index] === low[firstIndex] &&
        close[index] === close[firstIndex] &&
        volume[index] === volume[firstIndex];
      add('duplicate', index, `duplicate of ${where(firstIndex)} at ${isoTime(t)} (${same ? 'same values' : 'different values'})`);
      continue;
    }
    runStart = k;
    // Rounded, so bars a few ms off the grid (funding times) do not make phantom gaps.
    const missing = timeframeMs > 0 ? Math.round((t - previous) / timeframeMs) - 1 : 0;
    if (missing > 0) {
      missingBars += missing;
      add('gap', index, `gap: ${missing} bar${missing === 1 ? '' : 's'} missing between ${isoTime(previous)} and ${isoTime(t)}`, missing);
    }
  }

  issues.sort((a, b) => a.line - b.line || KIND_RANK[a.kind] - KIND_RANK[b.kind]);
  const counts: Record<BarIssueKind, number> = { 'out-of-order': 0, duplicate: 0, impossible: 0, gap: 0, misaligned: 0 };
  for (const issue of issues) counts[issue.kind] += 1;
  return {
    source,
    originKind: bars.originKind,
    bars: n,
    timeframeMs,
    firstTs: n === 0 ? Number.NaN : (ts[at(0)] as number),
    lastTs: n === 0 ? Number.NaN : (ts[at(n - 1)] as number),
    issues,
    counts,
    missingBars,
  };
}

/** One issue as a line for people: `ETH_BTC-5m.csv: line 1505: gap: 1 bar missing between ...`. */
export function describeIssue(report: DataCheckReport, issue: BarIssue): string {
  return `${issue.source}: ${report.originKind} ${issue.line}: ${issue.message}`;
}

/** The issues a backtest refuses (out of order, duplicate, impossible), in line order. */
export function refusedIssues(report: DataCheckReport): BarIssue[] {
  return report.issues.filter((issue) => REFUSED.includes(issue.kind));
}

/**
 * The strict gate for backtests: throws a DataFileError (code `bad_bars`) naming the first out-of-order,
 * duplicate or impossible bar by source and line, with how many more there are of each kind.
 */
export function assertBarsUsable(bars: SourcedBars): void {
  if (!mayHaveRefusedIssues(bars)) return;
  const report = checkBars(bars, { timeframeMs: 0 });
  const refused = refusedIssues(report);
  const first = refused[0];
  if (first === undefined) return;
  const more = refused.length - 1;
  const byKind = REFUSED.map((kind) => [kind, report.counts[kind]] as const)
    .filter(([, count]) => count > 0)
    .map(([kind, count]) => `${count} ${kind}`)
    .join(', ');
  throw new DataFileError(
    'bad_bars',
    `${first.source}: ${report.originKind} ${first.line}: ${first.message}` +
      (more > 0 ? `; and ${more} more problem${more === 1 ? '' : 's'} (${byKind} in all)` : '') +
      '; run the data check for the full list, or fix the file',
    first.source,
    first.line,
  );
}

/** One linear pass without allocation: false when the series is certainly in order, unique and possible. */
function mayHaveRefusedIssues(bars: SourcedBars): boolean {
  const { ts, open, high, low, close, volume, length } = bars.series;
  let previous = -Infinity;
  for (let i = 0; i < length; i++) {
    const t = ts[i] as number;
    const o = open[i] as number;
    const h = high[i] as number;
    const l = low[i] as number;
    const c = close[i] as number;
    const v = volume[i] as number;
    if (!(t > previous && l > 0 && l <= o && l <= c && o <= h && c <= h && v >= 0 && h < Infinity && v < Infinity)) return true;
    previous = t;
  }
  return false;
}
