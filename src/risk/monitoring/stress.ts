import { FixRequestError } from '../../core/errors.js';
import type { InstrumentId } from '../../core/ids.js';
import type { InstrumentKind } from '../../domain/instrument.js';
import { alignPortfolio, assertConfidence, assertHorizon, empiricalTail, normalTail, portfolioSigma, sampleCovariance, type Exposure, type ReturnHistory, type VarMethod } from './var.js';

export interface StressPosition extends Exposure {
  readonly kind: InstrumentKind;
  /** Maintenance margin rate of this perpetual; falls back to the account's rate. */
  readonly maintenanceRate?: number;
}

/** A relative price move (−0.1 = −10%) of one instrument, or of every instrument when instrumentId is absent. */
export interface PriceShock {
  readonly instrumentId?: InstrumentId;
  readonly change: number;
}

/** Multiplies the return σ of one instrument (or all) by `multiplier`; correlations are kept. */
export interface VolatilitySpike {
  readonly instrumentId?: InstrumentId;
  readonly multiplier: number;
}

/** Price shocks, volatility spikes, or both (a combined scenario). An instrument's own entry beats an all-instrument one. */
export interface StressScenario {
  readonly name: string;
  readonly priceShocks?: readonly PriceShock[];
  readonly volatilitySpikes?: readonly VolatilitySpike[];
}

/** One cross-margin account holding every position: all shocked P&L lands in its equity. */
export interface MarginAccount {
  readonly equity: number;
  readonly maintenanceRate: number;
}

/** What the VaR under a volatility spike is computed from, and by which method (default parametric). */
export interface StressVolatilityInputs {
  readonly histories: readonly ReturnHistory[];
  readonly method?: VarMethod;
  readonly confidence: number;
  readonly horizonPeriods?: number;
  readonly minObservations?: number;
}

export interface StressRequest {
  readonly positions: readonly StressPosition[];
  readonly scenarios: readonly StressScenario[];
  readonly margin?: MarginAccount;
  readonly volatility?: StressVolatilityInputs;
}

export interface StressedVar {
  readonly method: VarMethod;
  readonly confidence: number;
  readonly horizonPeriods: number;
  readonly valueAtRisk: number;
  readonly conditionalValueAtRisk: number;
  readonly portfolioSigma: number;
}

export interface MarginEffect {
  readonly equityBefore: number;
  readonly equityAfter: number;
  /** Σ over perpetuals of |shocked value| × maintenance rate. */
  readonly maintenanceBefore: number;
  readonly maintenanceAfter: number;
  /** equityAfter − maintenanceAfter; negative means the shock breaches maintenance (liquidation territory). */
  readonly bufferAfter: number;
  readonly breached: boolean;
}

export interface ScenarioResult {
  readonly name: string;
  readonly pnl: number;
  readonly pnlByInstrument: readonly { readonly instrumentId: InstrumentId; readonly pnl: number }[];
  /**
   * VaR on the shocked positions with the spiked σ (present when volatility inputs were given): parametric from the
   * scaled covariance, or historical from the common returns, each instrument's scaled by its multiplier.
   */
  readonly stressedVar?: StressedVar;
  /** Present when there are perpetual positions and a margin account. */
  readonly margin?: MarginEffect;
  readonly summary: string;
}

export interface StressReport {
  readonly results: readonly ScenarioResult[];
  /** The scenario with the most negative P&L (first on ties); undefined when no scenario loses money. */
  readonly worst: ScenarioResult | undefined;
  readonly marginBreaches: readonly ScenarioResult[];
  /** VaR by the same method with neither shock nor spike, for comparison with each stressedVar. */
  readonly baselineVar?: StressedVar;
}

/** One all-instrument price-shock scenario per size, e.g. [−0.1, −0.2, 0.15]. */
export function priceShockScenarios(changes: readonly number[], instrumentId?: InstrumentId): StressScenario[] {
  const target = instrumentId ?? 'all prices';
  return changes.map((change) => ({ name: `${target} ${signedPercent(change)}`, priceShocks: [{ instrumentId, change }] }));
}

/** One all-instrument volatility-spike scenario per multiplier, e.g. [2, 3]. */
export function volatilitySpikeScenarios(multipliers: readonly number[]): StressScenario[] {
  return multipliers.map((multiplier) => ({ name: `volatility ×${multiplier}`, volatilitySpikes: [{ multiplier }] }));
}

