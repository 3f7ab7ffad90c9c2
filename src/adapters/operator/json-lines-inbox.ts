import { appendFileSync, closeSync, existsSync, fstatSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { FixRequestError } from '../../core/errors.js';

/** An inbox grows by a line per request; more than this at once is not a person typing. */
const MAX_READ_BYTES = 1 << 20;

export interface InboxRequest {
  /** 1-based, as an editor shows it. */
  readonly line: number;
  /** The line's JSON object. */
  readonly fields: Readonly<Record<string, unknown>>;
}

/** Appends one request (a JSON object) as a line, for a run to read. */
export function appendRequest(path: string, request: object): void {
  appendFileSync(path, `${JSON.stringify(request)}\n`, 'utf8');
}

/** A field's text, trimmed and cut to `max` characters; undefined when it is not a non-empty string. */
export function textField(fields: Readonly<Record<string, unknown>>, key: string, max = 200): string | undefined {
  const value = fields[key];
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  return value.trim().slice(0, max);
}

/**
 * A file people append one request a line to while a run reads it: each `read()` returns the whole lines added
 * since the last one (a line without its newline yet is still being written, and waits). What the file held when
 * the run started was meant for an earlier run: `start()` skips it.
 */
export class JsonLinesInbox {
  private offset = 0;
  private line = 0;

  /** `label` names the inbox in what is said of a line that is not a request ("Alerts inbox"). */
  constructor(
    readonly path: string,
    private readonly label: string,
  ) {}

  start(): void {
    if (!existsSync(this.path)) return;
    if (!statSync(this.path).isFile()) throw new FixRequestError('invalid_inbox', `${this.path} is not a file`);
    const held = readFileSync(this.path);
    // Skipped, but counted: lines are named as an editor shows them.
    this.offset = held.lastIndexOf(0x0a) + 1;
    for (let i = 0; i < this.offset; i++) if (held[i] === 0x0a) this.line += 1;
  }

  /** The requests added since the last read; a line that is not a JSON object is told in `said` and skipped. */
  read(said: string[]): InboxRequest[] {
    const text = this.readNew();
    const requests: InboxRequest[] = [];
    if (text === '') return requests;
    for (const raw of text.split('\n')) {
      this.line += 1;
      const trimmed = raw.trim();
      if (trimmed === '') continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(trimmed);
      } catch {
        this.refuse(said, this.line, 'not JSON');
        continue;
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) this.refuse(said, this.line, 'not a JSON object');
      else requests.push({ line: this.line, fields: parsed as Record<string, unknown> });
    }
    return requests;
  }

  /** Tells of a line that is not a request the run can carry out. */
  refuse(said: string[], line: number, problem: string): void {
    said.push(`${this.label} ${this.path}, line ${line}: ${problem}; ignored`);
  }

  private readNew(): string {
    if (!existsSync(this.path)) return '';
    const fd = openSync(this.path, 'r');
    try {
      const size = fstatSync(fd).size;
      if (size < this.offset) {
        // Emptied or replaced by hand: read it again from the start.
        this.offset = 0;
        this.line = 0;
      }
      const length = Math.min(size - this.offset, MAX_READ_BYTES);
      if (length <= 0) return '';
      const buffer = Buffer.alloc(length);
      const read = readSync(fd, buffer, 0, length, this.offset);
      const end = buffer.subarray(0, read).lastIndexOf(0x0a) + 1;
      // A megabyte without a newline is not a request: it is skipped rather than read again forever.
      this.offset += end === 0 && read === MAX_READ_BYTES ? read : end;
      return buffer.toString('utf8', 0, Math.max(0, end - 1));
    } finally {
      closeSync(fd);
    }
  }
}
