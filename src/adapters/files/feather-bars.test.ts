import { compressionRegistry, CompressionType, Float64, Int64, Table, tableToIPC, TimestampNanosecond, vectorFromArray, type Vector } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { instrumentId } from '../../core/ids.js';
import { decompressLz4Frame } from '../../data/compression/lz4.js';
import { xxhash32 } from '../../data/compression/xxhash32.js';
import { DataFileError } from '../../data/data-file-error.js';
import { parseFeatherBars } from './feather-bars.js';

const ID = instrumentId('TEST:ETH/BTC');
const T0 = 1_515_560_100_000;
const N = 400;

/**
 * A test-only LZ4 frame encoder (one block per 64 KB, independent blocks): at each position it tries a few short
 * periods (1, 2, 4, 8, 16 bytes back) and takes the longest match, which is enough to shrink regular columns.
 */
function encodeFrame(input: Uint8Array): Uint8Array {
  const out: number[] = [0x04, 0x22, 0x4d, 0x18, 0x60, 0x40, (xxhash32(Uint8Array.from([0x60, 0x40])) >>> 8) & 0xff];
  const lengthBytes = (length: number): number[] => {
    const bytes: number[] = [];
    let rest = length;
    for (; rest >= 255; rest -= 255) bytes.push(255);
    bytes.push(rest);
    return bytes;
  };
  for (let start = 0; start < input.length; start += 65_536) {
    const end = Math.min(input.length, start + 65_536);
    const block: number[] = [];
    let anchor = start;
    let i = start;
    while (i < end - 12) {
      let bestLength = 0;
      let bestOffset = 0;
      for (const offset of [1, 2, 4, 8, 16]) {
        if (i - offset < start) continue;
        let length = 0;
        while (i + length < end - 5 && input[i + length] === input[i + length - offset]) length++;
        if (length > bestLength) [bestLength, bestOffset] = [length, offset];
      }
      if (bestLength < 4) {
        i++;
        continue;
      }
      const literals = i - anchor;
      block.push((Math.min(literals, 15) << 4) | Math.min(bestLength - 4, 15));
      if (literals >= 15) block.push(...lengthBytes(literals - 15));
      for (let k = anchor; k < i; k++) block.push(input[k] as number);
      block.push(bestOffset, 0);
      if (bestLength - 4 >= 15) block.push(...lengthBytes(bestLength - 4 - 15));
      i += bestLength;
      anchor = i;
    }
    const literals = end - anchor;
    block.push(Math.min(literals, 15) << 4);
    if (literals >= 15) block.push(...lengthBytes(literals - 15));
    for (let k = anchor; k < end; k++) block.push(input[k] as number);
    out.push(block.length & 0xff, (block.length >>> 8) & 0xff, (block.length >>> 16) & 0xff, block.length >>> 24, ...block);
  }
  out.push(0, 0, 0, 0);
  return Uint8Array.from(out);
}

function candleTable(columns: Record<string, Vector>): Table {
  return new Table(columns);
}

const times = Array.from({ length: N }, (_, i) => T0 + i * 300_000);
const prices = (base: number, length = N) => vectorFromArray(Array.from({ length }, (_, i) => base + (i % 4) * 0.25), new Float64());

function featherError(bytes: Uint8Array): DataFileError {
  try {
    parseFeatherBars(bytes, { instrumentId: ID, source: 'x.feather' });
  } catch (error) {
    if (error instanceof DataFileError) return error;
    throw error;
  }
  throw new Error('expected a DataFileError');
}

