/**
 * The canonical CSV layout, `timestamp,open,high,low,close,volume` with epoch-ms timestamps. Numbers are written
 * in JavaScript's shortest round-trip form, so parsing the text gives back exactly the same doubles.
 */
import type { BarSeries } from '../bar-series.js';

export const CANONICAL_CSV_HEADER = 'timestamp,open,high,low,close,volume';

/** Rows [from, to) of a series as canonical CSV lines, each ending in `\n` (no header). */
export function formatBarsCsvRows(series: BarSeries, from = 0, to = series.length): string {
  const { ts, open, high, low, close, volume } = series;
  const lines: string[] = [];
  for (let i = from; i < to; i++) {
    lines.push(`${ts[i]},${open[i]},${high[i]},${low[i]},${close[i]},${volume[i]}\n`);
  }
  return lines.join('');
}

/** A whole series as canonical CSV, header first. */
export function formatBarsCsv(series: BarSeries): string {
  return `${CANONICAL_CSV_HEADER}\n${formatBarsCsvRows(series)}`;
}
