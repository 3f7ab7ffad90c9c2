/**
 * K-way merge of timestamp-sorted streams into one timeline, for feeding several data sources (trades,
 * candles, funding, ...) through one run loop.
 *
 * Ties are broken by source index, then by position within the source, so a backtest over the same inputs
 * sees the same interleaving every time. The heap holds one entry per source, keyed (ts, source index);
 * the key is unique, which is what makes the order total without a sequence number.
 *
 * Sources are pulled lazily: nothing is read before the first `next()`, and a source is advanced only when
 * its current item has been handed out and the next one is needed.
 */
import { FixRequestError } from '../core/errors.js';

export interface Merged<T> {
  readonly item: T;
  /** Index of the source the item came from. */
  readonly source: number;
}

export type TimestampOf<T> = (item: T) => number;

class StreamMerge<T> implements IterableIterator<Merged<T>> {
  private readonly iterators: Iterator<T>[];
  private readonly heads: (T | undefined)[];
  private readonly headTs: Float64Array;
  /** Position within its source of each source's head item, for error messages. */
  private readonly positions: Float64Array;
  /** Source indices ordered as a binary min-heap on (headTs, source index). */
  private readonly heap: Int32Array;
  private size = 0;
  private primed = false;
  /** The source whose head was handed out last and must be advanced before the next comparison. */
  private pending = -1;

  constructor(
    private readonly sources: readonly Iterable<T>[],
    private readonly tsOf: TimestampOf<T>,
  ) {
    const count = sources.length;
    this.iterators = new Array<Iterator<T>>(count);
    this.heads = new Array<T | undefined>(count);
    this.headTs = new Float64Array(count);
    this.positions = new Float64Array(count);
    this.heap = new Int32Array(count);
  }

  [Symbol.iterator](): this {
    return this;
  }

  next(): IteratorResult<Merged<T>> {
    if (!this.primed) this.prime();
    else if (this.pending >= 0) this.advance(this.pending);
    if (this.size === 0) {
      this.pending = -1;
      return { done: true, value: undefined };
    }
    const source = this.heap[0]!;
    this.pending = source;
    return { done: false, value: { item: this.heads[source] as T, source } };
  }

  /** Stopping early (e.g. `break` in a for-of) releases every source that is still open. */
  return(): IteratorResult<Merged<T>> {
    for (let i = 0; i < this.size; i++) {
      const source = this.heap[i]!;
      this.heads[source] = undefined;
      this.iterators[source]!.return?.();
    }
    this.size = 0;
    this.pending = -1;
    this.primed = true;
    return { done: true, value: undefined };
  }

  private prime(): void {
    this.primed = true;
    for (let source = 0; source < this.sources.length; source++) {
      const iterator = this.sources[source]![Symbol.iterator]();
      this.iterators[source] = iterator;
      const first = iterator.next();
      if (first.done === true) continue;
      this.headTs[source] = this.checkedTs(first.value, source, 0, Number.NEGATIVE_INFINITY);
      this.heads[source] = first.value;
      this.heap[this.size] = source;
      this.siftUp(this.size++);
    }
  }

  /** Replaces the root source's head with its next item, or drops the source when it is exhausted. */
  private advance(source: number): void {
    const result = this.iterators[source]!.next();
    if (result.done === true) {
      this.heads[source] = undefined;
      const last = this.heap[--this.size]!;
      if (this.size === 0) return;
      this.heap[0] = last;
    } else {
      const position = this.positions[source]! + 1;
      this.positions[source] = position;
      this.headTs[source] = this.checkedTs(result.value, source, position, this.headTs[source]!);
      this.heads[source] = result.value;
    }
    this.siftDown(0);
  }

  private checkedTs(item: T, source: number, position: number, previous: number): number {
    const ts = this.tsOf(item);
    // One comparison on the hot path; NaN also fails it and is told apart only when reporting.
    if (!(ts >= previous)) {
      if (Number.isNaN(ts)) {
        throw new FixRequestError('invalid_time', `source ${source}, item ${position}: the timestamp is NaN`);
      }
      throw new FixRequestError(
        'out_of_order',
        `source ${source} is out of order at item ${position}: ts ${ts} comes after ts ${previous}; ` +
          'each source must be sorted by timestamp',
      );
    }
    return ts;
  }

  private before(a: number, b: number): boolean {
    const ta = this.headTs[a]!;
    const tb = this.headTs[b]!;
    return ta < tb || (ta === tb && a < b);
  }

  private siftUp(index: number): void {
    const heap = this.heap;
    const source = heap[index]!;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = heap[parentIndex]!;
      if (!this.before(source, parent)) break;
      heap[index] = parent;
      index = parentIndex;
    }
    heap[index] = source;
  }

  private siftDown(index: number): void {
    const heap = this.heap;
    const size = this.size;
    const source = heap[index]!;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= size) break;
      let childIndex = left;
      let child = heap[left]!;
      const right = left + 1;
      if (right < size && this.before(heap[right]!, child)) {
        childIndex = right;
        child = heap[right]!;
      }
      if (!this.before(child, source)) break;
      heap[index] = child;
      index = childIndex;
    }
    heap[index] = source;
  }
}

/**
 * Merges `sources`, each sorted by `tsOf`, into one ascending stream. Equal timestamps come out in
 * source-index order, and in source order within one source. A source that goes backwards throws
 * FixRequestError('out_of_order') when its offending item is reached.
 */
export function mergeStreams<T>(sources: readonly Iterable<T>[], tsOf: TimestampOf<T>): IterableIterator<Merged<T>> {
  return new StreamMerge(sources, tsOf);
}

/** `mergeStreams` over in-memory arrays, collected into one array. */
export function mergeArrays<T>(arrays: readonly (readonly T[])[], tsOf: TimestampOf<T>): Merged<T>[] {
  return Array.from(mergeStreams(arrays, tsOf));
}
