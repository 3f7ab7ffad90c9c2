import type { Fixed } from '../../core/fixed.js';
import type { InstrumentId } from '../../core/ids.js';

/** How orders meet the market data the venue is fed. */
export type FillModel = 'bar' | 'l1' | 'l2';

export type Slippage =
  | { readonly kind: 'none' }
  /** Every taker fill moves `bps` basis points against the order (rounded to the tick, adversely). */
  | { readonly kind: 'fixed-bps'; readonly bps: Fixed }
  /** Impact grows with the fill's share of the bar's or tick's volume: price x (1 +/- impact x qty / volume). */
  | { readonly kind: 'volume-share'; readonly impact: Fixed };

export type MarginMode = 'isolated' | 'cross';

/** How the venue works an instrument's orders: the run's options, or the instrument's own from `byInstrument`. */
export interface ExecutionOptions {
  readonly fillModel: FillModel;
  /** Bar mode: market orders fill at the next bar's open (default) or at the close of the bar they were placed on. */
  readonly barExecution?: 'next-open' | 'close';
  /** Cap each fill at this share of the bar's (or trade/quote) volume; the rest waits for later data. */
  readonly volumeShare?: Fixed;
  readonly slippage?: Slippage;
  /** An order reaches the venue this many ms of simulated time after it is sent. */
  readonly latencyMs?: number;
  /** Charged on the notional of a liquidated position (default 0.005 = 0.5%). */
  readonly liquidationFeeRate?: Fixed;
}

export interface SimVenueOptions extends ExecutionOptions {
  /** The account's: one wallet backs every instrument, so the margin mode is the same for all. */
  readonly marginMode?: MarginMode;
  /** Leverage per perpetual (default 1), at most the instrument's (and its tier's) maximum. */
  readonly leverage?: ReadonlyMap<InstrumentId, Fixed>;
  /** Starting balances at the venue, by currency. */
  readonly balances: Readonly<Record<string, string>>;
  /**
   * Execution options of single instruments, each replacing the run's for that instrument: a desk that declares
   * several sim venues trades each instrument by the options of the venue it is listed on.
   */
  readonly byInstrument?: ReadonlyMap<InstrumentId, ExecutionOptions>;
}
