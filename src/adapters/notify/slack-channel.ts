import type { ChannelPort } from '../../notify/channel.js';
import type { Notification } from '../../notify/notification.js';
import { SEVERITY_EMOJI } from './format.js';
import { postJson } from './http-post.js';

/** Slack allows ten fields in one section block, 3,000 characters of section text and 2,000 of a field's. */
const MAX_FIELDS = 10;
const MAX_SECTION_TEXT = 3000;
const MAX_FIELD_TEXT = 2000;

/** Cut to `max` characters with an ellipsis: Slack refuses a longer block outright (400 invalid_blocks). */
function fit(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export interface SlackChannelOptions {
  /** The incoming-webhook URL (https://hooks.slack.com/services/...), a secret. */
  readonly webhookUrl: string;
  /** Send Block Kit blocks besides the plain text (default true). */
  readonly blocks?: boolean;
  readonly name?: string;
  readonly timeoutMs?: number;
}

/** Slack's mrkdwn needs only these three escaped. */
export function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function slackBody(notification: Notification, withBlocks: boolean): Record<string, unknown> {
  const headline = `${SEVERITY_EMOJI[notification.severity]} *${slackEscape(notification.title)}*\n${slackEscape(notification.text)}`;
  if (!withBlocks) return { text: headline };
  // The top-level text keeps everything (Slack shows it in notifications and takes up to 40,000 characters).
  const blocks: unknown[] = [{ type: 'section', text: { type: 'mrkdwn', text: fit(headline, MAX_SECTION_TEXT) } }];
  const fields = Object.entries(notification.fields).slice(0, MAX_FIELDS);
  if (fields.length > 0) {
    blocks.push({
      type: 'section',
      fields: fields.map(([key, value]) => ({ type: 'mrkdwn', text: fit(`*${slackEscape(key)}*\n${slackEscape(value)}`, MAX_FIELD_TEXT) })),
    });
  }
  return { text: headline, blocks };
}

/** Slack incoming webhook: 429 carries Retry-After in seconds; 4xx (invalid_payload, no_service) is permanent. */
export class SlackChannel implements ChannelPort {
  readonly name: string;

  constructor(private readonly options: SlackChannelOptions) {
    this.name = options.name ?? 'slack';
  }

  async send(notification: Notification, signal?: AbortSignal): Promise<void> {
    await postJson({
      channel: this.name,
      url: this.options.webhookUrl,
      body: slackBody(notification, this.options.blocks ?? true),
      secrets: [this.options.webhookUrl],
      timeoutMs: this.options.timeoutMs,
      signal,
    });
  }
}
