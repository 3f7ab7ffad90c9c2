/** The report's tables as HTML strings: metrics, monthly returns and trades. All text is escaped. */
import type { BacktestMetrics, BacktestTrade } from '../result.js';
import { escapeHtml, formatAmount, formatMoney, formatNumber, formatPercent, formatTimestamp } from './format.js';
import { metricGroups, toneOf } from './metric-rows.js';
import type { MonthlyReturnsRow } from './monthly-returns.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function metricsTables(metrics: BacktestMetrics): string {
  const groups = metricGroups(metrics).map((group) => {
    const rows = group.rows
      .map(
        (row) =>
          `<tr><td class="text">${escapeHtml(row.label)}</td><td class="${row.tone}" data-metric="${row.key}">${escapeHtml(row.text)}</td></tr>`,
      )
      .join('');
    return `<table><thead><tr><th class="text" colspan="2">${escapeHtml(group.title)}</th></tr></thead><tbody>${rows}</tbody></table>`;
  });
  return `<div class="metrics">${groups.join('')}</div>`;
}

/** Background tint proportional to the size of a return (full strength at 10% a month). */
function tint(value: number): string {
  const alpha = Math.min(Math.abs(value) / 0.1, 1) * 0.45;
  if (alpha < 0.01) return '';
  const rgb = value > 0 ? '26,127,55' : '207,34,46';
  return ` style="background:rgba(${rgb},${alpha.toFixed(2)})"`;
}

function returnCell(value: number | null, attributes: string): string {
  if (value === null) return `<td class="muted"${attributes}></td>`;
  return `<td class="${toneOf(value)}"${attributes}${tint(value)}>${escapeHtml(formatPercent(value, 2, true))}</td>`;
}

export function monthlyReturnsTable(rows: readonly MonthlyReturnsRow[]): string {
  if (rows.length === 0) return '<p class="muted">No equity data.</p>';
  const head = `<tr><th class="text">Year</th>${MONTHS.map((m) => `<th>${m}</th>`).join('')}<th>Year</th></tr>`;
  const body = rows
    .map((row) => {
      const cells = row.months.map((value, month) => returnCell(value, ` data-month="${row.year}-${String(month + 1).padStart(2, '0')}"`));
      return `<tr><td class="text">${row.year}</td>${cells.join('')}${returnCell(row.total, ` data-year="${row.year}"`)}</tr>`;
    })
    .join('');
  return `<div class="scroll"><table class="monthly"><thead>${head}</thead><tbody>${body}</tbody></table></div>`;
}

function tradeRow(trade: BacktestTrade, index: number): string {
  return (
    `<tr><td>${index + 1}</td><td class="text">${escapeHtml(trade.instrument)}</td>` +
    `<td class="text ${trade.direction === 'long' ? 'positive' : 'negative'}">${trade.direction}</td>` +
    `<td class="text">${formatTimestamp(trade.entryTs)}</td><td class="text">${trade.open === true ? 'open at the end' : formatTimestamp(trade.exitTs)}</td>` +
    `<td>${formatNumber(trade.bars, 0)}</td><td>${escapeHtml(formatAmount(trade.qty))}</td>` +
    `<td>${escapeHtml(formatAmount(trade.entryPrice))}</td><td>${escapeHtml(formatAmount(trade.exitPrice))}</td>` +
    `<td class="${toneOf(trade.pnl)}">${escapeHtml(formatMoney(trade.pnl))}</td>` +
    `<td class="${toneOf(trade.returnPct)}">${escapeHtml(formatPercent(trade.returnPct, 2, true))}</td>` +
    `<td>${escapeHtml(formatMoney(trade.fees))}</td></tr>`
  );
}

/** All trades, or for more than `maxRows` the first and last maxRows/2 with a row saying how many are left out. */
export function tradesTable(trades: readonly BacktestTrade[], maxRows: number): string {
  if (trades.length === 0) return '<p class="muted">No trades.</p>';
  const head =
    '<tr><th>#</th><th class="text">Instrument</th><th class="text">Side</th><th class="text">Entry (UTC)</th>' +
    '<th class="text">Exit (UTC)</th><th>Bars</th><th>Qty</th><th>Entry</th><th>Exit</th><th>PnL</th><th>Return</th>' +
    '<th>Fees</th></tr>';
  const rows: string[] = [];
  let note = '';
  if (trades.length <= maxRows) {
    trades.forEach((trade, i) => rows.push(tradeRow(trade, i)));
  } else {
    const firstCount = Math.ceil(maxRows / 2);
    const lastCount = Math.floor(maxRows / 2);
    for (let i = 0; i < firstCount; i++) rows.push(tradeRow(trades[i] as BacktestTrade, i));
    const hidden = trades.length - firstCount - lastCount;
    rows.push(`<tr class="gap"><td colspan="12">… ${formatNumber(hidden, 0)} trades not shown …</td></tr>`);
    for (let i = trades.length - lastCount; i < trades.length; i++) rows.push(tradeRow(trades[i] as BacktestTrade, i));
    note =
      `<p class="note">Showing the first ${formatNumber(firstCount, 0)} and last ${formatNumber(lastCount, 0)} of ` +
      `${formatNumber(trades.length, 0)} trades; the JSON result has them all.</p>`;
  }
  return `${note}<div class="scroll"><table class="trades"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table></div>`;
}
