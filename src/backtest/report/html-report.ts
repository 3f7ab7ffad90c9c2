/**
 * The backtest report as one self-contained HTML page: inline CSS and inline SVG, no script and no external
 * reference, so it opens offline and can be mailed as a single file. Charts are min/max downsampled to the pixel
 * width, and the trades table is capped, so a million-bar run stays a few hundred kilobytes to a few megabytes.
 * This module only builds the string; writing it to a file is the caller's business.
 */
import type { BarSeries } from '../../data/bar-series.js';
import type { DeskSummary } from '../desk-summary.js';
import type { BacktestFill, BacktestResult } from '../result.js';
import {
  escapeHtml,
  formatAmount,
  formatAxisNumber,
  formatAxisPercent,
  formatBarCounts,
  formatDate,
  formatDuration,
  formatMoney,
  formatNumber,
  formatParams,
  formatPercent,
  formatRatio,
  formatRefusals,
  formatTimestamp,
} from './format.js';
import { agentsSection } from './html-agents.js';
import { REPORT_CSS } from './html-style.js';
import { metricsTables, monthlyReturnsTable, tradesTable } from './html-tables.js';
import { toneOf } from './metric-rows.js';
import { monthlyReturns } from './monthly-returns.js';
import { svgChart } from './svg-chart.js';
import type { ChartMarker } from './svg-chart.js';

export interface HtmlReportOptions {
  /** Page title; default "<strategy> backtest". */
  readonly title?: string;
  /** Chart width in SVG units (pixels at 100% zoom); default 1000. Charts keep at most 2 points per unit. */
  readonly chartWidth?: number;
  /** Trades listed in full up to this count; beyond it the first and last half of it. Default 4000. */
  readonly maxTradeRows?: number;
  /** Price charts drawn at most (one per instrument); default 8. */
  readonly maxPriceCharts?: number;
  /**
   * The full-resolution equity curve, when the caller still has it; default `result.equityCurve`, which the
   * result samples to at most 5,000 points (a drawdown between samples is then not drawn).
   */
  readonly equity?: { readonly ts: ArrayLike<number>; readonly equity: ArrayLike<number> };
  /** When the report was made (epoch ms), shown in the footer; omitted by default so output is reproducible. */
  readonly generatedAt?: number;
  /** A desk run's summary: the report then says who did what (the "Agents" section). */
  readonly desk?: DeskSummary;
}

const DEFAULT_CHART_WIDTH = 1000;
const DEFAULT_MAX_TRADE_ROWS = 4000;
const DEFAULT_MAX_PRICE_CHARTS = 8;

