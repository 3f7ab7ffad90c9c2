import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { FixRequestError } from '../core/errors.js';
import { mergeArrays, mergeStreams } from './stream-merge.js';

interface Tick {
  readonly ts: number;
  readonly label: string;
}

const tsOf = (tick: Tick): number => tick.ts;
const ticks = (prefix: string, ...stamps: number[]): Tick[] => stamps.map((ts, i) => ({ ts, label: `${prefix}${i}` }));

describe('mergeStreams', () => {
  it('merges by timestamp, ties by source index, then by position within a source', () => {
    const merged = mergeArrays([ticks('a', 1, 5, 5, 9), ticks('b', 0, 5, 7), ticks('c', 5, 5)], tsOf);
    expect(merged.map((m) => `${m.item.label}@${m.item.ts}/${m.source}`)).toEqual([
      'b0@0/1',
      'a0@1/0',
      'a1@5/0',
      'a2@5/0',
      'b1@5/1',
      'c0@5/2',
      'c1@5/2',
      'b2@7/1',
      'a3@9/0',
    ]);
  });

  it('handles no sources, empty sources and a single source', () => {
    expect(mergeArrays<Tick>([], tsOf)).toEqual([]);
    expect(mergeArrays<Tick>([[], []], tsOf)).toEqual([]);
    const only = ticks('x', 3, 3, 4);
    expect(mergeArrays([[], only, []], tsOf)).toEqual(only.map((item) => ({ item, source: 1 })));
  });

  it('reads sources lazily and only as far as needed', () => {
    const pulled: string[] = [];
    function* source(name: string, stamps: number[]): Generator<Tick> {
      for (const [i, ts] of stamps.entries()) {
        pulled.push(`${name}${i}`);
        yield { ts, label: `${name}${i}` };
      }
    }
    const merge = mergeStreams([source('a', [1, 4]), source('b', [2, 3])], tsOf);
    expect(pulled).toEqual([]);
    expect(merge.next().value?.item.label).toBe('a0');
    expect(pulled).toEqual(['a0', 'b0']);
    expect(merge.next().value?.item.label).toBe('b0');
    expect(pulled).toEqual(['a0', 'b0', 'a1']);
  });

  it('closes open sources when the consumer stops early', () => {
    const closed: string[] = [];
    function* source(name: string): Generator<Tick> {
      try {
        for (let ts = 0; ; ts++) yield { ts, label: name };
      } finally {
        closed.push(name);
      }
    }
    let count = 0;
    for (const _ of mergeStreams([source('a'), source('b')], tsOf)) {
      if (++count === 3) break;
    }
    expect(closed.sort()).toEqual(['a', 'b']);
  });

  it('names the source, the position and both timestamps when a source goes backwards', () => {
    const merge = mergeStreams([ticks('a', 1, 2, 3), ticks('b', 1, 10, 4)], tsOf);
    let error: unknown;
    const seen: string[] = [];
    try {
      for (const { item } of merge) seen.push(item.label);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(FixRequestError);
    expect((error as FixRequestError).code).toBe('out_of_order');
    expect((error as FixRequestError).message).toBe(
      'source 1 is out of order at item 2: ts 4 comes after ts 10; each source must be sorted by timestamp',
    );
    expect(seen).toEqual(['a0', 'b0', 'a1', 'a2', 'b1']);
  });

  it('rejects a NaN timestamp', () => {
    expect(() => mergeArrays([ticks('a', 1), ticks('b', Number.NaN)], tsOf)).toThrow(
      'source 1, item 0: the timestamp is NaN',
    );
  });

  it('equals a stable sort by (ts, source, position) for random inputs', () => {
    const sortedStream = fc
      .array(fc.integer({ min: 0, max: 30 }), { maxLength: 40 })
      .map((stamps) => stamps.sort((a, b) => a - b));
    fc.assert(
      fc.property(fc.array(sortedStream, { maxLength: 8 }), (streams) => {
        const sources = streams.map((stamps, s) => stamps.map((ts, position) => ({ ts, s, position })));
        const expected = sources
          .flat()
          .sort((x, y) => x.ts - y.ts || x.s - y.s || x.position - y.position)
          .map((item) => ({ item, source: item.s }));
        expect(mergeArrays(sources, (item) => item.ts)).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
});
