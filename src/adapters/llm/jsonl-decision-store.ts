import { closeSync, existsSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import { z } from 'zod';
import { FixRequestError, RetryLaterError } from '../../core/errors.js';
import type { DecisionRecord, DecisionStore } from '../../llm/decision-record.js';

/**
 * Decision records in a JSONL file, one record per line, appended in order (DESIGN §6). The file is also the
 * cache: opening it loads every record, and `find` answers a request already made. Replay opens it read-only, so a
 * miss can never quietly turn into a new (paid, different) model call written into the evidence.
 *
 * Records are plain JSON, so unlike the event journal no value needs a tag; each line is checked against the
 * record's shape on the way in and on the way out, so a bad file fails at its line instead of deep inside a brain.
 */

/** A decision record file that cannot be read: names the file and, where one is to blame, the line. */
export class DecisionRecordReadError extends FixRequestError {
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

const recordSchema: z.ZodType<DecisionRecord> = z.strictObject({
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
});

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

interface ScannedRecords {
  readonly records: DecisionRecord[];
  readonly tornTail?: TornRecordLine;
  /** Byte length of the complete lines: where an appender continues. */
  readonly completeBytes: number;
}

function scanRecords(text: string, path: string, ignoreTornTail: boolean): ScannedRecords {
  const records: DecisionRecord[] = [];
  let start = 0;
  let line = 0;
  while (start < text.length) {
    line += 1;
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    const raw = text.slice(start, end);
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (error) {
      // Only a last line without its newline can be a write cut short; any other bad line is damage.
      const torn = newline === -1;
      if (torn && ignoreTornTail) return { records, tornTail: { line, text: raw }, completeBytes: Buffer.byteLength(text.slice(0, start)) };
      const why = raw.trim() === '' ? 'the line is empty' : `not valid JSON (${(error as Error).message})`;
      const hint = torn ? '; if a crash cut the last write short, ignore the torn tail (--ignore-torn-tail)' : '';
      throw new DecisionRecordReadError('decision_record_bad_line', path, line, `${why}${hint}`);
    }
    const result = recordSchema.safeParse(parsed);
    if (!result.success) throw new DecisionRecordReadError('decision_record_bad_record', path, line, describeIssues(result.error));
    records.push(result.data);
    start = end + 1;
  }
  return { records, completeBytes: Buffer.byteLength(text) };
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
  return scanRecords(readRecordText(path), path, options.ignoreTornTail === true).records;
}

export class JsonlDecisionStore implements DecisionStore {
  private readonly records: DecisionRecord[];
  private readonly byKey = new Map<string, DecisionRecord>();
  private fd: number | undefined;
  private failure: string | undefined;

  private constructor(
    readonly path: string,
    readonly mode: 'read' | 'append',
    records: DecisionRecord[],
    fd: number | undefined,
    /** The torn final line skipped (read) or cut off (append) on open, if there was one. */
    readonly tornTail: TornRecordLine | undefined,
  ) {
    this.records = records;
    this.fd = fd;
    for (const record of records) this.byKey.set(record.key, record);
  }

  static open(path: string, options: OpenDecisionStoreOptions): JsonlDecisionStore {
    const repair = options.repairTornTail === true;
    if (repair && options.mode !== 'append') {
      throw new FixRequestError('decision_store_read_only', `cannot repair ${path}: the decision store is opened read-only; repairing a torn tail needs append mode`);
    }
    if (options.mode === 'read') {
      const scanned = scanRecords(readRecordText(path), path, options.ignoreTornTail === true);
      return new JsonlDecisionStore(path, 'read', scanned.records, undefined, scanned.tornTail);
    }
    const text = existsSync(path) ? readRecordText(path) : '';
    const scanned = scanRecords(text, path, true);
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
    return new JsonlDecisionStore(path, 'append', scanned.records, fd, scanned.tornTail);
  }

  find(key: string): DecisionRecord | undefined {
    return this.byKey.get(key);
  }

  all(): readonly DecisionRecord[] {
    return this.records;
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
    const bytes = Buffer.from(`${JSON.stringify(record)}\n`, 'utf8');
    try {
      let written = 0;
      while (written < bytes.length) written += writeSync(this.fd, bytes, written, bytes.length - written);
    } catch (error) {
      this.failure = (error as Error).message;
      throw new RetryLaterError('decision_store_write_failed', `could not append to ${this.path}: ${this.failure}`, { cause: error });
    }
    this.records.push(record);
    this.byKey.set(record.key, record);
  }

  /** Closes the file; the records stay readable, appends are refused. */
  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    closeSync(fd);
  }
}
