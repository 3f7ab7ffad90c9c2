import { describe, expect, it } from 'vitest';
import { maskSecrets, retryAfterHeaderMs } from './http-post.js';

describe('maskSecrets', () => {
  it('masks every occurrence, the longer secret whole', () => {
    expect(maskSecrets('https://x/hook/abc/abcdef and abc', ['abc', 'https://x/hook/abc/abcdef'])).toBe('*** and ***');
  });

  it('ignores empty secrets', () => {
    expect(maskSecrets('plain', [''])).toBe('plain');
  });
});

describe('retryAfterHeaderMs', () => {
  it('reads seconds, fractional included', () => {
    expect(retryAfterHeaderMs(new Headers({ 'retry-after': '2.5' }))).toBe(2_500);
    expect(retryAfterHeaderMs(new Headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(retryAfterHeaderMs(new Headers())).toBeUndefined();
  });
});
