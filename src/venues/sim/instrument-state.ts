import type { Fixed } from '../../core/fixed.js';
import type { Instrument } from '../../domain/instrument.js';
import type { Bar, MarketData } from '../../domain/market-data.js';
import type { BarPrices } from './bar-rules.js';
import { toPrice } from './pricing.js';
import type { WorkingOrder } from './working-order.js';

/** What the venue keeps per instrument. */
export interface InstrumentState {
  /**
   * The last bar the venue processed, as its own copy: callers may reuse one bar object for every bar, and an order
   * arriving later must see the bar that was, not the one now being written.
   */
  lastBar: { -readonly [K in keyof Bar]: Bar[K] } | undefined;
  /** The latest price as market data gave it, until something needs it exact. */
  lastRaw: number | undefined;
  lastPrice: Fixed | undefined;
  /**
   * With a volume cap: what the last bar's share has left after the fills against it (undefined: all of it), for
   * market orders that close execution fills at that bar's close.
   */
  barCapacity: Fixed | undefined;
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
    barCapacity: undefined,
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

/** Keeps `bar` as the state's last bar, copied into the state's own object (allocated once). */
export function keepLastBar(st: InstrumentState, bar: Bar): void {
  const kept = st.lastBar;
  if (kept === undefined) {
    st.lastBar = { ...bar };
    return;
  }
  kept.instrumentId = bar.instrumentId;
  kept.ts = bar.ts;
  kept.timeframeMs = bar.timeframeMs;
  kept.open = bar.open;
  kept.high = bar.high;
  kept.low = bar.low;
  kept.close = bar.close;
  kept.volume = bar.volume;
}

export function barPrices(instrument: Instrument, bar: Bar): BarPrices {
  return {
    open: toPrice(instrument, bar.open),
    high: toPrice(instrument, bar.high),
    low: toPrice(instrument, bar.low),
    close: toPrice(instrument, bar.close),
  };
}
