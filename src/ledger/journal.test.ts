import { describe, expect, it } from 'vitest';
import { InvariantViolation } from '../core/errors.js';
import { currency } from '../core/ids.js';
import type { UnixMs } from '../core/time.js';
import type { AccountKind, Posting } from './accounts.js';
import { Journal, assertBalanced } from './journal.js';

const USDT = currency('USDT');
const BTC = currency('BTC');
const ETH = currency('ETH');
const T0 = 1_700_000_000_000 as UnixMs;

function leg(kind: AccountKind, cur: typeof USDT, amount: bigint, owner = 'desk'): Posting {
  return { owner, currency: cur, kind, amount };
}

function errorOf(fn: () => unknown): InvariantViolation {
  try {
    fn();
  } catch (error) {
    if (error instanceof InvariantViolation) return error;
    throw error;
  }
  throw new Error('expected an InvariantViolation');
}

/** A journal with a deposit of 1000.00 USDT and a spot buy of 0.01 BTC for 400.00 USDT (units: cents, satoshis). */
function seeded(): Journal {
  const journal = new Journal();
  journal.post(T0, 'e-1', 'deposit', [leg('cash', USDT, 100_000n), leg('capital', USDT, -100_000n)]);
  journal.post(T0, 'e-2', 'buy', [
    leg('cash', USDT, -40_000n),
    leg('conversion', USDT, 40_000n),
    leg('asset', BTC, 1_000_000n),
    leg('conversion', BTC, -1_000_000n),
  ]);
  return journal;
}

