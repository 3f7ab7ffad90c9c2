import { formatUnixMs } from '../../core/time.js';
import type { Notification } from '../../notify/notification.js';

/** One plain-text line: `2026-01-02T03:04:05.000Z CRITICAL halt Trading HALTED (command): ...`. */
export function plainLine(notification: Notification): string {
  return `${formatUnixMs(notification.ts)} ${notification.severity.toUpperCase()} ${notification.kind} ${notification.title}: ${notification.text}`;
}

/** The notification as plain JSON (what the generic webhook and the JSONL file carry). */
export function notificationJson(notification: Notification): Record<string, unknown> {
  return {
    id: notification.id,
    ts: notification.ts,
    time: formatUnixMs(notification.ts),
    severity: notification.severity,
    kind: notification.kind,
    title: notification.title,
    text: notification.text,
    fields: notification.fields,
    dedupKey: notification.dedupKey,
    ...(notification.causationId === undefined ? {} : { causationId: notification.causationId }),
  };
}

export const SEVERITY_EMOJI = { info: 'ℹ️', warning: '⚠️', critical: '🚨' } as const;