describe('feather candles', () => {
  it('reads an LZ4_FRAME-compressed file through our decoder, with nanosecond dates as ms', () => {
    compressionRegistry.set(CompressionType.LZ4_FRAME, { encode: encodeFrame, decode: decompressLz4Frame });
    const table = candleTable({
      date: vectorFromArray(times, new TimestampNanosecond()),
      open: prices(10),
      high: prices(11),
      low: prices(9),
      close: prices(10.5),
      volume: vectorFromArray(Array.from({ length: N }, () => 0), new Float64()),
    });
    const bytes = tableToIPC(table, 'file', CompressionType.LZ4_FRAME);
    const magicAt = Buffer.from(bytes).indexOf(Buffer.from([0x04, 0x22, 0x4d, 0x18]));
    expect(magicAt).toBeGreaterThan(0);
    const bars = parseFeatherBars(bytes, { instrumentId: ID, source: 'x.feather' });
    expect(bars.series.length).toBe(N);
    expect([...bars.series.ts]).toEqual(times);
    expect([...bars.series.high]).toEqual(Array.from({ length: N }, (_, i) => 11 + (i % 4) * 0.25));
    expect(bars.series.timeframeMs).toBe(300_000);
    expect([bars.originKind, bars.origins[0], bars.origins[N - 1]]).toEqual(['record', 1, N]);
  });

  it('reads a null or NaN volume as 0', () => {
    const table = candleTable({
      date: vectorFromArray(times.slice(0, 3), new TimestampNanosecond()),
      open: prices(1, 3),
      high: prices(2, 3),
      low: prices(0.5, 3),
      close: prices(1, 3),
      volume: vectorFromArray([Number.NaN, null, 7], new Float64()),
    });
    expect([...parseFeatherBars(tableToIPC(table, 'file'), { instrumentId: ID }).series.volume]).toEqual([0, 0, 7]);
  });

  it('reads an uncompressed file with int64 epoch-ms dates under another name, nulls as NaN, volume absent as 0', () => {
    const table = candleTable({
      Timestamp: vectorFromArray(times.slice(0, 3).map(BigInt), new Int64()),
      Open: vectorFromArray([1, null, 3], new Float64()),
      High: vectorFromArray([2, 2, 4], new Float64()),
      Low: vectorFromArray([0.5, 0.5, 2], new Float64()),
      Close: vectorFromArray([1.5, 1.5, 3.5], new Float64()),
    });
    const bars = parseFeatherBars(tableToIPC(table, 'file'), { instrumentId: ID, timeframeMs: 300_000 });
    expect([...bars.series.ts]).toEqual(times.slice(0, 3));
    expect([...bars.series.open]).toEqual([1, Number.NaN, 3]);
    expect([...bars.series.volume]).toEqual([0, 0, 0]);
    expect(bars.source).toBe('feather');
  });

  it('names a missing column and refuses bytes that are not Arrow', () => {
    const noClose = candleTable({ date: vectorFromArray(times.slice(0, 2), new TimestampNanosecond()), open: prices(1, 2), high: prices(1, 2), low: prices(1, 2) });
    const missing = featherError(tableToIPC(noClose, 'file'));
    expect(missing.code).toBe('feather_bad_layout');
    expect(missing.message).toBe('x.feather: no close column among date, open, high, low');
    expect(featherError(new TextEncoder().encode('timestamp,open\n')).code).toBe('feather_invalid');
  });

  it('says garbage or an empty file is not a feather file, rather than listing no columns', () => {
    const garbage = featherError(new TextEncoder().encode('garbage'));
    expect([garbage.code, garbage.message]).toEqual(['feather_invalid', 'x.feather: not an Arrow IPC (feather) file: no Arrow schema or columns in it']);
    const empty = featherError(new Uint8Array(0));
    expect([empty.code, empty.message]).toEqual(['feather_invalid', 'x.feather: not an Arrow IPC (feather) file: it is empty']);
  });

  it('names the record whose time is null', () => {
    const table = candleTable({ date: vectorFromArray([T0, null], new TimestampNanosecond()), open: prices(1, 2), high: prices(1, 2), low: prices(1, 2), close: prices(1, 2) });
    const error = featherError(tableToIPC(table, 'file'));
    expect([error.code, error.line]).toEqual(['feather_bad_record', 2]);
  });
});
