/**
 * Everything a trial needs besides its parameters and range, and its portable form. The portable form holds only
 * plain data (decimal strings, not Fixed; records, not Maps), so it can be cloned into a worker thread; every
 * executor builds its environment from it with `buildTrialEnvironment`, which is what makes the results the same
 * in one thread and in many.
 */
import { currency, type Currency, type InstrumentId } from '../../core/ids.js';
import { Fixed } from '../../core/fixed.js';
import type { TradingState } from '../../domain/events.js';
import { CurrencyScales, defineInstrument, type Instrument, type InstrumentSpec } from '../../domain/instrument.js';
import type { FundingRate, MarkPrice } from '../../domain/market-data.js';
import type { BarSeries } from '../../data/bar-series.js';
import type { RiskLimits } from '../../risk/limits.js';
import type { StrategyFactory } from '../../strategies/strategy.js';
import type { SimVenueOptions, Slippage } from '../../venues/sim/options.js';
import type { BacktestConfig } from '../backtest-run.js';
import type { Sizing } from '../sizing.js';

/** The backtest settings shared by every trial: BacktestConfig without the data and the strategy. */
export type TrialBacktestSettings = Omit<BacktestConfig, 'series' | 'instruments' | 'strategy'>;

export interface TrialEnvironment {
  /** The first series is the primary one: trial ranges are bar indexes into it. */
  readonly series: readonly BarSeries[];
  readonly instruments: readonly Instrument[];
  readonly factory: StrategyFactory;
  readonly settings: TrialBacktestSettings;
}

interface PortableBreaker {
  readonly fraction: string;
  readonly action: Exclude<TradingState, 'ACTIVE'>;
}

/** RiskLimits with decimal strings for amounts and records for per-instrument maps. */
export interface PortableRiskLimits {
  readonly allowedInstruments?: readonly string[];
  readonly maxOrderNotional?: string;
  readonly maxPositionNotional?: string;
  readonly maxPositionNotionalByInstrument?: Readonly<Record<string, string>>;
  readonly maxGrossExposure?: string;
  readonly maxLeverage?: string;
  readonly maxOpenOrders?: number;
  readonly priceBand?: string;
  readonly orderRate?: { readonly maxOrders: number; readonly windowMs: number };
  readonly maxDataAgeMs?: number;
  readonly dailyLoss?: PortableBreaker;
  readonly maxDrawdown?: PortableBreaker;
  readonly clampToLimits?: boolean;
}

export type PortableSlippage = { readonly kind: 'none' } | { readonly kind: 'fixed-bps'; readonly bps: string } | { readonly kind: 'volume-share'; readonly impact: string };

export interface PortableVenueOptions {
  readonly barExecution?: 'next-open' | 'close';
  readonly volumeShare?: string;
  readonly slippage?: PortableSlippage;
  readonly latencyMs?: number;
  readonly marginMode?: 'isolated' | 'cross';
  readonly liquidationFeeRate?: string;
}

/** The backtest settings as plain data (what a config file or the CLI flags say). */
export interface PortableBacktestSettings {
  readonly cash: Readonly<Record<string, string>>;
  readonly valuationCurrency: string;
  readonly sizing: Sizing;
  readonly venue?: PortableVenueOptions;
  readonly limits?: PortableRiskLimits;
  /** Leverage per perpetual instrument id, as decimal strings. */
  readonly leverage?: Readonly<Record<string, string>>;
  /** Decimal places per currency in the books, and for the rest. */
  readonly scales?: { readonly byCurrency: Readonly<Record<string, number>>; readonly defaultScale?: number };
  readonly funding?: readonly FundingRate[];
  readonly marks?: readonly MarkPrice[];
  readonly markEveryBars?: number;
}

/** The portable description of a trial environment, minus the data and the strategy factory. */
export interface PortableTrialSetup {
  readonly instruments: readonly InstrumentSpec[];
  readonly settings: PortableBacktestSettings;
}

export function buildTrialEnvironment(series: readonly BarSeries[], factory: StrategyFactory, setup: PortableTrialSetup): TrialEnvironment {
  return { series, factory, instruments: setup.instruments.map((spec) => defineInstrument(spec)), settings: toBacktestSettings(setup.settings) };
}

