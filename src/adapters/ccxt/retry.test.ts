import { describe, expect, it } from 'vitest';
import { FixRequestError, RetryLaterError } from '../../core/errors.js';
import { withRetry, type RetryPolicy } from './retry.js';

function policy(sleeps: number[], maxAttempts = 5): RetryPolicy {
  return {
    maxAttempts,
    initialDelayMs: 1_000,
    maxDelayMs: 5_000,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  };
}

const passThrough = { classify: (error: unknown) => error };

describe('withRetry', () => {
  it('backs off exponentially up to the ceiling, then succeeds', async () => {
    const sleeps: number[] = [];
    const result = await withRetry(
      async (attempt) => {
        if (attempt < 5) throw new RetryLaterError('busy', 'busy');
        return attempt;
      },
      policy(sleeps),
      passThrough,
    );
    expect(result).toBe(5);
    expect(sleeps).toEqual([1_000, 2_000, 4_000, 5_000]);
  });

  it('gives up after the last attempt with a RetryLaterError keeping the code', async () => {
    const sleeps: number[] = [];
    let attempts = 0;
    const run = withRetry(
      async () => {
        attempts += 1;
        throw new RetryLaterError('timeout', 'slow');
      },
      policy(sleeps, 3),
      passThrough,
    );
    await expect(run).rejects.toThrow('slow; gave up after 3 attempts');
    await expect(run).rejects.toMatchObject({ code: 'timeout', retryable: true });
    expect(attempts).toBe(3);
    expect(sleeps).toEqual([1_000, 2_000]);
  });

  it('never retries what has to be fixed', async () => {
    const sleeps: number[] = [];
    let attempts = 0;
    const run = withRetry(
      async () => {
        attempts += 1;
        throw new FixRequestError('unknown_symbol', 'no such market');
      },
      policy(sleeps),
      passThrough,
    );
    await expect(run).rejects.toBeInstanceOf(FixRequestError);
    expect(attempts).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it('waits as long as the server asks when that is longer, and fails at once when it is too long', async () => {
    const sleeps: number[] = [];
    let asked = 2_500;
    const run = withRetry(
      async (attempt) => {
        if (attempt === 2) asked = 60_000;
        throw new RetryLaterError('rate_limited', '429');
      },
      policy(sleeps),
      { classify: (error) => error, serverDelayMs: () => asked },
    );
    await expect(run).rejects.toThrow('429; the exchange asks us to wait 60s');
    expect(sleeps).toEqual([2_500]);
  });
});
