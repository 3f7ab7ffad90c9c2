/** Number, time and text formatting shared by the HTML report and the terminal summary (UTC, en-US digits). */
import type { BarCount } from '../result.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Escapes the five HTML special characters, so any text is safe in element content and quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Non-finite values as the symbols a reader expects: Infinity as ∞, NaN as an em dash. */
function nonFinite(value: number): string | undefined {
  if (Number.isNaN(value)) return '—';
  if (value === Number.POSITIVE_INFINITY) return '∞';
  if (value === Number.NEGATIVE_INFINITY) return '-∞';
  return undefined;
}

/**
 * From here on a number is shown in scientific notation: a trillion and more is no quantity a reader weighs digit by
 * digit, and written out (a compounded return annualised from hours: 10^22 %) it breaks the tables.
 */
const SCIENTIFIC_FROM = 1e12;

/** A number with thousands separators and a fixed count of decimals, e.g. 12,345.68; 1.83e+22 from a trillion up. */
export function formatNumber(value: number, decimals = 2): string {
  const special = nonFinite(value);
  if (special !== undefined) return special;
  if (Math.abs(value) >= SCIENTIFIC_FROM) return value.toExponential(2);
  return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** A fraction as a percentage, e.g. 0.1235 -> "12.35%" (or "+12.35%" when signed). */
export function formatPercent(fraction: number, decimals = 2, signed = false): string {
  const special = nonFinite(fraction);
  if (special !== undefined) return special;
  const text = formatNumber(fraction * 100, decimals);
  return `${signed && fraction > 0 ? '+' : ''}${text === `-${formatNumber(0, decimals)}` ? text.slice(1) : text}%`;
}

/** A ratio (Sharpe, profit factor): two decimals, ∞ for Infinity. */
export function formatRatio(value: number, decimals = 2): string {
  return formatNumber(value, decimals);
}

/** A price or quantity: significant digits suited to its magnitude (BTC at 60,000 and a meme coin at 0.00001). */
export function formatAmount(value: number): string {
  const special = nonFinite(value);
  if (special !== undefined) return special;
  const magnitude = Math.abs(value);
  if (magnitude === 0) return '0';
  if (magnitude >= 1000) return formatNumber(value, 2);
  if (magnitude >= 1) return formatNumber(value, 4);
  return value.toPrecision(4);
}

/** An amount of money: two decimals, or three significant digits below 1 (fees on a small account). */
export function formatMoney(value: number): string {
  const special = nonFinite(value);
  if (special !== undefined) return special;
  if (value === 0 || Math.abs(value) >= 1) return formatNumber(value, 2);
  return value.toPrecision(3);
}

/** A span of time, e.g. "12d 4h", "3h 20m", "45s", "0s". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return '0s';
  const days = Math.floor(ms / DAY);
  const hours = Math.floor((ms % DAY) / HOUR);
  const minutes = Math.floor((ms % HOUR) / MINUTE);
  if (days > 0) return hours > 0 ? `${days}d ${hours}h` : `${days}d`;
  if (hours > 0) return minutes > 0 ? `${hours}h ${minutes}m` : `${hours}h`;
  if (minutes > 0) return `${minutes}m`;
  return `${Math.round(ms / 1000)}s`;
}

/** A bar length, e.g. 60,000 -> "1m", 14,400,000 -> "4h"; "?" when unknown. */
export function formatTimeframe(ms: number): string {
  if (!(ms > 0)) return '?';
  if (ms % (7 * DAY) === 0) return `${ms / (7 * DAY)}w`;
  if (ms % DAY === 0) return `${ms / DAY}d`;
  if (ms % HOUR === 0) return `${ms / HOUR}h`;
  if (ms % MINUTE === 0) return `${ms / MINUTE}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/**
 * The bars of a run: "5,760 × 5m" for one instrument, "5,760 × 5m × 2 instruments" when every instrument has that
 * count and timeframe, else each instrument's own ("FILE:XRP/ETH 2,469 × 1m, FILE:XRP5/ETH 706 × 5m").
 */
export function formatBarCounts(counts: readonly BarCount[]): string {
  const first = counts[0];
  if (first === undefined) return '0';
  const bars = (count: BarCount): string => `${formatNumber(count.bars, 0)} × ${formatTimeframe(count.timeframeMs)}`;
  if (counts.every((c) => c.bars === first.bars && c.timeframeMs === first.timeframeMs)) {
    return counts.length === 1 ? bars(first) : `${bars(first)} × ${counts.length} instruments`;
  }
  return counts.map((c) => `${c.instrument} ${bars(c)}`).join(', ');
}

/** Epoch ms as "YYYY-MM-DD HH:MM" UTC (seconds shown only when not zero). */
export function formatTimestamp(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  const iso = new Date(ms).toISOString();
  const seconds = iso.slice(16, 23);
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}${seconds === ':00.000' ? '' : seconds.slice(0, 3)}`;
}

/** Epoch ms as "YYYY-MM-DD" UTC. */
export function formatDate(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 10) : '—';
}

/** Strategy parameters as "key=value" pairs in key order. */
export function formatParams(params: Readonly<Record<string, number | string>>): string {
  const keys = Object.keys(params).sort();
  return keys.length === 0 ? '(none)' : keys.map((key) => `${key}=${String(params[key])}`).join(' ');
}

/** Decimals that show a tick step exactly: 0 for 5, 1 for 2.5 or 0.5, 2 for 0.05 (at most 12). */
function stepDecimals(step: number): number {
  if (!(step > 0)) return 0;
  for (let decimals = 0; decimals < 12; decimals++) {
    const scaled = step * 10 ** decimals;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-9 * Math.max(1, scaled)) return decimals;
  }
  return 12;
}

/** An axis label: thousands as k, millions as M, billions as B once the tick step reaches them (150M, 20.5k). */
export function formatAxisNumber(value: number, step: number): string {
  const units: readonly [number, string][] = [
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  const unit = units.find(([size]) => step >= size / 10 && Math.abs(value) >= size) ?? [1, ''];
  const scaledStep = step / unit[0];
  return `${formatNumber(value / unit[0], stepDecimals(scaledStep))}${unit[1]}`;
}

/** An axis label for a fraction shown as a percentage, with the decimals the step needs. */
export function formatAxisPercent(value: number, step: number): string {
  return `${formatNumber(value * 100, stepDecimals(step * 100))}%`;
}

/** Refused orders in one line: the count, the most frequent reason with an example, then the others by count. */
export function formatRefusals(refusals: { readonly total: number; readonly reasons: readonly { readonly code: string; readonly count: number; readonly example: string }[] }): string {
  const top = refusals.reasons[0];
  const others = refusals.reasons.slice(1).map((r) => `${r.code} ${formatNumber(r.count, 0)}`);
  return `${formatNumber(refusals.total, 0)} order${refusals.total === 1 ? '' : 's'}: ${top === undefined ? '' : `${top.code} ${formatNumber(top.count, 0)} (e.g. ${top.example})`}${others.length > 0 ? `; ${others.join(', ')}` : ''}`;
}
