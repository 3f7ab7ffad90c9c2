import { FixRequestError } from '../../core/errors.js';
import type { BookLevel } from '../../domain/market-data.js';
import { OrderBook, type OrderBookView } from '../../venues/sim/book/order-book.js';
import type { DepthDiff, DepthSnapshot } from './messages.js';

/**
 * Keeps a local L2 book in step with Binance USD-M futures diff-depth messages, following Binance's "How to
 * manage a local order book correctly" for futures:
 *
 * 1. Buffer diffs until a REST snapshot arrives (state `awaiting-snapshot`).
 * 2. Load the snapshot, then drop every diff with `u` < `lastUpdateId` (state `awaiting-first-diff`).
 * 3. The first diff applied must have `U` <= `lastUpdateId` <= `u`; if the next diff starts after
 *    `lastUpdateId`, the snapshot is too old and we need another one.
 * 4. From then on (state `in-sync`) each diff's `pu` must equal the previous diff's `u`.
 *
 * Whenever the chain breaks, or an update leaves the book crossed (a real venue book never is), the book is
 * emptied and not tradable until it is rebuilt from the next snapshot: a stale book must never be traded on.
 * The diff that revealed the problem is kept in the buffer, as the next snapshot may start inside it.
 *
 * A snapshot arriving while in sync is ignored: the chain already proves the book current.
 * Repeated or older diffs (`u` <= the last applied `u`) are dropped as stale rather than treated as breaks.
 */
export type DepthSyncState = 'awaiting-snapshot' | 'awaiting-first-diff' | 'in-sync';

export type DiffOutcome = 'applied' | 'buffered' | 'dropped-stale' | 'out-of-sync';
export type SnapshotOutcome = 'applied' | 'rejected-crossed' | 'ignored-in-sync';

export interface DepthSyncCounters {
  /** Diffs applied to the book (including buffered ones applied after a snapshot). */
  readonly diffsApplied: number;
  /** Diffs dropped because the book already covers them (`u` < snapshot id, or repeated). */
  readonly diffsDropped: number;
  readonly diffsBuffered: number;
  /** Buffered diffs discarded because the buffer was full (the oldest go first). */
  readonly bufferOverflows: number;
  /** `pu` did not match the previous `u`. */
  readonly chainBreaks: number;
  /** The first diff after a snapshot started after `lastUpdateId`: the snapshot was too old. */
  readonly snapshotGaps: number;
  /** Times the book was marked out of sync and a new snapshot requested. */
  readonly resyncs: number;
  /** Crossed books seen: after a diff (which loses sync) or in a snapshot (which is rejected). */
  readonly crossedDetections: number;
  /** Diffs that failed validation (they also lose sync when the book was in use). */
  readonly invalidDiffs: number;
  /** Price levels set by applied diffs: the unit of work of the book. */
  readonly levelsUpdated: number;
  readonly snapshotsApplied: number;
  readonly snapshotsRejected: number;
}

export interface DepthSyncOptions {
  /** How many diffs to hold while waiting for a snapshot (default 10,000). */
  readonly maxBufferedDiffs?: number;
  /** Called each time sync is lost: the place to fetch a new REST snapshot. */
  readonly onResyncNeeded?: (reason: string) => void;
  /** Called after each diff applied that leaves the book in sync and uncrossed. */
  readonly onBookUpdated?: (diff: DepthDiff, book: OrderBookView) => void;
}

type MutableCounters = { -readonly [K in keyof DepthSyncCounters]: number };

