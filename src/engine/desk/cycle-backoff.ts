/** Longest wait, in reviews, between two tries of an open that keeps being refused the same way. */
const MAX_REVIEWS = 32;

interface Refusal {
  readonly direction: string;
  /** What refused it (`denied below_min_notional`, `no order`): a different refusal starts the count again. */
  readonly signature: string;
  readonly why: string;
  readonly refusals: number;
  /** Reviews left before the open is tried again. */
  wait: number;
  reported: boolean;
}

/**
 * When the position cycle does not open a flat book, and for how long. An open refused the same way (below the
 * minimums, no cash, a view the manager does not act on) is tried again after 1, 2, 4 ... (at most 32) reviews
 * rather than on each, and a book that may only shrink (REDUCING, HALTED) is not opened at all; either is reported
 * once, not on every review, so the journal records what happens instead of the same refused open again and again.
 * A new view direction or a position that opens starts afresh.
 */
export class OpenBackoff {
  private readonly refusals = new Map<string, Refusal>();
  /** The state block last reported per book (direction and state). */
  private readonly stateNoted = new Map<string, string>();

  clear(book: string): void {
    this.refusals.delete(book);
    this.stateNoted.delete(book);
  }

  /** True when a book kept from opening by its trading state should say so (the first review in that state). */
  blockedByState(book: string, direction: string, state: string): boolean {
    const signature = `${direction}|${state}`;
    if (this.stateNoted.get(book) === signature) return false;
    this.stateNoted.set(book, signature);
    return true;
  }

  /** While an earlier refusal holds the open back: why, in how many reviews it is tried again, and whether to say so. */
  waiting(book: string, direction: string): { readonly why: string; readonly reviews: number; readonly report: boolean } | undefined {
    this.stateNoted.delete(book);
    const refusal = this.refusals.get(book);
    if (refusal === undefined) return undefined;
    if (refusal.direction !== direction) {
      this.refusals.delete(book);
      return undefined;
    }
    if (refusal.wait === 0) return undefined;
    const report = !refusal.reported;
    refusal.reported = true;
    const reviews = refusal.wait;
    refusal.wait -= 1;
    const times = refusal.refusals > 1 ? ` (refused ${refusal.refusals} times in a row)` : '';
    return { why: `${refusal.why}${times}`, reviews, report };
  }

  failed(book: string, direction: string, signature: string, why: string): void {
    const last = this.refusals.get(book);
    const refusals = last !== undefined && last.direction === direction && last.signature === signature ? last.refusals + 1 : 1;
    this.refusals.set(book, { direction, signature, why, refusals, wait: Math.min(2 ** (refusals - 1), MAX_REVIEWS), reported: false });
  }
}
