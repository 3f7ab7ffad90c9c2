import { closeSync, existsSync, fsyncSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { FixRequestError, RetryLaterError } from '../../core/errors.js';
import { Fixed } from '../../core/fixed.js';
import type { DeskEvent, DeskEventType } from '../../domain/events.js';
import { InMemoryEventStore, type EventStore } from '../../kernel/event-store.js';

/**
 * A durable journal of desk events: one JSON object per line, appended in order, so a file replays to the same
 * state and survives the process. Plain JSON cannot carry our exact numbers, so a few values are tagged:
 *
 *   Fixed   {"$fixed":"123.4500"}   the decimal with every digit of its scale (the scale survives the round trip)
 *   bigint  {"$bigint":"-42"}
 *   number  {"$number":"NaN"}       only NaN, ±Infinity and -0, which JSON would otherwise lose
 *
 * An object key of our own that starts with `$` is written with one more `$` (`$x` -> `$$x`), so a tag can never
 * be mistaken for data. Properties whose value is `undefined` are left out, as JSON does.
 */

const EVENT_TYPES = {
  FundsDeposited: true,
  FundsWithdrawn: true,
  FundsTransferred: true,
  IntentApproved: true,
  IntentDenied: true,
  OrderSubmitted: true,
  OrderAccepted: true,
  OrderRejected: true,
  OrderPendingCancel: true,
  OrderCancelRejected: true,
  OrderCanceled: true,
  OrderExpired: true,
  OrderTriggered: true,
  OrderPendingUpdate: true,
  OrderUpdated: true,
  OrderModifyRejected: true,
  OrderFilled: true,
  FundingApplied: true,
  PositionLiquidated: true,
  ProfitSwept: true,
  MarksUpdated: true,
  StrategyErrored: true,
  TradingStateChanged: true,
  SignalEmitted: true,
  DecisionMade: true,
  SleeveStateChanged: true,
  AgentHealthChanged: true,
  AgentScored: true,
  AgentModeChanged: true,
  CapitalReallocated: true,
  DeskReviewed: true,
  GoalsReported: true,
  RiskAssessed: true,
  ParametersProposed: true,
  ParametersApplied: true,
  CycleStepTaken: true,
  TakeProfitTriggered: true,
  ExitsRestored: true,
  BrainAbstained: true,
  ProposalReviewed: true,
} as const satisfies Record<DeskEventType, true>;

/** A journal file that cannot be read as events: names the file and, where one is to blame, the line. */
export class JournalReadError extends FixRequestError {
  constructor(
    code: string,
    readonly path: string,
    readonly line: number | undefined,
    detail: string,
  ) {
    super(code, `${path}${line === undefined ? '' : `:${line}`}: ${detail}`);
  }
}

/** The final line a crash cut short (its 1-based number and its text). */
export interface TornLine {
  readonly line: number;
  readonly text: string;
}

export interface ReadJournalOptions {
  /** Skip a final line that is not valid JSON (a write cut short by a crash). A bad line anywhere else still fails. */
  readonly ignoreTornTail?: boolean;
}

export interface ScannedJournal {
  readonly events: DeskEvent[];
  /** Set when a torn final line was skipped. */
  readonly tornTail?: TornLine;
  /** Byte length of the complete lines (where an appender may continue). */
  readonly completeBytes: number;
}

// --- encoding ------------------------------------------------------------------------------------------------

const FIXED_TEXT = /^-?\d+(\.\d+)?$/;
const BIGINT_TEXT = /^-?\d+$/;
const SPECIAL_NUMBERS: Readonly<Record<string, number>> = { NaN: Number.NaN, Infinity: Number.POSITIVE_INFINITY, '-Infinity': Number.NEGATIVE_INFINITY, '-0': -0 };

function encodeValue(value: unknown, where: string): unknown {
  if (value instanceof Fixed) return { $fixed: value.toString() };
  if (typeof value === 'bigint') return { $bigint: value.toString() };
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return { $number: 'NaN' };
    if (value === Number.POSITIVE_INFINITY) return { $number: 'Infinity' };
    if (value === Number.NEGATIVE_INFINITY) return { $number: '-Infinity' };
    if (Object.is(value, -0)) return { $number: '-0' };
    return value;
  }
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map((item, index) => encodeValue(item, `${where}[${index}]`));
  if (typeof value === 'object') {
    const prototype = Object.getPrototypeOf(value) as unknown;
    if (prototype !== Object.prototype && prototype !== null) {
      // Silently writing `{}` for a Map or a class instance would lose the fact for good.
      throw new FixRequestError('unencodable_event', `${where} is a ${value.constructor.name}, which the journal cannot encode`);
    }
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined) continue;
      out[key.startsWith('$') ? `$${key}` : key] = encodeValue(item, `${where}.${key}`);
    }
    return out;
  }
  throw new FixRequestError('unencodable_event', `${where} is a ${typeof value}, which the journal cannot encode`);
}