export class DepthSync {
  private readonly orderBook: OrderBook;
  private readonly maxBufferedDiffs: number;
  private readonly onResyncNeeded: ((reason: string) => void) | undefined;
  private readonly onBookUpdated: ((diff: DepthDiff, book: OrderBookView) => void) | undefined;
  private currentState: DepthSyncState = 'awaiting-snapshot';
  private buffer: DepthDiff[] = [];
  /** The snapshot's id until the first diff applies, then the `u` of the last applied diff. */
  private updateId: number | undefined;
  private problem: string | undefined;
  private readonly count: MutableCounters = {
    diffsApplied: 0,
    diffsDropped: 0,
    diffsBuffered: 0,
    bufferOverflows: 0,
    chainBreaks: 0,
    snapshotGaps: 0,
    resyncs: 0,
    crossedDetections: 0,
    invalidDiffs: 0,
    levelsUpdated: 0,
    snapshotsApplied: 0,
    snapshotsRejected: 0,
  };

  constructor(book: OrderBook = new OrderBook(), options: DepthSyncOptions = {}) {
    this.orderBook = book;
    this.orderBook.clear();
    this.maxBufferedDiffs = options.maxBufferedDiffs ?? 10_000;
    this.onResyncNeeded = options.onResyncNeeded;
    this.onBookUpdated = options.onBookUpdated;
  }

  get state(): DepthSyncState {
    return this.currentState;
  }

  /** True only when the book is in sync: the only time it may be traded on. */
  get isTradable(): boolean {
    return this.currentState === 'in-sync';
  }

  get needsSnapshot(): boolean {
    return this.currentState === 'awaiting-snapshot';
  }

  /** The book for inspection in any state; empty while awaiting a snapshot. Prefer `tradableBook()`. */
  get book(): OrderBookView {
    return this.orderBook;
  }

  /** The book when it is in sync, else undefined. */
  tradableBook(): OrderBookView | undefined {
    return this.currentState === 'in-sync' ? this.orderBook : undefined;
  }

  /** The `u` of the last applied diff (or the snapshot id before the first one). */
  get lastUpdateId(): number | undefined {
    return this.updateId;
  }

  /** Why sync was last lost or a snapshot rejected, with the update ids involved. */
  get lastProblem(): string | undefined {
    return this.problem;
  }

  get bufferedDiffs(): number {
    return this.buffer.length;
  }

  counters(): DepthSyncCounters {
    return { ...this.count };
  }

  onSnapshot(snapshot: DepthSnapshot): SnapshotOutcome {
    if (this.currentState === 'in-sync') return 'ignored-in-sync';
    const bestBid = bestPrice(snapshot.bids, 1);
    const bestAsk = bestPrice(snapshot.asks, -1);
    if (bestBid >= bestAsk) {
      this.count.crossedDetections += 1;
      this.count.snapshotsRejected += 1;
      this.problem = `snapshot ${snapshot.lastUpdateId} is crossed: best bid ${bestBid} >= best ask ${bestAsk}`;
      return 'rejected-crossed';
    }
    // Validates every level before replacing anything: an invalid snapshot throws and changes nothing.
    this.orderBook.applySnapshot(snapshot.bids, snapshot.asks);
    this.count.snapshotsApplied += 1;
    this.updateId = snapshot.lastUpdateId;
    this.currentState = 'awaiting-first-diff';
    const pending = this.buffer;
    this.buffer = [];
    for (const diff of pending) this.onDiff(diff);
    return 'applied';
  }

  /** Applies, buffers or drops one diff. An invalid diff throws a FixRequestError naming its `u`. */
  onDiff(diff: DepthDiff): DiffOutcome {
    const invalid = diffProblem(diff);
    if (invalid !== undefined) {
      this.count.invalidDiffs += 1;
      const reason = `diff U=${diff.firstUpdateId} u=${diff.finalUpdateId} is invalid: ${invalid}`;
      if (this.currentState !== 'awaiting-snapshot') this.loseSync(reason);
      else this.problem = reason;
      throw new FixRequestError('invalid_depth_diff', reason);
    }
    if (this.currentState === 'awaiting-snapshot') {
      this.bufferDiff(diff);
      return 'buffered';
    }
    const last = this.updateId!;
    if (this.currentState === 'awaiting-first-diff') {
      if (diff.finalUpdateId < last) return this.drop();
      if (diff.firstUpdateId > last) {
        this.count.snapshotGaps += 1;
        this.loseSync(`snapshot ${last} is older than the next diff U=${diff.firstUpdateId} u=${diff.finalUpdateId}`);
        this.bufferDiff(diff);
        return 'out-of-sync';
      }
    } else {
      if (diff.finalUpdateId <= last) return this.drop();
      if (diff.previousFinalUpdateId !== last) {
        this.count.chainBreaks += 1;
        this.loseSync(
          `chain break: diff U=${diff.firstUpdateId} u=${diff.finalUpdateId} has pu=${diff.previousFinalUpdateId}, the previous diff ended at u=${last}`,
        );
        this.bufferDiff(diff);
        return 'out-of-sync';
      }
    }
    return this.apply(diff);
  }

