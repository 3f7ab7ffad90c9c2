/**
 * The judge's scorecard for one agent or sleeve: four sub-scores 0..100 and a weighted total 0..100, each with a
 * reason sentence that quotes the numbers it came from. Pure: the same inputs give the same card.
 *
 * Inputs: an equity series e_0..e_n (one point per period, oldest first, finite, e_0 > 0, all ≥ 0), the agent's
 * resolved decisions (conviction c ∈ [0, 1], outcomeReturn = the realised return over the signal's horizon, signed
 * in the signal's direction, so > 0 means the call was right) and the number of periods in a year (barsPerYear).
 *
 * Formulas (n = number of per-period returns = points − 1):
 *   r_i = e_i / e_{i−1} − 1 (0 when e_{i−1} = 0, i.e. after ruin nothing changes).
 *
 * 1. Returns. Annualised return A = G^(barsPerYear / n) − 1 with G = e_n / e_0; A = 0 when n = 0, A = −1 when G = 0;
 *    A is capped at 1e6 so a short lucky run cannot overflow. Score = piecewise-linear curve through the points
 *    `returnsCurve` (x = A, y = score), flat beyond the ends. Default curve:
 *      A:     −50%  −20%   0%   +20%  +50%  +100%
 *      score:   0    20    40    65    85    100
 *    The curve must have strictly increasing x and non-decreasing y, so a better return never lowers the score.
 *
 * 2. Risk. Max drawdown D = max_i (1 − e_i / max_{j ≤ i} e_j); annualised volatility V = s(r) · √barsPerYear with
 *    s the sample standard deviation (V = 0 with fewer than two returns). Each is compared with its budget:
 *      drawdownScore = clamp(100 · (1 − D / (2 · drawdownBudget)), 0, 100)   (100 at none, 50 at budget, 0 at 2×)
 *      volatilityScore = clamp(100 · (1 − V / (2 · volatilityBudget)), 0, 100)
 *      risk = (drawdownScore + volatilityScore) / 2
 *
 * 3. Decision quality. Flat decisions carry no directional call and are left out. With m directional decisions and
 *    h hits (outcomeReturn > 0; y_i = 1 for a hit, else 0), k = `priorStrength` pseudo-decisions at 50% shrink small
 *    samples:
 *      shrunk hit rate p̃ = (h + k/2) / (m + k);  hitScore = clamp(50 + 250 · (p̃ − 0.5), 0, 100)  (30% → 0, 70% → 100)
 *      Brier B = (1/m) Σ (c_i − y_i)², conviction read as the probability of being right; shrunk
 *      B̃ = (m · B + k · 0.25) / (m + k) (0.25 is the Brier of always saying 50%);
 *      calibrationScore = clamp(100 · (1 − 2 · B̃), 0, 100)    (perfect 100, coin-flip 50, B̃ ≥ 0.5 → 0)
 *      decisionQuality = (hitScore + calibrationScore) / 2
 *    Reliability (reported, not scored): decisions in conviction buckets [0, .2), [.2, .4), [.4, .6), [.6, .8),
 *    [.8, 1], each with its count, mean conviction and hit rate; expected calibration error
 *    ECE = Σ_b (m_b / m) · |hitRate_b − meanConviction_b|.
 *    With no decisions: p̃ = 0.5, B̃ = 0.25, so both halves are 50.
 *
 * 4. Consistency. Returns are cut into complete, non-overlapping sub-periods of `subPeriodBars` returns (default
 *    round(barsPerYear / 52), at least 2: a week), counted from the oldest; an incomplete tail is left out. For each
 *    sub-period j: compounded return R_j and Sharpe S_j = mean / sample sd of its returns (0 when sd ≤ 1e-12).
 *      positive share q = (#{R_j > 0} + ½ · #{R_j = 0} + 1) / (count + 2)   (Laplace shrinkage toward 50%)
 *      positiveScore = 100 · q
 *      stabilityScore = clamp(100 · (1 − sd(S) / sharpeDispersionBudget), 0, 100), 50 with fewer than two sub-periods
 *      consistency = (positiveScore + stabilityScore) / 2
 *
 * Total = Σ weight_k · subScore_k over the four sub-scores; the weights are each in [0, 1] and sum to 1 (±1e-9).
 * Every score is finite and within 0..100 by construction, for any valid input (no decisions, flat equity, one point).
 */
