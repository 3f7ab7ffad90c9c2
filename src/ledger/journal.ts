import { InvariantViolation } from '../core/errors.js';
import type { Currency } from '../core/ids.js';
import type { UnixMs } from '../core/time.js';
import { ACCOUNT_KINDS, accountName, isCreditNormal, type AccountKind, type Posting } from './accounts.js';

export interface JournalEntry {
  readonly seq: number;
  readonly ts: UnixMs;
  /** The event this entry records. */
  readonly eventId: string;
  readonly memo: string;
  readonly postings: readonly Posting[];
}

type Balances = Record<AccountKind, bigint>;

function emptyBalances(): Balances {
  return {
    cash: 0n,
    reserved: 0n,
    asset: 0n,
    margin: 0n,
    reserve: 0n,
    conversion: 0n,
    fees: 0n,
    funding: 0n,
    capital: 0n,
    'realised-pnl': 0n,
  };
}

/**
 * A double-entry journal. Every entry must balance in each currency, or it is refused before anything changes.
 * Balances are the running fold of the entries; `recomputeBalances` folds them again from scratch to prove it.
 */
export class Journal {
  private readonly entries: JournalEntry[] = [];
  private readonly books = new Map<string, Balances>();

  post(ts: UnixMs, eventId: string, memo: string, postings: readonly Posting[]): JournalEntry {
    assertBalanced(postings, memo);
    const entry: JournalEntry = { seq: this.entries.length + 1, ts, eventId, memo, postings };
    this.entries.push(entry);
    for (const posting of postings) this.bookOf(posting.owner, posting.currency)[posting.kind] += posting.amount;
    return entry;
  }

  /** Raw balance: debits positive, credits negative. */
  raw(owner: string, kind: AccountKind, currency: Currency): bigint {
    return this.books.get(bookKey(owner, currency))?.[kind] ?? 0n;
  }

  /** Balance read on the account's normal side: capital and realised PnL positive when in credit. */
  balance(owner: string, kind: AccountKind, currency: Currency): bigint {
    const raw = this.raw(owner, kind, currency);
    return isCreditNormal(kind) ? -raw : raw;
  }

  get length(): number {
    return this.entries.length;
  }

  allEntries(): readonly JournalEntry[] {
    return this.entries;
  }

  /** Every non-zero account, sorted by name: `owner:kind:currency` -> raw balance. */
  snapshot(): Record<string, string> {
    const out: [string, string][] = [];
    for (const [key, balances] of this.books) {
      const [owner = '', currency = ''] = key.split('\u0000');
      for (const kind of ACCOUNT_KINDS) {
        const value = balances[kind];
        if (value !== 0n) out.push([accountName(owner, kind, currency as Currency), value.toString()]);
      }
    }
    out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return Object.fromEntries(out);
  }

  /** Folds every entry from zero and compares with the running balances; throws if they ever differ. */
  recomputeBalances(): Record<string, string> {
    const fresh = new Journal();
    for (const entry of this.entries) fresh.post(entry.ts, entry.eventId, entry.memo, entry.postings);
    const expected = fresh.snapshot();
    const actual = this.snapshot();
    if (JSON.stringify(expected) !== JSON.stringify(actual)) {
      throw new InvariantViolation('journal balances differ from the fold of their entries');
    }
    return expected;
  }

  owners(): string[] {
    const owners = new Set<string>();
    for (const key of this.books.keys()) owners.add(key.split('\u0000')[0] ?? '');
    return [...owners].sort();
  }

  private bookOf(owner: string, currency: Currency): Balances {
    const key = bookKey(owner, currency);
    let book = this.books.get(key);
    if (book === undefined) {
      book = emptyBalances();
      this.books.set(key, book);
    }
    return book;
  }
}

function bookKey(owner: string, currency: Currency): string {
  return `${owner}\u0000${currency}`;
}

export function assertBalanced(postings: readonly Posting[], memo: string): void {
  if (postings.length === 1) {
    throw new InvariantViolation(`unbalanced journal entry (${memo}): a single posting`);
  }
  // Most entries touch one or two currencies: a small linear scan beats a Map.
  let c0: Currency | undefined;
  let s0 = 0n;
  let c1: Currency | undefined;
  let s1 = 0n;
  let others: Map<Currency, bigint> | undefined;
  for (const p of postings) {
    if (c0 === undefined || c0 === p.currency) {
      c0 = p.currency;
      s0 += p.amount;
    } else if (c1 === undefined || c1 === p.currency) {
      c1 = p.currency;
      s1 += p.amount;
    } else {
      others ??= new Map();
      others.set(p.currency, (others.get(p.currency) ?? 0n) + p.amount);
    }
  }
  const off: string[] = [];
  if (s0 !== 0n) off.push(`${c0} ${s0}`);
  if (s1 !== 0n) off.push(`${c1} ${s1}`);
  if (others !== undefined) for (const [c, s] of others) if (s !== 0n) off.push(`${c} ${s}`);
  if (off.length > 0) throw new InvariantViolation(`unbalanced journal entry (${memo}): ${off.join(', ')}`);
}
