import type { InstrumentId } from '../core/ids.js';
import { byTimeMarksFirst, type FundingRate, type MarkPrice } from '../domain/market-data.js';

export type SideData = FundingRate | MarkPrice;

/**
 * Funding rates and mark prices replayed beside bars, in time order (marks first at equal times). An item is due
 * before the bar that closes after it, with one exception that keeps each instrument's facts in time order: an
 * item stamped after the open of its own instrument's next bar waits until the venue has filled against that bar.
 * A position opened at a bar's open thus pays the funding settled later inside the bar and faces the marks taken
 * inside it, and an order placed on such an item fills at the next bar's open, never at an open before it.
 * Items at a bar's open time itself come before that bar's fills.
 */
export class SideDataQueue {
  private readonly items: readonly SideData[];
  private index = 0;

  constructor(items: readonly SideData[]) {
    this.items = byTimeMarksFirst([...items]);
  }

  /**
   * Hands `visit` the items stamped before `closeTs`, in order, up to the first one stamped after `unseenOpen` of
   * its instrument: the open time of that instrument's next bar while the venue has not seen it (undefined when it
   * has, or when no bars of the instrument are replayed).
   */
  drain(closeTs: number, unseenOpen: (instrumentId: InstrumentId) => number | undefined, visit: (item: SideData) => void): void {
    while (this.index < this.items.length) {
      const item = this.items[this.index] as SideData;
      if (item.ts >= closeTs) return;
      const open = unseenOpen(item.instrumentId);
      if (open !== undefined && item.ts > open) return;
      this.index += 1;
      visit(item);
    }
  }
}