describe('Journal: posting balanced entries', () => {
  it('posts a deposit and a two-currency exchange, numbering entries and folding balances', () => {
    const journal = seeded();
    expect(journal.length).toBe(2);
    expect(journal.allEntries().map((e) => [e.seq, e.eventId, e.memo])).toEqual([
      [1, 'e-1', 'deposit'],
      [2, 'e-2', 'buy'],
    ]);
    expect(journal.raw('desk', 'cash', USDT)).toBe(60_000n);
    expect(journal.raw('desk', 'conversion', USDT)).toBe(40_000n);
    expect(journal.raw('desk', 'asset', BTC)).toBe(1_000_000n);
    expect(journal.raw('desk', 'conversion', BTC)).toBe(-1_000_000n);
    expect(journal.snapshot()).toEqual({
      'desk:asset:BTC': '1000000',
      'desk:capital:USDT': '-100000',
      'desk:cash:USDT': '60000',
      'desk:conversion:BTC': '-1000000',
      'desk:conversion:USDT': '40000',
    });
  });

  it('returns the sequence number of the entry it posted, which reads back with its timestamp and postings', () => {
    const journal = new Journal();
    const postings = [leg('cash', USDT, 5n), leg('capital', USDT, -5n)];
    const seq = journal.post((T0 + 7) as UnixMs, 'e-9', 'deposit', postings);
    expect(seq).toBe(1);
    expect(journal.entry(seq)).toEqual({ seq: 1, ts: T0 + 7, eventId: 'e-9', memo: 'deposit', postings });
    expect(journal.post(T0, 'e-10', 'withdrawal', [leg('cash', USDT, -5n), leg('capital', USDT, 5n)])).toBe(2);
    expect(journal.entry(0)).toBeUndefined();
    expect(journal.entry(3)).toBeUndefined();
  });

  it('writes a memo from its subject only when the entry is read', () => {
    const journal = new Journal();
    const fill = { id: 'c-1', quantity: '0.5' };
    let written = 0;
    const describe = (subject: typeof fill): string => {
      written += 1;
      return `fill ${subject.id} ${subject.quantity}`;
    };
    journal.post(T0, 'e-1', describe, [leg('cash', USDT, 5n), leg('capital', USDT, -5n)], fill);
    expect(written).toBe(0);
    expect(journal.allEntries().map((e) => e.memo)).toEqual(['fill c-1 0.5']);
    expect(written).toBe(1);
    const error = errorOf(() => journal.post(T0, 'e-2', describe, [leg('cash', USDT, 5n)], { id: 'c-2', quantity: '1' }));
    expect(error.message).toBe('unbalanced journal entry (fill c-2 1): a single posting');
  });

  it('keeps amounts beyond 64 bits exactly (large sums in an 18-decimal currency)', () => {
    const journal = new Journal();
    const wei = 123_456_789_012_345_678_901_234_567_890n; // about 1.2e11 ETH in wei
    journal.post(T0, 'e-1', 'deposit', [leg('cash', ETH, wei), leg('capital', ETH, -wei)]);
    journal.post(T0, 'e-2', 'fee', [leg('cash', ETH, -7n), leg('fees', ETH, 7n)]);
    expect(journal.raw('desk', 'cash', ETH)).toBe(wei - 7n);
    expect(journal.entry(1)?.postings.map((p) => p.amount)).toEqual([wei, -wei]);
    expect(journal.entry(2)?.postings.map((p) => p.amount)).toEqual([-7n, 7n]);
    expect(journal.recomputeBalances()).toEqual({
      'desk:capital:ETH': (-wei).toString(),
      'desk:cash:ETH': (wei - 7n).toString(),
      'desk:fees:ETH': '7',
    });
  });

  it('grows past its initial storage and reads every entry back', () => {
    const journal = new Journal();
    for (let i = 1; i <= 3000; i++) {
      journal.post((T0 + i) as UnixMs, `e-${i}`, 'trade', [
        leg('cash', USDT, -BigInt(i)),
        leg('conversion', USDT, BigInt(i)),
        leg('asset', BTC, BigInt(i)),
        leg('conversion', BTC, -BigInt(i)),
      ]);
    }
    expect(journal.length).toBe(3000);
    expect(journal.entry(2999)).toEqual({
      seq: 2999,
      ts: T0 + 2999,
      eventId: 'e-2999',
      memo: 'trade',
      postings: [leg('cash', USDT, -2999n), leg('conversion', USDT, 2999n), leg('asset', BTC, 2999n), leg('conversion', BTC, -2999n)],
    });
    expect(journal.raw('desk', 'asset', BTC)).toBe(4_501_500n); // 3000 x 3001 / 2
    expect(journal.recomputeBalances()).toEqual(journal.snapshot());
  });

  it('keeps owners apart and lists them sorted', () => {
    const journal = seeded();
    journal.post(T0, 'e-3', 'deposit', [leg('cash', USDT, 700n, 'sleeve-a'), leg('capital', USDT, -700n, 'sleeve-a')]);
    expect(journal.raw('sleeve-a', 'cash', USDT)).toBe(700n);
    expect(journal.raw('desk', 'cash', USDT)).toBe(60_000n);
    expect(journal.owners()).toEqual(['desk', 'sleeve-a']);
  });

  it('reads an account that was never touched as zero', () => {
    const journal = seeded();
    expect(journal.raw('desk', 'margin', USDT)).toBe(0n);
    expect(journal.balance('nobody', 'capital', ETH)).toBe(0n);
  });
});

describe('Journal: refusing unbalanced entries', () => {
  it('refuses an entry unbalanced in one of two currencies and changes nothing', () => {
    const journal = seeded();
    const before = journal.snapshot();
    const error = errorOf(() =>
      journal.post(T0, 'e-3', 'bad buy', [
        leg('cash', USDT, -40_000n),
        leg('conversion', USDT, 40_000n),
        leg('asset', BTC, 1_000_000n),
        leg('conversion', BTC, -999_999n),
      ]),
    );
    expect(error.message).toBe('unbalanced journal entry (bad buy): BTC 1');
    expect(journal.length).toBe(2);
    expect(journal.snapshot()).toEqual(before);
  });

  it('refuses an entry unbalanced across three currencies, naming each one that is off', () => {
    const journal = seeded();
    const before = journal.snapshot();
    const error = errorOf(() =>
      journal.post(T0, 'e-3', 'three-way', [
        leg('cash', USDT, -100n),
        leg('conversion', USDT, 100n),
        leg('asset', BTC, 7n),
        leg('cash', ETH, 5n),
        leg('conversion', ETH, -3n),
      ]),
    );
    expect(error.message).toBe('unbalanced journal entry (three-way): BTC 7, ETH 2');
    expect(journal.length).toBe(2);
    expect(journal.snapshot()).toEqual(before);
  });

  it('accepts a three-currency entry that balances in each currency', () => {
    const journal = seeded();
    journal.post(T0, 'e-3', 'three-way', [
      leg('cash', USDT, -100n),
      leg('conversion', USDT, 100n),
      leg('asset', BTC, 7n),
      leg('conversion', BTC, -7n),
      leg('cash', ETH, -5n),
      leg('fees', ETH, 5n),
    ]);
    expect(journal.length).toBe(3);
    expect(journal.raw('desk', 'fees', ETH)).toBe(5n);
  });

  it('refuses an entry balanced in total but not per currency', () => {
    const journal = new Journal();
    const error = errorOf(() => journal.post(T0, 'e-1', 'cross', [leg('cash', USDT, 10n), leg('capital', BTC, -10n)]));
    expect(error.message).toBe('unbalanced journal entry (cross): USDT 10, BTC -10');
    expect(journal.length).toBe(0);
    expect(journal.snapshot()).toEqual({});
  });

  it('refuses a single posting, even of zero', () => {
    const journal = seeded();
    const before = journal.snapshot();
    expect(errorOf(() => journal.post(T0, 'e-3', 'lonely', [leg('cash', USDT, 0n)])).message).toBe(
      'unbalanced journal entry (lonely): a single posting',
    );
    expect(errorOf(() => assertBalanced([leg('cash', USDT, 5n)], 'lonely')).message).toMatch(/a single posting/);
    expect(journal.length).toBe(2);
    expect(journal.snapshot()).toEqual(before);
  });
});

