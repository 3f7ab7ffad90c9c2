/**
 * A trial that failed, named by its index and parameters, under the two error roots (DESIGN §7): a bad parameter
 * set or a bug fails the same way again (TrialFailedError, a FixRequestError); a worker that died underneath it
 * may succeed on a second try (TrialInterruptedError, a RetryLaterError).
 */
import { ConclaveError, FixRequestError, RetryLaterError } from '../../core/errors.js';
import type { StrategyParameters } from '../../strategies/strategy.js';

/** What is known of an error once it has crossed a thread boundary. */
export interface TrialFailure {
  readonly code: string;
  readonly message: string;
  readonly retryable: boolean;
}

export class TrialFailedError extends FixRequestError {
  constructor(
    readonly trialIndex: number,
    readonly params: StrategyParameters,
    code: string,
    message: string,
  ) {
    super(code, `trial ${trialIndex} (${describeParameters(params)}): ${message}`);
  }
}

export class TrialInterruptedError extends RetryLaterError {
  constructor(
    readonly trialIndex: number,
    readonly params: StrategyParameters,
    code: string,
    message: string,
  ) {
    super(code, `trial ${trialIndex} (${describeParameters(params)}): ${message}`);
  }
}

/** The plain facts of an error thrown while running a trial (anything not ours counts as a bug: not retryable). */
export function failureOf(error: unknown): TrialFailure {
  if (error instanceof ConclaveError) return { code: error.code, message: error.message, retryable: error.retryable };
  if (error instanceof Error) return { code: 'trial_failed', message: `${error.name}: ${error.message}`, retryable: false };
  return { code: 'trial_failed', message: String(error), retryable: false };
}

export function trialError(trialIndex: number, params: StrategyParameters, failure: TrialFailure): TrialFailedError | TrialInterruptedError {
  return failure.retryable
    ? new TrialInterruptedError(trialIndex, params, failure.code, failure.message)
    : new TrialFailedError(trialIndex, params, failure.code, failure.message);
}

/** `fast=5, slow=20` */
export function describeParameters(params: StrategyParameters): string {
  return Object.entries(params)
    .map(([name, value]) => `${name}=${value}`)
    .join(', ');
}