/** Runs every scenario against today's positions. P&L of a shock s on a position of value v is v × s. */
export function runStress(request: StressRequest): StressReport {
  validate(request);
  const positions = request.positions.filter((position) => position.value !== 0);
  const covarianceInputs = request.volatility === undefined ? undefined : covarianceFor(positions, request.volatility);
  const baselineVar = covarianceInputs === undefined ? undefined : stressedVar(positions, covarianceInputs, new Map(), new Map());
  const results = request.scenarios.map((scenario) => {
    const shocks = resolve(scenario.name, 'price shock', scenario.priceShocks ?? [], (shock) => shock.change, 0);
    const spikes = resolve(scenario.name, 'volatility spike', scenario.volatilitySpikes ?? [], (spike) => spike.multiplier, 1);
    const pnlByInstrument = positions.map((position) => ({
      instrumentId: position.instrumentId,
      pnl: position.value * (shocks.get(position.instrumentId) ?? shocks.get(undefined) ?? 0),
    }));
    const pnl = pnlByInstrument.reduce((sum, entry) => sum + entry.pnl, 0);
    const stressed = covarianceInputs === undefined ? undefined : stressedVar(positions, covarianceInputs, shocks, spikes);
    if (stressed === undefined && (scenario.volatilitySpikes?.length ?? 0) > 0) {
      throw new FixRequestError('missing_volatility_inputs', `Scenario "${scenario.name}" spikes volatility but no return histories were given.`);
    }
    const margin = request.margin === undefined ? undefined : marginEffect(positions, request.margin, shocks, pnl);
    return { name: scenario.name, pnl, pnlByInstrument, stressedVar: stressed, margin, summary: summarize(scenario.name, pnl, stressed, margin) };
  });
  let worst: ScenarioResult | undefined;
  for (const result of results) if (result.pnl < 0 && (worst === undefined || result.pnl < worst.pnl)) worst = result;
  return { results, worst, marginBreaches: results.filter((result) => result.margin?.breached === true), baselineVar };
}

interface CovarianceInputs {
  readonly method: VarMethod;
  readonly instruments: readonly InstrumentId[];
  readonly returns: readonly (readonly number[])[];
  readonly covariance: readonly (readonly number[])[];
  readonly confidence: number;
  readonly horizonPeriods: number;
}

function covarianceFor(positions: readonly StressPosition[], inputs: StressVolatilityInputs): CovarianceInputs {
  assertConfidence(inputs.confidence);
  const horizonPeriods = inputs.horizonPeriods ?? 1;
  assertHorizon(horizonPeriods);
  const aligned = alignPortfolio(positions, inputs.histories, inputs.minObservations);
  return {
    method: inputs.method ?? 'parametric',
    instruments: aligned.exposures.map((exposure) => exposure.instrumentId),
    returns: aligned.returns,
    covariance: aligned.observations === 0 ? [] : sampleCovariance(aligned.returns),
    confidence: inputs.confidence,
    horizonPeriods,
  };
}

/** Σ'ᵢⱼ = kᵢ kⱼ Σᵢⱼ (σ scaled, correlations kept), valued at the shocked position values vᵢ (1 + sᵢ). */
function stressedVar(
  positions: readonly StressPosition[],
  inputs: CovarianceInputs,
  shocks: ReadonlyMap<InstrumentId | undefined, number>,
  spikes: ReadonlyMap<InstrumentId | undefined, number>,
): StressedVar {
  const valueOf = new Map<InstrumentId, number>();
  for (const position of positions) valueOf.set(position.instrumentId, (valueOf.get(position.instrumentId) ?? 0) + position.value);
  const values = inputs.instruments.map((id) => (valueOf.get(id) ?? 0) * (1 + (shocks.get(id) ?? shocks.get(undefined) ?? 0)));
  const multipliers = inputs.instruments.map((id) => spikes.get(id) ?? spikes.get(undefined) ?? 1);
  const covariance = inputs.covariance.map((row, i) => row.map((value, j) => value * (multipliers[i] ?? 1) * (multipliers[j] ?? 1)));
  const sigma = portfolioSigma(values, covariance);
  const tail = inputs.method === 'historical' ? historicalTail(values, multipliers, inputs) : normalTail(sigma, inputs.confidence, inputs.horizonPeriods);
  return { method: inputs.method, confidence: inputs.confidence, horizonPeriods: inputs.horizonPeriods, ...tail, portfolioSigma: sigma };
}

/** Scaling an instrument's returns by k scales its σ by k and keeps its correlations, as the covariance spike does. */
function historicalTail(values: readonly number[], multipliers: readonly number[], inputs: CovarianceInputs): { valueAtRisk: number; conditionalValueAtRisk: number } {
  const periods = inputs.returns[0]?.length ?? 0;
  const losses = new Array<number>(periods).fill(0);
  inputs.returns.forEach((returns, i) => {
    const weight = (values[i] ?? 0) * (multipliers[i] ?? 1);
    for (let t = 0; t < periods; t++) losses[t] = (losses[t] ?? 0) - weight * (returns[t] ?? 0);
  });
  const tail = empiricalTail(losses, inputs.confidence);
  const scale = Math.sqrt(inputs.horizonPeriods);
  return { valueAtRisk: Math.max(0, tail.valueAtRisk) * scale, conditionalValueAtRisk: Math.max(0, tail.conditionalValueAtRisk) * scale };
}

