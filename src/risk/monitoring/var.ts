import { FixRequestError } from '../../core/errors.js';
import type { Fixed } from '../../core/fixed.js';
import type { InstrumentId } from '../../core/ids.js';
import type { Instrument } from '../../domain/instrument.js';
import { normalPdf, normalQuantile } from './normal.js';

/** Signed market value of a position in the settlement currency (long > 0, short < 0). */
export interface Exposure {
  readonly instrumentId: InstrumentId;
  readonly value: number;
}

/** Simple per-period returns of one instrument, oldest first, all series ending at the same (latest) period. */
export interface ReturnHistory {
  readonly instrumentId: InstrumentId;
  readonly returns: readonly number[];
}

export interface VarRequest {
  readonly exposures: readonly Exposure[];
  readonly histories: readonly ReturnHistory[];
  /** One-sided confidence level α, e.g. 0.95 or 0.99. */
  readonly confidence: number;
  /** Horizon in return periods (default 1); one-period figures are scaled by √horizon. */
  readonly horizonPeriods?: number;
  /** Fewest common observations accepted (default 30, never below 2). */
  readonly minObservations?: number;
}

export type VarMethod = 'historical' | 'parametric';

/**
 * VaR and CVaR are losses, reported as amounts of at least 0 in the settlement currency: a historical window in which
 * even the α-quantile is a gain (a long through a window that only rose) has VaR 0, not a negative loss.
 */
export interface VarResult {
  readonly method: VarMethod;
  readonly confidence: number;
  readonly horizonPeriods: number;
  readonly valueAtRisk: number;
  readonly conditionalValueAtRisk: number;
  /** Common observations used (0 when there is no exposure). */
  readonly observations: number;
  readonly grossExposure: number;
  readonly netExposure: number;
  /** Parametric only: one-period standard deviation of portfolio P&L, in the settlement currency. */
  readonly portfolioSigma?: number;
}

export const DEFAULT_MIN_OBSERVATIONS = 30;

/** The exposure of a position: quantity × contract size × mark, converted to a float for analytics. */
export function exposureOf(instrument: Instrument, quantity: Fixed, mark: Fixed): Exposure {
  return { instrumentId: instrument.id, value: quantity.mul(instrument.contractSize).mul(mark).toNumber() };
}

/** Exposures netted per instrument, zero values dropped, in first-seen order. */
export function netExposures(exposures: readonly Exposure[]): Exposure[] {
  const byInstrument = new Map<InstrumentId, number>();
  for (const exposure of exposures) {
    if (!Number.isFinite(exposure.value)) {
      throw new FixRequestError('invalid_exposure', `Exposure of ${exposure.instrumentId} must be a finite number, got ${exposure.value}.`);
    }
    byInstrument.set(exposure.instrumentId, (byInstrument.get(exposure.instrumentId) ?? 0) + exposure.value);
  }
  return [...byInstrument].filter(([, value]) => value !== 0).map(([instrumentId, value]) => ({ instrumentId, value }));
}

/** Positions and return series lined up for the instruments that carry exposure. */
export interface AlignedPortfolio {
  readonly exposures: readonly Exposure[];
  /** returns[i][t]: return of exposures[i] in common period t (oldest first). */
  readonly returns: readonly (readonly number[])[];
  readonly observations: number;
}

/**
 * Lines up the histories of every exposed instrument on their common tail: series of different lengths are
 * assumed to end at the same latest period, so the most recent min(length) returns of each are used.
 */
export function alignPortfolio(
  exposures: readonly Exposure[],
  histories: readonly ReturnHistory[],
  minObservations: number = DEFAULT_MIN_OBSERVATIONS,
): AlignedPortfolio {
  const netted = netExposures(exposures);
  if (netted.length === 0) return { exposures: [], returns: [], observations: 0 };
  const required = Math.max(2, Math.ceil(minObservations));
  const byInstrument = new Map(histories.map((history) => [history.instrumentId, history.returns]));
  const series = netted.map((exposure) => {
    const returns = byInstrument.get(exposure.instrumentId);
    if (returns === undefined) {
      throw new FixRequestError('missing_return_history', `No return history for ${exposure.instrumentId}, which has an exposure of ${exposure.value}.`);
    }
    if (returns.length < required) {
      throw new FixRequestError(
        'insufficient_return_history',
        `Return history of ${exposure.instrumentId} has ${returns.length} observations; at least ${required} are needed.`,
      );
    }
    const bad = returns.findIndex((value) => !Number.isFinite(value));
    if (bad >= 0) {
      throw new FixRequestError('invalid_return_history', `Return ${bad} of ${exposure.instrumentId} is not a finite number (${returns[bad]}).`);
    }
    return returns;
  });
  const observations = Math.min(...series.map((returns) => returns.length));
  return { exposures: netted, returns: series.map((returns) => returns.slice(returns.length - observations)), observations };
}