describe('Journal: sign convention', () => {
  it('reads capital and realised PnL on the credit side, everything else on the debit side', () => {
    const journal = seeded();
    journal.post(T0, 'e-3', 'sell', [
      leg('cash', USDT, 42_000n),
      leg('conversion', USDT, -42_000n),
      leg('asset', BTC, -1_000_000n),
      leg('conversion', BTC, 1_000_000n),
      leg('conversion', USDT, 2_000n),
      leg('realised-pnl', USDT, -2_000n),
    ]);
    journal.post(T0, 'e-4', 'fee', [leg('cash', USDT, -42n), leg('fees', USDT, 42n)]);

    expect(journal.raw('desk', 'capital', USDT)).toBe(-100_000n);
    expect(journal.balance('desk', 'capital', USDT)).toBe(100_000n);
    expect(journal.raw('desk', 'realised-pnl', USDT)).toBe(-2_000n);
    expect(journal.balance('desk', 'realised-pnl', USDT)).toBe(2_000n);
    expect(journal.balance('desk', 'cash', USDT)).toBe(101_958n);
    expect(journal.balance('desk', 'fees', USDT)).toBe(42n);
    expect(journal.balance('desk', 'conversion', USDT)).toBe(0n);
    expect(journal.balance('desk', 'asset', BTC)).toBe(0n);
  });

  it('leaves zero accounts out of the snapshot', () => {
    const journal = new Journal();
    journal.post(T0, 'e-1', 'deposit', [leg('cash', USDT, 10n), leg('capital', USDT, -10n)]);
    journal.post(T0, 'e-2', 'withdrawal', [leg('cash', USDT, -10n), leg('capital', USDT, 10n)]);
    expect(journal.snapshot()).toEqual({});
    expect(journal.length).toBe(2);
  });
});

describe('Journal: recomputing balances', () => {
  it('re-folds every entry to the running balances', () => {
    const journal = seeded();
    journal.post(T0, 'e-3', 'fee', [leg('cash', USDT, -42n), leg('fees', USDT, 42n)]);
    journal.post(T0, 'e-4', 'sleeve deposit', [leg('cash', USDT, 9n, 'sleeve-a'), leg('capital', USDT, -9n, 'sleeve-a')]);
    expect(journal.recomputeBalances()).toEqual(journal.snapshot());
    expect(journal.recomputeBalances()).toEqual({
      'desk:asset:BTC': '1000000',
      'desk:capital:USDT': '-100000',
      'desk:cash:USDT': '59958',
      'desk:conversion:BTC': '-1000000',
      'desk:conversion:USDT': '40000',
      'desk:fees:USDT': '42',
      'sleeve-a:capital:USDT': '-9',
      'sleeve-a:cash:USDT': '9',
    });
  });

  it('recomputes an empty journal to no balances', () => {
    expect(new Journal().recomputeBalances()).toEqual({});
  });
});
