import type { InstrumentId } from '../../core/ids.js';
import type { ReturnHistory } from './var.js';

/** The closed bars of one instrument, oldest first: open times, closes, and the bar length (close time = open + length). */
export interface ClosedBars {
  readonly instrumentId: InstrumentId;
  readonly ts: ArrayLike<number>;
  readonly close: ArrayLike<number>;
  readonly timeframeMs: number;
}

export interface CommonReturns {
  /** One series per instrument, in the order given, each of the same length: return t of each is over the same span. */
  readonly histories: ReturnHistory[];
  /** Returns each instrument has on its own (its closed bars less one), for saying why too few are in common. */
  readonly available: ReadonlyMap<InstrumentId, number>;
}

/**
 * Returns of every instrument between consecutive close times they all share, the last `count` of them. Pairing
 * by time, not by position in each series, keeps a portfolio's P&L scenarios true: an hourly and a daily series
 * give daily returns of both (the hourly closes at each daily close), and a bar missing from one series spans
 * the gap in every series alike. Close times at which a price is not positive are not shared.
 */
export function commonReturns(series: readonly ClosedBars[], count: number): CommonReturns {
  const available = new Map(series.map((s) => [s.instrumentId, Math.max(0, s.ts.length - 1)]));
  if (series.length === 0) return { histories: [], available };
  // Walk the coarsest series back (its last spacing is the widest) and look each of its close times up in the others.
  let reference = series[0] as ClosedBars;
  for (const s of series) if (spacing(s) > spacing(reference)) reference = s;
  const bounds = series.map((s) => s.ts.length);
  const at: number[][] = series.map(() => []);
  for (let i = reference.ts.length - 1; i >= 0 && (at[0] as number[]).length <= count; i--) {
    const time = (reference.ts[i] as number) + reference.timeframeMs;
    const found: number[] = [];
    for (let k = 0; k < series.length; k++) {
      const s = series[k] as ClosedBars;
      const index = find(s, time, bounds[k] as number);
      if (index < 0 || !((s.close[index] as number) > 0)) break;
      found.push(index);
    }
    if (found.length < series.length) continue;
    found.forEach((index, k) => {
      (at[k] as number[]).push(index);
      bounds[k] = index;
    });
  }
  const histories = series.map((s, k) => {
    const indices = (at[k] as number[]).reverse();
    const returns: number[] = [];
    for (let j = 1; j < indices.length; j++) returns.push((s.close[indices[j] as number] as number) / (s.close[indices[j - 1] as number] as number) - 1);
    return { instrumentId: s.instrumentId, returns };
  });
  return { histories, available };
}

function spacing(s: ClosedBars): number {
  const n = s.ts.length;
  return n < 2 ? s.timeframeMs : (s.ts[n - 1] as number) - (s.ts[n - 2] as number);
}

/** Index of the bar of `s` closing at `time`, among the first `end` bars, or −1. */
function find(s: ClosedBars, time: number, end: number): number {
  const open = time - s.timeframeMs;
  // The usual case, series of one timeframe without gaps: the bar just before the last one found.
  if (end > 0 && s.ts[end - 1] === open) return end - 1;
  let low = 0;
  let high = end - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const value = s.ts[mid] as number;
    if (value === open) return mid;
    if (value < open) low = mid + 1;
    else high = mid - 1;
  }
  return -1;
}
