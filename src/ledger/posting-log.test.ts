import { describe, expect, it } from 'vitest';
import { PostingLog } from './posting-log.js';

describe('PostingLog', () => {
  it('reads back every entry exactly: times, accounts and amounts of any size and sign', () => {
    const log = new PostingLog();
    const amounts = [0n, 1n, -1n, 63n, -64n, 2n ** 31n, -(2n ** 31n) - 5n, 2n ** 50n - 1n, -(2n ** 50n) + 1n, 2n ** 50n, -(2n ** 50n), 10n ** 30n, -(10n ** 40n)];
    const entries = [
      { ts: 0, postings: amounts.map((amount, i) => ({ account: i * 37, amount })) },
      { ts: 1_700_000_000_000, postings: [{ account: 1, amount: 5n }, { account: 2, amount: -5n }] },
      { ts: 1.5, postings: [{ account: 3, amount: 7n }] },
      { ts: -42, postings: [] },
    ];
    const starts = entries.map((e) => {
      const start = log.begin(e.ts, e.postings.length);
      for (const p of e.postings) log.posting(p.account, p.amount);
      return start;
    });
    entries.forEach((e, i) => {
      const { ts, count } = log.seek(starts[i]!);
      expect(ts).toBe(e.ts);
      expect(count).toBe(e.postings.length);
      expect(Array.from({ length: count }, () => log.next())).toEqual(e.postings);
    });
  });

  it('starts a new chunk rather than splitting an entry', () => {
    const log = new PostingLog();
    const starts: number[] = [];
    for (let i = 0; i < 100_000; i++) {
      starts.push(log.begin(i, 3));
      for (let k = 0; k < 3; k++) log.posting(k, BigInt(i * 1_000_003 - k));
    }
    for (const i of [0, 1, 49_999, 99_999]) {
      expect(log.seek(starts[i]!)).toEqual({ ts: i, count: 3 });
      expect([log.next(), log.next(), log.next()].map((p) => p.amount)).toEqual([0, 1, 2].map((k) => BigInt(i * 1_000_003 - k)));
    }
  });
});