import { FixRequestError } from '../../core/errors.js';

export type Direction = 'long' | 'short' | 'flat';

/** One resolved decision of an agent: what it called, how sure it was, and how the call turned out. */
export interface ResolvedDecision {
  /** Decision time, epoch ms. */
  readonly ts: number;
  readonly direction: Direction;
  /** 0..1, read as the probability that the call is right. */
  readonly conviction: number;
  /** Realised return over the signal's horizon, signed in the signal's direction (> 0: the call was right). */
  readonly outcomeReturn: number;
}

export interface ScoreWeights {
  readonly returns: number;
  readonly risk: number;
  readonly decisionQuality: number;
  readonly consistency: number;
}

export interface CurvePoint {
  readonly x: number;
  readonly y: number;
}

export interface ScorecardConfig {
  readonly weights: ScoreWeights;
  /** Annualised return (fraction) → score; strictly increasing x, non-decreasing y within 0..100. */
  readonly returnsCurve: readonly CurvePoint[];
  /** Max drawdown (fraction) at which the drawdown half of risk scores 50. */
  readonly drawdownBudget: number;
  /** Annualised volatility (fraction) at which the volatility half of risk scores 50. */
  readonly volatilityBudget: number;
  /** Pseudo-decisions at 50% that shrink hit rate and Brier score toward a coin flip. */
  readonly priorStrength: number;
  /** Returns per consistency sub-period; undefined: round(barsPerYear / 52), at least 2. */
  readonly subPeriodBars?: number;
  /** Standard deviation of sub-period Sharpe ratios at which stability scores 0. */
  readonly sharpeDispersionBudget: number;
}

export const DEFAULT_SCORECARD_CONFIG: ScorecardConfig = {
  weights: { returns: 0.3, risk: 0.25, decisionQuality: 0.25, consistency: 0.2 },
  returnsCurve: [
    { x: -0.5, y: 0 },
    { x: -0.2, y: 20 },
    { x: 0, y: 40 },
    { x: 0.2, y: 65 },
    { x: 0.5, y: 85 },
    { x: 1, y: 100 },
  ],
  drawdownBudget: 0.2,
  volatilityBudget: 0.6,
  priorStrength: 10,
  sharpeDispersionBudget: 1,
};

export interface ScorecardInput {
  readonly equity: Float64Array;
  readonly decisions: readonly ResolvedDecision[];
  readonly barsPerYear: number;
}

export interface ReliabilityBucket {
  /** Conviction range [lower, upper) — the last bucket includes 1. */
  readonly lower: number;
  readonly upper: number;
  readonly count: number;
  readonly meanConviction: number;
  readonly hitRate: number;
}

export interface ScorecardMetrics {
  readonly periods: number;
  readonly totalReturn: number;
  readonly annualisedReturn: number;
  readonly maxDrawdown: number;
  /** Drawdown of the last point from the running peak. */
  readonly currentDrawdown: number;
  readonly annualisedVolatility: number;
  /** Annualised Sharpe of per-period returns (mean / sd · √barsPerYear), 0 when undefined. */
  readonly sharpe: number;
  readonly directionalDecisions: number;
  readonly hits: number;
  readonly hitRate: number;
  readonly shrunkHitRate: number;
  readonly brier: number;
  readonly shrunkBrier: number;
  readonly expectedCalibrationError: number;
  readonly reliability: readonly ReliabilityBucket[];
  readonly subPeriodBars: number;
  readonly subPeriods: number;
  readonly positiveSubPeriods: number;
  readonly positiveShare: number;
  readonly subPeriodSharpeDispersion: number;
}

export interface SubScores {
  readonly returns: number;
  readonly risk: number;
  readonly decisionQuality: number;
  readonly consistency: number;
}

export interface Scorecard {
  readonly subScores: SubScores;
  readonly total: number;
  readonly metrics: ScorecardMetrics;
  /** One sentence per sub-score, then one for the total, each quoting its numbers. */
  readonly reasons: readonly string[];
}

const clamp = (value: number, low: number, high: number): number => Math.min(high, Math.max(low, value));
const pct = (value: number): string => `${(value * 100).toFixed(2)}%`;
const num = (value: number): string => value.toFixed(1);

