/** Shared benchmark helpers: timing on the monotonic clock and the one-JSON-line-per-figure output. */
import { monotonicNs } from '../src/core/clock.js';

export interface Figure {
  readonly bench: string;
  readonly value: number;
  readonly unit: string;
}

/** Prints a readable line and the machine line `{"bench": ..., "value": ..., "unit": ...}`. */
export function report(bench: string, value: number, unit: string, note = ''): Figure {
  const rounded = value >= 100 ? Math.round(value) : Number(value.toPrecision(4));
  console.log(`${bench}: ${rounded.toLocaleString('en-US')} ${unit}${note ? `  (${note})` : ''}`);
  console.log(JSON.stringify({ bench, value: rounded, unit }));
  return { bench, value: rounded, unit };
}

/** Runs `fn` once to warm up, then `rounds` times; returns the best elapsed seconds. */
export function bestOf(rounds: number, fn: () => void): number {
  fn();
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < rounds; i++) {
    const start = monotonicNs();
    fn();
    const seconds = Number(monotonicNs() - start) / 1e9;
    if (seconds < best) best = seconds;
  }
  return best;
}
