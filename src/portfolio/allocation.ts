import { FixRequestError } from '../core/errors.js';
import { Fixed } from '../core/fixed.js';
import { ONE_WEIGHT, WEIGHT_SCALE, type SleeveDefinition } from './sleeves.js';

/** How capital is split across sleeves. */
export type AllocationPolicy =
  | { readonly kind: 'fixed'; readonly weights: Readonly<Record<string, string>> }
  | { readonly kind: 'equal' }
  | PerformancePolicy;

/**
 * Weights from each sleeve's Sharpe ratio of per-period equity returns over the last `lookback` periods. A Sharpe
 * ratio over a short lookback is mostly noise, and weighting by it alone swings capital whenever ratios near zero
 * change sign, so the Sharpe shares are shrunk toward equal weights by `shrink` (decimal fraction 0-1; 0 weights by
 * Sharpe alone, 1 is equal weights) and each rebalance moves every target weight at most `maxStep` (above 0, at most
 * 1; 1 is no limit) from the previous rebalance's target.
 */
export interface PerformancePolicy {
  readonly kind: 'performance';
  readonly lookback: number;
  readonly shrink?: string;
  readonly maxStep?: string;
}

/** Half Sharpe, half equal: a Sharpe estimate over a few dozen periods has a standard error near 1/√periods. */
export const DEFAULT_SHRINK = '0.5';
/** A tenth of the desk at most moves between sleeves' targets per rebalance. */
export const DEFAULT_MAX_STEP = '0.1';

export interface TargetWeights {
  /** Exact weights at WEIGHT_SCALE, summing to exactly 1, in sleeve order. */
  readonly weights: ReadonlyMap<string, Fixed>;
  readonly reasons: readonly string[];
}

/**
 * Target weights for the sleeves under `policy`. `equitySeries` (per sleeve, oldest first) and `previous` (the last
 * rebalance's target weights, which `maxStep` moves from) are read only by the performance policy. Results honour
 * each sleeve's min/max weight bounds and sum to exactly 1.
 */
export function targetWeights(
  sleeves: readonly SleeveDefinition[],
  policy: AllocationPolicy,
  equitySeries: ReadonlyMap<string, readonly number[]> = new Map(),
  previous?: ReadonlyMap<string, Fixed>,
): TargetWeights {
  if (sleeves.length === 0) throw new FixRequestError('no_sleeves', 'there are no sleeves to allocate to');
  switch (policy.kind) {
    case 'fixed':
      return fixedWeights(sleeves, policy.weights);
    case 'equal': {
      const raw = new Map(sleeves.map((s) => [s.id, 1]));
      return { weights: boundedWeights(sleeves, raw), reasons: [`equal weights across ${sleeves.length} sleeves, within each sleeve's bounds`] };
    }
    case 'performance':
      return performanceWeights(sleeves, policy, equitySeries, previous);
  }
}

