import { FixRequestError } from '../../src/core/errors.js';

/** Runs `fn` and returns the FixRequestError it throws; anything else (or nothing) fails the test. */
export function errorOf(fn: () => unknown): FixRequestError {
  try {
    fn();
  } catch (error) {
    if (error instanceof FixRequestError) return error;
    throw error;
  }
  throw new Error('expected a FixRequestError');
}
