/**
 * The rule-based strategies by name, and `createStrategy` to build one from (possibly string) parameters, e.g.
 * from `--strategy sma-cross --param fast=10 --param slow=30`.
 */
import { FixRequestError } from '../core/errors.js';
import type { InstrumentId } from '../core/ids.js';
import { bbRsi } from './bb-rsi.js';
import { buyAndHold } from './buy-and-hold.js';
import { donchianBreakout } from './donchian-breakout.js';
import { fundingCarry } from './funding-carry.js';
import { emaCross, smaCross } from './moving-average-cross.js';
import { pairsZScore } from './pairs-zscore.js';
import { randomAgent } from './random-agent.js';
import { resolveParameters } from './parameters.js';
import type { Strategy, StrategyFactory, StrategyParameters } from './strategy.js';

export const strategyFactories: ReadonlyMap<string, StrategyFactory> = new Map(
  [smaCross, emaCross, bbRsi, donchianBreakout, pairsZScore, fundingCarry, buyAndHold, randomAgent].map((factory) => [factory.name, factory]),
);

/** Builds the named strategy; throws FixRequestError for an unknown name, bad parameters or instruments. */
/** The parameters a strategy runs with: the given ones checked and coerced, the rest at their defaults. */
export function effectiveParameters(name: string, parameters: StrategyParameters): Record<string, number | string> {
  return resolveParameters(name, factoryOf(name).parameters, parameters).toRecord();
}

export function createStrategy(name: string, parameters: StrategyParameters, instruments: readonly InstrumentId[]): Strategy {
  return factoryOf(name).create(parameters, instruments);
}

function factoryOf(name: string): StrategyFactory {
  const factory = strategyFactories.get(name);
  if (factory === undefined) {
    throw new FixRequestError('unknown_strategy', `unknown strategy "${name}"; known: ${[...strategyFactories.keys()].join(', ')}`);
  }
  return factory;
}
