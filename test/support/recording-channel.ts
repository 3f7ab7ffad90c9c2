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

/** A remote service that never answers: each send waits until its signal aborts (then fails as a cut-off request). */
export class HangingChannel implements ChannelPort {
  /** The notifications whose send started, in order. */
  readonly started: Notification[] = [];
  /** How many sends were cut off by their signal. */
  cutOff = 0;
  private waiters: { count: number; resolve: () => void }[] = [];

  constructor(readonly name: string) {}

  send(notification: Notification, signal?: AbortSignal): Promise<void> {
    this.started.push(notification);
    for (const waiter of this.waiters.filter((w) => this.started.length >= w.count)) waiter.resolve();
    this.waiters = this.waiters.filter((w) => this.started.length < w.count);
    return new Promise<void>((_resolve, reject) => {
      signal?.addEventListener('abort', () => {
        this.cutOff += 1;
        reject(new Error('cut off'));
      });
    });
  }

  /** Resolves once `count` sends have started. */
  sendsStarted(count: number): Promise<void> {
    if (this.started.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }
}