export function renderHtmlReport(
  result: BacktestResult,
  bars: readonly BarSeries[],
  options: HtmlReportOptions = {},
): string {
  const width = Math.max(200, Math.round(options.chartWidth ?? DEFAULT_CHART_WIDTH));
  const title = options.title ?? `${result.strategy} backtest`;
  const curve = options.equity ?? result.equityCurve;
  const sampled = options.equity === undefined && result.equityCurve.ts.length < result.equityCurve.points;
  const metrics = result.metrics;
  const initial = curve.equity.length > 0 ? (curve.equity[0] as number) : result.initialCash;

  const sections: string[] = [];
  sections.push(`<h1>${escapeHtml(title)}</h1>`);
  sections.push(header(result));
  for (const warning of result.warnings) sections.push(`<p class="note">Warning: ${escapeHtml(warning)}</p>`);
  // What was refused on the way says why a run traded less than asked (or not at all), as the terminal summary does.
  if (result.denials.total > 0) sections.push(`<p class="note">Denied ${escapeHtml(formatRefusals(result.denials))}</p>`);
  if (result.rejections.total > 0) sections.push(`<p class="note">Rejected ${escapeHtml(formatRefusals(result.rejections))}</p>`);
  sections.push(cards(result));
  if (options.desk !== undefined) sections.push('<h2>Agents</h2>', agentsSection(options.desk));

  sections.push('<h2>Equity</h2>');
  const benchmark = benchmarkLine(bars[0], initial);
  sections.push(
    `<div class="legend"><span><i class="swatch" style="background:var(--line)"></i>strategy</span>${
      benchmark === undefined
        ? ''
        : `<span><i class="swatch" style="background:var(--bench)"></i>buy and hold ${escapeHtml(String(bars[0]?.instrumentId ?? ''))}</span>`
    }</div>`,
  );
  sections.push(
    svgChart({
      width,
      height: 320,
      label: 'Equity curve',
      lines: [
        ...(benchmark === undefined ? [] : [{ ...benchmark, className: 'benchmark' }]),
        { x: curve.ts, y: curve.equity, className: 'equity' },
      ],
      formatY: formatAxisNumber,
    }),
  );
  sections.push('<h2>Drawdown</h2>');
  sections.push(
    svgChart({
      width,
      height: 180,
      label: 'Drawdown (underwater) chart',
      lines: [{ x: curve.ts, y: underwater(curve.equity, result.initialCash), className: 'drawdown', area: true }],
      formatY: formatAxisPercent,
      includeZero: true,
    }),
  );
  if (sampled) {
    sections.push(
      `<p class="note">Equity, drawdown and monthly returns come from ${formatNumber(curve.ts.length, 0)} sampled ` +
        `points of ${formatNumber(result.equityCurve.points, 0)}; the metrics use every point.</p>`,
    );
  }

  const charted = bars.slice(0, Math.max(0, options.maxPriceCharts ?? DEFAULT_MAX_PRICE_CHARTS));
  if (charted.length > 0) sections.push('<h2>Price and trades</h2>');
  for (const series of charted) sections.push(priceChart(series, result.fills, width));
  if (bars.length > charted.length) {
    sections.push(`<p class="note">${bars.length - charted.length} more instruments not charted.</p>`);
  }

  sections.push('<h2>Monthly returns</h2>');
  sections.push(monthlyReturnsTable(monthlyReturns(curve.ts, curve.equity, result.initialCash)));
  sections.push('<h2>Metrics</h2>');
  sections.push(metricsTables(metrics));
  sections.push(`<h2>Trades (${formatNumber(result.trades.length, 0)})</h2>`);
  sections.push(tradesTable(result.trades, Math.max(2, options.maxTradeRows ?? DEFAULT_MAX_TRADE_ROWS)));

  const generated = options.generatedAt === undefined ? '' : ` on ${escapeHtml(formatTimestamp(options.generatedAt))} UTC`;
  sections.push(
    `<footer>Generated by Conclave${generated}. Result schema ${escapeHtml(result.schema)}. ` +
      `Times are UTC bar open times. Sharpe-type ratios use risk-free 0.</footer>`,
  );

  return (
    '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${escapeHtml(title)}</title><style>${REPORT_CSS}</style></head>` +
    `<body><main>${sections.join('\n')}</main></body></html>\n`
  );
}

function header(result: BacktestResult): string {
  const rows: [string, string][] = [
    ['Strategy', escapeHtml(result.strategy)],
    ['Parameters', `<code>${escapeHtml(formatParams(result.params))}</code>`],
    ['Instruments', escapeHtml(result.instruments.join(', ') || '(none)')],
    [
      'Period',
      `${escapeHtml(formatTimestamp(result.startTs))} → ${escapeHtml(formatTimestamp(result.endTs))} UTC ` +
        `(${escapeHtml(formatDuration(result.endTs - result.startTs))})`,
    ],
    ['Bars', escapeHtml(formatBarCounts(result.barsByInstrument))],
    ['Equity', `${escapeHtml(formatMoney(result.initialCash))} → ${escapeHtml(formatMoney(result.finalEquity))}`],
    ['Fills', formatNumber(result.fills.length, 0)],
    ['Fingerprint', `<code>${escapeHtml(result.fingerprint)}</code>`],
    // No timing: wall time differs run to run, and the same run must give the same page (the terminal shows it).
  ];
  return `<dl class="header">${rows.map(([term, value]) => `<dt>${term}</dt><dd>${value}</dd>`).join('')}</dl>`;
}

