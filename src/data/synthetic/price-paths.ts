import { FixRequestError } from '../../core/errors.js';
import { choleskyFactor, identityCorrelation } from './correlation.js';

const TOLERANCE = 1e-9;

/** What decides an instrument's price path. */
export interface PathInstrument {
  /** ccxt-style: `BTC/USDT` spot, `BTC/USDT:USDT` perpetual. */
  readonly symbol: string;
  readonly startPrice: number;
  readonly annualVol: number;
  readonly drift: number;
}

export interface PricePaths {
  /** The path each instrument trades on, by instrument index. */
  readonly pathOf: readonly number[];
  /** The instrument whose price each path is (the spot when one is listed, else the first instrument listed). */
  readonly leaders: readonly number[];
  /** The lower-triangular Cholesky factor (row-major, paths × paths) of the paths' correlation. */
  readonly cholesky: Float64Array;
}

/**
 * One price path per base/quote: a spot and the perpetuals of its pair are one market, so they share a path and
 * the perpetuals trade at it times one plus their own premium (left independent, a spot and its perpetual would
 * drift apart like two unrelated coins). The path is the spot's price, or the first perpetual's when no spot is
 * listed. Instruments on one path must start at one price with one volatility and drift.
 *
 * `correlation` is over the instruments, in their order (default: independent paths); an instrument on another's
 * path must have correlation 1 with it and repeat its row, since it cannot move on its own.
 */
export function pricePaths(instruments: readonly PathInstrument[], correlation: readonly (readonly number[])[] | undefined): PricePaths {
  const leaderOf = new Map<string, number>();
  instruments.forEach((instrument, i) => {
    const pair = pairOf(instrument.symbol);
    if (!leaderOf.has(pair) || instrument.symbol === pair) leaderOf.set(pair, i);
  });
  const leaders = [...leaderOf.values()].sort((a, b) => a - b);
  const pathIndex = new Map(leaders.map((leader, path) => [leader, path]));
  const pathOf = instruments.map((instrument, i) => {
    const leader = leaderOf.get(pairOf(instrument.symbol)) as number;
    if (leader !== i) assertSamePath(instruments[leader] as PathInstrument, instrument);
    return pathIndex.get(leader) as number;
  });
  if (correlation === undefined) return { pathOf, leaders, cholesky: choleskyFactor(identityCorrelation(leaders.length)) };
  const n = instruments.length;
  if (correlation.length !== n || correlation.some((row) => row.length !== n)) {
    throw new FixRequestError('invalid_correlation', `the correlation matrix must be ${n}×${n} for ${n} instruments`);
  }
  instruments.forEach((instrument, i) => {
    const leader = leaders[pathOf[i] as number] as number;
    if (leader === i) return;
    const name = (instruments[leader] as PathInstrument).symbol;
    for (let k = 0; k < n; k++) {
      const expected = k === i || k === leader ? 1 : (correlation[leader]?.[k] as number);
      for (const value of [correlation[i]?.[k], correlation[k]?.[i]]) {
        if (!(Math.abs((value as number) - expected) <= TOLERANCE)) {
          throw new FixRequestError(
            'invalid_correlation',
            `${instrument.symbol} trades on ${name}'s price path: its correlation with ${name} must be 1 and with every other instrument the same as ${name}'s`,
          );
        }
      }
    }
  });
  return { pathOf, leaders, cholesky: choleskyFactor(leaders.map((a) => leaders.map((b) => correlation[a]?.[b] as number))) };
}

/** `BTC/USDT` for `BTC/USDT` and `BTC/USDT:USDT`. */
function pairOf(symbol: string): string {
  const colon = symbol.indexOf(':');
  return colon < 0 ? symbol : symbol.slice(0, colon);
}

function assertSamePath(leader: PathInstrument, follower: PathInstrument): void {
  for (const key of ['startPrice', 'annualVol', 'drift'] as const) {
    if (leader[key] !== follower[key]) {
      throw new FixRequestError(
        'invalid_synthetic',
        `${follower.symbol} trades on ${leader.symbol}'s price path, so its ${key} must be ${leader.symbol}'s (${leader[key]}), got ${follower[key]}`,
      );
    }
  }
}
