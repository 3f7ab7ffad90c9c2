import * as ccxt from 'ccxt';
import { describe, expect, it } from 'vitest';
import { FixRequestError, RetryLaterError } from '../../core/errors.js';
import { fromCcxtError } from './ccxt-errors.js';

const CONTEXT = 'binance BTC/USDT 1h';

describe('fromCcxtError', () => {
  it.each([
    [new ccxt.BadSymbol('binance does not have market symbol X/Y'), FixRequestError, 'unknown_symbol'],
    [new ccxt.BadRequest('-1120 Invalid interval.'), FixRequestError, 'bad_request'],
    [new ccxt.ArgumentsRequired('symbol required'), FixRequestError, 'bad_request'],
    [new ccxt.AuthenticationError('-2015'), FixRequestError, 'authentication_failed'],
    [new ccxt.PermissionDenied('no'), FixRequestError, 'authentication_failed'],
    [new ccxt.NotSupported('fetchOHLCV'), FixRequestError, 'not_supported'],
    [new ccxt.InsufficientFunds('poor'), FixRequestError, 'exchange_rejected'],
    [new ccxt.RateLimitExceeded('-1003'), RetryLaterError, 'rate_limited'],
    [new ccxt.DDoSProtection('418'), RetryLaterError, 'rate_limited'],
    [new ccxt.OnMaintenance('upgrade'), RetryLaterError, 'exchange_maintenance'],
    [new ccxt.ExchangeNotAvailable('503'), RetryLaterError, 'exchange_unavailable'],
    [new ccxt.RequestTimeout('10000 ms'), RetryLaterError, 'timeout'],
    [new ccxt.InvalidNonce('clock skew'), RetryLaterError, 'network_error'],
    [new ccxt.NetworkError('ECONNRESET'), RetryLaterError, 'network_error'],
    [new ccxt.BadResponse('<html>'), RetryLaterError, 'exchange_failed'],
    [new ccxt.OperationFailed('-1001'), RetryLaterError, 'exchange_failed'],
  ])('maps %s by its class', (error, root, code) => {
    const mapped = fromCcxtError(error, CONTEXT);
    expect(mapped).toBeInstanceOf(root);
    expect((mapped as FixRequestError).code).toBe(code);
    expect((mapped as FixRequestError).message.startsWith(`${CONTEXT}: `)).toBe(true);
    expect((mapped as FixRequestError).cause).toBe(error);
  });

  it('ignores the message: a rate-limit class with "invalid symbol" text is still a rate limit', () => {
    const mapped = fromCcxtError(new ccxt.RateLimitExceeded('Invalid symbol.'), CONTEXT);
    expect(mapped).toBeInstanceOf(RetryLaterError);
  });

  it('passes our own errors and non-ccxt errors through untouched', () => {
    const ours = new FixRequestError('x', 'y');
    const bug = new TypeError('undefined is not a function');
    expect(fromCcxtError(ours, CONTEXT)).toBe(ours);
    expect(fromCcxtError(bug, CONTEXT)).toBe(bug);
  });

  it('shortens a long exchange message', () => {
    const mapped = fromCcxtError(new ccxt.ExchangeError('x'.repeat(1_000)), CONTEXT) as FixRequestError;
    expect(mapped.message.length).toBeLessThan(420);
    expect(mapped.message).toContain('...');
  });
});
