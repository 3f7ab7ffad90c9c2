import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import type { Clock } from '../../core/clock.js';
import { FixRequestError } from '../../core/errors.js';
import type { Alert, Dispatcher } from '../../notify/dispatcher.js';
import { alertEntry, parseAckLine, writeAlertState, type AlertEntry, type AlertFilePaths } from './alert-files.js';

/** What the board needs of the dispatcher. */
export type AlertSource = Pick<Dispatcher, 'openAlerts' | 'acknowledge' | 'alert' | 'alertsRevision'>;

const ACKNOWLEDGED_KEPT = 50;
/** An inbox grows by a line per acknowledgement; more than this at once is not a person typing. */
const MAX_READ_BYTES = 1 << 20;

/**
 * A running desk's alerts, shown to and acknowledged by people through two files (see alert-files.ts). The run
 * calls `poll()` on its ticks: acknowledgements appended to the inbox since the last poll are applied, then the
 * alerts file is rewritten if anything changed. Acknowledgements left in the inbox before the run started are
 * not applied: they were meant for an earlier run's alerts.
 */
export class AlertBoard {
  private offset = 0;
  private line = 0;
  private written = -1;
  private readonly acknowledged: AlertEntry[] = [];

  constructor(
    private readonly paths: AlertFilePaths,
    private readonly source: AlertSource,
    private readonly desk: string,
    private readonly clock: Clock,
  ) {}

  /** Skips what the inbox already holds and writes the (empty) alerts file, marked running. */
  start(): void {
    if (existsSync(this.paths.inbox)) {
      if (!statSync(this.paths.inbox).isFile()) throw new FixRequestError('invalid_alerts_inbox', `${this.paths.inbox} is not a file`);
      const held = readFileSync(this.paths.inbox);
      // Skipped, but counted: messages name lines as an editor shows them.
      this.offset = held.lastIndexOf(0x0a) + 1;
      for (let i = 0; i < this.offset; i++) if (held[i] === 0x0a) this.line += 1;
    }
    this.write(true);
  }

  /** Applies new acknowledgements and rewrites the alerts file when they changed; returns what to tell the operator. */
  poll(): string[] {
    const messages = this.readInbox();
    if (this.source.alertsRevision !== this.written) this.write(true);
    return messages;
  }

  /** The last word: the file stays behind with `running: false`, so an acknowledgement is not sent into the void. */
  close(): string[] {
    const messages = this.readInbox();
    this.write(false);
    return messages;
  }

  private readInbox(): string[] {
    const text = this.readNew();
    if (text === '') return [];
    const messages: string[] = [];
    for (const raw of text.split('\n')) {
      this.line += 1;
      const line = raw.trim();
      if (line === '') continue;
      const request = parseAckLine(line);
      if (typeof request === 'string') {
        messages.push(`Alerts inbox ${this.paths.inbox}, line ${this.line}: ${request}; ignored`);
        continue;
      }
      const alert = this.source.alert(request.alert);
      if (alert === undefined) {
        messages.push(`Acknowledgement by ${request.by} names no alert of this run: "${request.alert}"; ignored`);
        continue;
      }
      if (alert.acknowledgedAt !== undefined) {
        messages.push(`Alert ${alert.id} was already acknowledged by ${alert.acknowledgedBy ?? 'someone'}`);
        continue;
      }
      this.remember(this.source.acknowledge(alert.id, request.by));
      messages.push(`Alert ${alert.id} (${alert.notification.title}) acknowledged by ${request.by}`);
    }
    return messages;
  }

  private readNew(): string {
    if (!existsSync(this.paths.inbox)) return '';
    const fd = openSync(this.paths.inbox, 'r');
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
      // Whole lines only: a line without its newline yet is still being written, and is read on a later poll.
      const end = buffer.subarray(0, read).lastIndexOf(0x0a) + 1;
      // A megabyte without a newline is not an acknowledgement: it is skipped rather than read again forever.
      this.offset += end === 0 && read === MAX_READ_BYTES ? read : end;
      return buffer.toString('utf8', 0, Math.max(0, end - 1));
    } finally {
      closeSync(fd);
    }
  }

  private remember(alert: Alert): void {
    this.acknowledged.push(alertEntry(alert));
    if (this.acknowledged.length > ACKNOWLEDGED_KEPT) this.acknowledged.shift();
  }

  private write(running: boolean): void {
    this.written = this.source.alertsRevision;
    writeAlertState(this.paths.state, {
      desk: this.desk,
      pid: process.pid,
      running,
      updatedAt: new Date(this.clock.now()).toISOString(),
      open: this.source.openAlerts().map(alertEntry),
      acknowledged: this.acknowledged,
    });
  }
}
