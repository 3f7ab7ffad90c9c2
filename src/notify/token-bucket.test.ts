import { describe, expect, it } from 'vitest';
import type { UnixMs } from '../core/time.js';
import { TokenBucket } from './token-bucket.js';

const at = (ms: number): UnixMs => ms as UnixMs;

describe('TokenBucket', () => {
  it('allows a burst of capacity, then one per interval', () => {
    const bucket = new TokenBucket(2, 1_000, at(0));
    expect([bucket.tryTake(at(0)), bucket.tryTake(at(0)), bucket.tryTake(at(0))]).toEqual([true, true, false]);
    expect(bucket.nextTokenAt(at(400))).toBe(1_000);
    expect(bucket.tryTake(at(999))).toBe(false);
    expect(bucket.tryTake(at(1_000))).toBe(true);
    expect(bucket.nextTokenAt(at(1_500))).toBe(2_000);
  });

  it('never holds more than its capacity after a long quiet spell', () => {
    const bucket = new TokenBucket(2, 1_000, at(0));
    bucket.tryTake(at(0));
    expect([bucket.tryTake(at(60_000)), bucket.tryTake(at(60_000)), bucket.tryTake(at(60_000))]).toEqual([true, true, false]);
  });
});
