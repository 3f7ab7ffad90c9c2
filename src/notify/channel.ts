import { RetryLaterError } from '../core/errors.js';
import type { Notification } from './notification.js';

/**
 * Where notifications go. `send` resolves once the service accepted the message; it rejects with a
 * RetryLaterError (the dispatcher tries again with backoff) or a FixRequestError (it gives up). When `signal`
 * aborts (Ctrl-C, the end of a run's delivery time) a request still waiting for its answer is given up at once.
 */
export interface ChannelPort {
  readonly name: string;
  send(notification: Notification, signal?: AbortSignal): Promise<void>;
  /** Whether the channel wants this notification at all (its minimum severity); asked before it is queued. */
  accepts?(notification: Notification): boolean;
  /** A channel on this machine (the console, a file): no service to spare, so no rate limit and nothing collapsed. */
  readonly local?: boolean;
}

/** A transient channel failure that knows when the service wants to hear from us again (429 Retry-After). */
export class ChannelRetryLaterError extends RetryLaterError {
  constructor(
    code: string,
    message: string,
    /** How long the service asked us to wait, when it said; undefined leaves the delay to the backoff. */
    readonly retryAfterMs: number | undefined,
  ) {
    super(code, message);
  }
}
