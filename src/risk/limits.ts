import type { Fixed } from '../core/fixed.js';
import type { InstrumentId } from '../core/ids.js';
import type { TradingState } from '../domain/events.js';

/** A breaker: when the loss fraction reaches `fraction`, the desk moves to `action`. */
export interface Breaker {
  readonly fraction: Fixed;
  readonly action: Exclude<TradingState, 'ACTIVE'>;
}

/** Hard limits every intent is checked against. Absent limits are not checked. */
export interface RiskLimits {
  /** Only these instruments may be traded (absent: every instrument the desk knows). */
  readonly allowedInstruments?: readonly InstrumentId[];
  /** Largest notional of a single order, in the settlement currency. */
  readonly maxOrderNotional?: Fixed;
  /** Largest absolute position notional per instrument (a default, and overrides per instrument). */
  readonly maxPositionNotional?: Fixed;
  readonly maxPositionNotionalByInstrument?: ReadonlyMap<InstrumentId, Fixed>;
  /** Largest sum of absolute position notionals, over the whole desk (every owner). */
  readonly maxGrossExposure?: Fixed;
  /** Largest sum of absolute position notionals of one owner (a sleeve's risk budget), by owner. */
  readonly ownerMaxGrossExposure?: ReadonlyMap<string, Fixed>;
  /** Largest gross exposure / equity. */
  readonly maxLeverage?: Fixed;
  /**
   * Most open orders per owner (a sleeve's book, or the desk book), every kind counted. Like the order rate it holds
   * back only orders that can add risk: a reduce-only order is never refused by either.
   */
  readonly maxOpenOrders?: number;
  /** Largest distance of a limit price from the reference price, as a fraction (0.05 = 5%). */
  readonly priceBand?: Fixed;
  /** Most orders submitted within a sliding window, over the whole desk (every owner's orders count). */
  readonly orderRate?: { readonly maxOrders: number; readonly windowMs: number };
  /** Market data older than this is stale. */
  readonly maxDataAgeMs?: number;
  readonly dailyLoss?: Breaker;
  readonly maxDrawdown?: Breaker;
  /** Shrink an order to fit a notional/exposure limit (true) or deny it (false). */
  readonly clampToLimits?: boolean;
}
