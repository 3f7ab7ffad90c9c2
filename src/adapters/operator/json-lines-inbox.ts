import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { FixRequestError } from '../../core/errors.js';

/** An inbox grows by a line per request; more than this at once is not a person typing. */
const MAX_READ_BYTES = 1 << 20;

export interface InboxLine {
  /** 1-based, as an editor shows it. */
  readonly line: number;
  readonly text: string;
}

/**
 * A file people append one request a line to while a run reads it: each `read()` returns the whole lines added
 * since the last one (a line without its newline yet is still being written, and waits). What the file held when
 * the run started was meant for an earlier run: `start()` skips it.
 */
export class JsonLinesInbox {
  private offset = 0;
  private line = 0;

  constructor(readonly path: string) {}

  start(): void {
    if (!existsSync(this.path)) return;
    if (!statSync(this.path).isFile()) throw new FixRequestError('invalid_inbox', `${this.path} is not a file`);
    const held = readFileSync(this.path);
    // Skipped, but counted: lines are named as an editor shows them.
    this.offset = held.lastIndexOf(0x0a) + 1;
    for (let i = 0; i < this.offset; i++) if (held[i] === 0x0a) this.line += 1;
  }

  read(): InboxLine[] {
    const text = this.readNew();
    const lines: InboxLine[] = [];
    if (text === '') return lines;
    for (const raw of text.split('\n')) {
      this.line += 1;
      const trimmed = raw.trim();
      if (trimmed !== '') lines.push({ line: this.line, text: trimmed });
    }
    return lines;
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
