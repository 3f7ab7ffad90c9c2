import { FixRequestError } from '../../core/errors.js';
import type { SeededRandom } from '../../core/random.js';
import { DAY_MS, HOUR_MS } from '../../core/time.js';

/** Regime labels; a bar's label is its index in this list. `random-walk` is used only when regimes are off. */
export const REGIMES = ['random-walk', 'ranging', 'trending-up', 'trending-down', 'crash'] as const;
export type Regime = (typeof REGIMES)[number];
export type MarketRegime = Exclude<Regime, 'random-walk'>;
export const MARKET_REGIMES: readonly MarketRegime[] = ['ranging', 'trending-up', 'trending-down', 'crash'];

export const RANDOM_WALK = 0;

/** How prices behave inside a regime; moves and drifts are in units of each instrument's annual volatility. */
export interface RegimeBehaviour {
  /** Expected log-price move over one average-length episode, in annual vols (crash -0.5: a 60%-vol coin drops ~26%). */
  readonly episodeMoveVols: number;
  /** Multiplies the GARCH volatility of every shock inside the regime. */
  readonly volatilityMultiplier: number;
  /** Half-life of the pull back to the price at which the regime began; undefined for no pull. */
  readonly meanReversionHalfLifeMs: number | undefined;
  readonly volumeMultiplier: number;
  /** Level the perpetual's premium over mark drifts towards (0.001 = 10 bps). */
  readonly basisTarget: number;
}

export const DEFAULT_AVERAGE_DURATION_MS: Readonly<Record<MarketRegime, number>> = {
  ranging: 12 * DAY_MS,
  'trending-up': 10 * DAY_MS,
  'trending-down': 8 * DAY_MS,
  crash: 36 * HOUR_MS,
};

export const DEFAULT_BEHAVIOUR: Readonly<Record<Regime, RegimeBehaviour>> = {
  'random-walk': { episodeMoveVols: 0, volatilityMultiplier: 1, meanReversionHalfLifeMs: undefined, volumeMultiplier: 1, basisTarget: 0.0002 },
  ranging: { episodeMoveVols: 0, volatilityMultiplier: 0.7, meanReversionHalfLifeMs: 2 * DAY_MS, volumeMultiplier: 0.8, basisTarget: 0.0002 },
  'trending-up': { episodeMoveVols: 0.3, volatilityMultiplier: 1, meanReversionHalfLifeMs: undefined, volumeMultiplier: 1.1, basisTarget: 0.0015 },
  'trending-down': { episodeMoveVols: -0.3, volatilityMultiplier: 1.2, meanReversionHalfLifeMs: undefined, volumeMultiplier: 1.2, basisTarget: -0.0008 },
  crash: { episodeMoveVols: -0.5, volatilityMultiplier: 3, meanReversionHalfLifeMs: undefined, volumeMultiplier: 2.5, basisTarget: -0.004 },
};

/**
 * Where a regime goes when it ends (weights per row; the diagonal is the "stay" probability, set from the average
 * duration). Crashes come mostly out of trends down and resolve into ranges; trends mostly fade into ranges.
 */
export const TRANSITION_WEIGHTS: Readonly<Record<MarketRegime, Readonly<Record<MarketRegime, number>>>> = {
  ranging: { ranging: 0, 'trending-up': 0.5, 'trending-down': 0.45, crash: 0.05 },
  'trending-up': { ranging: 0.7, 'trending-up': 0, 'trending-down': 0.25, crash: 0.05 },
  'trending-down': { ranging: 0.55, 'trending-up': 0.3, 'trending-down': 0, crash: 0.15 },
  crash: { ranging: 0.6, 'trending-up': 0.15, 'trending-down': 0.25, crash: 0 },
};

export interface RegimeOptions {
  /** Mean time spent in each regime before switching (a geometric duration, in ms). */
  readonly averageDurationMs?: Partial<Record<MarketRegime, number>>;
  readonly behaviour?: Partial<Record<MarketRegime, Partial<RegimeBehaviour>>>;
  /** The regime of the first bar (default ranging). */
  readonly initial?: MarketRegime;
}

export interface ResolvedRegimes {
  readonly enabled: boolean;
  /** Per regime code: the behaviour and the average duration in bars (at least 1). */
  readonly behaviour: readonly RegimeBehaviour[];
  readonly durationBars: Float64Array;
  /** Per regime code: the long-run share of bars the chain spends in it (sums to 1). */
  readonly timeShare: Float64Array;
  readonly initial: number;
}

