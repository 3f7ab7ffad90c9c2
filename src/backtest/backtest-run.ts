import { createHash } from 'node:crypto';
import type { Fixed } from '../core/fixed.js';
import type { Currency, InstrumentId } from '../core/ids.js';
import type { CurrencyScales, Instrument } from '../domain/instrument.js';
import type { FundingRate, MarkPrice } from '../domain/market-data.js';
import type { BarSeries } from '../data/bar-series.js';
import type { DenialReason } from '../engine/denial-tally.js';
import type { TradingCore } from '../engine/trading-core.js';
import type { RiskLimits } from '../risk/limits.js';
import type { Strategy } from '../strategies/strategy.js';
import type { SimVenueOptions } from '../venues/sim/options.js';
import type { FillList } from './fill-list.js';
import type { BacktestFill } from './result.js';
import type { Sizing } from './sizing.js';
import type { TradeTracker } from './trade-tracker.js';

// What a backtest is given and what it gives back, whichever runner made it (a strategy run or a desk run).

export interface BacktestConfig {
  /** One series per instrument; series may have different timeframes. */
  readonly series: readonly BarSeries[];
  readonly instruments: readonly Instrument[];
  readonly strategy: Strategy;
  /** Starting cash per currency, as decimal strings. */
  readonly cash: Readonly<Record<string, string>>;
  readonly valuationCurrency: Currency;
  readonly sizing: Sizing;
  readonly venue?: Partial<Omit<SimVenueOptions, 'balances'>>;
  readonly limits?: RiskLimits;
  readonly leverage?: ReadonlyMap<InstrumentId, Fixed>;
  readonly scales?: CurrencyScales;
  readonly funding?: readonly FundingRate[];
  readonly marks?: readonly MarkPrice[];
  /** Equity is journaled (and breakers checked) every this many bars, and at every fill (default: one day). */
  readonly markEveryBars?: number;
  /** Called every 65,536 bars and at the end with (bars processed, total bars). */
  readonly onProgress?: (processed: number, total: number) => void;
}

export interface StrategyError {
  readonly ts: number;
  readonly instrumentId: InstrumentId;
  readonly message: string;
}

export interface BacktestRun {
  /** In order; `toArray()` for fill objects. */
  readonly fills: FillList;
  readonly trades: TradeTracker['trades'];
  /**
   * Equity at each close time of the run, once every bar closing then has been processed: one point per time, so
   * the returns between points are the whole book's (with one series, one point per bar).
   */
  readonly equity: Float64Array;
  /**
   * Each point's time: the latest open time among the bars closing then (the finest series' bar when timeframes
   * nest; with one series, a view of the series' own times).
   */
  readonly ts: Float64Array;
  /** Bars processed, every series together. */
  readonly bars: number;
  /** Bars processed of each series, in the order given. */
  readonly seriesBars: readonly number[];
  /** Equity points at which a position was open (in any instrument). */
  readonly exposureBars: number;
  readonly tradedNotional: number;
  readonly feesPaid: number;
  readonly fundingPaid: number;
  readonly finalEquity: number;
  readonly finalCash: number;
  readonly initialEquity: number;
  readonly fingerprint: string;
  readonly denials: number;
  /** The denials by reason, most frequent first. */
  readonly denialReasons: readonly DenialReason[];
  /** Orders the venue rejected, by reason (the gate approved them, the venue did not take them). */
  readonly rejectionReasons: readonly DenialReason[];
  readonly strategyErrors: readonly StrategyError[];
  readonly core: TradingCore;
}

/** SHA-256 over the ordered fills: ts, instrument, side, qty, price, fee, one line each. */
export function fingerprintOf(fills: Iterable<BacktestFill>): string {
  const hash = createHash('sha256');
  for (const f of fills) hash.update(`${f.ts},${f.instrument},${f.side},${f.qty},${f.price},${f.fee}\n`);
  return hash.digest('hex');
}
