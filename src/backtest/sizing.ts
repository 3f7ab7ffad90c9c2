import { FixRequestError } from '../core/errors.js';

/** How big a new position is. Quantities are rounded down to the instrument's lot by the risk gate. */
export type Sizing =
  | { readonly kind: 'fixed-quantity'; readonly quantity: number }
  | { readonly kind: 'fixed-notional'; readonly notional: number }
  /** A share of current equity, e.g. 0.5 = half of equity per position. */
  | { readonly kind: 'percent-equity'; readonly fraction: number }
  /** Scale so the position's annualised volatility is `annualVol` of equity (realised over `lookback` bars). */
  | { readonly kind: 'volatility-target'; readonly annualVol: number; readonly lookback: number };

export function sizingProblem(sizing: Sizing): string | undefined {
  switch (sizing.kind) {
    case 'fixed-quantity':
      return sizing.quantity > 0 && Number.isFinite(sizing.quantity) ? undefined : `quantity must be positive, got ${sizing.quantity}`;
    case 'fixed-notional':
      return sizing.notional > 0 && Number.isFinite(sizing.notional) ? undefined : `notional must be positive, got ${sizing.notional}`;
    case 'percent-equity':
      return sizing.fraction > 0 && sizing.fraction <= 10 ? undefined : `equity fraction must be in (0, 10], got ${sizing.fraction}`;
    case 'volatility-target':
      if (!(sizing.annualVol > 0)) return `target volatility must be positive, got ${sizing.annualVol}`;
      return Number.isInteger(sizing.lookback) && sizing.lookback >= 2 ? undefined : `lookback must be an integer >= 2, got ${sizing.lookback}`;
  }
}

export function assertSizing(sizing: Sizing): void {
  const problem = sizingProblem(sizing);
  if (problem !== undefined) throw new FixRequestError('invalid_sizing', `sizing ${sizing.kind}: ${problem}`);
}

/** Bars of history the sizing needs before it can size a position (the volatility target's lookback). */
export function sizingWarmup(sizing: Sizing): number {
  return sizing.kind === 'volatility-target' ? sizing.lookback : 0;
}

/**
 * The quantity for a new position at `price`, scaled by conviction for the equity-relative modes.
 * `closes` are the instrument's closes up to now (for the volatility target); `barsPerYear` annualises.
 */
export function positionSize(
  sizing: Sizing,
  price: number,
  equity: number,
  conviction: number,
  closes: Float64Array,
  index: number,
  barsPerYear: number,
): number {
  const scale = Math.min(1, Math.max(0, conviction));
  switch (sizing.kind) {
    case 'fixed-quantity':
      return sizing.quantity;
    case 'fixed-notional':
      return sizing.notional / price;
    case 'percent-equity':
      return (Math.max(0, equity) * sizing.fraction * scale) / price;
    case 'volatility-target': {
      const vol = realisedVolatility(closes, index, sizing.lookback) * Math.sqrt(barsPerYear);
      if (!(vol > 0)) return 0;
      return (Math.max(0, equity) * (sizing.annualVol / vol) * scale) / price;
    }
  }
}

/** Sample standard deviation of log returns over the `lookback` bars ending at `index`. */
export function realisedVolatility(closes: Float64Array, index: number, lookback: number): number {
  const start = index - lookback;
  if (start < 0) return 0;
  let sum = 0;
  let sumSq = 0;
  for (let i = start + 1; i <= index; i++) {
    const r = Math.log((closes[i] as number) / (closes[i - 1] as number));
    sum += r;
    sumSq += r * r;
  }
  const n = lookback;
  const mean = sum / n;
  return Math.sqrt(Math.max(0, (sumSq - n * mean * mean) / (n - 1)));
}