  private apply(diff: DepthDiff): DiffOutcome {
    const book = this.orderBook;
    const bids = diff.bids;
    const asks = diff.asks;
    for (let index = 0; index < bids.length; index++) {
      const level = bids[index]!;
      book.setLevel('bid', level[0], level[1]);
    }
    for (let index = 0; index < asks.length; index++) {
      const level = asks[index]!;
      book.setLevel('ask', level[0], level[1]);
    }
    this.count.diffsApplied += 1;
    this.count.levelsUpdated += bids.length + asks.length;
    this.updateId = diff.finalUpdateId;
    this.currentState = 'in-sync';
    if (book.isCrossed()) {
      this.count.crossedDetections += 1;
      this.loseSync(
        `diff U=${diff.firstUpdateId} u=${diff.finalUpdateId} left the book crossed: best bid ${book.bestPrice('bid')} >= best ask ${book.bestPrice('ask')}`,
      );
      this.bufferDiff(diff);
      return 'out-of-sync';
    }
    this.onBookUpdated?.(diff, book);
    return 'applied';
  }

  private drop(): DiffOutcome {
    this.count.diffsDropped += 1;
    return 'dropped-stale';
  }

  private bufferDiff(diff: DepthDiff): void {
    if (this.buffer.length >= this.maxBufferedDiffs) {
      this.buffer.shift();
      this.count.bufferOverflows += 1;
    }
    this.buffer.push(diff);
    this.count.diffsBuffered += 1;
  }

  private loseSync(reason: string): void {
    this.currentState = 'awaiting-snapshot';
    this.orderBook.clear();
    this.buffer = [];
    this.count.resyncs += 1;
    this.problem = reason;
    this.onResyncNeeded?.(reason);
  }
}

/** The best price of snapshot levels (sign 1: highest bid, -1: lowest ask), ignoring empty levels. */
function bestPrice(levels: readonly BookLevel[], sign: 1 | -1): number {
  let best = sign === 1 ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  for (const [price, size] of levels) {
    if (size > 0 && sign * price > sign * best) best = price;
  }
  return best;
}

function diffProblem(diff: DepthDiff): string | undefined {
  if (!Number.isSafeInteger(diff.firstUpdateId) || !Number.isSafeInteger(diff.finalUpdateId) || diff.firstUpdateId > diff.finalUpdateId) {
    return `update ids U=${diff.firstUpdateId} u=${diff.finalUpdateId} are not an increasing pair of integers`;
  }
  if (!Number.isSafeInteger(diff.previousFinalUpdateId)) return `pu=${diff.previousFinalUpdateId} is not an integer`;
  return levelsProblem('bid', diff.bids) ?? levelsProblem('ask', diff.asks);
}

function levelsProblem(side: string, levels: readonly BookLevel[]): string | undefined {
  for (let index = 0; index < levels.length; index++) {
    const [price, size] = levels[index]!;
    if (!(price > 0 && price < Number.POSITIVE_INFINITY)) return `${side} price ${price} is not a positive finite number`;
    if (!(size >= 0 && size < Number.POSITIVE_INFINITY)) return `${side} size ${size} at price ${price} is not a finite number >= 0`;
  }
  return undefined;
}
