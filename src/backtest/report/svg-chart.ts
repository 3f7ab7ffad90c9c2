/**
 * Inline SVG time-series charts for the HTML report: lines (min/max downsampled to the plot width), an optional
 * filled area down to zero, buy/sell markers with hover titles, a nice-number y axis and a calendar-aware time
 * axis. Plain strings, no script, no external reference: the SVG renders in any browser offline.
 */
import { minMaxDownsample } from './downsample.js';
import { escapeHtml } from './format.js';

export interface ChartLine {
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
  /** CSS class giving the stroke (and the fill, with `area`). */
  readonly className: string;
  /** Fill between the line and y = 0. */
  readonly area?: boolean;
}

export interface ChartMarker {
  readonly x: number;
  readonly y: number;
  readonly side: 'buy' | 'sell';
  /** Hover text (plain text; escaped here). */
  readonly title: string;
}

export interface ChartOptions {
  readonly width: number;
  readonly height: number;
  /** Accessible name of the chart (plain text). */
  readonly label: string;
  readonly lines: readonly ChartLine[];
  readonly markers?: readonly ChartMarker[];
  /** Label of a y tick, given the step between ticks. */
  readonly formatY: (value: number, step: number) => string;
  /** Force y = 0 into the range (drawdown). */
  readonly includeZero?: boolean;
}

const MARGIN = { right: 12, top: 10, bottom: 24 } as const;
/** Width of one axis-label character at 11px, generously. */
const CHAR_WIDTH = 6.8;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const FIXED_STEPS = [
  1000, 5000, 15_000, 30_000, MINUTE, 5 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY,
  2 * DAY, 7 * DAY, 14 * DAY,
];
const MONTH_STEPS = [1, 2, 3, 6, 12, 24, 60, 120];

export function svgChart(options: ChartOptions): string {
  const { width, height } = options;
  const plotHeight = Math.max(10, height - MARGIN.top - MARGIN.bottom);
  const domain = xDomain(options.lines, options.markers ?? []);
  if (domain === undefined) {
    return `<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(options.label)}"><text x="${width / 2}" y="${height / 2}" text-anchor="middle" class="axis">no data</text></svg>`;
  }
  const [from, to] = domain;
  // Downsample to the widest possible plot first; the y range does not depend on the exact bucket count.
  const buckets = Math.max(10, width - MARGIN.right - 40);
  const sampled = options.lines.map((line) => ({ line, points: minMaxDownsample(line.x, line.y, buckets, domain) }));
  let low = options.includeZero ? 0 : Number.POSITIVE_INFINITY;
  let high = options.includeZero ? 0 : Number.NEGATIVE_INFINITY;
  for (const { points } of sampled) {
    for (const v of points.y) {
      if (v < low) low = v;
      if (v > high) high = v;
    }
  }
  for (const marker of options.markers ?? []) {
    if (marker.y < low) low = marker.y;
    if (marker.y > high) high = marker.y;
  }
  if (!Number.isFinite(low) || !Number.isFinite(high)) [low, high] = [0, 1];
  if (high - low < 1e-12 * Math.max(1, Math.abs(high))) {
    const pad = Math.abs(high) > 0 ? Math.abs(high) * 0.01 : 1;
    low -= pad;
    high += pad;
  }
  const yTicks = niceTicks(low, high, 6);
  const yStep = yTicks.length > 1 ? (yTicks[1] as number) - (yTicks[0] as number) : 1;
  const yLabels = yTicks.map((tick) => options.formatY(tick, yStep));
  const left = Math.ceil(10 + CHAR_WIDTH * Math.max(3, ...yLabels.map((label) => label.length)));
  const plotWidth = Math.max(10, width - left - MARGIN.right);
  const yLow = Math.min(low, yTicks[0] ?? low);
  const yHigh = Math.max(high, yTicks[yTicks.length - 1] ?? high);
  const sx = (x: number): number => left + (to > from ? ((x - from) / (to - from)) * plotWidth : plotWidth / 2);
  const sy = (y: number): number => MARGIN.top + (1 - (y - yLow) / (yHigh - yLow)) * plotHeight;

  const parts: string[] = [];
  parts.push(`<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(options.label)}">`);
  yTicks.forEach((tick, k) => {
    const y = sy(tick).toFixed(1);
    parts.push(`<line class="grid" x1="${left}" x2="${left + plotWidth}" y1="${y}" y2="${y}"/>`);
    parts.push(`<text class="axis" x="${left - 6}" y="${y}" dy="0.32em" text-anchor="end">${escapeHtml(yLabels[k] ?? '')}</text>`);
  });
  const xTicks = timeTicks(from, to, Math.max(2, Math.floor(plotWidth / 110)));
  for (const tick of xTicks.ticks) {
    const x = sx(tick).toFixed(1);
    parts.push(`<line class="grid" x1="${x}" x2="${x}" y1="${MARGIN.top}" y2="${MARGIN.top + plotHeight}"/>`);
    parts.push(`<text class="axis" x="${x}" y="${height - 6}" text-anchor="middle">${escapeHtml(xTicks.format(tick))}</text>`);
  }
  for (const { line, points } of sampled) {
    if (points.x.length === 0) continue;
    let path = '';
    for (let i = 0; i < points.x.length; i++) {
      path += `${i === 0 ? 'M' : 'L'}${sx(points.x[i] as number).toFixed(1)} ${sy(points.y[i] as number).toFixed(1)}`;
    }
    if (line.area) {
      const zero = sy(Math.min(Math.max(0, yLow), yHigh)).toFixed(1);
      const first = sx(points.x[0] as number).toFixed(1);
      const last = sx(points.x[points.x.length - 1] as number).toFixed(1);
      parts.push(`<path class="${line.className} area" d="${path}L${last} ${zero}L${first} ${zero}Z"/>`);
    } else {
      parts.push(`<path class="${line.className} line" d="${path}"/>`);
    }
  }
  for (const marker of options.markers ?? []) {
    const x = sx(marker.x);
    const y = sy(marker.y);
    const tip = marker.side === 'buy' ? y + 8 : y - 8;
    const d = `M${x.toFixed(1)} ${y.toFixed(1)}L${(x - 4).toFixed(1)} ${tip.toFixed(1)}L${(x + 4).toFixed(1)} ${tip.toFixed(1)}Z`;
    parts.push(`<path class="marker ${marker.side}" d="${d}"><title>${escapeHtml(marker.title)}</title></path>`);
  }
  parts.push(`<rect class="frame" x="${left}" y="${MARGIN.top}" width="${plotWidth}" height="${plotHeight}"/>`);
  parts.push('</svg>');
  return parts.join('');
}

