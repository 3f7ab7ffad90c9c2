import { FixRequestError } from '../../core/errors.js';
import { ChannelRetryLaterError } from '../../notify/channel.js';

export interface PostResult {
  readonly status: number;
  readonly text: string;
}

export interface PostOptions {
  readonly channel: string;
  readonly url: string;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Strings that must never appear in an error (tokens, webhook URLs). */
  readonly secrets: readonly string[];
  readonly timeoutMs?: number;
  /** Gives up on the request at once when aborted (the end of a run's delivery, Ctrl-C). */
  readonly signal?: AbortSignal;
  /** How long the service asked us to wait, read from its 429 answer, in milliseconds. */
  readonly retryAfterMs?: (response: PostResult, headers: Headers) => number | undefined;
}

/** Replaces every secret in `text` with a mask, longest first so a secret inside another is masked whole. */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  let masked = text;
  for (const secret of [...secrets].filter((s) => s.length > 0).sort((a, b) => b.length - a.length)) {
    masked = masked.split(secret).join('***');
  }
  return masked;
}

/** `Retry-After` as seconds (the HTTP-date form is not used by these services). */
export function retryAfterHeaderMs(headers: Headers): number | undefined {
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.ceil(seconds * 1000) : undefined;
}

/**
 * POSTs JSON and maps the answer: 2xx resolves; 429, 5xx, timeouts and network failures are ChannelRetryLaterError;
 * any other status is a FixRequestError naming the channel and status. Secrets are masked in every message.
 */
export async function postJson(options: PostOptions): Promise<PostResult> {
  const { channel, secrets } = options;
  let response: Response;
  try {
    response = await fetch(options.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...options.headers },
      body: JSON.stringify(options.body),
      signal: AbortSignal.any([AbortSignal.timeout(options.timeoutMs ?? 10_000), ...(options.signal === undefined ? [] : [options.signal])]),
    });
  } catch (error) {
    if (options.signal?.aborted === true) throw stopped(channel);
    const reason = error instanceof Error ? `${error.name}: ${error.message}${causeOf(error)}` : String(error);
    throw new ChannelRetryLaterError('notify_network', maskSecrets(`${channel}: could not reach the service (${reason})`, secrets), undefined);
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    if (options.signal?.aborted === true) throw stopped(channel);
    const reason = error instanceof Error ? error.message : String(error);
    throw new ChannelRetryLaterError('notify_network', maskSecrets(`${channel}: the answer was cut off (${reason})`, secrets), undefined);
  }
  const result: PostResult = { status: response.status, text };
  if (response.ok) return result;
  const summary = maskSecrets(`${channel}: HTTP ${response.status}: ${text.slice(0, 200)}`, secrets);
  if (response.status === 429) {
    const wait = options.retryAfterMs?.(result, response.headers) ?? retryAfterHeaderMs(response.headers);
    throw new ChannelRetryLaterError('notify_rate_limited', summary, wait);
  }
  if (response.status >= 500) throw new ChannelRetryLaterError('notify_unavailable', summary, retryAfterHeaderMs(response.headers));
  throw new FixRequestError('notify_rejected', summary);
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** We gave up on the request (Ctrl-C, the end of a run's delivery time); the service did not refuse it. */
function stopped(channel: string): ChannelRetryLaterError {
  return new ChannelRetryLaterError('notify_stopped', `${channel}: delivery stopped before the service answered`, undefined);
}

function causeOf(error: Error): string {
  const cause = error.cause;
  if (cause instanceof Error) return ` caused by ${cause.message}`;
  return '';
}
