/**
 * What an optimization maximises or minimises: one named metric of the backtest result and a direction.
 * Ranking: a better score wins; NaN is worse than every number; equal scores go to the lower trial index, so the
 * choice never depends on the order results arrive in.
 */
import { FixRequestError } from '../../core/errors.js';
import type { BacktestMetrics } from '../result.js';

export type Direction = 'max' | 'min';

/** The metrics an objective can name, with the direction that makes sense by default. */
export const OBJECTIVE_METRICS = {
  sharpe: 'max',
  sortino: 'max',
  calmar: 'max',
  totalReturn: 'max',
  annualisedReturn: 'max',
  deflatedSharpe: 'max',
  profitFactor: 'max',
  winRate: 'max',
  expectancy: 'max',
  maxDrawdown: 'min',
  maxDrawdownDurationMs: 'min',
  volatility: 'min',
  turnover: 'min',
  feesPaid: 'min',
} as const satisfies Readonly<Record<string, Direction>>;

export type ObjectiveMetric = keyof typeof OBJECTIVE_METRICS;

export interface Objective {
  readonly metric: ObjectiveMetric;
  readonly direction: Direction;
}

/** `sharpe`, `maxDrawdown`, or with an explicit direction `totalReturn:max` (the `direction` argument wins). */
export function parseObjective(text: string, direction?: string): Objective {
  const [name, suffix] = text.trim().split(':').map((part) => part.trim());
  const chosen = direction ?? suffix;
  if (name === undefined || !Object.hasOwn(OBJECTIVE_METRICS, name)) {
    throw new FixRequestError('invalid_objective', `unknown objective "${text}"; choose one of ${Object.keys(OBJECTIVE_METRICS).join(', ')}`);
  }
  if (chosen !== undefined && chosen !== 'max' && chosen !== 'min') {
    throw new FixRequestError('invalid_objective', `objective direction must be max or min, got "${chosen}"`);
  }
  const metric = name as ObjectiveMetric;
  return { metric, direction: chosen ?? OBJECTIVE_METRICS[metric] };
}

export function scoreOf(metrics: BacktestMetrics, objective: Objective): number {
  return metrics[objective.metric];
}

/** True when score `a` of trial `indexA` ranks above score `b` of trial `indexB`. */
export function ranksAbove(a: number, indexA: number, b: number, indexB: number, direction: Direction): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(b) && (!Number.isNaN(a) || indexA < indexB);
  if (a !== b) return direction === 'max' ? a > b : a < b;
  return indexA < indexB;
}