/** Throws FixRequestError naming every problem with the config. */
export function validateScorecardConfig(config: ScorecardConfig): void {
  const problems: string[] = [];
  const w = config.weights;
  const weights = [w.returns, w.risk, w.decisionQuality, w.consistency];
  if (weights.some((x) => !Number.isFinite(x) || x < 0 || x > 1)) problems.push('weights: each must be within [0, 1]');
  else if (Math.abs(weights.reduce((a, b) => a + b, 0) - 1) > 1e-9) problems.push(`weights: sum to ${weights.reduce((a, b) => a + b, 0)}, not 1`);
  const curve = config.returnsCurve;
  if (curve.length < 2) problems.push('returnsCurve: needs at least two points');
  for (let i = 0; i < curve.length; i++) {
    const p = curve[i] as CurvePoint;
    if (!Number.isFinite(p.x) || !Number.isFinite(p.y) || p.y < 0 || p.y > 100) problems.push(`returnsCurve[${i}]: x finite and y within 0..100`);
    const prev = curve[i - 1];
    if (prev !== undefined && (p.x <= prev.x || p.y < prev.y)) problems.push(`returnsCurve[${i}]: x must increase and y must not decrease`);
  }
  for (const [name, value] of [
    ['drawdownBudget', config.drawdownBudget],
    ['volatilityBudget', config.volatilityBudget],
    ['sharpeDispersionBudget', config.sharpeDispersionBudget],
  ] as const) {
    if (!Number.isFinite(value) || value <= 0) problems.push(`${name}: must be a positive number, got ${value}`);
  }
  if (!Number.isFinite(config.priorStrength) || config.priorStrength < 0) problems.push(`priorStrength: must be ≥ 0, got ${config.priorStrength}`);
  if (config.subPeriodBars !== undefined && (!Number.isInteger(config.subPeriodBars) || config.subPeriodBars < 2)) {
    problems.push(`subPeriodBars: must be an integer ≥ 2, got ${config.subPeriodBars}`);
  }
  if (problems.length > 0) throw new FixRequestError('invalid_scorecard_config', `invalid scorecard config: ${problems.join('; ')}`);
}

function validateInput(input: ScorecardInput): void {
  const problems: string[] = [];
  if (!Number.isFinite(input.barsPerYear) || input.barsPerYear <= 0) problems.push(`barsPerYear: must be positive, got ${input.barsPerYear}`);
  const e = input.equity;
  if (e.length === 0) problems.push('equity: needs at least one point');
  for (let i = 0; i < e.length; i++) {
    const v = e[i] as number;
    if (!Number.isFinite(v) || v < 0) {
      problems.push(`equity[${i}]: must be finite and ≥ 0, got ${v}`);
      break;
    }
  }
  if (e.length > 0 && !((e[0] as number) > 0)) problems.push('equity[0]: must be positive');
  input.decisions.forEach((d, i) => {
    if (!Number.isFinite(d.conviction) || d.conviction < 0 || d.conviction > 1) problems.push(`decisions[${i}].conviction: must be within [0, 1], got ${d.conviction}`);
    if (!Number.isFinite(d.outcomeReturn)) problems.push(`decisions[${i}].outcomeReturn: must be finite`);
  });
  if (problems.length > 0) throw new FixRequestError('invalid_scorecard_input', `invalid scorecard input: ${problems.join('; ')}`);
}

/** Piecewise-linear interpolation through `curve` (x increasing), flat beyond the ends. */
export function interpolate(curve: readonly CurvePoint[], x: number): number {
  const first = curve[0];
  const last = curve[curve.length - 1];
  if (first === undefined || last === undefined) return 0;
  if (x <= first.x) return first.y;
  if (x >= last.x) return last.y;
  for (let i = 1; i < curve.length; i++) {
    const b = curve[i] as CurvePoint;
    if (x <= b.x) {
      const a = curve[i - 1] as CurvePoint;
      return a.y + ((b.y - a.y) * (x - a.x)) / (b.x - a.x);
    }
  }
  return last.y;
}

