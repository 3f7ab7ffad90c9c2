import { describe, expect, it } from 'vitest';
import type { BookLevel } from '../../domain/market-data.js';
import { FixRequestError } from '../../core/errors.js';
import { DepthSync } from './depth-sync.js';
import type { DepthDiff, DepthSnapshot } from './messages.js';

function diff(firstUpdateId: number, finalUpdateId: number, previousFinalUpdateId: number, bids: BookLevel[] = [], asks: BookLevel[] = []): DepthDiff {
  return { kind: 'depth-diff', eventTime: 0, transactionTime: 0, firstUpdateId, finalUpdateId, previousFinalUpdateId, bids, asks };
}

function snapshot(lastUpdateId: number, bids: BookLevel[] = [[100, 1]], asks: BookLevel[] = [[101, 1]]): DepthSnapshot {
  return { kind: 'depth-snapshot', lastUpdateId, eventTime: 0, transactionTime: 0, bids, asks };
}

/** A synchroniser in sync at u=20, book 100 x 101. */
function synced(): { sync: DepthSync; reasons: string[] } {
  const reasons: string[] = [];
  const sync = new DepthSync(undefined, { onResyncNeeded: (reason) => reasons.push(reason) });
  sync.onSnapshot(snapshot(15));
  sync.onDiff(diff(11, 20, 10, [[100, 2]]));
  expect(sync.state).toBe('in-sync');
  return { sync, reasons };
}