function xDomain(lines: readonly ChartLine[], markers: readonly ChartMarker[]): [number, number] | undefined {
  let from = Number.POSITIVE_INFINITY;
  let to = Number.NEGATIVE_INFINITY;
  for (const line of lines) {
    const n = Math.min(line.x.length, line.y.length);
    if (n === 0) continue;
    from = Math.min(from, line.x[0] as number);
    to = Math.max(to, line.x[n - 1] as number);
  }
  for (const marker of markers) {
    from = Math.min(from, marker.x);
    to = Math.max(to, marker.x);
  }
  return Number.isFinite(from) && Number.isFinite(to) ? [from, to] : undefined;
}

/** About `count` round values (1, 2 or 5 times a power of ten apart) covering [low, high]. */
export function niceTicks(low: number, high: number, count: number): number[] {
  const raw = (high - low) / Math.max(1, count);
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  const normalised = raw / power;
  const step = (normalised <= 1 ? 1 : normalised <= 2 ? 2 : normalised <= 5 ? 5 : 10) * power;
  const ticks: number[] = [];
  const first = Math.floor(low / step);
  const last = Math.ceil(high / step);
  for (let k = first; k <= last; k++) ticks.push(k * step);
  return ticks;
}

/** Time-axis ticks at calendar-friendly steps (seconds to decades), at most `maxTicks` of them, UTC labels. */
export function timeTicks(from: number, to: number, maxTicks: number): { ticks: number[]; format: (ts: number) => string } {
  const span = Math.max(to - from, 1);
  const ticks: number[] = [];
  const fixed = FIXED_STEPS.find((step) => span / step <= maxTicks);
  if (fixed !== undefined) {
    for (let t = Math.ceil(from / fixed) * fixed; t <= to; t += fixed) ticks.push(t);
    const format = (ts: number): string => {
      const iso = new Date(ts).toISOString();
      if (fixed >= DAY) return iso.slice(0, 10);
      if (span <= DAY) return fixed < MINUTE ? iso.slice(11, 19) : iso.slice(11, 16);
      return `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
    };
    return { ticks, format };
  }
  const months = MONTH_STEPS.find((step) => span / (step * 30.44 * DAY) <= maxTicks) ?? Math.ceil(span / (maxTicks * 365.25 * DAY)) * 12;
  const start = new Date(from);
  let year = start.getUTCFullYear();
  let month = start.getUTCMonth();
  if (months >= 12) {
    const years = months / 12;
    year = Math.ceil((year + (month > 0 ? 1 : 0)) / years) * years;
    month = 0;
  } else {
    month = Math.ceil(month / months) * months;
  }
  for (;;) {
    const t = Date.UTC(year, month, 1);
    if (t > to) break;
    if (t >= from) ticks.push(t);
    month += months;
    year += Math.floor(month / 12);
    month %= 12;
  }
  const format = (ts: number): string => new Date(ts).toISOString().slice(0, months % 12 === 0 ? 4 : 7);
  return { ticks, format };
}
