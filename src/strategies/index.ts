/** The rule-based analysts: the strategy contract, the shipped strategies and their registry. */
export type { BarView, ParameterSpec, Signal, Strategy, StrategyContext, StrategyFactory, StrategyParameters } from './strategy.js';
export { createStrategy, strategyFactories } from './registry.js';
export { bbRsi } from './bb-rsi.js';
export { buyAndHold } from './buy-and-hold.js';
export { donchianBreakout } from './donchian-breakout.js';
export { fundingCarry } from './funding-carry.js';
export { emaCross, smaCross } from './moving-average-cross.js';
export { pairsZScore } from './pairs-zscore.js';
