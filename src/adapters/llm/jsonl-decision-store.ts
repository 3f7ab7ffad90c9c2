import { closeSync, existsSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import { z } from 'zod';
import { FixRequestError, RetryLaterError, RunStoppingError } from '../../core/errors.js';
import type { DecisionRecord, DecisionStore } from '../../llm/decision-record.js';

/**
 * Decision records in a JSONL file, one record per line, appended in order (DESIGN §6). The file is also the
 * cache: opening it loads every record, and `find` answers a request already made. Replay opens it read-only, so a
 * miss can never quietly turn into a new (paid, different) model call written into the evidence.
 *
 * Records are plain JSON, so unlike the event journal no value needs a tag; each line is checked against the
 * record's shape on the way in and on the way out, so a bad file fails at its line instead of deep inside a brain.
 */

/**
 * A decision record file that cannot be read: names the file and, where one is to blame, the line. A run stops on
 * it (a replay cannot go on without its records).
 */
export class DecisionRecordReadError extends RunStoppingError {
  constructor(
    code: string,
    readonly path: string,
    readonly line: number | undefined,
    detail: string,
  ) {
    super(code, `${path}${line === undefined ? '' : `:${line}`}: ${detail}`);
  }
}

export interface ReadDecisionRecordsOptions {
  /** Skip a final line without its newline that is not valid JSON (a write a crash cut short). */
  readonly ignoreTornTail?: boolean;
}

export interface OpenDecisionStoreOptions extends ReadDecisionRecordsOptions {
  /** 'read' (replay, inspection) refuses appends and needs the file; 'append' creates it when missing. */
  readonly mode: 'read' | 'append';
  /**
   * Append mode only: cut a torn final line off the file and continue after the last complete record. Append mode
   * needs this for a torn file (`ignoreTornTail` is not enough: the next record would land after the torn line).
   */
  readonly repairTornTail?: boolean;
  /** Index our own lines by key and check each record when it is first served (runs); default: check all on open. */
  readonly lazy?: boolean;
}

/** The final line a crash cut short (its 1-based number and its text). */
export interface TornRecordLine {
  readonly line: number;
  readonly text: string;
}

type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

// JSON Schemas sent to providers hold booleans and nulls (`additionalProperties: false`), so those are allowed here.
const jsonValue: z.ZodType<JsonValue> = z.lazy(() => z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue)]));
const jsonObject = z.record(z.string(), jsonValue);
const count = z.number().int().nonnegative();
const toolCall = z.strictObject({ id: z.string(), name: z.string(), arguments: z.string() });

const message = z.discriminatedUnion('role', [
  z.strictObject({ role: z.literal('user'), content: z.string() }),
  z.strictObject({ role: z.literal('assistant'), content: z.string(), toolCalls: z.array(toolCall).optional() }),
  z.strictObject({ role: z.literal('tool'), toolCallId: z.string(), name: z.string(), content: z.string() }),
]);

const parameters = z.strictObject({ temperature: z.number(), maxTokens: count });

const recordFields = {
  recordId: z.string().min(1),
  key: z.string().min(1),
  agentId: z.string().min(1),
  role: z.enum(['analyst', 'manager', 'judge']),
  provider: z.string(),
  model: z.string(),
  parameters,
  promptVersion: z.string(),
  ts: z.number().int(),
  attempt: count,
  request: z.strictObject({
    model: z.string(),
    system: z.string(),
    messages: z.array(message),
    parameters,
    tools: z.array(z.strictObject({ name: z.string(), description: z.string(), parameters: jsonObject })),
    answer: z.strictObject({ name: z.string(), description: z.string(), schema: jsonObject }),
    structuredOutput: z.enum(['json-schema', 'tool', 'json-mode']),
  }),
  response: z.strictObject({
    answer: z.string().optional(),
    toolCalls: z.array(toolCall),
    usage: z.strictObject({ inputTokens: count, outputTokens: count }),
    stopReason: z.string(),
    model: z.string(),
  }),
  costUsd: z.number().nonnegative(),
  latencyMs: z.number().nonnegative(),
  validation: z.discriminatedUnion('outcome', [
    z.strictObject({ outcome: z.literal('tool-calls'), tools: z.array(z.string()) }),
    z.strictObject({ outcome: z.literal('intent'), summary: z.string() }),
    z.strictObject({ outcome: z.literal('abstain'), reason: z.string() }),
    z.strictObject({ outcome: z.literal('invalid'), problems: z.array(z.string()) }),
    z.strictObject({ outcome: z.literal('failed'), reason: z.string() }),
  ]),
};

const recordSchema: z.ZodType<DecisionRecord> = z.strictObject(recordFields);

/**
 * What a replay needs checked when it takes a record from the cache: everything but the request's inside, which
 * it never reads (its hash is the key the record was found by).
 */
const { request: _request, ...servedFields } = recordFields;
const servedSchema = z.strictObject(servedFields);

/** Where the request begins in a line our writer wrote (it goes last: the record's small fields come first). */
const REQUEST_FIELD = ',"request":';

