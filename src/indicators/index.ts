/**
 * `conclave/indicators`: streaming technical indicators, usable without the rest of the engine.
 *
 * Every indicator takes one update per bar in O(1) (sliding extremes amortized; CCI's mean deviation O(period)),
 * returns `undefined` until it has warmed up, and keeps its rolling sums exact (ExactSum), so an SMA is the
 * correctly rounded window sum divided by the period on every bar of any run. Conventions are in each module.
 */
export { ExactSum, fsum } from './exact-sum.js';
export type { StreamingIndicator } from './indicator.js';
export { EMA, RMA, SMA, SMMA, WMA } from './moving-averages.js';
export { RSI } from './rsi.js';
export { ATR, TrueRange } from './true-range.js';
export { BollingerBands, type BollingerResult } from './bollinger.js';
export { MACD, type MacdResult } from './macd.js';
export { Stochastic, type StochasticResult } from './stochastic.js';
export { DMI, type DmiResult } from './dmi.js';
export { CCI } from './cci.js';
export { ROC } from './roc.js';
export { DonchianChannels, Highest, Lowest, type DonchianResult } from './extremes.js';
export { VWAP } from './vwap.js';
export { StandardDeviation, ZScore } from './statistics.js';
export { RollingBeta, RollingCorrelation } from './correlation.js';
export { CrossDetector, type CrossEvent } from './cross.js';
export {
  computeIndicatorColumns,
  createIndicator,
  createIndicatorSet,
  indicatorCatalog,
  parseIndicatorSpec,
  type ColumnIndicator,
  type IndicatorSet,
  type IndicatorSpec,
  type OhlcvBar,
  type OhlcvColumns,
} from './registry.js';