/** One journal line (without its newline). */
export function encodeEvent(event: DeskEvent): string {
  return JSON.stringify(encodeValue(event, event.type));
}

function decodeValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeValue);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  if (entries.length === 1) {
    const [key, text] = entries[0] as [string, unknown];
    if (key === '$fixed') {
      if (typeof text !== 'string' || !FIXED_TEXT.test(text)) throw new Error(`bad $fixed value ${JSON.stringify(text)}`);
      return Fixed.parse(text);
    }
    if (key === '$bigint') {
      if (typeof text !== 'string' || !BIGINT_TEXT.test(text)) throw new Error(`bad $bigint value ${JSON.stringify(text)}`);
      return BigInt(text);
    }
    if (key === '$number') {
      const number = typeof text === 'string' ? SPECIAL_NUMBERS[text] : undefined;
      if (number === undefined) throw new Error(`bad $number value ${JSON.stringify(text)}`);
      return number;
    }
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of entries) {
    // Assigning "__proto__" would replace the object's prototype instead of adding a field.
    if (key === '__proto__') throw new Error('the key "__proto__" is not allowed');
    if (key.startsWith('$$')) out[key.slice(1)] = decodeValue(item);
    else if (key.startsWith('$')) throw new Error(`unknown tag "${key}"`);
    else out[key] = decodeValue(item);
  }
  return out;
}

function checkEnvelope(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'a journal line must be a JSON object';
  const event = value as Record<string, unknown>;
  if (typeof event.type !== 'string') return 'the event has no "type"';
  if (!Object.hasOwn(EVENT_TYPES, event.type)) return `unknown event type "${event.type}"`;
  if (typeof event.id !== 'string' || event.id === '') return `the ${event.type} event has no "id"`;
  for (const field of ['tsEvent', 'tsInit'] as const) {
    if (!Number.isSafeInteger(event[field])) return `the ${event.type} event ${event.id} has no integer "${field}"`;
  }
  if (event.causationId !== undefined && typeof event.causationId !== 'string') return `the ${event.type} event ${event.id} has a non-string "causationId"`;
  return undefined;
}

// --- reading ---------------------------------------------------------------------------------------------------

/**
 * Parses journal text. Every line must hold one event; a line that is not JSON fails with its number, except,
 * with `ignoreTornTail`, the final one: only there can a crash have cut a write short.
 */
export function scanJournal(text: string, path: string, options: ReadJournalOptions = {}): ScannedJournal {
  const events: DeskEvent[] = [];
  let start = 0;
  let line = 0;
  while (start < text.length) {
    line += 1;
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    const raw = text.slice(start, end);
    const isLast = newline === -1 || newline === text.length - 1;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (error) {
      if (isLast && options.ignoreTornTail === true) return { events, tornTail: { line, text: raw }, completeBytes: Buffer.byteLength(text.slice(0, start)) };
      const why = raw.trim() === '' ? 'the line is empty' : `not valid JSON (${(error as Error).message})`;
      const hint = isLast ? '; if a crash cut the last write short, ignore the torn tail (--ignore-torn-tail)' : '';
      throw new JournalReadError('journal_bad_line', path, line, `${why}${hint}`);
    }
    const problem = checkEnvelope(parsed);
    if (problem !== undefined) throw new JournalReadError('journal_bad_event', path, line, problem);
    try {
      events.push(decodeValue(parsed) as DeskEvent);
    } catch (error) {
      throw new JournalReadError('journal_bad_event', path, line, (error as Error).message);
    }
    start = end + 1;
  }
  return { events, completeBytes: Buffer.byteLength(text) };
}

