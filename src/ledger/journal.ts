import { InvariantViolation } from '../core/errors.js';
import type { Currency } from '../core/ids.js';
import { IdTemplates } from '../core/id-templates.js';
import { IntColumn } from '../core/int-column.js';
import { RecordPacker } from '../core/record-packer.js';
import type { UnixMs } from '../core/time.js';
import { ACCOUNT_KINDS, accountName, isCreditNormal, type AccountKind, type Posting } from './accounts.js';
import { PostingLog } from './posting-log.js';

export interface JournalEntry {
  readonly seq: number;
  readonly ts: UnixMs;
  /** The event this entry records. */
  readonly eventId: string;
  readonly memo: string;
  readonly postings: readonly Posting[];
}

/**
 * An entry's description: text, or a function that writes it from the entry's subject (a fill, say) only when
 * someone reads the journal, so recording a fill neither formats nor allocates a description.
 */
export type Memo<S = unknown> = string | ((subject: S) => string);

const KIND_INDEX = Object.fromEntries(ACCOUNT_KINDS.map((kind, i) => [kind, i])) as Record<AccountKind, number>;
const KINDS = ACCOUNT_KINDS.length;

/** One owner's accounts in one currency: ids `base .. base + KINDS - 1`, one per account kind. */
interface Book {
  readonly owner: string;
  readonly currency: Currency;
  readonly base: number;
}

/**
 * A double-entry journal. Every entry must balance in each currency, or it is refused before anything changes.
 * Balances are the running fold of the entries; `recomputeBalances` folds them again from scratch to prove it.
 *
 * Entries are stored in a posting log: accounts are numbered, a posting is an account number (a varint) and an
 * amount (in a 64-bit column; one beyond 64 bits, a large sum in an 18-decimal currency say, is kept aside, exactly).
 * A run keeps every entry, and with a few retained objects per posting the garbage collector was the books' largest
 * cost.
 * `entry` and `allEntries` rebuild entry objects for readers.
 */
export class Journal {
  private readonly books = new Map<string, Map<Currency, Book>>();
  private readonly bookList: Book[] = [];
  /** Running raw balance per account number. */
  private readonly balances: bigint[] = [];

  private entryCount = 0;
  /** Where each entry (its time and postings) starts in the posting log. */
  private readonly entryStarts = new IntColumn();
  /**
   * Each entry's event id (as a template and counter, in the entry's header in the log) and memo subject (a fill,
   * say; packed, its number in the header): the journal holds no object per entry.
   */
  private readonly eventIds = new IdTemplates();
  private readonly subjects = new RecordPacker<unknown>();
  private readonly entryMemos: Memo[] = [];

  private readonly log = new PostingLog();

  /** Records a balanced entry and returns its sequence number (from 1); refuses an unbalanced one, changing nothing. */
  post(ts: UnixMs, eventId: string, memo: string, postings: readonly Posting[]): number;
  post<S>(ts: UnixMs, eventId: string, memo: (subject: S) => string, postings: readonly Posting[], subject: S): number;
  post(ts: UnixMs, eventId: string, memo: Memo, postings: readonly Posting[], subject?: unknown): number {
    assertBalanced(postings, memo, subject);
    const start = this.log.begin(ts, postings.length);
    const id = this.eventIds.encode(eventId);
    this.log.put(id);
    if (id >= 0) this.log.put(this.eventIds.counter);
    this.log.put(subject === undefined ? -1 : this.subjects.add(subject));
    // An entry's postings mostly share an owner and run in currency groups: reuse the last book looked up.
    let book: Book | undefined;
    for (const posting of postings) {
      if (book === undefined || book.owner !== posting.owner || book.currency !== posting.currency) {
        book = this.bookOf(posting.owner, posting.currency);
      }
      const account = book.base + KIND_INDEX[posting.kind];
      const amount = posting.amount;
      this.balances[account]! += amount;
      this.log.posting(account, amount);
    }
    this.entryStarts.push(start);
    this.entryMemos.push(memo);
    this.entryCount += 1;
    return this.entryCount;
  }