/** Per-period simple returns; 0 after a zero equity point. */
export function periodReturns(equity: Float64Array): number[] {
  const out: number[] = [];
  for (let i = 1; i < equity.length; i++) {
    const before = equity[i - 1] as number;
    out.push(before > 0 ? (equity[i] as number) / before - 1 : 0);
  }
  return out;
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

/** Sample standard deviation; 0 with fewer than two values. */
export function sampleSd(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const m = mean(values);
  return Math.sqrt(values.reduce((a, v) => a + (v - m) ** 2, 0) / (values.length - 1));
}

/** mean / sample sd, 0 when the sd is below 1e-12 or there are fewer than two values (not annualised). */
export function periodSharpe(returns: readonly number[]): number {
  const sd = sampleSd(returns);
  return sd > 1e-12 ? mean(returns) / sd : 0;
}

export function annualisedReturn(equity: Float64Array, barsPerYear: number): number {
  const n = equity.length - 1;
  if (n <= 0) return 0;
  const growth = (equity[n] as number) / (equity[0] as number);
  if (growth <= 0) return -1;
  return Math.min(1e6, Math.exp((Math.log(growth) * barsPerYear) / n) - 1);
}

export function drawdowns(equity: Float64Array): { max: number; current: number } {
  let peak = 0;
  let max = 0;
  let current = 0;
  for (const v of equity) {
    if (v > peak) peak = v;
    current = peak > 0 ? 1 - v / peak : 0;
    if (current > max) max = current;
  }
  return { max, current };
}

const BUCKET_EDGES = [0, 0.2, 0.4, 0.6, 0.8, 1] as const;

export function computeScorecard(input: ScorecardInput, config: ScorecardConfig = DEFAULT_SCORECARD_CONFIG): Scorecard {
  validateScorecardConfig(config);
  validateInput(input);
  const { equity, barsPerYear } = input;
  const returns = periodReturns(equity);
  const n = returns.length;
  const reasons: string[] = [];

  // 1. Returns
  const totalReturn = n === 0 ? 0 : (equity[n] as number) / (equity[0] as number) - 1;
  const annual = annualisedReturn(equity, barsPerYear);
  const returnsScore = clamp(interpolate(config.returnsCurve, annual), 0, 100);
  reasons.push(
    n === 0
      ? `returns ${num(returnsScore)}/100: only one equity point, so the annualised return is taken as 0%`
      : `returns ${num(returnsScore)}/100: total return ${pct(totalReturn)} over ${n} periods, annualised ${pct(annual)} at ${barsPerYear} periods a year`,
  );

  // 2. Risk
  const dd = drawdowns(equity);
  const volatility = sampleSd(returns) * Math.sqrt(barsPerYear);
  const drawdownScore = clamp(100 * (1 - dd.max / (2 * config.drawdownBudget)), 0, 100);
  const volatilityScore = clamp(100 * (1 - volatility / (2 * config.volatilityBudget)), 0, 100);
  const riskScore = (drawdownScore + volatilityScore) / 2;
  reasons.push(
    `risk ${num(riskScore)}/100: max drawdown ${pct(dd.max)} against a budget of ${pct(config.drawdownBudget)} scores ${num(drawdownScore)}, ` +
      `annualised volatility ${pct(volatility)} against a budget of ${pct(config.volatilityBudget)} scores ${num(volatilityScore)}`,
  );

  // 3. Decision quality
  const directional = input.decisions.filter((d) => d.direction !== 'flat');
  const m = directional.length;
  const k = config.priorStrength;
  let hits = 0;
  let brierSum = 0;
  const buckets = BUCKET_EDGES.slice(1).map(() => ({ count: 0, convictionSum: 0, hits: 0 }));
  for (const d of directional) {
    const y = d.outcomeReturn > 0 ? 1 : 0;
    hits += y;
    brierSum += (d.conviction - y) ** 2;
    const index = Math.min(buckets.length - 1, Math.floor(d.conviction / 0.2 + 1e-12));
    const bucket = buckets[index];
    if (bucket !== undefined) {
      bucket.count += 1;
      bucket.convictionSum += d.conviction;
      bucket.hits += y;
    }
  }
  const hitRate = m === 0 ? 0.5 : hits / m;
  const shrunkHitRate = m + k === 0 ? 0.5 : (hits + k / 2) / (m + k);
  const brier = m === 0 ? 0.25 : brierSum / m;
  const shrunkBrier = m + k === 0 ? 0.25 : (m * brier + k * 0.25) / (m + k);
  const hitScore = clamp(50 + 250 * (shrunkHitRate - 0.5), 0, 100);
  const calibrationScore = clamp(100 * (1 - 2 * shrunkBrier), 0, 100);
  const decisionScore = (hitScore + calibrationScore) / 2;
  const reliability: ReliabilityBucket[] = buckets.map((b, i) => ({
    lower: BUCKET_EDGES[i] as number,
    upper: BUCKET_EDGES[i + 1] as number,
    count: b.count,
    meanConviction: b.count === 0 ? 0 : b.convictionSum / b.count,
    hitRate: b.count === 0 ? 0 : b.hits / b.count,
  }));
  const ece = m === 0 ? 0 : reliability.reduce((a, b) => a + (b.count / m) * Math.abs(b.hitRate - b.meanConviction), 0);
  reasons.push(
    m === 0
      ? `decision quality ${num(decisionScore)}/100: no resolved directional decisions, so hit rate and calibration are taken as a coin flip`
      : `decision quality ${num(decisionScore)}/100: ${hits} of ${m} directional calls right (${pct(hitRate)}, ${pct(shrunkHitRate)} after shrinking toward 50% with ${k} pseudo-calls) scores ${num(hitScore)}; ` +
          `Brier ${brier.toFixed(4)} (${shrunkBrier.toFixed(4)} shrunk) scores ${num(calibrationScore)} for calibration; expected calibration error ${pct(ece)}`,
  );

  // 4. Consistency
  const subPeriodBars = config.subPeriodBars ?? Math.max(2, Math.round(barsPerYear / 52));
  const subReturns: number[] = [];
  const subSharpes: number[] = [];
  for (let start = 0; start + subPeriodBars <= n; start += subPeriodBars) {
    const chunk = returns.slice(start, start + subPeriodBars);
    subReturns.push(chunk.reduce((g, r) => g * (1 + r), 1) - 1);
    subSharpes.push(periodSharpe(chunk));
  }
  const positive = subReturns.filter((r) => r > 0).length;
  const zero = subReturns.filter((r) => r === 0).length;
  const positiveShare = (positive + zero / 2 + 1) / (subReturns.length + 2);
  const positiveScore = 100 * positiveShare;
  const dispersion = sampleSd(subSharpes);
  const stabilityScore = subSharpes.length < 2 ? 50 : clamp(100 * (1 - dispersion / config.sharpeDispersionBudget), 0, 100);
  const consistencyScore = (positiveScore + stabilityScore) / 2;
  reasons.push(
    subReturns.length === 0
      ? `consistency ${num(consistencyScore)}/100: fewer than ${subPeriodBars} returns, no complete sub-period to judge, taken as 50%`
      : `consistency ${num(consistencyScore)}/100: ${positive} of ${subReturns.length} sub-periods of ${subPeriodBars} periods were positive (shrunk share ${pct(positiveShare)}), ` +
          (subSharpes.length < 2
            ? 'too few sub-periods to judge Sharpe stability (50)'
            : `sub-period Sharpe dispersion ${dispersion.toFixed(3)} against a budget of ${config.sharpeDispersionBudget} scores ${num(stabilityScore)} for stability`),
  );

  const subScores: SubScores = { returns: returnsScore, risk: riskScore, decisionQuality: decisionScore, consistency: consistencyScore };
  const w = config.weights;
  const total = clamp(
    w.returns * returnsScore + w.risk * riskScore + w.decisionQuality * decisionScore + w.consistency * consistencyScore,
    0,
    100,
  );
  reasons.push(
    `total ${num(total)}/100 = ${w.returns}×returns + ${w.risk}×risk + ${w.decisionQuality}×decision quality + ${w.consistency}×consistency`,
  );

  const sd = sampleSd(returns);
  return {
    subScores,
    total,
    metrics: {
      periods: n,
      totalReturn,
      annualisedReturn: annual,
      maxDrawdown: dd.max,
      currentDrawdown: dd.current,
      annualisedVolatility: volatility,
      sharpe: sd > 1e-12 ? (mean(returns) / sd) * Math.sqrt(barsPerYear) : 0,
      directionalDecisions: m,
      hits,
      hitRate,
      shrunkHitRate,
      brier,
      shrunkBrier,
      expectedCalibrationError: ece,
      reliability,
      subPeriodBars,
      subPeriods: subReturns.length,
      positiveSubPeriods: positive,
      positiveShare,
      subPeriodSharpeDispersion: dispersion,
    },
    reasons,
  };
}