function marginEffect(
  positions: readonly StressPosition[],
  account: MarginAccount,
  shocks: ReadonlyMap<InstrumentId | undefined, number>,
  pnl: number,
): MarginEffect | undefined {
  const perpetuals = positions.filter((position) => position.kind === 'perpetual');
  if (perpetuals.length === 0) return undefined;
  const maintenance = (shocked: boolean): number =>
    perpetuals.reduce((sum, position) => {
      const change = shocked ? (shocks.get(position.instrumentId) ?? shocks.get(undefined) ?? 0) : 0;
      return sum + Math.abs(position.value * (1 + change)) * (position.maintenanceRate ?? account.maintenanceRate);
    }, 0);
  const equityAfter = account.equity + pnl;
  const maintenanceAfter = maintenance(true);
  return {
    equityBefore: account.equity,
    equityAfter,
    maintenanceBefore: maintenance(false),
    maintenanceAfter,
    bufferAfter: equityAfter - maintenanceAfter,
    breached: equityAfter < maintenanceAfter,
  };
}

function resolve<T extends { readonly instrumentId?: InstrumentId }>(
  scenario: string,
  label: string,
  entries: readonly T[],
  read: (entry: T) => number,
  neutral: number,
): Map<InstrumentId | undefined, number> {
  const byTarget = new Map<InstrumentId | undefined, number>();
  for (const entry of entries) {
    if (byTarget.has(entry.instrumentId)) {
      throw new FixRequestError('duplicate_stress_entry', `Scenario "${scenario}" has two ${label}s for ${entry.instrumentId ?? 'all instruments'}.`);
    }
    byTarget.set(entry.instrumentId, read(entry));
  }
  if (byTarget.size === 0) byTarget.set(undefined, neutral);
  return byTarget;
}

function validate(request: StressRequest): void {
  const problems: string[] = [];
  for (const position of request.positions) {
    if (!Number.isFinite(position.value)) problems.push(`position ${position.instrumentId} value must be finite, got ${position.value}`);
    if (position.maintenanceRate !== undefined && !(position.maintenanceRate >= 0 && position.maintenanceRate < 1)) {
      problems.push(`maintenance rate of ${position.instrumentId} must be in [0, 1), got ${position.maintenanceRate}`);
    }
  }
  for (const scenario of request.scenarios) {
    for (const shock of scenario.priceShocks ?? []) {
      if (!(Number.isFinite(shock.change) && shock.change >= -1)) problems.push(`scenario "${scenario.name}": price shock must be a finite change of at least −100%, got ${shock.change}`);
    }
    for (const spike of scenario.volatilitySpikes ?? []) {
      if (!(Number.isFinite(spike.multiplier) && spike.multiplier > 0)) problems.push(`scenario "${scenario.name}": volatility multiplier must be positive, got ${spike.multiplier}`);
    }
  }
  if (request.margin !== undefined) {
    if (!Number.isFinite(request.margin.equity)) problems.push(`equity must be finite, got ${request.margin.equity}`);
    if (!(request.margin.maintenanceRate >= 0 && request.margin.maintenanceRate < 1)) problems.push(`maintenance rate must be in [0, 1), got ${request.margin.maintenanceRate}`);
  }
  if (problems.length > 0) throw new FixRequestError('invalid_stress_request', problems.join('; '));
}

function summarize(name: string, pnl: number, stressed: StressedVar | undefined, margin: MarginEffect | undefined): string {
  const parts = [`Scenario "${name}": P&L ${round2(pnl)}`];
  if (stressed !== undefined) parts.push(`stressed ${Math.round(stressed.confidence * 1000) / 10}%${stressed.method === 'historical' ? ' historical' : ''} VaR ${round2(stressed.valueAtRisk)}`);
  if (margin !== undefined) {
    parts.push(
      margin.breached
        ? `equity ${round2(margin.equityAfter)} falls below maintenance margin ${round2(margin.maintenanceAfter)}`
        : `equity ${round2(margin.equityAfter)} stays above maintenance margin ${round2(margin.maintenanceAfter)}`,
    );
  }
  return `${parts.join('; ')}.`;
}

function round2(value: number): string {
  return (Math.round(value * 100) / 100).toString();
}

function signedPercent(change: number): string {
  const text = `${Math.round(Math.abs(change) * 1000) / 10}%`;
  return change < 0 ? `−${text}` : `+${text}`;
}
