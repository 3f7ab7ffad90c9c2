import { describe, expect, it } from 'vitest';
import { RetiringMap } from './retiring-map.js';

interface Rec {
  status: 'open' | 'done';
  fills: number[];
}

describe('RetiringMap', () => {
  it('packs finished records once newer ones have finished, and returns equal copies of them', () => {
    const map = new RetiringMap<string, Rec>((r) => r.status === 'done', 2);
    const a: Rec = { status: 'done', fills: [1] };
    map.set('a', a);
    map.retire('a');
    expect(map.get('a')).toBe(a);
    for (const key of ['b', 'c']) {
      map.set(key, { status: 'done', fills: [] });
      map.retire(key);
    }
    expect(map.get('a')).not.toBe(a);
    expect(map.get('a')).toEqual(a);
    expect(map.has('a')).toBe(true);
    expect(map.size).toBe(3);
  });

  it('unpacks a record to change it in place, and leaves open records alone', () => {
    const map = new RetiringMap<string, Rec>((r) => r.status === 'done', 1);
    map.set('a', { status: 'done', fills: [1] });
    map.retire('a');
    map.set('b', { status: 'open', fills: [] });
    map.retire('b');
    const live = map.mutable('a')!;
    live.fills.push(2);
    expect(map.get('a')).toEqual({ status: 'done', fills: [1, 2] });
    map.retire('b');
    expect(map.get('a')).toEqual({ status: 'done', fills: [1, 2] });
    const open = map.get('b')!;
    map.retire('a');
    expect(map.get('b')).toBe(open);
    expect(map.get('missing')).toBeUndefined();
  });
});
