/** The metrics as labelled, formatted rows in groups: one list shared by the HTML report and the terminal summary. */
import type { BacktestMetrics } from '../result.js';
import { formatDuration, formatMoney, formatNumber, formatPercent, formatRatio } from './format.js';

export type Tone = 'positive' | 'negative' | 'neutral';

export interface MetricRow {
  /** The BacktestMetrics field the row shows. */
  readonly key: keyof BacktestMetrics;
  readonly label: string;
  readonly text: string;
  readonly tone: Tone;
}

export interface MetricGroup {
  readonly title: string;
  readonly rows: readonly MetricRow[];
}

export function toneOf(value: number): Tone {
  return value > 0 ? 'positive' : value < 0 ? 'negative' : 'neutral';
}

/** The bootstrap interval of the Sharpe ratio as "[low, high]" (the level goes in the label). */
export function formatSharpeInterval(metrics: BacktestMetrics): string {
  const interval = metrics.sharpeConfidence;
  if (interval === null) return 'not drawn';
  return `[${formatRatio(interval.low)}, ${formatRatio(interval.high)}]`;
}

export function metricGroups(metrics: BacktestMetrics): MetricGroup[] {
  const row = (key: keyof BacktestMetrics, label: string, text: string, tone: Tone = 'neutral'): MetricRow => ({
    key,
    label,
    text,
    tone,
  });
  return [
    {
      title: 'Returns',
      rows: [
        row('totalReturn', 'Total return', formatPercent(metrics.totalReturn, 2, true), toneOf(metrics.totalReturn)),
        row('annualisedReturn', 'Annualised return', formatPercent(metrics.annualisedReturn, 2, true), toneOf(metrics.annualisedReturn)),
        row('buyAndHoldReturn', 'Buy and hold', formatPercent(metrics.buyAndHoldReturn, 2, true), toneOf(metrics.buyAndHoldReturn)),
        row('volatility', 'Volatility', formatPercent(metrics.volatility)),
        row('maxDrawdown', 'Max drawdown', formatPercent(-metrics.maxDrawdown), toneOf(-metrics.maxDrawdown)),
        row('maxDrawdownDurationMs', 'Drawdown duration', formatDuration(metrics.maxDrawdownDurationMs)),
      ],
    },
    {
      title: 'Risk-adjusted',
      rows: [
        row('sharpe', 'Sharpe', formatRatio(metrics.sharpe), toneOf(metrics.sharpe)),
        row('sharpeConfidence', metrics.sharpeConfidence === null ? 'Sharpe CI' : `Sharpe ${formatNumber(metrics.sharpeConfidence.level * 100, 0)}% CI`, formatSharpeInterval(metrics)),
        row('sortino', 'Sortino', formatRatio(metrics.sortino), toneOf(metrics.sortino)),
        row('calmar', 'Calmar', formatRatio(metrics.calmar), toneOf(metrics.calmar)),
        row('deflatedSharpe', 'Deflated Sharpe', formatNumber(metrics.deflatedSharpe, 3)),
        row('trials', 'Trials', formatNumber(metrics.trials, 0)),
      ],
    },
    {
      title: 'Trades',
      rows: [
        row('trades', 'Trades', formatNumber(metrics.trades, 0)),
        row('winRate', 'Win rate', formatPercent(metrics.winRate, 1)),
        row('profitFactor', 'Profit factor', formatRatio(metrics.profitFactor)),
        row('expectancy', 'Expectancy', formatMoney(metrics.expectancy), toneOf(metrics.expectancy)),
        row('averageWin', 'Average win', formatMoney(metrics.averageWin), toneOf(metrics.averageWin)),
        row('averageLoss', 'Average loss', formatMoney(metrics.averageLoss), toneOf(metrics.averageLoss)),
      ],
    },
    {
      title: 'Costs and exposure',
      rows: [
        row('exposure', 'Exposure', formatPercent(metrics.exposure, 1)),
        row('turnover', 'Turnover', `${formatNumber(metrics.turnover, 2)}×`),
        row('feesPaid', 'Fees paid', formatMoney(metrics.feesPaid)),
        row('fundingPaid', 'Funding paid', formatMoney(metrics.fundingPaid)),
      ],
    },
  ];
}
