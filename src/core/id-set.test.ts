import { describe, expect, it } from 'vitest';
import { IdSet } from './id-set.js';

describe('IdSet', () => {
  it('answers like a set of strings for counted and other ids', () => {
    const set = new IdSet();
    const ids = ['sim-1', 'sim-2', 'sim-10', 'x-7-a', 'x-8-a', 'sim-01', 'abc', 't9', 'sim-99999999999999999', '0'];
    for (const id of ids.slice(0, 6)) set.add(id);
    for (const id of ids.slice(0, 6)) expect(set.has(id)).toBe(true);
    for (const id of ['sim-3', 'sim-001', 'x-7-b', 'abc', 't9', 'sim-99999999999999999', '0', 'sim-', 'x-7-']) expect(set.has(id)).toBe(false);
    for (const id of ids.slice(6)) set.add(id);
    for (const id of ids) expect(set.has(id)).toBe(true);
  });

  it('finds counters that came out of order', () => {
    const set = new IdSet();
    for (const n of [10, 20, 5, 30, 15, 25]) set.add(`t-${n}`);
    for (const n of [5, 10, 15, 20, 25, 30]) expect(set.has(`t-${n}`)).toBe(true);
    for (const n of [0, 6, 11, 21, 26, 31]) expect(set.has(`t-${n}`)).toBe(false);
  });
});
