/**
 * The two roots of infrastructure failure (DESIGN §7): a caller either has to fix what it asked for,
 * or it may try the same request again later. Expected outcomes (denials, rejections) are values, not errors.
 */
export abstract class ConclaveError extends Error {
  abstract readonly retryable: boolean;
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The request is wrong (bad input, unknown id, illegal state); retrying it unchanged fails again. */
export class FixRequestError extends ConclaveError {
  readonly retryable = false;
}

/**
 * The run cannot go on honestly (a replay asked for a model answer that was never recorded): it stops the run
 * instead of being isolated like an agent's own error.
 */
export class RunStoppingError extends FixRequestError {}

/** A transient failure (network, rate limit, venue busy); the same request may succeed later. */
export class RetryLaterError extends ConclaveError {
  readonly retryable = true;
}

/** An invariant of ours was broken: a bug. It stops the run; recovery is by replaying the journal. */
export class InvariantViolation extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvariantViolation';
  }
}

export function invariant(condition: unknown, message: string | (() => string)): asserts condition {
  if (!condition) throw new InvariantViolation(typeof message === 'string' ? message : message());
}
