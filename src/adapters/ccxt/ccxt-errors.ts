import * as ccxt from 'ccxt';
import { ConclaveError, FixRequestError, RetryLaterError } from '../../core/errors.js';

type ErrorClass = abstract new (...args: never[]) => Error;

interface ErrorRule {
  readonly type: ErrorClass;
  readonly retryable: boolean;
  readonly code: string;
  readonly meaning: string;
}

/**
 * ccxt's error classes mapped to our two roots (DESIGN §7), by class and never by message text. The first rule
 * whose class the error is an instance of wins, so subclasses come before their parents (BadSymbol before
 * BadRequest before ExchangeError; RateLimitExceeded before NetworkError before OperationFailed).
 */
export const CCXT_ERROR_RULES: readonly ErrorRule[] = [
  { type: ccxt.BadSymbol, retryable: false, code: 'unknown_symbol', meaning: 'the exchange has no such market' },
  { type: ccxt.AuthenticationError, retryable: false, code: 'authentication_failed', meaning: 'the credentials were refused' },
  { type: ccxt.NotSupported, retryable: false, code: 'not_supported', meaning: 'the exchange does not support this' },
  { type: ccxt.ArgumentsRequired, retryable: false, code: 'bad_request', meaning: 'a required argument is missing' },
  { type: ccxt.BadRequest, retryable: false, code: 'bad_request', meaning: 'the exchange rejected the request' },
  { type: ccxt.RateLimitExceeded, retryable: true, code: 'rate_limited', meaning: 'rate limit exceeded' },
  { type: ccxt.DDoSProtection, retryable: true, code: 'rate_limited', meaning: 'throttled by the exchange (HTTP 418/429)' },
  { type: ccxt.OnMaintenance, retryable: true, code: 'exchange_maintenance', meaning: 'the exchange is in maintenance' },
  { type: ccxt.ExchangeNotAvailable, retryable: true, code: 'exchange_unavailable', meaning: 'the exchange is unavailable' },
  { type: ccxt.RequestTimeout, retryable: true, code: 'timeout', meaning: 'the request timed out' },
  { type: ccxt.NetworkError, retryable: true, code: 'network_error', meaning: 'network error' },
  { type: ccxt.OperationFailed, retryable: true, code: 'exchange_failed', meaning: 'the exchange failed to answer properly' },
  { type: ccxt.ExchangeError, retryable: false, code: 'exchange_rejected', meaning: 'the exchange refused the request' },
  { type: ccxt.BaseError, retryable: false, code: 'exchange_error', meaning: 'ccxt error' },
];

const MAX_DETAIL = 300;

/**
 * Our error for a ccxt error, its message starting with `context` (e.g. "binance BTC/USDT 1h"); the ccxt error is
 * kept as the cause. Our own errors pass through; anything else (a bug, not an exchange failure) is returned as is.
 */
export function fromCcxtError(error: unknown, context: string): unknown {
  if (error instanceof ConclaveError) return error;
  const rule = CCXT_ERROR_RULES.find((candidate) => error instanceof candidate.type);
  if (rule === undefined || !(error instanceof Error)) return error;
  const detail = error.message.length > MAX_DETAIL ? `${error.message.slice(0, MAX_DETAIL)}...` : error.message;
  const message = `${context}: ${rule.meaning} (${error.constructor.name}: ${detail})`;
  return rule.retryable ? new RetryLaterError(rule.code, message, { cause: error }) : new FixRequestError(rule.code, message, { cause: error });
}
