import type { Fixed } from '../../core/fixed.js';
import type { Instrument } from '../../domain/instrument.js';
import type { Bar, MarketData } from '../../domain/market-data.js';
import type { BarPrices } from './bar-rules.js';
import { toPrice } from './pricing.js';
import type { WorkingOrder } from './working-order.js';

/** What the venue keeps per instrument. */
export interface InstrumentState {
  lastBar: Bar | undefined;
  /** The latest price as market data gave it, until something needs it exact. */
  lastRaw: number | undefined;
  lastPrice: Fixed | undefined;
  /** Open orders, in arrival order. */
  readonly open: WorkingOrder[];
  /** The latest time seen per kind of data, to refuse data that goes back in time. */
  readonly lastTs: Record<MarketData['type'], number>;
}

export function newInstrumentState(): InstrumentState {
  return {
    lastBar: undefined,
    lastRaw: undefined,
    lastPrice: undefined,
    open: [],
    lastTs: { bar: -Infinity, quote: -Infinity, trade: -Infinity, 'book-snapshot': -Infinity, 'book-delta': -Infinity, 'mark-price': -Infinity, 'funding-rate': -Infinity },
  };
}

/**
 * A float pre-check before exact evaluation: false only when the bar clearly cannot reach the order's price
 * (with a margin far above float error), so orders far from the market cost two comparisons per bar.
 */
export function mayTrade(order: WorkingOrder, bar: Bar): boolean {
  const level = order.levelHint;
  if (level === undefined || order.firstBar) return true;
  const margin = level * 1e-9;
  return order.hintRising ? bar.high >= level - margin : bar.low <= level + margin;
}

export function barPrices(instrument: Instrument, bar: Bar): BarPrices {
  return {
    open: toPrice(instrument, bar.open),
    high: toPrice(instrument, bar.high),
    low: toPrice(instrument, bar.low),
    close: toPrice(instrument, bar.close),
  };
}
