import type { Alert } from '../../notify/dispatcher.js';
import type { Severity } from '../../notify/notification.js';
import { textField } from '../operator/json-lines-inbox.js';
import { DESK_STATUS_PARTS, type DeskStatus } from '../operator/desk-status.js';
import { readStateFile, writeStateFile, type EntryShape, type RunStamp } from '../operator/state-file.js';

/*
 * The two files through which a person reaches a running desk's alerts (run-files.ts names them): `NAME.json`, the
 * alerts as the run last wrote them (open ones, and the latest acknowledged), and `NAME.ack`, an inbox the
 * `conclave alerts ack` command appends acknowledgements to and the run reads. The first also tells what the desk
 * is doing (desk-status.ts): its trading state, equity, positions and agents. Only the run writes the first and
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

/** The alerts, and what the desk is doing (missing from a file a run wrote before it published that). */
export interface AlertState extends RunStamp, Partial<DeskStatus> {
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

/** Every field of an AlertEntry, as the run writes it. */
const ALERT_ENTRY: EntryShape = {
  id: 'text',
  severity: 'text',
  kind: 'text',
  title: 'text',
  text: 'text',
  raisedAt: 'text',
  lastSentAt: 'text',
  reminders: 'number',
  acknowledgedBy: 'text?',
  acknowledgedAt: 'text?',
};

export function readAlertState(path: string): AlertState {
  return readStateFile<AlertState>(path, 'alerts', { open: ALERT_ENTRY, acknowledged: ALERT_ENTRY }, DESK_STATUS_PARTS);
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