describe('DepthSync', () => {
  it('buffers diffs before the snapshot, drops the ones it covers and applies the one straddling it', () => {
    const updated: number[] = [];
    const sync = new DepthSync(undefined, { onBookUpdated: (applied) => updated.push(applied.finalUpdateId) });
    expect(sync.onDiff(diff(1, 10, 0, [[99, 5]]))).toBe('buffered');
    expect(sync.onDiff(diff(11, 20, 10, [[100, 2]]))).toBe('buffered');
    expect(sync.onDiff(diff(21, 30, 20, [], [[101, 3]]))).toBe('buffered');
    expect(sync.isTradable).toBe(false);
    expect(sync.tradableBook()).toBeUndefined();

    expect(sync.onSnapshot(snapshot(15))).toBe('applied');

    expect(sync.state).toBe('in-sync');
    expect(sync.lastUpdateId).toBe(30);
    expect(updated).toEqual([20, 30]);
    expect(sync.tradableBook()?.bestBid()).toEqual({ price: 100, size: 2 });
    expect(sync.book.bestAsk()).toEqual({ price: 101, size: 3 });
    expect(sync.book.sizeAt('bid', 99)).toBe(0);
    expect(sync.counters()).toMatchObject({ diffsApplied: 2, diffsDropped: 1, diffsBuffered: 3, levelsUpdated: 2, chainBreaks: 0, resyncs: 0 });
  });

  it('accepts a first diff that ends exactly at the snapshot id', () => {
    const sync = new DepthSync();
    sync.onSnapshot(snapshot(20));
    expect(sync.onDiff(diff(11, 20, 10))).toBe('applied');
    expect(sync.onDiff(diff(21, 25, 20))).toBe('applied');
  });

  it('waits after the snapshot, dropping diffs it covers, until one straddles it', () => {
    const sync = new DepthSync();
    sync.onSnapshot(snapshot(15));
    expect(sync.state).toBe('awaiting-first-diff');
    expect(sync.tradableBook()).toBeUndefined();
    expect(sync.onDiff(diff(1, 10, 0))).toBe('dropped-stale');
    expect(sync.onDiff(diff(11, 20, 10))).toBe('applied');
  });

  it('asks for a newer snapshot when the first diff starts after the snapshot id', () => {
    const reasons: string[] = [];
    const sync = new DepthSync(undefined, { onResyncNeeded: (reason) => reasons.push(reason) });
    sync.onSnapshot(snapshot(15));
    expect(sync.onDiff(diff(16, 20, 14))).toBe('out-of-sync');
    expect(sync.state).toBe('awaiting-snapshot');
    expect(reasons).toEqual(['snapshot 15 is older than the next diff U=16 u=20']);
    expect(sync.counters()).toMatchObject({ snapshotGaps: 1, resyncs: 1, chainBreaks: 0 });
    // The diff that revealed the gap was kept: a snapshot inside it starts the chain there.
    expect(sync.bufferedDiffs).toBe(1);
    expect(sync.onSnapshot(snapshot(18))).toBe('applied');
    expect(sync.state).toBe('in-sync');
  });

  it('drops a repeated diff once in sync instead of breaking the chain', () => {
    const { sync } = synced();
    expect(sync.onDiff(diff(11, 20, 10, [[100, 9]]))).toBe('dropped-stale');
    expect(sync.book.sizeAt('bid', 100)).toBe(2);
    expect(sync.isTradable).toBe(true);
  });

  it('a diff whose pu does not match the previous u marks the book out of sync and empties it', () => {
    const { sync, reasons } = synced();
    expect(sync.onDiff(diff(25, 30, 24, [[100, 7]]))).toBe('out-of-sync');
    expect(sync.state).toBe('awaiting-snapshot');
    expect(sync.isTradable).toBe(false);
    expect(sync.tradableBook()).toBeUndefined();
    expect(sync.book.depth('bid') + sync.book.depth('ask')).toBe(0);
    expect(reasons).toEqual(['chain break: diff U=25 u=30 has pu=24, the previous diff ended at u=20']);
    expect(sync.lastProblem).toBe(reasons[0]);
    expect(sync.counters()).toMatchObject({ chainBreaks: 1, resyncs: 1 });
  });

  it('rebuilds from a later snapshot after a chain break, applying the buffered diffs that follow it', () => {
    const { sync } = synced();
    sync.onDiff(diff(25, 30, 24, [[100, 7]]));
    expect(sync.onDiff(diff(31, 40, 30, [[100.5, 1]]))).toBe('buffered');
    expect(sync.onSnapshot(snapshot(35, [[100, 7]], [[101, 4]]))).toBe('applied');
    expect(sync.state).toBe('in-sync');
    expect(sync.lastUpdateId).toBe(40);
    expect(sync.book.bestBid()).toEqual({ price: 100.5, size: 1 });
    expect(sync.book.bestAsk()).toEqual({ price: 101, size: 4 });
    expect(sync.counters()).toMatchObject({ chainBreaks: 1, resyncs: 1, snapshotsApplied: 2, diffsDropped: 1 });
  });

  it('treats a diff that crosses the book as out of sync and counts it', () => {
    const { sync } = synced();
    expect(sync.onDiff(diff(21, 25, 20, [[101.5, 1]]))).toBe('out-of-sync');
    expect(sync.state).toBe('awaiting-snapshot');
    expect(sync.book.isCrossed()).toBe(false);
    expect(sync.lastProblem).toBe('diff U=21 u=25 left the book crossed: best bid 101.5 >= best ask 101');
    expect(sync.counters()).toMatchObject({ crossedDetections: 1, resyncs: 1, chainBreaks: 0 });
  });

  it('rejects a crossed snapshot and keeps waiting with an empty book', () => {
    const sync = new DepthSync();
    expect(sync.onSnapshot(snapshot(15, [[101, 1]], [[100.5, 1]]))).toBe('rejected-crossed');
    expect(sync.state).toBe('awaiting-snapshot');
    expect(sync.book.depth('bid')).toBe(0);
    expect(sync.lastProblem).toBe('snapshot 15 is crossed: best bid 101 >= best ask 100.5');
    expect(sync.counters()).toMatchObject({ crossedDetections: 1, snapshotsRejected: 1, snapshotsApplied: 0 });
  });

  it('rejects a snapshot with a NaN size, naming it, and changes nothing', () => {
    const sync = new DepthSync();
    expect(() => sync.onSnapshot(snapshot(15, [[100, Number.NaN]]))).toThrow('bid size NaN at price 100');
    expect(sync.state).toBe('awaiting-snapshot');
    expect(sync.book.depth('bid')).toBe(0);
  });

  it('rejects an invalid diff naming its update id, loses sync and leaves no half-applied book', () => {
    const { sync } = synced();
    let caught: unknown;
    try {
      sync.onDiff(diff(21, 25, 20, [[100.2, 1], [100.1, -3]]));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(FixRequestError);
    expect((caught as Error).message).toBe('diff U=21 u=25 is invalid: bid size -3 at price 100.1 is not a finite number >= 0');
    expect(sync.state).toBe('awaiting-snapshot');
    expect(sync.book.sizeAt('bid', 100.2)).toBe(0);
    expect(sync.counters()).toMatchObject({ invalidDiffs: 1, resyncs: 1 });
  });

  it('ignores a snapshot while the chain is intact', () => {
    const { sync } = synced();
    expect(sync.onSnapshot(snapshot(5, [[90, 1]], [[91, 1]]))).toBe('ignored-in-sync');
    expect(sync.book.bestBid()).toEqual({ price: 100, size: 2 });
  });

  it('keeps only the newest diffs when the buffer overflows', () => {
    const sync = new DepthSync(undefined, { maxBufferedDiffs: 2 });
    sync.onDiff(diff(1, 10, 0));
    sync.onDiff(diff(11, 20, 10));
    sync.onDiff(diff(21, 30, 20));
    expect(sync.bufferedDiffs).toBe(2);
    expect(sync.counters().bufferOverflows).toBe(1);
  });
});
