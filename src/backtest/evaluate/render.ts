/**
 * The evaluation as a terminal table: one row per contender, each metric as its mean and bootstrap interval, then
 * the desk against each baseline. Plain text (no colour), columns sized to their contents.
 */
import type { Estimate } from './bootstrap.js';
import { formatDate, formatMoney, formatNumber, formatPercent } from '../report/format.js';
import { BASELINES, CONTENDERS, METRICS, type EvaluationReport, type MetricName } from './report.js';

const HEADINGS: Readonly<Record<MetricName, string>> = { totalReturn: 'total return', sharpe: 'Sharpe', maxDrawdown: 'max drawdown', trades: 'trades', fees: 'fees', turnover: 'turnover' };

const FORMATS: Readonly<Record<MetricName, (value: number) => string>> = {
  totalReturn: (v) => formatPercent(v, 2, true),
  sharpe: (v) => formatNumber(v, 2),
  maxDrawdown: (v) => formatPercent(v, 2),
  trades: (v) => formatNumber(v, 1),
  fees: (v) => formatMoney(v),
  turnover: (v) => formatNumber(v, 0),
};

function estimate(value: Estimate, format: (value: number) => string): string {
  return `${format(value.mean)} [${format(value.low)}, ${format(value.high)}]`;
}

export function renderEvaluation(report: EvaluationReport): string {
  const runs = report.runs.length;
  const seeds = report.seeds.length === 1 ? `seed ${report.seeds[0]}` : `${report.seeds.length} seeds (${report.seeds[0]}-${report.seeds[report.seeds.length - 1]})`;
  const market = report.marketVariesBySeed ? 'a new synthetic market per seed' : 'the same data for every seed (seeds change the random agent)';
  const first = report.runs[0];
  const last = report.runs[report.runs.length - 1];
  const span = first === undefined || last === undefined ? '' : `, ${formatDate(first.startTs)} to ${formatDate(last.endTs)}`;
  const resampling = report.bootstrap.resampling === 'runs' ? 'runs' : 'periods, then seeds within a period';
  const lines = [
    `Evaluation: ${report.desk}`,
    `  ${seeds} x ${report.periods} period${report.periods === 1 ? '' : 's'} = ${runs} run${runs === 1 ? '' : 's'}, ${market}${span}`,
    `  means over the runs, with ${formatNumber(report.bootstrap.level * 100, 0)}% bootstrap intervals [low, high] (${report.bootstrap.samples} resamples of ${resampling})`,
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
    lines.push(`  desk vs ${`${comparison.baseline}:`.padEnd(label + 1)} return difference ${difference}, desk ahead in ${comparison.deskWins} of ${comparison.runs} runs (${share})`);
  }
  if (beside !== undefined) {
    const c = beside.comparison;
    lines.push(`  desk vs ${beside.desk}: return difference ${estimate(c.returnDifference, FORMATS.totalReturn)}, desk ahead in ${c.deskWins} of ${c.runs} runs (${formatPercent(c.deskWinShare, 0)})`);
  }
  const probabilities = report.runs.map((run) => run.random.switchProbability);
  if (probabilities.length > 0) {
    const low = Math.min(...probabilities);
    const high = Math.max(...probabilities);
    const range = low === high ? formatNumber(low, 4) : `${formatNumber(low, 4)} to ${formatNumber(high, 4)}`;
    lines.push('', `  random agent: switching probability ${range} per bar, calibrated per run to the desk's number of trades`);
    const analysts = [...new Set(report.runs.flatMap((run) => Object.keys(run.random.convictions)))];
    if (analysts.length > 0) {
      const said = analysts.map((analyst) => {
        const values = report.runs.flatMap((run) => run.random.convictions[analyst] ?? []);
        const low = Math.min(...values);
        const high = Math.max(...values);
        return `${analyst} ${low === high ? formatNumber(low, 2) : `${formatNumber(low, 2)} to ${formatNumber(high, 2)}`}`;
      });
      lines.push(`  conviction per analyst (its mean over the views that opened positions on the desk's run): ${said.join(', ')}`);
    }
  }
  return lines.join('\n');
}
