import { RetryLaterError } from '../../core/errors.js';

export type Sleep = (ms: number) => Promise<void>;

/** Wall-clock sleep: the default outside tests. */
export const wallSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export interface RetryPolicy {
  /** Attempts in all, the first included (default 5). */
  readonly maxAttempts: number;
  /** Delay before the second attempt; doubles each time (default 1s). */
  readonly initialDelayMs: number;
  /** Ceiling on one delay (default 30s). A server asking for a longer wait fails the request at once instead. */
  readonly maxDelayMs: number;
  readonly sleep: Sleep;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, initialDelayMs: 1_000, maxDelayMs: 30_000, sleep: wallSleep };

export interface RetryNotice {
  /** The attempt that failed (1-based). */
  readonly attempt: number;
  readonly delayMs: number;
  readonly error: RetryLaterError;
}

export interface RetryHooks {
  /** Our error for whatever `operation` threw. */
  readonly classify: (error: unknown) => unknown;
  /** How long the server asked us to wait after the last failure (e.g. Retry-After), if it said. */
  readonly serverDelayMs?: () => number | undefined;
  readonly onRetry?: (notice: RetryNotice) => void;
}

/**
 * Runs `operation` until it succeeds, retrying only RetryLaterErrors with exponential backoff (1s, 2s, 4s ...
 * capped), or longer when the server asked for longer. Gives up with a RetryLaterError after `maxAttempts`;
 * any other error is thrown at once.
 */
export async function withRetry<T>(operation: (attempt: number) => Promise<T>, policy: RetryPolicy, hooks: RetryHooks): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (raw) {
      const error = hooks.classify(raw);
      if (!(error instanceof RetryLaterError)) throw error;
      if (attempt >= policy.maxAttempts) {
        throw new RetryLaterError(error.code, `${error.message}; gave up after ${attempt} attempts`, { cause: error.cause ?? error });
      }
      const backoff = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1));
      const asked = hooks.serverDelayMs?.();
      if (asked !== undefined && asked > policy.maxDelayMs) {
        throw new RetryLaterError(error.code, `${error.message}; the exchange asks us to wait ${Math.ceil(asked / 1000)}s`, { cause: error.cause ?? error });
      }
      const delayMs = Math.max(backoff, asked ?? 0);
      hooks.onRetry?.({ attempt, delayMs, error });
      await policy.sleep(delayMs);
    }
  }
}