/** Portfolio P&L in each common historical period: Σᵢ valueᵢ × rᵢ,ₜ. */
export function historicalPnl(portfolio: AlignedPortfolio): number[] {
  const pnl = new Array<number>(portfolio.observations).fill(0);
  portfolio.exposures.forEach((exposure, i) => {
    const returns = portfolio.returns[i] ?? [];
    for (let t = 0; t < portfolio.observations; t += 1) pnl[t] = (pnl[t] ?? 0) + exposure.value * (returns[t] ?? 0);
  });
  return pnl;
}

/**
 * Empirical VaR and CVaR of a loss sample at confidence α.
 * VaR is the lower empirical α-quantile of the losses: with losses sorted ascending L(1) ≤ … ≤ L(n),
 * VaR = L(k), k = ⌈n·α⌉ (the smallest loss l with at least α of the sample at or below it).
 * CVaR is the tail mean 1/(1−α)·∫_α^1 q(u) du of the empirical distribution: the losses strictly above rank k,
 * plus VaR weighted by the part of the (1−α) tail they leave uncovered. When n·(1−α) is a whole number it is
 * simply the mean of the n·(1−α) largest losses; when the sample is too short for any loss beyond rank k,
 * CVaR equals VaR.
 */
export function empiricalTail(losses: readonly number[], confidence: number): { valueAtRisk: number; conditionalValueAtRisk: number } {
  assertConfidence(confidence);
  const n = losses.length;
  if (n === 0) return { valueAtRisk: 0, conditionalValueAtRisk: 0 };
  const k = Math.min(n, Math.max(1, Math.ceil(snapToWhole(n * confidence))));
  // Only ranks k..n are read: VaR, then the losses beyond it.
  const tail = largestAscending(losses, n - k + 1);
  const valueAtRisk = tail[0] ?? 0;
  const tailWeight = snapToWhole(n * (1 - confidence));
  const beyond = tail.length - 1;
  let beyondSum = 0;
  for (let i = 1; i < tail.length; i++) beyondSum += tail[i] as number;
  const conditionalValueAtRisk = (beyondSum + valueAtRisk * Math.max(0, tailWeight - beyond)) / Math.max(tailWeight, beyond);
  return { valueAtRisk, conditionalValueAtRisk };
}

/**
 * The `count` largest values, ascending. At the usual confidences the tail is a handful of values: picking them
 * in one pass spares the monitor a sort of the whole window at every assessment.
 */
function largestAscending(values: readonly number[], count: number): Float64Array {
  if (count > 32) return Float64Array.from(values).sort().subarray(values.length - count);
  const top = new Float64Array(count);
  let size = 0;
  for (const value of values) {
    if (size < count) {
      let at = size++;
      for (; at > 0 && (top[at - 1] as number) > value; at--) top[at] = top[at - 1] as number;
      top[at] = value;
    } else if (value > (top[0] as number)) {
      let at = 0;
      for (; at + 1 < count && (top[at + 1] as number) < value; at++) top[at] = top[at + 1] as number;
      top[at] = value;
    }
  }
  return top;
}

/**
 * Historical-simulation VaR/CVaR: every common historical period is a scenario whose P&L is Σ valueᵢ × rᵢ,ₜ on
 * today's positions. One-period figures are scaled by √horizon (i.i.d. returns), not by overlapping h-period sums.
 */
export function historicalVar(request: VarRequest): VarResult {
  const { horizonPeriods, portfolio } = prepare(request);
  const losses = historicalPnl(portfolio).map((pnl) => -pnl);
  const tail = empiricalTail(losses, request.confidence);
  const scale = Math.sqrt(horizonPeriods);
  return {
    method: 'historical',
    confidence: request.confidence,
    horizonPeriods,
    valueAtRisk: Math.max(0, tail.valueAtRisk) * scale,
    conditionalValueAtRisk: Math.max(0, tail.conditionalValueAtRisk) * scale,
    observations: portfolio.observations,
    ...exposureTotals(portfolio.exposures),
  };
}

