import { FixRequestError } from '../../core/errors.js';
import type { ChannelPort } from '../../notify/channel.js';
import type { Notification } from '../../notify/notification.js';
import { SEVERITY_EMOJI } from './format.js';
import { parseJson, postJson } from './http-post.js';
import type { PostResult } from './http-post.js';

/** Telegram rejects messages longer than this. */
const MAX_TEXT = 4096;

export interface TelegramChannelOptions {
  readonly botToken: string;
  readonly chatId: string;
  /** Default https://api.telegram.org. */
  readonly baseUrl?: string;
  readonly name?: string;
  readonly timeoutMs?: number;
}

export function telegramEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function telegramText(notification: Notification): string {
  const lines = [
    `${SEVERITY_EMOJI[notification.severity]} <b>${telegramEscape(notification.title)}</b>`,
    telegramEscape(notification.text),
  ];
  const text = lines.join('\n');
  return text.length <= MAX_TEXT ? text : `${text.slice(0, MAX_TEXT - 1)}…`;
}

/** Telegram's 429 says how long to wait in `parameters.retry_after` (seconds), not in a header. */
function telegramRetryAfterMs(response: PostResult): number | undefined {
  const body = parseJson(response.text) as { parameters?: { retry_after?: unknown } } | undefined;
  const seconds = body?.parameters?.retry_after;
  return typeof seconds === 'number' && seconds >= 0 ? Math.ceil(seconds * 1000) : undefined;
}

/** Telegram Bot API `sendMessage` with HTML parse mode. */
export class TelegramChannel implements ChannelPort {
  readonly name: string;

  constructor(private readonly options: TelegramChannelOptions) {
    this.name = options.name ?? 'telegram';
  }

  async send(notification: Notification, signal?: AbortSignal): Promise<void> {
    const base = (this.options.baseUrl ?? 'https://api.telegram.org').replace(/\/+$/, '');
    const result = await postJson({
      channel: this.name,
      url: `${base}/bot${this.options.botToken}/sendMessage`,
      body: {
        chat_id: this.options.chatId,
        text: telegramText(notification),
        parse_mode: 'HTML',
        disable_web_page_preview: true,
      },
      secrets: [this.options.botToken],
      timeoutMs: this.options.timeoutMs,
      signal,
      retryAfterMs: telegramRetryAfterMs,
    });
    const body = parseJson(result.text) as { ok?: unknown; description?: unknown } | undefined;
    if (body?.ok !== true) {
      const description = typeof body?.description === 'string' ? body.description : 'no ok:true in the answer';
      throw new FixRequestError('notify_rejected', `${this.name}: HTTP ${result.status}: ${description}`);
    }
  }
}
