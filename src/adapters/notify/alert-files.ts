import type { Alert } from '../../notify/dispatcher.js';
import type { Severity } from '../../notify/notification.js';
import { textField } from '../operator/json-lines-inbox.js';
import { readStateFile, writeStateFile, type RunStamp } from '../operator/state-file.js';

/*
 * The two files through which a person reaches a running desk's alerts (run-files.ts names them): `NAME.json`, the
 * alerts as the run last wrote them (open ones, and the latest acknowledged), and `NAME.ack`, an inbox the
 * `conclave alerts ack` command appends acknowledgements to and the run reads. Only the run writes the first and
 * only people append to the second, so neither has two writers racing over one file.
 */

export interface AlertEntry {
  readonly id: string;
  readonly severity: Severity;
  readonly kind: string;
  readonly title: string;
  readonly text: string;
  /** ISO 8601, on the delivery (wall) clock. */
  readonly raisedAt: string;
  readonly lastSentAt: string;
  readonly reminders: number;
  readonly acknowledgedBy?: string;
  readonly acknowledgedAt?: string;
}

export interface AlertState extends RunStamp {
  readonly open: readonly AlertEntry[];
  /** The latest acknowledged alerts, newest last. */
  readonly acknowledged: readonly AlertEntry[];
}

export function alertEntry(alert: Alert): AlertEntry {
  const n = alert.notification;
  return {
    id: alert.id,
    severity: n.severity,
    kind: n.kind,
    title: n.title,
    text: n.text,
    raisedAt: new Date(alert.openedAt).toISOString(),
    lastSentAt: new Date(alert.lastSentAt).toISOString(),
    reminders: alert.reminders,
    ...(alert.acknowledgedBy === undefined ? {} : { acknowledgedBy: alert.acknowledgedBy }),
    ...(alert.acknowledgedAt === undefined ? {} : { acknowledgedAt: new Date(alert.acknowledgedAt).toISOString() }),
  };
}

export function writeAlertState(path: string, state: AlertState): void {
  writeStateFile(path, state);
}

export function readAlertState(path: string): AlertState {
  return readStateFile(path, 'alerts', ['open', 'acknowledged']) as unknown as AlertState;
}

/** One acknowledgement as the inbox holds it: a JSON object per line. */
export interface AckRequest {
  readonly alert: string;
  readonly by: string;
  readonly at: string;
}

/** An inbox line's acknowledgement, or what is missing from it. */
export function ackRequestOf(fields: Readonly<Record<string, unknown>>): AckRequest | string {
  const alert = textField(fields, 'alert', 500);
  if (alert === undefined) return 'no "alert" id';
  const by = textField(fields, 'by', 100);
  if (by === undefined) return 'no "by" (who acknowledges)';
  return { alert, by, at: textField(fields, 'at') ?? '' };
}