/** Sample covariance matrix (n − 1 denominator) of aligned return series. */
export function sampleCovariance(returns: readonly (readonly number[])[]): number[][] {
  const n = returns[0]?.length ?? 0;
  if (n < 2) throw new FixRequestError('insufficient_return_history', `A sample covariance needs at least 2 observations, got ${n}.`);
  const means = returns.map((series) => series.reduce((sum, value) => sum + value, 0) / n);
  return returns.map((a, i) =>
    returns.map((b, j) => {
      let sum = 0;
      for (let t = 0; t < n; t += 1) sum += ((a[t] ?? 0) - (means[i] ?? 0)) * ((b[t] ?? 0) - (means[j] ?? 0));
      return sum / (n - 1);
    }),
  );
}

/** One-period standard deviation of portfolio P&L: σ_p = √(vᵀ Σ v), v the signed position values. */
export function portfolioSigma(values: readonly number[], covariance: readonly (readonly number[])[]): number {
  let variance = 0;
  values.forEach((vi, i) => values.forEach((vj, j) => (variance += vi * vj * (covariance[i]?.[j] ?? 0))));
  return Math.sqrt(Math.max(0, variance));
}

/**
 * Normal (variance–covariance) VaR/CVaR from a one-period P&L σ, zero mean:
 * VaR = z_α · σ_p · √h and CVaR = φ(z_α)/(1 − α) · σ_p · √h, with z_α = Φ⁻¹(α).
 */
export function normalTail(sigma: number, confidence: number, horizonPeriods: number): { valueAtRisk: number; conditionalValueAtRisk: number } {
  assertConfidence(confidence);
  const z = normalQuantile(confidence);
  const scaled = sigma * Math.sqrt(horizonPeriods);
  return { valueAtRisk: z * scaled, conditionalValueAtRisk: (normalPdf(z) / (1 - confidence)) * scaled };
}

/** Parametric VaR/CVaR: σ_p from the sample covariance of the common return tail, normal P&L with zero mean. */
export function parametricVar(request: VarRequest): VarResult {
  const { horizonPeriods, portfolio } = prepare(request);
  const sigma = portfolio.observations === 0 ? 0 : portfolioSigma(portfolio.exposures.map((e) => e.value), sampleCovariance(portfolio.returns));
  return {
    method: 'parametric',
    confidence: request.confidence,
    horizonPeriods,
    ...normalTail(sigma, request.confidence, horizonPeriods),
    observations: portfolio.observations,
    ...exposureTotals(portfolio.exposures),
    portfolioSigma: sigma,
  };
}

export function exposureTotals(exposures: readonly Exposure[]): { grossExposure: number; netExposure: number } {
  return {
    grossExposure: exposures.reduce((sum, e) => sum + Math.abs(e.value), 0),
    netExposure: exposures.reduce((sum, e) => sum + e.value, 0),
  };
}

export function assertConfidence(confidence: number): void {
  if (!(confidence > 0 && confidence < 1)) {
    throw new FixRequestError('invalid_confidence', `VaR confidence must be strictly between 0 and 1 (e.g. 0.99), got ${confidence}.`);
  }
}

export function assertHorizon(horizonPeriods: number): void {
  if (!(Number.isFinite(horizonPeriods) && horizonPeriods > 0)) {
    throw new FixRequestError('invalid_horizon', `VaR horizon must be a positive number of periods, got ${horizonPeriods}.`);
  }
}

/** Float products like 100 × 0.95 = 95.00000000000001 are meant to be whole; treat them so. */
function snapToWhole(value: number): number {
  const whole = Math.round(value);
  return Math.abs(value - whole) < 1e-9 ? whole : value;
}

function prepare(request: VarRequest): { horizonPeriods: number; portfolio: AlignedPortfolio } {
  assertConfidence(request.confidence);
  const horizonPeriods = request.horizonPeriods ?? 1;
  assertHorizon(horizonPeriods);
  return { horizonPeriods, portfolio: alignPortfolio(request.exposures, request.histories, request.minObservations) };
}
