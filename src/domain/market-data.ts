import type { InstrumentId } from '../core/ids.js';
import type { UnixMs } from '../core/time.js';

/** Market data is float64 (DESIGN §3): it feeds analytics; books only see prices after quantization. */

/** A candle; `ts` is the bar's OPEN time. */
export interface Bar {
  readonly type: 'bar';
  readonly instrumentId: InstrumentId;
  readonly ts: UnixMs;
  readonly timeframeMs: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

export type Aggressor = 'buy' | 'sell' | 'unknown';

export interface TradeTick {
  readonly type: 'trade';
  readonly instrumentId: InstrumentId;
  readonly ts: UnixMs;
  readonly price: number;
  readonly size: number;
  readonly aggressor: Aggressor;
  readonly tradeId: string;
}

export interface QuoteTick {
  readonly type: 'quote';
  readonly instrumentId: InstrumentId;
  readonly ts: UnixMs;
  readonly bidPrice: number;
  readonly bidSize: number;
  readonly askPrice: number;
  readonly askSize: number;
}

export type BookLevel = readonly [price: number, size: number];

export interface BookSnapshot {
  readonly type: 'book-snapshot';
  readonly instrumentId: InstrumentId;
  readonly ts: UnixMs;
  readonly sequence: number;
  /** Best first: bids descending, asks ascending. */
  readonly bids: readonly BookLevel[];
  readonly asks: readonly BookLevel[];
}

/** Sets one price level; size 0 removes it. `previousSequence` chains deltas (Binance `pu`). */
export interface BookDelta {
  readonly type: 'book-delta';
  readonly instrumentId: InstrumentId;
  readonly ts: UnixMs;
  readonly firstSequence: number;
  readonly sequence: number;
  readonly previousSequence: number | undefined;
  readonly bids: readonly BookLevel[];
  readonly asks: readonly BookLevel[];
}

export interface MarkPrice {
  readonly type: 'mark-price';
  readonly instrumentId: InstrumentId;
  readonly ts: UnixMs;
  /** The mark at `ts` (a mark candle's close). */
  readonly price: number;
  /** A mark candle's extremes (both or neither) and its open: a position must survive its worst mark, not only the close. */
  readonly high?: number;
  readonly low?: number;
  readonly open?: number;
}

/** A funding rate that applies at `ts` (a funding time). Positive: longs pay shorts. */
export interface FundingRate {
  readonly type: 'funding-rate';
  readonly instrumentId: InstrumentId;
  readonly ts: UnixMs;
  readonly rate: number;
}

export type MarketData = Bar | TradeTick | QuoteTick | BookSnapshot | BookDelta | MarkPrice | FundingRate;

/** Why a bar is impossible, or undefined when it is fine. Cheap: it runs on every bar the venue sees. */
export function barProblem(bar: Omit<Bar, 'type' | 'instrumentId' | 'timeframeMs'>): string | undefined {
  const { open, high, low, close, volume } = bar;
  if (!(Number.isFinite(open) && Number.isFinite(high) && Number.isFinite(low) && Number.isFinite(close) && Number.isFinite(volume))) {
    return 'a price or volume is not a finite number';
  }
  if (open <= 0 || high <= 0 || low <= 0 || close <= 0) return 'a price is zero or negative';
  if (volume < 0) return 'volume is negative';
  if (high < low) return `high ${high} is below low ${low}`;
  if (open > high || close > high) return 'open or close is above high';
  if (open < low || close < low) return 'open or close is below low';
  return undefined;
}

/**
 * Perpetual data in the order a venue must see it: by time, and at the same time the mark before the funding, so
 * funding settles at the mark of its own time rather than the one before.
 */
export function byTimeMarksFirst<T extends MarkPrice | FundingRate>(items: T[]): T[] {
  return items.sort((a, b) => a.ts - b.ts || (a.type === b.type ? 0 : a.type === 'mark-price' ? -1 : 1));
}
