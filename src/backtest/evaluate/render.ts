/**
 * The evaluation as a terminal table: one row per contender, each metric as its mean and interval, then the desk
 * against each baseline. Plain text (no colour), columns sized to their contents. The number of independent units
 * the intervals rest on is said in the heading, and a note follows when they are few.
 */
import type { Estimate } from './interval.js';
import { formatDate, formatMoney, formatNumber, formatPercent } from '../report/format.js';
import { BASELINES, CONTENDERS, METRICS, type Comparison, type EvaluationReport, type MetricName } from './report.js';

const HEADINGS: Readonly<Record<MetricName, string>> = { totalReturn: 'total return', sharpe: 'Sharpe', maxDrawdown: 'max drawdown', trades: 'trades', fees: 'fees', turnover: 'turnover' };

const FORMATS: Readonly<Record<MetricName, (value: number) => string>> = {
  totalReturn: (v) => formatPercent(v, 2, true),
  sharpe: (v) => formatNumber(v, 2),
  maxDrawdown: (v) => formatPercent(v, 2),
  trades: (v) => formatNumber(v, 1),
  fees: (v) => formatMoney(v),
  turnover: (v) => formatMoney(v),
};

/** Below this many independent units the intervals are wide and lean on the units' means being near normal. */
const FEW_UNITS = 10;

function estimate(value: Estimate, format: (value: number) => string): string {
  if (value.low === null || value.high === null) return `${format(value.mean)} [n/a]`;
  return `${format(value.mean)} [${format(value.low)}, ${format(value.high)}]`;
}

/** The heading's line on the intervals, and a note when the units are few. */
function intervalLines(report: EvaluationReport): string[] {
  const { level, unit, units, method } = report.intervals;
  const counted = unit === 'run' ? `${units} independent run${units === 1 ? '' : 's'}` : `${units} period${units === 1 ? '' : 's'} (the seeds of a period share its market and count once)`;
  if (units < 2) {
    return [`  means over the runs; no intervals: the runs are ${counted}, one observation of the market says nothing of its spread (use more ${unit === 'run' ? 'seeds or periods' : 'periods'})`];
  }
  const lines = [`  means over the runs, with ${formatNumber(level * 100, 0)}% ${method === 'bootstrap' ? 'bootstrap' : 'Student-t'} intervals [low, high] over ${counted}`];
  if (units < FEW_UNITS) {
    lines.push(
      method === 'bootstrap'
        ? `  Note: only ${units} independent units: a bootstrap of so few covers less than it says (with 2 or 3, it is about the units' range); more ${unit === 'run' ? 'seeds or periods' : 'periods'}, or --interval student-t, help`
        : `  Note: only ${units} independent units: the intervals are wide, and rest on their means being near normal; more ${unit === 'run' ? 'seeds or periods' : 'periods'} narrow them`,
    );
  }
  return lines;
}

function counted(comparison: Comparison): string {
  return `${comparison.runs} ${comparison.unit}${comparison.runs === 1 ? '' : 's'}`;
}