/** Our own lines start with the record id and the key, so a file can be indexed without parsing every record. */
const LEADING_KEY = /\{"recordId":"(?:[^"\\]|\\.)*","key":"([^"\\]+)"/y;

function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`)).join('');
}

/** The first few problems of a record, each by its field path (`request.messages[2].content`). */
function describeIssues(error: z.ZodError): string {
  const problems = error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => `field ${fieldPath([...issue.path, key])} is not part of a decision record`).join('; ');
    return `field ${issue.path.length === 0 ? '(record)' : fieldPath(issue.path)}: ${issue.message}`;
  });
  const more = problems.length > 3 ? `; and ${problems.length - 3} more` : '';
  return `not a decision record: ${problems.slice(0, 3).join('; ')}${more}`;
}

/** One line of the file: parsed and checked (`record`), or kept as text until a replay asks for it. */
interface Entry {
  readonly line: number;
  text?: string;
  /** The key read from the line's start (lazily kept lines). */
  readonly key?: string;
  record?: DecisionRecord;
  /** True once the whole record (request included) has been checked. */
  checked: boolean;
}

interface ScannedRecords {
  readonly entries: Entry[];
  readonly tornTail?: TornRecordLine;
  /** Byte length of the complete lines: where an appender continues. */
  readonly completeBytes: number;
}

/**
 * Reads the file's lines. Eagerly, every record is parsed and checked. Lazily (runs, which may load thousands of
 * large records), a line that starts as our writer writes it is only indexed by its key and checked when it is
 * served; a bad line then stops the run, naming its line, at the moment it is needed.
 */
function scanRecords(text: string, path: string, ignoreTornTail: boolean, lazy = false): ScannedRecords {
  const entries: Entry[] = [];
  let start = 0;
  let line = 0;
  while (start < text.length) {
    line += 1;
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    if (lazy && newline !== -1) {
      // Matched in place: the line is only cut out of the file's text (a cheap view) when it is kept.
      LEADING_KEY.lastIndex = start;
      const match = LEADING_KEY.exec(text);
      if (match !== null) {
        entries.push({ line, text: text.slice(start, end), key: match[1] as string, checked: false });
        start = end + 1;
        continue;
      }
    }
    const raw = text.slice(start, end);
    start = end + 1;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (error) {
      // Only a last line without its newline can be a write cut short; any other bad line is damage.
      const torn = newline === -1;
      if (torn && ignoreTornTail) return { entries, tornTail: { line, text: raw }, completeBytes: Buffer.byteLength(text.slice(0, end - raw.length)) };
      const why = raw.trim() === '' ? 'the line is empty' : `not valid JSON (${(error as Error).message})`;
      const hint = torn ? '; if a crash cut the last write short, ignore the torn tail (--ignore-torn-tail)' : '';
      throw new DecisionRecordReadError('decision_record_bad_line', path, line, `${why}${hint}`);
    }
    const result = recordSchema.safeParse(parsed);
    if (!result.success) throw new DecisionRecordReadError('decision_record_bad_record', path, line, describeIssues(result.error));
    entries.push({ line, record: result.data, checked: true });
  }
  return { entries, completeBytes: Buffer.byteLength(text) };
}

function readRecordText(path: string): string {
  if (!existsSync(path)) throw new DecisionRecordReadError('decision_records_not_found', path, undefined, 'no such decision record file');
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new DecisionRecordReadError('decision_records_unreadable', path, undefined, `cannot read the decision records: ${(error as Error).message}`);
  }
}

/** Every record of a file, in order. */
export function readDecisionRecords(path: string, options: ReadDecisionRecordsOptions = {}): DecisionRecord[] {
  return scanRecords(readRecordText(path), path, options.ignoreTornTail === true).entries.map((entry) => entry.record as DecisionRecord);
}

export class JsonlDecisionStore implements DecisionStore {
  private readonly entries: Entry[];
  private readonly byKey = new Map<string, Entry>();
  private fd: number | undefined;
  private failure: string | undefined;

  private constructor(
    readonly path: string,
    readonly mode: 'read' | 'append',
    entries: Entry[],
    fd: number | undefined,
    /** The torn final line skipped (read) or cut off (append) on open, if there was one. */
    readonly tornTail: TornRecordLine | undefined,
  ) {
    this.entries = entries;
    this.fd = fd;
    for (const entry of entries) this.byKey.set(entry.record?.key ?? (entry.key as string), entry);
  }

  static open(path: string, options: OpenDecisionStoreOptions): JsonlDecisionStore {
    const repair = options.repairTornTail === true;
    const lazy = options.lazy === true;
    if (repair && options.mode !== 'append') {
      throw new FixRequestError('decision_store_read_only', `cannot repair ${path}: the decision store is opened read-only; repairing a torn tail needs append mode`);
    }
    if (options.mode === 'read') {
      const scanned = scanRecords(readRecordText(path), path, options.ignoreTornTail === true, lazy);
      return new JsonlDecisionStore(path, 'read', scanned.entries, undefined, scanned.tornTail);
    }
    const text = existsSync(path) ? readRecordText(path) : '';
    const scanned = scanRecords(text, path, true, lazy);
    if (scanned.tornTail !== undefined && !repair) {
      // Skipping is not enough here: the next record would follow the torn line and damage the file for every reader.
      throw new DecisionRecordReadError('decision_record_torn_tail', path, scanned.tornTail.line, 'the last line was cut short by an interrupted write; repair the torn tail (cut it off) before appending');
    }
    if (scanned.tornTail !== undefined) truncateSync(path, scanned.completeBytes);
    const fd = openSync(path, 'a');
    try {
      // A complete last record without its newline (written by hand): end the line before the next one.
      if (scanned.tornTail === undefined && text !== '' && !text.endsWith('\n')) writeSync(fd, '\n');
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    return new JsonlDecisionStore(path, 'append', scanned.entries, fd, scanned.tornTail);
  }

  find(key: string): DecisionRecord | undefined {
    const entry = this.byKey.get(key);
    return entry === undefined ? undefined : this.served(entry);
  }

  all(): readonly DecisionRecord[] {
    return this.entries.map((entry) => this.whole(entry));
  }

  /** A lazily kept record, parsed and checked as far as a replay reads it. */
  private served(entry: Entry): DecisionRecord {
    if (entry.record !== undefined) return entry.record;
    const text = entry.text ?? '';
    const at = text.indexOf(REQUEST_FIELD);
    // Only the fields before the request are parsed: the request (most of the line) is read only if asked for.
    if (at > 0 && text.endsWith('}')) {
      let head: unknown;
      try {
        head = JSON.parse(`${text.slice(0, at)}}`);
      } catch {
        head = undefined;
      }
      const result = servedSchema.safeParse(head);
      if (result.success) {
        const path = this.path;
        const record = { ...result.data } as unknown as DecisionRecord;
        let request: DecisionRecord['request'] | undefined;
        Object.defineProperty(record, 'request', {
          enumerable: true,
          get: () => {
            if (request !== undefined) return request;
            try {
              request = JSON.parse(text.slice(at + REQUEST_FIELD.length, -1)) as DecisionRecord['request'];
            } catch (error) {
              throw new DecisionRecordReadError('decision_record_bad_line', path, entry.line, `the request is not valid JSON (${(error as Error).message})`);
            }
            return request;
          },
        });
        entry.record = record;
        return record;
      }
    }
    const result = recordSchema.safeParse(this.parse(entry));
    if (!result.success) throw new DecisionRecordReadError('decision_record_bad_record', this.path, entry.line, describeIssues(result.error));
    entry.record = result.data;
    entry.checked = true;
    return entry.record;
  }

  /** The record checked whole (the listing and the diagnostics read its request too). */
  private whole(entry: Entry): DecisionRecord {
    if (entry.checked && entry.record !== undefined) return entry.record;
    const result = recordSchema.safeParse(entry.text === undefined ? entry.record : this.parse(entry));
    if (!result.success) throw new DecisionRecordReadError('decision_record_bad_record', this.path, entry.line, describeIssues(result.error));
    entry.record = result.data;
    entry.checked = true;
    entry.text = undefined;
    return entry.record;
  }

  private parse(entry: Entry): unknown {
    try {
      return JSON.parse(entry.text ?? '');
    } catch (error) {
      throw new DecisionRecordReadError('decision_record_bad_line', this.path, entry.line, `not valid JSON (${(error as Error).message})`);
    }
  }

  append(record: DecisionRecord): void {
    if (this.mode === 'read') {
      throw new FixRequestError('decision_store_read_only', `cannot append record ${record.recordId} to ${this.path}: the decision store was opened read-only (replay mode reads recorded calls only)`);
    }
    if (this.fd === undefined) throw new FixRequestError('decision_store_closed', `the decision store ${this.path} is closed`);
    if (this.failure !== undefined) throw new FixRequestError('decision_store_failed', `the decision store ${this.path} failed earlier (${this.failure}); reopen it with repairTornTail`);
    // Check before writing: a record that would not read back (NaN, a class instance) must never reach the file.
    const checked = recordSchema.safeParse(record);
    if (!checked.success) throw new FixRequestError('decision_record_invalid', `cannot append record ${record.recordId} to ${this.path}: ${describeIssues(checked.error)}`);
    // The record id and the key lead the line and the request ends it, so a later open can index the file, and serve a
    // record, without parsing every request.
    const { recordId, key, request, ...rest } = record;
    const bytes = Buffer.from(`${JSON.stringify({ recordId, key, ...rest, request })}\n`, 'utf8');
    try {
      let written = 0;
      while (written < bytes.length) written += writeSync(this.fd, bytes, written, bytes.length - written);
    } catch (error) {
      this.failure = (error as Error).message;
      throw new RetryLaterError('decision_store_write_failed', `could not append to ${this.path}: ${this.failure}`, { cause: error });
    }
    const entry: Entry = { line: this.entries.length + 1, record, checked: true };
    this.entries.push(entry);
    this.byKey.set(record.key, entry);
  }

  /** Closes the file; the records stay readable, appends are refused. */
  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    closeSync(fd);
  }
}