export function resolveRegimes(option: boolean | RegimeOptions | undefined, timeframeMs: number): ResolvedRegimes {
  const enabled = option !== false;
  const options: RegimeOptions = typeof option === 'object' ? option : {};
  const durationBars = new Float64Array(REGIMES.length).fill(Number.POSITIVE_INFINITY);
  const behaviour: RegimeBehaviour[] = [DEFAULT_BEHAVIOUR['random-walk']];
  for (const regime of MARKET_REGIMES) {
    const durationMs = options.averageDurationMs?.[regime] ?? DEFAULT_AVERAGE_DURATION_MS[regime];
    if (!(Number.isFinite(durationMs) && durationMs > 0)) {
      throw new FixRequestError('invalid_regime', `the average duration of ${regime} must be a positive number of ms, got ${durationMs}`);
    }
    durationBars[codeOf(regime)] = Math.max(1, durationMs / timeframeMs);
    behaviour.push({ ...DEFAULT_BEHAVIOUR[regime], ...options.behaviour?.[regime] });
  }
  const initial = enabled ? codeOf(options.initial ?? 'ranging') : RANDOM_WALK;
  const timeShare = new Float64Array(REGIMES.length);
  if (enabled) timeShare.set(stationaryTimeShare(durationBars), 0);
  else timeShare[RANDOM_WALK] = 1;
  return { enabled, behaviour, durationBars, timeShare, initial };
}

/**
 * The long-run share of time in each regime: the stationary distribution of the jump chain (TRANSITION_WEIGHTS,
 * found by iterating its lazy version, which always converges) weighted by each regime's average duration.
 */
function stationaryTimeShare(durationBars: Float64Array): Float64Array {
  const n = MARKET_REGIMES.length;
  let visits = new Float64Array(n).fill(1 / n);
  for (let iteration = 0; iteration < 2000; iteration++) {
    const next = new Float64Array(n);
    MARKET_REGIMES.forEach((from, i) => {
      const weights = TRANSITION_WEIGHTS[from];
      const total = MARKET_REGIMES.reduce((sum, to) => sum + weights[to], 0);
      next[i] = (next[i] as number) + (visits[i] as number) / 2;
      MARKET_REGIMES.forEach((to, j) => {
        next[j] = (next[j] as number) + ((visits[i] as number) * weights[to]) / total / 2;
      });
    });
    visits = next;
  }
  const share = new Float64Array(REGIMES.length);
  let total = 0;
  MARKET_REGIMES.forEach((regime, i) => {
    const weight = (visits[i] as number) * (durationBars[codeOf(regime)] as number);
    share[codeOf(regime)] = weight;
    total += weight;
  });
  for (let code = 0; code < share.length; code++) share[code] = (share[code] as number) / total;
  return share;
}

export function codeOf(regime: Regime): number {
  const code = REGIMES.indexOf(regime);
  if (code < 0) throw new FixRequestError('invalid_regime', `"${regime}" is not a regime; use one of ${REGIMES.join(', ')}`);
  return code;
}

/** A Markov chain over the market regimes; every bar it stays with probability 1 - 1/duration. */
export class RegimeChain {
  private current: number;
  private readonly stay: Float64Array;
  /** Per regime code, cumulative switch probabilities over the codes (row-major). */
  private readonly cumulative: Float64Array;

  constructor(
    private readonly regimes: ResolvedRegimes,
    private readonly random: SeededRandom,
  ) {
    const n = REGIMES.length;
    this.current = regimes.initial;
    this.stay = new Float64Array(n);
    this.cumulative = new Float64Array(n * n);
    for (const from of MARKET_REGIMES) {
      const code = codeOf(from);
      this.stay[code] = 1 - 1 / (regimes.durationBars[code] as number);
      const weights = TRANSITION_WEIGHTS[from];
      const total = MARKET_REGIMES.reduce((sum, to) => sum + weights[to], 0);
      let running = 0;
      let last = 0;
      for (let to = 0; to < n; to++) {
        const target = REGIMES[to] as Regime;
        if (target !== 'random-walk' && weights[target] > 0) {
          running += weights[target] / total;
          last = to;
        }
        this.cumulative[code * n + to] = running;
      }
      // Rounding must never leave a sliver of probability past the last real target.
      for (let to = last; to < n; to++) this.cumulative[code * n + to] = 1;
    }
  }

  /** The regime of the next bar (the first call returns the initial regime). */
  next(first: boolean): number {
    if (!this.regimes.enabled || first) return this.current;
    const code = this.current;
    if (this.random.next() < (this.stay[code] as number)) return code;
    const draw = this.random.next();
    const n = REGIMES.length;
    for (let to = 1; to < n; to++) {
      if (draw < (this.cumulative[code * n + to] as number)) {
        this.current = to;
        return to;
      }
    }
    return code;
  }
}
