import type { InstrumentId } from '../core/ids.js';
import type { SeriesCursor } from '../data/bar-series.js';
import { byTimeMarksFirst, type FundingRate, type MarkPrice } from '../domain/market-data.js';

export type SideData = FundingRate | MarkPrice;

/** An instrument's replayed series, its next bar, and the last bar handed to the venue (-1 before the first). */
export interface VenueCursor extends SeriesCursor {
  readonly venueIndex: number;
}

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

  /** `lanes`: the replayed instruments' cursors, read at each drain (their bars and what the venue has seen). */
  constructor(
    items: readonly SideData[],
    private readonly lanes: ReadonlyMap<InstrumentId, VenueCursor>,
  ) {
    this.items = byTimeMarksFirst([...items]);
  }

  /**
   * Hands `visit` the items stamped before `closeTs`, in order, up to the first one stamped after the open of its
   * instrument's next bar while the venue has not seen that bar.
   */
  drain(closeTs: number, visit: (item: SideData) => void): void {
    while (this.index < this.items.length) {
      const item = this.items[this.index] as SideData;
      if (item.ts >= closeTs) return;
      const lane = this.lanes.get(item.instrumentId);
      if (lane !== undefined && lane.venueIndex < lane.index && lane.index < lane.series.length && item.ts > (lane.series.ts[lane.index] as number)) return;
      this.index += 1;
      visit(item);
    }
  }
}
