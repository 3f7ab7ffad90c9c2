import { legOfIntent, type InstrumentId, type IntentId } from '../../core/ids.js';
import type { UnixMs } from '../../core/time.js';
import type { DenialCode, DeskEvent, IntentDenied } from '../../domain/events.js';

/** Denials that time alone can lift (a rate window passing, fresh data, a price back in its band, a cancel asked again). */
const LIFTED_BY_TIME: ReadonlySet<DenialCode> = new Set<DenialCode>(['order_rate', 'stale_market_data', 'no_reference_price', 'price_band', 'cancel_refused']);

interface Denial {
  readonly event: IntentDenied;
  readonly at: UnixMs;
  /** What the verdict rested on when it was given; undefined when time alone may lift it. */
  readonly circumstances: string | undefined;
}

/**
 * Books whose last decision the risk gate denied, and what that verdict rested on. A manager nudge looks again at every
 * view its book disagrees with, and the position cycle asks again to open it; a denied view disagrees still, and
 * sent again unchanged it would only be denied again, once an hour, for ever (a sleeve with no cash). So a book is
 * not decided again:
 * - at the close time its intent was denied (the intent id is made of the book and the time: a second decision would
 *   be the same intent decided and denied twice);
 * - later, while nothing the verdict rested on has changed: its views (a new signal, a changed conviction), the
 *   book's position and cash, the trading state (the desk's or its owner's), any position on the desk (what desk-wide
 *   limits count), the views' analysts' modes, and no order on the desk has ended unfilled (canceled, expired,
 *   rejected: the room it held under the desk-wide limits is free again). Prices alone are left out: with them every
 *   look would be a change.
 * Denials that time alone can lift (`LIFTED_BY_TIME`) are tried again at the next look. The position cycle's opens
 * keep their own back-off (see `PositionCycle`): only the first rule holds them.
 */
export class DeniedViews {
  /** The last decided intent of each book, to tie a denial back to its book. */
  private readonly intentOf = new Map<string, IntentId>();
  private readonly bookOf = new Map<IntentId, { owner: string; instrumentId: InstrumentId }>();
  private readonly denials = new Map<string, Denial>();

  /** `circumstancesOf`: what a verdict on the book rests on, apart from prices, as one comparable string. */
  constructor(private readonly circumstancesOf: (owner: string, instrumentId: InstrumentId) => string) {}

  onEvent(event: DeskEvent): void {
    if (event.type === 'DecisionMade') {
      if (event.intentId === undefined) return;
      const key = bookKey(event.owner, event.instrumentId);
      const prior = this.intentOf.get(key);
      if (prior !== undefined) this.bookOf.delete(prior);
      this.intentOf.set(key, event.intentId);
      this.bookOf.set(event.intentId, { owner: event.owner, instrumentId: event.instrumentId });
      return;
    }
    if (event.type === 'IntentApproved') {
      const book = this.bookOfIntent(event.intent.id);
      if (book !== undefined) this.denials.delete(bookKey(book.owner, book.instrumentId));
      return;
    }
    if (event.type === 'OrderCanceled' || event.type === 'OrderExpired' || event.type === 'OrderRejected') {
      // An order that ends unfilled gives back the room it held under the desk-wide limits (gross exposure,
      // leverage), which no book's own circumstances show: every held-back view may be decided again.
      this.denials.clear();
      return;
    }
    if (event.type !== 'IntentDenied') return;
    const book = this.bookOfIntent(event.intentId);
    if (book === undefined) return;
    const circumstances = LIFTED_BY_TIME.has(event.code) ? undefined : this.circumstancesOf(book.owner, book.instrumentId);
    this.denials.set(bookKey(book.owner, book.instrumentId), { event, at: event.tsEvent, circumstances });
  }

  /** The book of a decided intent, or of the decided intent an algorithm's leg (`<intent>.<n>`) belongs to. */
  private bookOfIntent(id: IntentId): { owner: string; instrumentId: InstrumentId } | undefined {
    const book = this.bookOf.get(id);
    if (book !== undefined) return book;
    const parent = legOfIntent(id)?.parent;
    return parent === undefined ? undefined : this.bookOf.get(parent);
  }

  /**
   * True when the book's last decision was denied and deciding it again now would change nothing (see above); with
   * `sameTimeOnly`, only when it was denied at `now`.
   */
  holdsBack(owner: string, instrumentId: InstrumentId, now: UnixMs, sameTimeOnly = false): boolean {
    const denial = this.denials.get(bookKey(owner, instrumentId));
    if (denial === undefined) return false;
    if (denial.at === now) return true;
    return !sameTimeOnly && denial.circumstances !== undefined && denial.circumstances === this.circumstancesOf(owner, instrumentId);
  }

  /** The denial of the book's decision at `now`, if there was one. */
  deniedAt(owner: string, instrumentId: InstrumentId, now: UnixMs): IntentDenied | undefined {
    const denial = this.denials.get(bookKey(owner, instrumentId));
    return denial?.at === now ? denial.event : undefined;
  }
}

function bookKey(owner: string, instrumentId: InstrumentId): string {
  return `${owner}|${instrumentId}`;
}
