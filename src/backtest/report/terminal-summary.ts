/**
 * A plain-text summary of a backtest for the terminal: the run's header, equity against buy and hold, the metrics
 * aligned in columns (two side by side when the width allows), and the fingerprint. ANSI colour only when asked.
 */
import type { BacktestResult } from '../result.js';
import {
  formatBarCounts,
  formatDuration,
  formatMoney,
  formatNumber,
  formatParams,
  formatPercent,
  formatRefusals,
  formatTimestamp,
} from './format.js';
import { metricGroups } from './metric-rows.js';
import type { MetricGroup, Tone } from './metric-rows.js';

export interface TerminalSummaryOptions {
  /** Colour with ANSI escapes; default false. */
  readonly color?: boolean;
  /** Line width in columns; default 80. */
  readonly width?: number;
}

const ANSI = { bold: '\u001b[1m', dim: '\u001b[2m', green: '\u001b[32m', red: '\u001b[31m', reset: '\u001b[0m' };
const GAP = 4;
const INDENT = 2;
const LABEL_WIDTH = 13;

interface Painter {
  bold(text: string): string;
  dim(text: string): string;
  tone(text: string, tone: Tone): string;
}

function painter(color: boolean): Painter {
  const wrap = (code: string, text: string): string => (color && text.length > 0 ? `${code}${text}${ANSI.reset}` : text);
  return {
    bold: (text) => wrap(ANSI.bold, text),
    dim: (text) => wrap(ANSI.dim, text),
    tone: (text, tone) => (tone === 'neutral' ? text : wrap(tone === 'positive' ? ANSI.green : ANSI.red, text)),
  };
}

export function renderTerminalSummary(result: BacktestResult, options: TerminalSummaryOptions = {}): string {
  const width = Math.max(40, Math.floor(options.width ?? 80));
  const paint = painter(options.color ?? false);
  const m = result.metrics;
  const lines: string[] = [];

  const title = ` Backtest: ${result.strategy} `;
  lines.push(paint.bold(`══${title}${'═'.repeat(Math.max(2, width - title.length - 2))}`.slice(0, Math.max(width, title.length + 4))));
  const field = (label: string, value: string, tone: Tone = 'neutral'): void => {
    const wrapped = wrapText(value, width - LABEL_WIDTH);
    wrapped.forEach((part, i) => {
      const head = i === 0 ? label.padEnd(LABEL_WIDTH) : ' '.repeat(LABEL_WIDTH);
      lines.push(`${paint.dim(head)}${paint.tone(part, tone)}`);
    });
  };
  field('Parameters', formatParams(result.params));
  field('Instruments', result.instruments.join(', ') || '(none)');
  field(
    'Period',
    result.bars === 0 ? 'no bars processed' : `${formatTimestamp(result.startTs)} → ${formatTimestamp(result.endTs)} UTC (${formatDuration(result.endTs - result.startTs)})`,
  );
  field('Bars', formatBarCounts(result.barsByInstrument));
  const change = result.initialCash > 0 ? result.finalEquity / result.initialCash - 1 : 0;
  const tone: Tone = change > 0 ? 'positive' : change < 0 ? 'negative' : 'neutral';
  field('Equity', `${formatMoney(result.initialCash)} → ${formatMoney(result.finalEquity)} (${formatPercent(change, 2, true)})`, tone);
  const excess = m.totalReturn - m.buyAndHoldReturn;
  const verdict =
    Math.abs(excess) < 5e-5
      ? 'level with the strategy'
      : `strategy ${excess > 0 ? 'ahead' : 'behind'} by ${formatNumber(Math.abs(excess) * 100, 2)} pp`;
  // It is the first instrument's price move: with several, the line says which.
  const held = result.instruments.length > 1 ? ` on ${result.instruments[0]}` : '';
  field('Buy and hold', `${formatPercent(m.buyAndHoldReturn, 2, true)}${held} (${verdict})`);
  const open = result.trades.filter((trade) => trade.open === true).length;
  const stillOpen = open === 0 ? '' : ` (${formatNumber(open, 0)} still open at the end, valued at the last close)`;
  field(
    'Trades',
    `${formatNumber(m.trades, 0)} trades${stillOpen}, ${formatNumber(result.fills.length, 0)} fills, fees ${formatMoney(m.feesPaid)}, funding ${formatMoney(m.fundingPaid)}`,
  );
  for (const [label, refusals] of [
    ['Denied', result.denials],
    ['Rejected', result.rejections],
  ] as const) {
    if (refusals.total === 0) continue;
    field(label, formatRefusals(refusals), result.fills.length === 0 ? 'negative' : 'neutral');
  }
  for (const warning of result.warnings) field('Warning', warning, 'negative');
  lines.push('');
  lines.push(...metricBlocks(metricGroups(m), width, paint));
  lines.push('');
  field('Fingerprint', result.fingerprint);
  field('Timing', `load ${formatNumber(result.timing.loadMs, 0)} ms, engine ${formatNumber(result.timing.engineMs, 0)} ms`);
  return `${lines.join('\n')}\n`;
}

/** Each group as a titled block of aligned "label  value" rows; blocks two abreast when they fit in the width. */
function metricBlocks(groups: readonly MetricGroup[], width: number, paint: Painter): string[] {
  const labelWidth = Math.max(...groups.flatMap((g) => g.rows.map((r) => r.label.length)));
  const valueWidth = Math.max(...groups.flatMap((g) => g.rows.map((r) => r.text.length)));
  const blockWidth = INDENT + labelWidth + 2 + valueWidth;
  const perLine = width >= 2 * blockWidth + GAP ? 2 : 1;
  const blocks = groups.map((group) => {
    const rows = group.rows.map((row) => {
      const cell = `${' '.repeat(INDENT)}${row.label.padEnd(labelWidth + 2)}`;
      return { plain: cell + row.text.padStart(valueWidth), painted: paint.dim(cell) + paint.tone(row.text.padStart(valueWidth), row.tone) };
    });
    return [{ plain: group.title, painted: paint.bold(group.title) }, ...rows];
  });
  const out: string[] = [];
  for (let b = 0; b < blocks.length; b += perLine) {
    const row = blocks.slice(b, b + perLine);
    const height = Math.max(...row.map((block) => block.length));
    for (let i = 0; i < height; i++) {
      let line = '';
      row.forEach((block, k) => {
        const cell = block[i];
        const padding = k < row.length - 1 ? ' '.repeat(blockWidth + GAP - (cell?.plain.length ?? 0)) : '';
        line += (cell?.painted ?? '') + padding;
      });
      out.push(line.trimEnd());
    }
    if (b + perLine < blocks.length) out.push('');
  }
  return out;
}

/** Splits text into lines of at most `width` characters, at spaces where possible. */
function wrapText(text: string, width: number): string[] {
  const limit = Math.max(10, width);
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(' ')) {
    let rest = word;
    while (rest.length > limit) {
      if (current.length > 0) {
        lines.push(current);
        current = '';
      }
      lines.push(rest.slice(0, limit));
      rest = rest.slice(limit);
    }
    if (current.length === 0) current = rest;
    else if (current.length + 1 + rest.length <= limit) current += ` ${rest}`;
    else {
      lines.push(current);
      current = rest;
    }
  }
  lines.push(current);
  return lines;
}