function fixedWeights(sleeves: readonly SleeveDefinition[], given: Readonly<Record<string, string>>): TargetWeights {
  const problems: string[] = [];
  const weights = new Map<string, Fixed>();
  const known = new Set(sleeves.map((s) => s.id));
  for (const id of Object.keys(given)) if (!known.has(id)) problems.push(`weights.${id}: no such sleeve`);
  for (const sleeve of sleeves) {
    const text = given[sleeve.id];
    if (text === undefined) {
      problems.push(`weights.${sleeve.id}: missing`);
      continue;
    }
    let value: Fixed;
    try {
      value = Fixed.parse(text, WEIGHT_SCALE);
    } catch (error) {
      problems.push(`weights.${sleeve.id}: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    if (value.lt(sleeve.minWeight) || value.gt(sleeve.maxWeight)) {
      problems.push(`weights.${sleeve.id}: ${text} is outside the sleeve's bounds [${sleeve.minWeight.toPlainString()}, ${sleeve.maxWeight.toPlainString()}]`);
    }
    weights.set(sleeve.id, value);
  }
  const sum = [...weights.values()].reduce((a, b) => a.add(b), Fixed.zero(WEIGHT_SCALE));
  if (problems.length === 0 && !sum.eq(ONE_WEIGHT)) problems.push(`weights: sum to ${sum.toPlainString()}, not 1`);
  if (problems.length > 0) throw new FixRequestError('invalid_weights', `invalid fixed weights: ${problems.join('; ')}`);
  return { weights, reasons: ['fixed weights from configuration'] };
}

function performanceWeights(
  sleeves: readonly SleeveDefinition[],
  policy: PerformancePolicy,
  series: ReadonlyMap<string, readonly number[]>,
  previous: ReadonlyMap<string, Fixed> | undefined,
): TargetWeights {
  const { lookback } = policy;
  if (!Number.isInteger(lookback) || lookback < 2) {
    throw new FixRequestError('invalid_lookback', `a performance lookback must be an integer of at least 2 periods, got ${lookback}`);
  }
  const shrink = fractionOption('shrink', policy.shrink ?? DEFAULT_SHRINK, 'a fraction from 0 to 1', (v) => v >= 0 && v <= 1);
  const maxStep = fractionOption('maxStep', policy.maxStep ?? DEFAULT_MAX_STEP, 'a fraction above 0 and at most 1', (v) => v > 0 && v <= 1);
  const reasons: string[] = [];
  const raw = new Map<string, number>();
  for (const sleeve of sleeves) {
    const score = sharpe(series.get(sleeve.id) ?? [], lookback);
    raw.set(sleeve.id, Math.max(0, score));
    reasons.push(`${sleeve.id}: trailing Sharpe over ${lookback} periods ${score.toFixed(4)}${score <= 0 ? ' (floored at 0)' : ''}`);
  }
  if ([...raw.values()].every((v) => v <= 0)) {
    for (const id of raw.keys()) raw.set(id, 1);
    reasons.push('no sleeve has a positive risk-adjusted return: falling back to equal weights');
  } else {
    reasons.push("weights proportional to positive trailing Sharpe ratios, within each sleeve's bounds");
  }
  const sum = [...raw.values()].reduce((a, b) => a + b, 0);
  const shrunk = new Map([...raw].map(([id, score]) => [id, (1 - shrink.value) * (score / sum) + shrink.value / sleeves.length]));
  // Equal weights (the fallback) are their own shrinkage: only a step from the previous target can change them.
  if (shrink.value > 0 && new Set(raw.values()).size > 1) {
    const moves = sleeves.map((s) => `${s.id} ${round4((raw.get(s.id) ?? 0) / sum)} → ${round4(shrunk.get(s.id) ?? 0)}`);
    reasons.push(
      `shrink ${shrink.text} toward equal weights (each weight ${round4(1 - shrink.value)} × its Sharpe share + ${shrink.text} × 1/${sleeves.length}): ${moves.join(', ')}`,
    );
  }
  const wanted = boundedWeights(sleeves, shrunk);
  return { weights: stepped(sleeves, wanted, previous, maxStep, reasons), reasons };
}

/**
 * `wanted` moved at most `maxStep` from `previous` in every sleeve: the whole move is scaled by one factor, so the
 * sleeves keep the direction of their moves, and the result, between two weightings within the bounds, is within
 * them too. Without a previous target for every sleeve (the first rebalance) or a binding step, `wanted` as it is.
 */
function stepped(
  sleeves: readonly SleeveDefinition[],
  wanted: Map<string, Fixed>,
  previous: ReadonlyMap<string, Fixed> | undefined,
  maxStep: { readonly value: number; readonly text: string },
  reasons: string[],
): Map<string, Fixed> {
  if (previous === undefined || maxStep.value >= 1 || !sleeves.every((s) => previous.has(s.id))) return wanted;
  const change = (id: string): number => (wanted.get(id) as Fixed).toNumber() - (previous.get(id) as Fixed).toNumber();
  const largest = sleeves.reduce((best, s) => (Math.abs(change(s.id)) > Math.abs(change(best.id)) ? s : best), sleeves[0] as SleeveDefinition);
  const biggest = Math.abs(change(largest.id));
  const from = `${largest.id} ${(previous.get(largest.id) as Fixed).toPlainString()} → ${(wanted.get(largest.id) as Fixed).toPlainString()}`;
  if (biggest <= maxStep.value) {
    reasons.push(`maxStep ${maxStep.text}: not reached (the largest change is ${from})`);
    return wanted;
  }
  const share = maxStep.value / biggest;
  reasons.push(
    `maxStep ${maxStep.text}: the largest change, ${from}, is held to ${maxStep.text}, so every sleeve moves ${(share * 100).toFixed(2)}% of the way from its previous target`,
  );
  return exactShares(sleeves, new Map(sleeves.map((s) => [s.id, (previous.get(s.id) as Fixed).toNumber() + share * change(s.id)])));
}

function fractionOption(name: string, text: string, rule: string, fits: (value: number) => boolean): { readonly value: number; readonly text: string } {
  let value = Number.NaN;
  try {
    value = Fixed.parse(text.trim()).toNumber();
  } catch {
    // Not a decimal: refused below with the rest.
  }
  if (!fits(value)) throw new FixRequestError('invalid_allocation', `${name}: must be ${rule}, got ${text}`);
  return { value, text: text.trim() };
}

const round4 = (value: number): string => String(Number(value.toFixed(4)));

/**
 * Mean over sample standard deviation of simple per-period returns of the last `lookback` + 1 equity points (not
 * annualised: only the ratios between sleeves matter). Zero when there are fewer than two returns, an equity point
 * is not positive, or the returns do not vary.
 */
export function sharpe(equity: readonly number[], lookback: number): number {
  const window = equity.slice(Math.max(0, equity.length - lookback - 1));
  const returns: number[] = [];
  for (let i = 1; i < window.length; i++) {
    const before = window[i - 1] as number;
    const after = window[i] as number;
    if (!(before > 0) || !Number.isFinite(after)) return 0;
    returns.push(after / before - 1);
  }
  if (returns.length < 2) return 0;
  const mean = returns.reduce((a, b) => a + b, 0) / returns.length;
  const variance = returns.reduce((a, r) => a + (r - mean) ** 2, 0) / (returns.length - 1);
  const deviation = Math.sqrt(variance);
  return deviation > 1e-12 ? mean / deviation : 0;
}

/**
 * Normalises non-negative raw scores to weights within each sleeve's [min, max]: the bounded projection
 * `w = clamp(λ × score, min, max)` with the one λ at which the weights sum to 1 (water-filling), so a sleeve is held
 * at a bound only while its proportional share is past it, and every other sleeve keeps the ratio of the scores.
 * What the scored sleeves cannot take (all at their max) goes to the sleeves without a score, equally within their
 * bounds. The float shares are then made exact at WEIGHT_SCALE by the largest-remainder method, so they sum to
 * exactly 1.
 */
export function boundedWeights(sleeves: readonly SleeveDefinition[], raw: ReadonlyMap<string, number>): Map<string, Fixed> {
  const bounds = sleeves.map((s) => ({ id: s.id, low: s.minWeight.toNumber(), high: s.maxWeight.toNumber(), score: Math.max(0, raw.get(s.id) ?? 0) }));
  const scored = bounds.filter((b) => b.score > 0);
  let shares = scored.length === 0 ? undefined : waterFill(bounds, 1);
  if (shares === undefined) {
    // The scored sleeves at their max leave some over: the others share it as equals.
    const rest = bounds.map((b) => (b.score > 0 ? { ...b, low: b.high } : { ...b, score: 1 }));
    shares = waterFill(rest, 1);
  }
  if (shares === undefined) throw new FixRequestError('infeasible_bounds', "the sleeves' weight bounds leave no way to sum to 1");
  return exactShares(sleeves, shares);
}

/**
 * The shares `clamp(λ × score, low, high)` summing to `total`: the sum is piecewise linear and non-decreasing in λ,
 * with corners where a share meets a bound, so λ is found on the segment between the corners that straddle `total`.
 * Undefined when even the largest λ falls short.
 */
function waterFill(items: readonly { id: string; low: number; high: number; score: number }[], total: number): Map<string, number> | undefined {
  const at = (lambda: number): number => items.reduce((sum, i) => sum + Math.min(i.high, Math.max(i.low, lambda * i.score)), 0);
  const corners = [...new Set([0, ...items.flatMap((i) => (i.score > 0 ? [i.low / i.score, i.high / i.score] : []))])].sort((a, b) => a - b);
  const tolerance = 1e-12;
  let lambda: number | undefined;
  let previous = 0;
  for (const corner of corners) {
    const sum = at(corner);
    if (sum >= total - tolerance) {
      const before = at(previous);
      lambda = sum - before > tolerance ? previous + ((total - before) * (corner - previous)) / (sum - before) : corner;
      break;
    }
    previous = corner;
  }
  if (lambda === undefined) return undefined;
  const found = lambda;
  return new Map(items.map((i) => [i.id, Math.min(i.high, Math.max(i.low, found * i.score))]));
}

function exactShares(sleeves: readonly SleeveDefinition[], shares: ReadonlyMap<string, number>): Map<string, Fixed> {
  const unit = 10 ** WEIGHT_SCALE;
  const total = BigInt(unit);
  const units = new Map<string, bigint>();
  const remainders: { id: string; remainder: number; index: number }[] = [];
  sleeves.forEach((s, index) => {
    const scaled = Math.max(0, (shares.get(s.id) ?? 0) * unit);
    const whole = Math.floor(scaled + 1e-9);
    units.set(s.id, BigInt(whole));
    remainders.push({ id: s.id, remainder: scaled - whole, index });
  });
  let left = total - [...units.values()].reduce((a, b) => a + b, 0n);
  remainders.sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  const byId = new Map(sleeves.map((s) => [s.id, s]));
  // Hand out the leftover units one at a time, largest remainder first, skipping sleeves at their bound.
  while (left !== 0n) {
    const step = left > 0n ? 1n : -1n;
    let placed = false;
    for (const { id } of remainders) {
      const sleeve = byId.get(id) as SleeveDefinition;
      const next = (units.get(id) ?? 0n) + step;
      if (next > sleeve.maxWeight.rescale(WEIGHT_SCALE, 'floor').units || next < sleeve.minWeight.rescale(WEIGHT_SCALE, 'ceil').units) continue;
      units.set(id, next);
      left -= step;
      placed = true;
      if (left === 0n) break;
    }
    if (!placed) throw new FixRequestError('infeasible_bounds', 'the sleeves\' weight bounds leave no way to sum to 1');
  }
  return new Map(sleeves.map((s) => [s.id, Fixed.fromUnits(units.get(s.id) ?? 0n, WEIGHT_SCALE)]));
}
