import { describe, expect, it } from 'vitest';
import { instrumentId, type InstrumentId } from '../core/ids.js';
import type { UnixMs } from '../core/time.js';
import { BarSeriesBuilder } from '../data/bar-series.js';
import { SideDataQueue, type SideData } from './side-data-queue.js';

const A = instrumentId('TEST:A/USDT:USDT');
const B = instrumentId('TEST:B/USDT:USDT');
const funding = (instrumentId: InstrumentId, ts: number): SideData => ({ type: 'funding-rate', instrumentId, ts: ts as UnixMs, rate: 0.0001 });
const mark = (instrumentId: InstrumentId, ts: number): SideData => ({ type: 'mark-price', instrumentId, ts: ts as UnixMs, price: 100 });

/** One 10 ms bar opening at 0 per instrument, not yet seen by the venue. */
function lanes() {
  const lane = (id: InstrumentId) => {
    const builder = new BarSeriesBuilder();
    builder.push(0, 1, 1, 1, 1, 1);
    return { series: builder.build(id, 10), index: 0, venueIndex: -1 };
  };
  return new Map([
    [A, lane(A)],
    [B, lane(B)],
  ]);
}

function drained(queue: SideDataQueue, closeTs: number): string[] {
  const seen: string[] = [];
  queue.drain(closeTs, (item) => seen.push(`${item.type}:${item.instrumentId}@${item.ts}`));
  return seen;
}

describe('side data beside bars', () => {
  it('hands over items before the close in time order, marks first at equal times', () => {
    const queue = new SideDataQueue([funding(A, 20), mark(A, 10), funding(A, 10), mark(A, 30)], new Map());
    expect(drained(queue, 30)).toEqual([`mark-price:${A}@10`, `funding-rate:${A}@10`, `funding-rate:${A}@20`]);
    expect(drained(queue, 31)).toEqual([`mark-price:${A}@30`]);
  });

  it('holds an item inside an unseen bar of its instrument (and all after it) until the venue has seen the bar', () => {
    const cursors = lanes();
    const queue = new SideDataQueue([funding(A, 0), funding(B, 5), funding(A, 8)], cursors);
    // Both instruments' next bars open at 0: the item at the open goes first, the one at 5 waits for B's bar.
    expect(drained(queue, 10)).toEqual([`funding-rate:${A}@0`]);
    // A's bar seen, B's not: A's item at 8 stays behind B's item at 5, which still waits.
    cursors.get(A)!.venueIndex = 0;
    expect(drained(queue, 10)).toEqual([]);
    cursors.get(B)!.venueIndex = 0;
    expect(drained(queue, 10)).toEqual([`funding-rate:${B}@5`, `funding-rate:${A}@8`]);
  });
});