  /** Raw balance: debits positive, credits negative. */
  raw(owner: string, kind: AccountKind, currency: Currency): bigint {
    const book = this.books.get(owner)?.get(currency);
    return book === undefined ? 0n : this.balances[book.base + KIND_INDEX[kind]]!;
  }

  /** Balance read on the account's normal side: capital and realised PnL positive when in credit. */
  balance(owner: string, kind: AccountKind, currency: Currency): bigint {
    const raw = this.raw(owner, kind, currency);
    return isCreditNormal(kind) ? -raw : raw;
  }

  get length(): number {
    return this.entryCount;
  }

  /** The entry with sequence number `seq` (from 1), or undefined. */
  entry(seq: number): JournalEntry | undefined {
    if (!Number.isInteger(seq) || seq < 1 || seq > this.entryCount) return undefined;
    const i = seq - 1;
    const postings: Posting[] = [];
    const { ts, count } = this.log.seek(this.entryStarts.get(i));
    const id = this.log.take();
    const eventId = this.eventIds.decode(id, id >= 0 ? this.log.take() : 0);
    const subjectIndex = this.log.take();
    const subject = subjectIndex < 0 ? undefined : this.subjects.get(subjectIndex);
    for (let p = 0; p < count; p++) {
      const { account, amount } = this.log.next();
      const book = this.bookList[Math.floor(account / KINDS)]!;
      postings.push({ owner: book.owner, currency: book.currency, kind: ACCOUNT_KINDS[account % KINDS]!, amount });
    }
    return { seq, ts: ts as UnixMs, eventId, memo: memoText(this.entryMemos[i]!, subject), postings };
  }

  allEntries(): JournalEntry[] {
    const out: JournalEntry[] = [];
    for (let seq = 1; seq <= this.entryCount; seq++) out.push(this.entry(seq)!);
    return out;
  }

  /** Every non-zero account, sorted by name: `owner:kind:currency` -> raw balance. */
  snapshot(): Record<string, string> {
    const out: [string, string][] = [];
    for (const book of this.bookList) {
      for (let k = 0; k < KINDS; k++) {
        const value = this.balances[book.base + k]!;
        if (value !== 0n) out.push([accountName(book.owner, ACCOUNT_KINDS[k]!, book.currency), value.toString()]);
      }
    }
    out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return Object.fromEntries(out);
  }

  /** Folds every entry from zero and compares with the running balances; throws if they ever differ. */
  recomputeBalances(): Record<string, string> {
    const fresh = new Journal();
    for (const entry of this.allEntries()) fresh.post(entry.ts, entry.eventId, entry.memo, entry.postings);
    const expected = fresh.snapshot();
    const actual = this.snapshot();
    if (JSON.stringify(expected) !== JSON.stringify(actual)) {
      throw new InvariantViolation('journal balances differ from the fold of their entries');
    }
    return expected;
  }



  owners(): string[] {
    return [...this.books.keys()].sort();
  }

  private bookOf(owner: string, currency: Currency): Book {
    let byCurrency = this.books.get(owner);
    if (byCurrency === undefined) {
      byCurrency = new Map();
      this.books.set(owner, byCurrency);
    }
    let book = byCurrency.get(currency);
    if (book === undefined) {
      book = { owner, currency, base: this.balances.length };
      byCurrency.set(currency, book);
      this.bookList.push(book);
      for (let k = 0; k < KINDS; k++) this.balances.push(0n);
    }
    return book;
  }
}

function memoText(memo: Memo, subject: unknown): string {
  return typeof memo === 'string' ? memo : memo(subject);
}

export function assertBalanced(postings: readonly Posting[], memo: Memo, subject?: unknown): void {
  if (postings.length === 1) {
    throw new InvariantViolation(`unbalanced journal entry (${memoText(memo, subject)}): a single posting`);
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
  if (off.length > 0) throw new InvariantViolation(`unbalanced journal entry (${memoText(memo, subject)}): ${off.join(', ')}`);
}
