import { describe, expect, it } from 'vitest';
import { ConclaveError, FixRequestError, InvariantViolation, RetryLaterError, invariant } from './errors.js';
import { err, ok, unwrap } from './result.js';
import type { Result } from './result.js';

describe('Result', () => {
  it('ok and err build the two arms', () => {
    const good: Result<number, string> = ok(3);
    const bad: Result<number, string> = err('nope');
    expect(good).toEqual({ ok: true, value: 3 });
    expect(bad).toEqual({ ok: false, error: 'nope' });
  });

  it('unwrap returns the value, rethrows an Error as is, and wraps anything else', () => {
    expect(unwrap(ok('x'))).toBe('x');
    const failure = new RetryLaterError('rate_limited', 'slow down');
    expect(() => unwrap(err(failure))).toThrow(failure);
    expect(() => unwrap(err('plain text'))).toThrow(new Error('plain text'));
  });
});

describe('errors', () => {
  it('FixRequestError and RetryLaterError carry a code, a name and whether to retry', () => {
    const fix = new FixRequestError('bad_input', 'fix it');
    const retry = new RetryLaterError('busy', 'later', { cause: fix });
    expect(fix).toBeInstanceOf(ConclaveError);
    expect([fix.name, fix.code, fix.retryable, fix.message]).toEqual(['FixRequestError', 'bad_input', false, 'fix it']);
    expect([retry.name, retry.code, retry.retryable, retry.cause]).toEqual(['RetryLaterError', 'busy', true, fix]);
  });

  it('invariant throws InvariantViolation with a literal or lazy message', () => {
    expect(() => invariant(true, 'fine')).not.toThrow();
    expect(() => invariant(0, 'zero is falsy')).toThrow(InvariantViolation);
    expect(() => invariant(undefined, () => `lazy ${1 + 1}`)).toThrow('lazy 2');
    let caught: unknown;
    try {
      invariant(false, 'x');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvariantViolation);
    expect((caught as Error).name).toBe('InvariantViolation');
  });
});
