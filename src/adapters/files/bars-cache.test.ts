import { describe, expect, it } from 'vitest';
import { instrumentId } from '../../core/ids.js';
import type { SourcedBars } from '../../data/sourced-bars.js';
import { decodeBarsCache, encodeBarsCache } from './bars-cache.js';

const ID = instrumentId('TEST:BTC/USDT');

function bars(origins: readonly number[], originKind: 'line' | 'record' = 'line'): SourcedBars {
  const n = origins.length;
  const column = (offset: number) => Float64Array.from({ length: n }, (_, i) => offset + i / 8);
  return {
    source: 'a.csv',
    series: { instrumentId: ID, timeframeMs: 60_000, length: n, ts: Float64Array.from({ length: n }, (_, i) => 1_700_000_000_000 + i * 60_000), open: column(1), high: column(2), low: column(0.5), close: column(1.5), volume: column(9) },
    origins: Uint32Array.from(origins),
    originKind,
  };
}

/** A copy of the bytes in a fresh ArrayBuffer, as a single read gives it. */
function fresh(bytes: Uint8Array): ArrayBuffer {
  const buffer = new ArrayBuffer(bytes.length);
  new Uint8Array(buffer).set(bytes);
  return buffer;
}

describe('the .bars cache format', () => {
  it('round-trips columns, timeframe and consecutive origins (not stored)', () => {
    const original = bars([2, 3, 4, 5]);
    const bytes = encodeBarsCache(original, 'key-1', 2);
    expect(bytes.length).toBe(48 + 8 + 4 * 48);
    const decoded = decodeBarsCache(fresh(bytes), 'key-1', 'other-name.csv', ID);
    expect(decoded?.tag).toBe(2);
    expect(decoded?.bars.source).toBe('other-name.csv');
    expect(decoded?.bars.series).toEqual(original.series);
    expect([...(decoded?.bars.origins ?? [])]).toEqual([2, 3, 4, 5]);
    expect(decoded?.bars.originKind).toBe('line');
  });

  it('stores origins with holes (blank lines) and the record kind', () => {
    const original = bars([1, 2, 5, 9], 'record');
    const decoded = decodeBarsCache(fresh(encodeBarsCache(original, 'k')), 'k', 'a.csv', ID);
    expect([...(decoded?.bars.origins ?? [])]).toEqual([1, 2, 5, 9]);
    expect(decoded?.bars.originKind).toBe('record');
  });

  it('views the columns in the buffer it was given, without copying', () => {
    const buffer = fresh(encodeBarsCache(bars([1, 2, 3]), 'k'));
    expect(decodeBarsCache(buffer, 'k', 'a.csv', ID)?.bars.series.close.buffer).toBe(buffer);
  });

  it('reads an empty series', () => {
    expect(decodeBarsCache(fresh(encodeBarsCache(bars([]), 'k')), 'k', 'a.csv', ID)?.bars.series.length).toBe(0);
  });

  it('rejects another key, a truncated or extended file, a damaged header and a foreign file', () => {
    const bytes = encodeBarsCache(bars([1, 2, 3]), 'key');
    expect(decodeBarsCache(fresh(bytes), 'other key', 'a.csv', ID)).toBeUndefined();
    expect(decodeBarsCache(fresh(bytes.subarray(0, bytes.length - 1)), 'key', 'a.csv', ID)).toBeUndefined();
    expect(decodeBarsCache(fresh(Uint8Array.from([...bytes, 0])), 'key', 'a.csv', ID)).toBeUndefined();
    for (const offset of [0, 8, 16, 24, 33, 36, 44, 50]) {
      const damaged = Uint8Array.from(bytes);
      damaged[offset] = (damaged[offset] as number) ^ 0x10;
      expect(decodeBarsCache(fresh(damaged), 'key', 'a.csv', ID), `byte ${offset}`).toBeUndefined();
    }
    expect(decodeBarsCache(fresh(new TextEncoder().encode('timestamp,open,high,low,close,volume\n')), 'key', 'a.csv', ID)).toBeUndefined();
    expect(decodeBarsCache(new ArrayBuffer(0), 'key', 'a.csv', ID)).toBeUndefined();
  });
});