function cards(result: BacktestResult): string {
  const m = result.metrics;
  const card = (label: string, value: string, tone: string): string =>
    `<div class="card"><div class="label">${escapeHtml(label)}</div><div class="value ${tone}">${escapeHtml(value)}</div></div>`;
  return (
    '<div class="cards">' +
    card('Total return', formatPercent(m.totalReturn, 2, true), toneOf(m.totalReturn)) +
    card('Buy and hold', formatPercent(m.buyAndHoldReturn, 2, true), toneOf(m.buyAndHoldReturn)) +
    card('Sharpe', formatRatio(m.sharpe), toneOf(m.sharpe)) +
    card('Max drawdown', formatPercent(-m.maxDrawdown), toneOf(-m.maxDrawdown)) +
    card('Trades', formatNumber(m.trades, 0), 'neutral') +
    card('Final equity', formatMoney(result.finalEquity), toneOf(result.finalEquity - result.initialCash)) +
    '</div>'
  );
}

/**
 * Equity / running peak - 1 at each point (0 while the peak is not positive), the starting equity the first peak, as
 * the max-drawdown metric measures it: a run already down at its first point is drawn under water from there.
 */
export function underwater(equity: ArrayLike<number>, start: number): Float64Array {
  const out = new Float64Array(equity.length);
  let peak = start;
  for (let i = 0; i < equity.length; i++) {
    const value = equity[i] as number;
    if (value > peak) peak = value;
    out[i] = peak > 0 ? value / peak - 1 : 0;
  }
  return out;
}

/** Buy and hold of the first instrument, scaled to start at the initial equity. */
function benchmarkLine(series: BarSeries | undefined, initial: number): { x: Float64Array; y: Float64Array } | undefined {
  if (series === undefined || series.length === 0) return undefined;
  const first = series.close[0] as number;
  if (!(first > 0) || !(initial > 0)) return undefined;
  const y = new Float64Array(series.length);
  const scale = initial / first;
  for (let i = 0; i < series.length; i++) y[i] = (series.close[i] as number) * scale;
  return { x: series.ts, y };
}

/** Fills on one instrument grouped per pixel column and side: one marker at the volume-weighted price. */
function fillMarkers(series: BarSeries, fills: readonly BacktestFill[], columns: number): ChartMarker[] {
  const from = series.ts[0] as number;
  const to = series.ts[series.length - 1] as number;
  const scale = to > from ? columns / (to - from) : 0;
  const groups = new Map<number, { side: 'buy' | 'sell'; count: number; qty: number; notional: number; ts: number }>();
  for (const fill of fills) {
    if (fill.instrument !== series.instrumentId) continue;
    const column = Math.min(columns - 1, Math.max(0, Math.floor((fill.ts - from) * scale)));
    const key = column * 2 + (fill.side === 'buy' ? 0 : 1);
    const group = groups.get(key);
    if (group === undefined) {
      groups.set(key, { side: fill.side, count: 1, qty: fill.qty, notional: fill.qty * fill.price, ts: fill.ts });
    } else {
      group.count += 1;
      group.qty += fill.qty;
      group.notional += fill.qty * fill.price;
    }
  }
  const markers: ChartMarker[] = [];
  for (const group of groups.values()) {
    const price = group.qty > 0 ? group.notional / group.qty : 0;
    const what = group.count === 1 ? group.side : `${group.count} ${group.side}s`;
    markers.push({
      x: group.ts,
      y: price,
      side: group.side,
      title: `${what} ${formatAmount(group.qty)} @ ${formatAmount(price)} (${formatTimestamp(group.ts)})`,
    });
  }
  return markers.sort((a, b) => a.x - b.x);
}

function priceChart(series: BarSeries, fills: readonly BacktestFill[], width: number): string {
  // One marker per 6 units of width and side at most: denser markers would only paint over each other.
  const markers = series.length > 0 ? fillMarkers(series, fills, Math.floor(width / 6)) : [];
  const count = fills.reduce((n, fill) => n + (fill.instrument === series.instrumentId ? 1 : 0), 0);
  return (
    `<h3>${escapeHtml(series.instrumentId)} <span class="muted">close, ${formatNumber(series.length, 0)} bars` +
    ` from ${escapeHtml(formatDate(series.length > 0 ? (series.ts[0] as number) : Number.NaN))}, ` +
    `${formatNumber(count, 0)} fills (▲ buy, ▼ sell)</span></h3>` +
    svgChart({
      width,
      height: 300,
      label: `${series.instrumentId} close price with fills`,
      lines: [{ x: series.ts, y: series.close, className: 'price' }],
      markers,
      formatY: formatAxisNumber,
    })
  );
}