export function toBacktestSettings(portable: PortableBacktestSettings): TrialBacktestSettings {
  const fixed = (text: string): Fixed => Fixed.parse(text);
  const byInstrument = (record: Readonly<Record<string, string>>): Map<InstrumentId, Fixed> =>
    new Map(Object.entries(record).map(([id, value]) => [id as InstrumentId, fixed(value)]));
  const venue = portable.venue;
  const venueOptions: Partial<Omit<SimVenueOptions, 'balances'>> | undefined =
    venue === undefined
      ? undefined
      : {
          ...(venue.barExecution !== undefined ? { barExecution: venue.barExecution } : {}),
          ...(venue.volumeShare !== undefined ? { volumeShare: fixed(venue.volumeShare) } : {}),
          ...(venue.slippage !== undefined ? { slippage: slippageOf(venue.slippage) } : {}),
          ...(venue.latencyMs !== undefined ? { latencyMs: venue.latencyMs } : {}),
          ...(venue.marginMode !== undefined ? { marginMode: venue.marginMode } : {}),
          ...(venue.liquidationFeeRate !== undefined ? { liquidationFeeRate: fixed(venue.liquidationFeeRate) } : {}),
        };
  const limits = portable.limits;
  const riskLimits: RiskLimits | undefined =
    limits === undefined
      ? undefined
      : {
          ...(limits.allowedInstruments !== undefined ? { allowedInstruments: limits.allowedInstruments.map((id) => id as InstrumentId) } : {}),
          ...(limits.maxOrderNotional !== undefined ? { maxOrderNotional: fixed(limits.maxOrderNotional) } : {}),
          ...(limits.maxPositionNotional !== undefined ? { maxPositionNotional: fixed(limits.maxPositionNotional) } : {}),
          ...(limits.maxPositionNotionalByInstrument !== undefined
            ? { maxPositionNotionalByInstrument: byInstrument(limits.maxPositionNotionalByInstrument) }
            : {}),
          ...(limits.maxGrossExposure !== undefined ? { maxGrossExposure: fixed(limits.maxGrossExposure) } : {}),
          ...(limits.maxLeverage !== undefined ? { maxLeverage: fixed(limits.maxLeverage) } : {}),
          ...(limits.maxOpenOrders !== undefined ? { maxOpenOrders: limits.maxOpenOrders } : {}),
          ...(limits.priceBand !== undefined ? { priceBand: fixed(limits.priceBand) } : {}),
          ...(limits.orderRate !== undefined ? { orderRate: limits.orderRate } : {}),
          ...(limits.maxDataAgeMs !== undefined ? { maxDataAgeMs: limits.maxDataAgeMs } : {}),
          ...(limits.dailyLoss !== undefined ? { dailyLoss: { fraction: fixed(limits.dailyLoss.fraction), action: limits.dailyLoss.action } } : {}),
          ...(limits.maxDrawdown !== undefined
            ? { maxDrawdown: { fraction: fixed(limits.maxDrawdown.fraction), action: limits.maxDrawdown.action } }
            : {}),
          ...(limits.clampToLimits !== undefined ? { clampToLimits: limits.clampToLimits } : {}),
        };
  const valuationCurrency: Currency = currency(portable.valuationCurrency);
  return {
    cash: portable.cash,
    valuationCurrency,
    sizing: portable.sizing,
    ...(venueOptions !== undefined ? { venue: venueOptions } : {}),
    ...(riskLimits !== undefined ? { limits: riskLimits } : {}),
    ...(portable.leverage !== undefined ? { leverage: byInstrument(portable.leverage) } : {}),
    ...(portable.scales !== undefined ? { scales: new CurrencyScales({ ...portable.scales.byCurrency }, portable.scales.defaultScale) } : {}),
    ...(portable.funding !== undefined ? { funding: portable.funding } : {}),
    ...(portable.marks !== undefined ? { marks: portable.marks } : {}),
    ...(portable.markEveryBars !== undefined ? { markEveryBars: portable.markEveryBars } : {}),
  };
}

function slippageOf(slippage: PortableSlippage): Slippage {
  switch (slippage.kind) {
    case 'none':
      return { kind: 'none' };
    case 'fixed-bps':
      return { kind: 'fixed-bps', bps: Fixed.parse(slippage.bps) };
    case 'volume-share':
      return { kind: 'volume-share', impact: Fixed.parse(slippage.impact) };
  }
}
