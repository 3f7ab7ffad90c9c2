import type { ChannelPort } from '../../notify/channel.js';
import type { Notification } from '../../notify/notification.js';
import { notificationJson } from './format.js';
import { postJson } from './http-post.js';

export interface WebhookChannelOptions {
  /** The full URL; it is treated as a secret and masked in errors. */
  readonly url: string;
  /** Extra headers, e.g. an Authorization token (their values are masked in errors). */
  readonly headers?: Readonly<Record<string, string>>;
  readonly name?: string;
  readonly timeoutMs?: number;
}

/** POSTs the notification as JSON to any endpoint. */
export class WebhookChannel implements ChannelPort {
  readonly name: string;

  constructor(private readonly options: WebhookChannelOptions) {
    this.name = options.name ?? 'webhook';
  }

  async send(notification: Notification, signal?: AbortSignal): Promise<void> {
    await postJson({
      channel: this.name,
      url: this.options.url,
      body: notificationJson(notification),
      headers: this.options.headers,
      secrets: [this.options.url, ...Object.values(this.options.headers ?? {})],
      timeoutMs: this.options.timeoutMs,
      signal,
    });
  }
}
