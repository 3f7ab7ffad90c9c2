import type { Clock } from '../../core/clock.js';
import type { Alert, Dispatcher } from '../../notify/dispatcher.js';
import { JsonLinesInbox } from '../operator/json-lines-inbox.js';
import type { DeskStatus } from '../operator/desk-status.js';
import type { StateAndInbox } from '../operator/run-files.js';
import { ackRequestOf, alertEntry, writeAlertState, type AlertEntry } from './alert-files.js';

/** What the board needs of the dispatcher. */
export type AlertSource = Pick<Dispatcher, 'openAlerts' | 'acknowledge' | 'alert' | 'alertsRevision'>;

const ACKNOWLEDGED_KEPT = 50;

/**
 * A running desk's alerts, shown to and acknowledged by people through two files (see alert-files.ts). The run
 * calls `poll()` on its ticks: acknowledgements appended to the inbox since the last poll are applied, then the
 * alerts file is rewritten if anything changed. Acknowledgements left in the inbox before the run started are
 * not applied: they were meant for an earlier run's alerts.
 */
export class AlertBoard {
  private readonly inbox: JsonLinesInbox;
  private written = -1;
  /** The desk's status as last written (JSON), so the file is rewritten only when it changed. */
  private writtenStatus: string | undefined;
  private readonly acknowledged: AlertEntry[] = [];

  constructor(
    private readonly paths: StateAndInbox,
    private readonly source: AlertSource,
    private readonly desk: string,
    private readonly clock: Clock,
    /** What the desk is doing, written beside its alerts. */
    private readonly status?: () => DeskStatus,
  ) {
    this.inbox = new JsonLinesInbox(paths.inbox, 'Alerts inbox');
  }

  /** Skips what the inbox already holds and writes the (empty) alerts file, marked running. */
  start(): void {
    this.inbox.start();
    this.write(true, this.status?.());
  }

  /** Applies new acknowledgements and rewrites the file when the alerts or the desk's status changed; returns what to tell the operator. */
  poll(): string[] {
    const messages = this.readInbox();
    const status = this.status?.();
    if (this.source.alertsRevision !== this.written || JSON.stringify(status) !== this.writtenStatus) this.write(true, status);
    return messages;
  }

  /** The last word: the file stays behind with `running: false`, so an acknowledgement is not sent into the void. */
  close(): string[] {
    const messages = this.readInbox();
    this.write(false, this.status?.());
    return messages;
  }

  private readInbox(): string[] {
    const messages: string[] = [];
    for (const { line, fields } of this.inbox.read(messages)) {
      const request = ackRequestOf(fields);
      if (typeof request === 'string') {
        this.inbox.refuse(messages, line, request);
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

  private remember(alert: Alert): void {
    this.acknowledged.push(alertEntry(alert));
    if (this.acknowledged.length > ACKNOWLEDGED_KEPT) this.acknowledged.shift();
  }

  private write(running: boolean, status: DeskStatus | undefined): void {
    this.written = this.source.alertsRevision;
    this.writtenStatus = JSON.stringify(status);
    writeAlertState(this.paths.state, {
      desk: this.desk,
      pid: process.pid,
      running,
      updatedAt: new Date(this.clock.now()).toISOString(),
      ...status,
      open: this.source.openAlerts().map(alertEntry),
      acknowledged: this.acknowledged,
    });
  }
}