/** Reads every event of a journal file, in order. */
export function readJournal(path: string, options: ReadJournalOptions = {}): DeskEvent[] {
  return scanJournal(readJournalText(path), path, options).events;
}

function readJournalText(path: string): string {
  if (!existsSync(path)) throw new JournalReadError('journal_not_found', path, undefined, 'no such journal file');
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new JournalReadError('journal_unreadable', path, undefined, `cannot read the journal: ${(error as Error).message}`);
  }
}

// --- writing ---------------------------------------------------------------------------------------------------

export interface JsonlJournalOptions {
  /** fsync after every append: a power cut loses nothing that was appended (slower). Otherwise `flush()` syncs. */
  readonly syncEveryAppend?: boolean;
  /** When the existing file ends in a torn line, cut it off and continue after the last complete event. */
  readonly repairTornTail?: boolean;
}

/**
 * The `EventStore` port over a JSONL file. Opening an existing file loads its events (offsets continue where it
 * stopped); each append writes one whole line with a synchronous write before the core applies the event, so the
 * file never lags the books. A failed write leaves the store refusing appends: a partly written line must be
 * repaired (reopen with `repairTornTail`) before anything is written after it.
 */
export class JsonlJournal implements EventStore<DeskEvent> {
  /** The events as read back, packed as the in-memory journal keeps them: a 24/7 desk's journal only grows. */
  private readonly events = new InMemoryEventStore<DeskEvent>();
  private fd: number | undefined;
  private failure: string | undefined;
  /** Where the next line goes: the end of the last complete line. */
  private position: number;

  private constructor(
    readonly path: string,
    fd: number,
    events: DeskEvent[],
    position: number,
    private readonly syncEveryAppend: boolean,
    /** The torn line cut off on open, if there was one. */
    readonly repairedTail: TornLine | undefined,
  ) {
    this.fd = fd;
    for (const event of events) this.events.append(event);
    this.position = position;
  }

  /** Opens (creating it if missing) a journal for appending. */
  static open(path: string, options: JsonlJournalOptions = {}): JsonlJournal {
    const text = existsSync(path) ? readJournalText(path) : undefined;
    const existing = text === undefined ? undefined : scanJournal(text, path, { ignoreTornTail: options.repairTornTail === true });
    const fd = openSync(path, existing === undefined ? 'wx' : 'r+');
    try {
      let position = existing?.completeBytes ?? 0;
      if (existing?.tornTail !== undefined) ftruncateSync(fd, position);
      else if (text !== undefined && text !== '' && !text.endsWith('\n')) {
        // A complete last event without its newline (cut right before it, or written by hand): end the line, or
        // the next event would be glued onto it.
        position += writeSync(fd, '\n', position);
      }
      return new JsonlJournal(path, fd, existing?.events ?? [], position, options.syncEveryAppend === true, existing?.tornTail);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }

  append(event: DeskEvent): number {
    if (this.fd === undefined) throw new FixRequestError('journal_closed', `the journal ${this.path} is closed`);
    if (this.failure !== undefined) throw new FixRequestError('journal_failed', `the journal ${this.path} failed earlier (${this.failure}); reopen it to repair`);
    // Encode first: an event we cannot encode must not leave half a line behind.
    const bytes = Buffer.from(`${encodeEvent(event)}\n`, 'utf8');
    try {
      // writeSync may write less than asked; the loop finishes the line.
      let written = 0;
      while (written < bytes.length) {
        written += writeSync(this.fd, bytes, written, bytes.length - written, this.position + written);
      }
      if (this.syncEveryAppend) fsyncSync(this.fd);
    } catch (error) {
      this.failure = (error as Error).message;
      throw new RetryLaterError('journal_write_failed', `could not append to ${this.path}: ${this.failure}`, { cause: error });
    }
    this.position += bytes.length;
    return this.events.append(event);
  }

  read(offset: number, limit = Number.POSITIVE_INFINITY): readonly DeskEvent[] {
    return this.events.read(offset, limit);
  }

  get length(): number {
    return this.events.length;
  }

  /** Forces what was appended onto the disk. */
  flush(): void {
    if (this.fd !== undefined) fsyncSync(this.fd);
  }

  /** Flushes and closes the file; the events stay readable, appends are refused. */
  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}
