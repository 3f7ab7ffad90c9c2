/**
 * Turns what an LLM SDK throws into our LlmProviderError (DESIGN §7): whether a call may succeed later is read from a
 * table of HTTP statuses and from the SDK's error classes, never from message text, whose wording the vendors change.
 */
import {
  APIConnectionError as AnthropicConnectionError,
  APIConnectionTimeoutError as AnthropicTimeoutError,
  APIError as AnthropicApiError,
  APIUserAbortError as AnthropicAbortError,
} from '@anthropic-ai/sdk';
import {
  APIConnectionError as OpenAiConnectionError,
  APIConnectionTimeoutError as OpenAiTimeoutError,
  APIError as OpenAiApiError,
  APIUserAbortError as OpenAiAbortError,
} from 'openai';
import { LlmProviderError } from '../../llm/provider.js';

export type ProviderName = 'anthropic' | 'openai';

/**
 * Statuses with a known meaning. A 4xx not listed is a request to fix; any 5xx (Anthropic's 529 overloaded
 * included) is the provider's trouble and may pass.
 */
const RETRYABLE_BY_STATUS: ReadonlyMap<number, boolean> = new Map([
  [400, false],
  [401, false],
  [403, false],
  [404, false],
  [408, true],
  [409, true],
  [413, false],
  [422, false],
  [429, true],
]);

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_BY_STATUS.get(status) ?? status >= 500;
}

/** What went wrong, in words shared by both SDKs. */
type Failure =
  | { readonly kind: 'status'; readonly status: number; readonly providerMessage: string }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'connection'; readonly detail: string }
  | { readonly kind: 'aborted' }
  | { readonly kind: 'other'; readonly detail: string };

/** Maps anything a provider call threw; an LlmProviderError passes through unchanged. */
export function toLlmProviderError(provider: ProviderName, error: unknown): LlmProviderError {
  if (error instanceof LlmProviderError) return error;
  const failure = provider === 'anthropic' ? anthropicFailure(error) : openAiFailure(error);
  const mapped = fromFailure(provider, failure);
  // The port's constructor takes no options; the SDK error stays reachable for logs and debugging.
  mapped.cause = error;
  return mapped;
}

function fromFailure(provider: ProviderName, failure: Failure): LlmProviderError {
  switch (failure.kind) {
    case 'status':
      return new LlmProviderError(
        `${provider}: HTTP ${failure.status}: ${failure.providerMessage}`,
        isRetryableStatus(failure.status),
        failure.status,
      );
    case 'timeout':
      return new LlmProviderError(`${provider}: the request timed out (no HTTP status)`, true);
    case 'connection':
      return new LlmProviderError(`${provider}: connection failed (no HTTP status): ${failure.detail}`, true);
    case 'aborted':
      return new LlmProviderError(`${provider}: the request was aborted by the caller`, false);
    case 'other':
      return new LlmProviderError(`${provider}: ${failure.detail}`, false);
  }
}

function anthropicFailure(error: unknown): Failure {
  // Order matters: the timeout and abort classes are subclasses of the connection/API error classes.
  if (error instanceof AnthropicTimeoutError) return { kind: 'timeout' };
  if (error instanceof AnthropicAbortError) return { kind: 'aborted' };
  if (error instanceof AnthropicConnectionError) return { kind: 'connection', detail: causeText(error) };
  if (error instanceof AnthropicApiError && typeof error.status === 'number') {
    return { kind: 'status', status: error.status, providerMessage: error.apiMessage ?? error.message };
  }
  return { kind: 'other', detail: describe(error) };
}

function openAiFailure(error: unknown): Failure {
  if (error instanceof OpenAiTimeoutError) return { kind: 'timeout' };
  if (error instanceof OpenAiAbortError) return { kind: 'aborted' };
  if (error instanceof OpenAiConnectionError) return { kind: 'connection', detail: causeText(error) };
  if (error instanceof OpenAiApiError && typeof error.status === 'number') {
    return { kind: 'status', status: error.status, providerMessage: openAiMessage(error) };
  }
  return { kind: 'other', detail: describe(error) };
}

/** The OpenAI SDK keeps the body's `error` object; its `message` is the server's own words. */
function openAiMessage(error: OpenAiApiError): string {
  const body = error.error as { message?: unknown } | undefined;
  return typeof body?.message === 'string' ? body.message : error.message;
}

function causeText(error: Error): string {
  return error.cause instanceof Error ? `${error.message} (${error.cause.message})` : error.message;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
