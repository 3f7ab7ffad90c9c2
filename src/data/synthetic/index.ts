export {
  generateMarket,
  regimeAt,
  syntheticInstrument,
  type GarchOptions,
  type PerpetualSeries,
  type SyntheticInstrument,
  type SyntheticMarket,
  type SyntheticMarketOptions,
} from './generate-market.js';
export type { SyntheticInstrumentSpec } from './instrument-model.js';
export {
  fundingRateEvents,
  fundingRateFor,
  markPriceEvent,
  type FundingRateSeries,
  type MarkPriceSeries,
  type PerpetualOptions,
} from './perpetual.js';
export {
  DEFAULT_AVERAGE_DURATION_MS,
  DEFAULT_BEHAVIOUR,
  MARKET_REGIMES,
  REGIMES,
  TRANSITION_WEIGHTS,
  type MarketRegime,
  type Regime,
  type RegimeBehaviour,
  type RegimeOptions,
} from './regimes.js';
export { choleskyFactor } from './correlation.js';
