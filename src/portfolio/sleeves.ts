import { FixRequestError } from '../core/errors.js';
import { Fixed } from '../core/fixed.js';
import { agentId, currency, type AgentId, type Currency } from '../core/ids.js';

/** Weights are exact fractions of one at this scale (0.000001 resolution). */
export const WEIGHT_SCALE = 6;
export const ONE_WEIGHT = Fixed.fromInt(1, WEIGHT_SCALE);

/** What a sleeve may risk: its gross exposure cap (in its currency) and the drawdown fraction that stops it. */
export interface RiskBudget {
  readonly maxGrossExposure: Fixed;
  /** A fraction of the sleeve's peak equity, in (0, 1]. */
  readonly maxDrawdown: Fixed;
}

/**
 * One sleeve of the master account: a ledger owner run by one agent or strategy, with its own risk budget and the
 * bounds any allocation policy must keep its weight within.
 */
export interface SleeveDefinition {
  /** The ledger owner id. */
  readonly id: string;
  readonly agentId: AgentId;
  readonly currency: Currency;
  readonly riskBudget: RiskBudget;
  readonly minWeight: Fixed;
  readonly maxWeight: Fixed;
}

/** Sleeve fields as they come from configuration: decimals as strings. */
export interface SleeveInput {
  readonly id: string;
  readonly agentId: string;
  readonly currency: string;
  readonly maxGrossExposure: string;
  readonly maxDrawdown: string;
  readonly minWeight?: string;
  readonly maxWeight?: string;
}

/**
 * Validates and builds sleeve definitions. Every problem is reported at once, each naming its field by path
 * (`sleeves[1].maxDrawdown`); the set must also be feasible (minimum weights sum to at most 1, maximums to at least 1).
 */
export function defineSleeves(inputs: readonly SleeveInput[]): SleeveDefinition[] {
  const problems: string[] = [];
  const sleeves: SleeveDefinition[] = [];
  if (inputs.length === 0) problems.push('sleeves: at least one sleeve is required');
  const seen = new Set<string>();
  inputs.forEach((input, index) => {
    const path = `sleeves[${index}]`;
    if (input.id.trim() === '') problems.push(`${path}.id: must not be empty`);
    else if (seen.has(input.id)) problems.push(`${path}.id: "${input.id}" is used by another sleeve`);
    seen.add(input.id);
    const agent = parseWith(() => agentId(input.agentId), `${path}.agentId`, problems);
    const code = parseWith(() => currency(input.currency), `${path}.currency`, problems);
    const exposure = decimal(input.maxGrossExposure, `${path}.maxGrossExposure`, problems);
    if (exposure !== undefined && !exposure.isPositive()) problems.push(`${path}.maxGrossExposure: must be positive, got ${input.maxGrossExposure}`);
    const drawdown = decimal(input.maxDrawdown, `${path}.maxDrawdown`, problems);
    if (drawdown !== undefined && (!drawdown.isPositive() || drawdown.gt(ONE_WEIGHT))) {
      problems.push(`${path}.maxDrawdown: must be a fraction in (0, 1], got ${input.maxDrawdown}`);
    }
    const minWeight = weight(input.minWeight ?? '0', `${path}.minWeight`, problems);
    const maxWeight = weight(input.maxWeight ?? '1', `${path}.maxWeight`, problems);
    if (minWeight !== undefined && maxWeight !== undefined && minWeight.gt(maxWeight)) {
      problems.push(`${path}.minWeight: ${minWeight.toPlainString()} is above maxWeight ${maxWeight.toPlainString()}`);
    }
    if (agent && code && exposure && drawdown && minWeight && maxWeight) {
      sleeves.push({ id: input.id, agentId: agent, currency: code, riskBudget: { maxGrossExposure: exposure, maxDrawdown: drawdown }, minWeight, maxWeight });
    }
  });
  if (problems.length === 0) {
    const minSum = sleeves.reduce((sum, s) => sum.add(s.minWeight), Fixed.zero(WEIGHT_SCALE));
    const maxSum = sleeves.reduce((sum, s) => sum.add(s.maxWeight), Fixed.zero(WEIGHT_SCALE));
    if (minSum.gt(ONE_WEIGHT)) problems.push(`sleeves: minimum weights sum to ${minSum.toPlainString()}, more than 1`);
    if (maxSum.lt(ONE_WEIGHT)) problems.push(`sleeves: maximum weights sum to ${maxSum.toPlainString()}, less than 1`);
    const currencies = new Set(sleeves.map((s) => s.currency));
    if (currencies.size > 1) problems.push(`sleeves: all sleeves must share one currency, got ${[...currencies].join(', ')}`);
  }
  if (problems.length > 0) throw new FixRequestError('invalid_sleeves', `invalid sleeves: ${problems.join('; ')}`);
  return sleeves;
}

function parseWith<T>(parse: () => T, path: string, problems: string[]): T | undefined {
  try {
    return parse();
  } catch (error) {
    problems.push(`${path}: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

function decimal(text: string, path: string, problems: string[]): Fixed | undefined {
  return parseWith(() => Fixed.parse(text), path, problems);
}

function weight(text: string, path: string, problems: string[]): Fixed | undefined {
  const value = parseWith(() => Fixed.parse(text, WEIGHT_SCALE), path, problems);
  if (value === undefined) return undefined;
  if (value.isNegative() || value.gt(ONE_WEIGHT)) {
    problems.push(`${path}: must be within [0, 1], got ${text}`);
    return undefined;
  }
  return value;
}