export function renderEvaluation(report: EvaluationReport): string {
  const runs = report.runs.length;
  const seeds = report.seeds.length === 1 ? `seed ${report.seeds[0]}` : `${report.seeds.length} seeds (${report.seeds[0]}-${report.seeds[report.seeds.length - 1]})`;
  const market = report.marketVariesBySeed ? 'a new synthetic market per seed' : 'the same data for every seed (seeds change the random agent)';
  const first = report.runs[0];
  const last = report.runs[report.runs.length - 1];
  const span = first === undefined || last === undefined ? '' : `, ${formatDate(first.startTs)} to ${formatDate(last.endTs)}`;
  const lines = [
    `Evaluation: ${report.desk}`,
    `  ${seeds} x ${report.periods} period${report.periods === 1 ? '' : 's'} = ${runs} run${runs === 1 ? '' : 's'}, ${market}${span}`,
    ...intervalLines(report),
    '',
  ];
  const table = [['', ...METRICS.map((m) => HEADINGS[m])], ...CONTENDERS.map((name) => [name, ...METRICS.map((m) => estimate(report.contenders[name][m], FORMATS[m]))])];
  const beside = report.beside;
  if (beside !== undefined) table.push([`beside: ${beside.desk}`, ...METRICS.map((m) => estimate(beside.summary[m], FORMATS[m]))]);
  const widths = (table[0] as string[]).map((_, c) => Math.max(...table.map((row) => (row[c] as string).length)));
  for (const row of table) lines.push(`  ${row.map((cell, c) => cell.padEnd(widths[c] as number)).join('   ').trimEnd()}`);
  lines.push('');
  const label = Math.max(...BASELINES.map((b) => b.length));
  for (const comparison of report.comparisons) {
    const difference = estimate(comparison.returnDifference, FORMATS.totalReturn);
    const share = formatPercent(comparison.deskWinShare, 0);
    lines.push(`  desk vs ${`${comparison.baseline}:`.padEnd(label + 1)} return difference ${difference}, desk ahead in ${comparison.deskWins} of ${counted(comparison)} (${share})`);
  }
  if (beside !== undefined) {
    const c = beside.comparison;
    lines.push(`  desk vs ${beside.desk}: return difference ${estimate(c.returnDifference, FORMATS.totalReturn)}, desk ahead in ${c.deskWins} of ${counted(c)} (${formatPercent(c.deskWinShare, 0)})`);
  }
  if (report.runs.length > 0) lines.push('', ...randomAgentLines(report));
  return lines.join('\n');
}

/** How far the random agent's turnover may be from the desk's before the comparison is flagged. */
const TURNOVER_TOLERANCE = 0.1;

/** The random agent's calibration: its switching rate per book, its turnover beside the desk's, what it said. */
function randomAgentLines(report: EvaluationReport): string[] {
  const range = (values: readonly number[], format: (value: number) => string): string => {
    const low = Math.min(...values);
    const high = Math.max(...values);
    return low === high ? format(low) : `${format(low)} to ${format(high)}`;
  };
  const books = [...new Map(report.runs.flatMap((run) => run.random.calibration.map((c) => [c.book, c.analysts] as const)))];
  const rates = books.map(([book, analysts]) => {
    const values = report.runs.flatMap((run) => run.random.calibration.filter((c) => c.book === book).map((c) => c.switchProbability));
    return `${book} (${analysts.join(', ')}) ${range(values, (v) => formatNumber(v, 4))}`;
  });
  const lines = [`  random agent: switching probability per bar, calibrated per run to the desk's traded notional in each book: ${rates.join('; ')}`];
  // A run where neither traded is matched; one where only the random agent traded is as far off as can be.
  const ratios = report.runs.map((run) => (run.desk.turnover > 0 ? run.random.turnover / run.desk.turnover : run.random.turnover > 0 ? Infinity : 1));
  const ratio = (v: number): string => (Number.isFinite(v) ? `${formatNumber(v, 2)}x` : 'n/a (the desk traded nothing)');
  lines.push(`  random agent's turnover per run: ${range(ratios, ratio)} the desk's`);
  const off = ratios.filter((r) => Math.abs(r - 1) > TURNOVER_TOLERANCE);
  if (off.length > 0) {
    lines.push(
      `  Warning: the random agent's turnover is more than ${formatPercent(TURNOVER_TOLERANCE, 0)} off the desk's in ${off.length} of ${ratios.length} runs (${range(off, ratio)}), so its fees and exposure there are not the desk's: read the comparison with the random agent with care`,
    );
  }
  const analysts = [...new Set(report.runs.flatMap((run) => Object.keys(run.random.convictions)))];
  if (analysts.length > 0) {
    const said = analysts.map((analyst) => `${analyst} ${range(report.runs.flatMap((run) => run.random.convictions[analyst] ?? []), (v) => formatNumber(v, 2))}`);
    lines.push(`  conviction per analyst (its mean over the views that opened positions on the desk's run): ${said.join(', ')}`);
  }
  return lines;
}
