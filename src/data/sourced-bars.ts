import type { BarSeries } from './bar-series.js';

/**
 * A bar series with where each bar came from, so a check or an error can point at the line to fix.
 * `origins[i]` is the 1-based line of bar i in a text file (blank lines and the header counted), or its 1-based
 * record number in a file without lines (freqtrade JSON, feather); `originKind` says which.
 */
export interface SourcedBars {
  readonly source: string;
  readonly series: BarSeries;
  readonly origins: Uint32Array;
  readonly originKind: 'line' | 'record';
}

/** `line 12` or `record 12` for bar `index`. */
export function originOf(bars: SourcedBars, index: number): string {
  return `${bars.originKind} ${bars.origins[index] ?? index + 1}`;
}

/** Origins 1..n for a series read from records (or `first`..`first+n-1`). */
export function sequentialOrigins(length: number, first = 1): Uint32Array {
  const origins = new Uint32Array(length);
  for (let i = 0; i < length; i++) origins[i] = first + i;
  return origins;
}
