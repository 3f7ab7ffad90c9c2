import type { BacktestTrade } from './result.js';

interface OpenTrade {
  direction: 'long' | 'short';
  entryTs: number;
  entryIndex: number;
  opened: number;
  entryValue: number;
  closed: number;
  exitValue: number;
  fees: number;
  funding: number;
}

/**
 * Turns fills into round trips per instrument: a trade opens when a position leaves zero and closes when it
 * returns to zero; a fill that flips the position closes one trade and opens the next, its fee split by quantity.
 * Trade PnL = (exit value - entry value) x direction x contract size - fees - funding paid while open.
 */
export class TradeTracker {
  private readonly positions = new Map<string, number>();
  private readonly open = new Map<string, OpenTrade>();
  private readonly done: BacktestTrade[] = [];

  constructor(private readonly contractSize: (instrument: string) => number) {}

  get trades(): readonly BacktestTrade[] {
    return this.done;
  }

  position(instrument: string): number {
    return this.positions.get(instrument) ?? 0;
  }

  onFill(instrument: string, index: number, ts: number, side: 'buy' | 'sell', quantity: number, price: number, fee: number): void {
    const before = this.positions.get(instrument) ?? 0;
    const signed = side === 'buy' ? quantity : -quantity;
    const after = roundQuantity(before + signed);
    this.positions.set(instrument, after);
    let remaining = quantity;
    let trade = this.open.get(instrument);
    if (trade !== undefined && Math.sign(signed) !== (trade.direction === 'long' ? 1 : -1)) {
      const closing = Math.min(quantity, Math.abs(before));
      trade.closed += closing;
      trade.exitValue += closing * price;
      trade.fees += (fee * closing) / quantity;
      remaining = roundQuantity(quantity - closing);
      if (after === 0 || Math.sign(after) !== Math.sign(before)) this.finish(instrument, trade, ts, index);
      trade = undefined;
    }
    if (remaining > 0) {
      trade = this.open.get(instrument);
      if (trade === undefined) {
        trade = {
          direction: signed > 0 ? 'long' : 'short',
          entryTs: ts,
          entryIndex: index,
          opened: 0,
          entryValue: 0,
          closed: 0,
          exitValue: 0,
          fees: 0,
          funding: 0,
        };
        this.open.set(instrument, trade);
      }
      trade.opened += remaining;
      trade.entryValue += remaining * price;
      trade.fees += (fee * remaining) / quantity;
    }
  }

  onFunding(instrument: string, amountPaid: number): void {
    const trade = this.open.get(instrument);
    if (trade !== undefined) trade.funding += amountPaid;
  }

  /**
   * Trades still open at the end, closed at each instrument's last price (marked, not filled) and its own bar index
   * at the end, counted as its fills' indexes were (an instrument of another timeframe has its own count).
   */
  closeAtEnd(ts: number, ends: ReadonlyMap<string, { readonly price: number; readonly index: number }>): void {
    for (const [instrument, trade] of [...this.open]) {
      const end = ends.get(instrument);
      if (end === undefined) continue;
      const left = trade.opened - trade.closed;
      trade.closed += left;
      trade.exitValue += left * end.price;
      this.finish(instrument, trade, ts, end.index, true);
    }
  }

  /** `open`: still held at the end, valued at the last close (no fill closed it). */
  private finish(instrument: string, trade: OpenTrade, ts: number, index: number, open = false): void {
    this.open.delete(instrument);
    const direction = trade.direction === 'long' ? 1 : -1;
    const size = this.contractSize(instrument);
    const gross = (trade.exitValue - trade.entryValue) * direction * size;
    const pnl = gross - trade.fees - trade.funding;
    const entryPrice = trade.entryValue / trade.opened;
    this.done.push({
      instrument,
      direction: trade.direction,
      entryTs: trade.entryTs,
      exitTs: ts,
      qty: trade.opened,
      entryPrice,
      exitPrice: trade.closed > 0 ? trade.exitValue / trade.closed : entryPrice,
      pnl,
      fees: trade.fees,
      returnPct: trade.entryValue > 0 ? pnl / (trade.entryValue * size) : 0,
      bars: index - trade.entryIndex,
      ...(open ? { open: true as const } : {}),
    });
  }
}

/** Fill quantities are exact decimals; their float sums are rounded back to 12 places so a closed position is 0. */
function roundQuantity(value: number): number {
  return Math.round(value * 1e12) / 1e12;
}
