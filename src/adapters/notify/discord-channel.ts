import type { ChannelPort } from '../../notify/channel.js';
import type { Notification, Severity } from '../../notify/notification.js';
import { formatUnixMs } from '../../core/time.js';
import { SEVERITY_EMOJI } from './format.js';
import { parseJson, postJson, retryAfterHeaderMs } from './http-post.js';
import type { PostResult } from './http-post.js';

const MAX_CONTENT = 2000;
const MAX_DESCRIPTION = 4096;
const MAX_FIELDS = 25;
const COLOURS: Record<Severity, number> = { info: 0x3498db, warning: 0xf1c40f, critical: 0xe74c3c };

export interface DiscordChannelOptions {
  /** https://discord.com/api/webhooks/<id>/<token>, a secret. */
  readonly webhookUrl: string;
  readonly embeds?: boolean;
  readonly name?: string;
  readonly timeoutMs?: number;
}

export function discordBody(notification: Notification, withEmbeds: boolean): Record<string, unknown> {
  const content = `${SEVERITY_EMOJI[notification.severity]} **${notification.title}**`.slice(0, MAX_CONTENT);
  // Text from events could contain @everyone; nothing we send should ping anyone.
  const base = { content, allowed_mentions: { parse: [] as string[] } };
  if (!withEmbeds) return { ...base, content: `${content}\n${notification.text}`.slice(0, MAX_CONTENT) };
  return {
    ...base,
    embeds: [
      {
        title: notification.title.slice(0, 256),
        description: notification.text.slice(0, MAX_DESCRIPTION),
        color: COLOURS[notification.severity],
        timestamp: formatUnixMs(notification.ts),
        fields: Object.entries(notification.fields)
          .slice(0, MAX_FIELDS)
          .map(([name, value]) => ({ name, value: value.length === 0 ? '-' : value.slice(0, 1024), inline: true })),
      },
    ],
  };
}

/** Discord's 429 body carries `retry_after` in (fractional) seconds; the header is the fallback. */
function discordRetryAfterMs(response: PostResult, headers: Headers): number | undefined {
  const body = parseJson(response.text) as { retry_after?: unknown } | undefined;
  const seconds = body?.retry_after;
  if (typeof seconds === 'number' && seconds >= 0) return Math.ceil(seconds * 1000);
  return retryAfterHeaderMs(headers);
}

/** Discord webhook execute. */
export class DiscordChannel implements ChannelPort {
  readonly name: string;

  constructor(private readonly options: DiscordChannelOptions) {
    this.name = options.name ?? 'discord';
  }

  async send(notification: Notification, signal?: AbortSignal): Promise<void> {
    await postJson({
      channel: this.name,
      url: this.options.webhookUrl,
      body: discordBody(notification, this.options.embeds ?? true),
      secrets: [this.options.webhookUrl, ...this.secretParts()],
      timeoutMs: this.options.timeoutMs,
      signal,
      retryAfterMs: discordRetryAfterMs,
    });
  }

  /** The token is the last path segment; mask it alone too in case a message quotes just the path. */
  private secretParts(): string[] {
    const last = this.options.webhookUrl.split('/').filter((part) => part.length > 0).pop();
    return last === undefined ? [] : [last];
  }
}
