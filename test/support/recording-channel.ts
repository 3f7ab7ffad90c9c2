import type { ChannelPort } from '../../src/notify/channel.js';
import type { Notification, Severity } from '../../src/notify/notification.js';

/** A channel that records what it sends, takes scripted failures first, and accepts from a minimum severity. */
export class RecordingChannel implements ChannelPort {
  readonly sent: Notification[] = [];
  readonly failures: Error[] = [];

  constructor(
    readonly name: string,
    private readonly min: Severity = 'info',
  ) {}

  accepts(notification: Notification): boolean {
    const rank = { info: 0, warning: 1, critical: 2 } as const;
    return rank[notification.severity] >= rank[this.min];
  }

  send(notification: Notification): Promise<void> {
    const failure = this.failures.shift();
    if (failure !== undefined) return Promise.reject(failure);
    this.sent.push(notification);
    return Promise.resolve();
  }
}
