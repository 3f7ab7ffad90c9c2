/**
 * The binary columnar cache of parsed bar files: one `.bars` file per (source file, options, file version).
 *
 * Layout, little-endian, every column 8-byte aligned so it is read with one read() into one ArrayBuffer and
 * viewed as Float64Arrays without copying:
 *
 *   0  "CNCLBARS"          8  u32 format version      12  u32 header length H (a multiple of 8)
 *   16 f64 rows            24 f64 timeframe ms        32  u32 flags (1: origins stored, 2: origins are records;
 *                                                         bits 8-15: a tag the writer chooses, e.g. the file format)
 *   36 u32 first origin    40 u32 key length K        44  u32 xxHash32 of the header with this field zeroed
 *   48 key (UTF-8, K bytes), zero padding to H
 *   H  ts, open, high, low, close, volume: rows float64 each; then origins (rows u32) when stored
 *
 * When a file's bars come from consecutive lines (no blank lines), the origins are `first + i` and not stored.
 * A file whose magic, version, size, key or header checksum does not match is treated as absent (and rewritten
 * by the loader); column contents are not checksummed (that would cost as much as reading them).
 */
import { open, rename, unlink, writeFile, mkdir } from 'node:fs/promises';
import { endianness } from 'node:os';
import type { InstrumentId } from '../../core/ids.js';
import type { BarSeries } from '../../data/bar-series.js';
import { xxhash32 } from '../../data/compression/xxhash32.js';
import type { SourcedBars } from '../../data/sourced-bars.js';

const MAGIC = 'CNCLBARS';
const FORMAT_VERSION = 1;
const FIXED_HEADER = 48;
const FLAG_ORIGINS_STORED = 1;
const FLAG_RECORDS = 2;

/** Whether this machine stores numbers little-endian (the cache is written and read natively). */
export const cacheSupported = endianness() === 'LE';

function padTo8(length: number): number {
  return Math.ceil(length / 8) * 8;
}

function contiguousOrigins(origins: Uint32Array): boolean {
  const first = origins[0] ?? 1;
  for (let i = 0; i < origins.length; i++) if (origins[i] !== first + i) return false;
  return true;
}

/** The cache file's bytes for `bars`, tagged with `key` (what the cache entry stands for). */
export function encodeBarsCache(bars: SourcedBars, key: string, tag = 0): Uint8Array {
  const { series, origins } = bars;
  const rows = series.length;
  const keyBytes = new TextEncoder().encode(key);
  const headerLength = padTo8(FIXED_HEADER + keyBytes.length);
  const storeOrigins = !contiguousOrigins(origins);
  const total = headerLength + rows * 48 + (storeOrigins ? rows * 4 : 0);
  const buffer = new ArrayBuffer(total);
  const bytes = new Uint8Array(buffer);
  const view = new DataView(buffer);
  for (let k = 0; k < MAGIC.length; k++) bytes[k] = MAGIC.charCodeAt(k);
  view.setUint32(8, FORMAT_VERSION, true);
  view.setUint32(12, headerLength, true);
  view.setFloat64(16, rows, true);
  view.setFloat64(24, series.timeframeMs, true);
  const flags = (storeOrigins ? FLAG_ORIGINS_STORED : 0) | (bars.originKind === 'record' ? FLAG_RECORDS : 0) | ((tag & 0xff) << 8);
  view.setUint32(32, flags, true);
  view.setUint32(36, origins[0] ?? 1, true);
  view.setUint32(40, keyBytes.length, true);
  bytes.set(keyBytes, FIXED_HEADER);
  view.setUint32(44, xxhash32(bytes, 0, 0, headerLength), true);
  const columns = [series.ts, series.open, series.high, series.low, series.close, series.volume];
  columns.forEach((column, k) => new Float64Array(buffer, headerLength + k * rows * 8, rows).set(column));
  if (storeOrigins) new Uint32Array(buffer, headerLength + rows * 48, rows).set(origins);
  return bytes;
}

export interface CachedBars {
  readonly bars: SourcedBars;
  readonly tag: number;
}

/** Bars from cache bytes (viewing, not copying, `buffer`), or undefined when the bytes are not a valid entry for `key`. */
export function decodeBarsCache(buffer: ArrayBuffer, key: string, source: string, instrumentId: InstrumentId): CachedBars | undefined {
  const bytes = new Uint8Array(buffer);
  if (bytes.length < FIXED_HEADER) return undefined;
  for (let k = 0; k < MAGIC.length; k++) if (bytes[k] !== MAGIC.charCodeAt(k)) return undefined;
  const view = new DataView(buffer);
  if (view.getUint32(8, true) !== FORMAT_VERSION) return undefined;
  const headerLength = view.getUint32(12, true);
  const rows = view.getFloat64(16, true);
  const timeframeMs = view.getFloat64(24, true);
  const flags = view.getUint32(32, true);
  const firstOrigin = view.getUint32(36, true);
  const keyLength = view.getUint32(40, true);
  const checksum = view.getUint32(44, true);
  if (headerLength % 8 !== 0 || headerLength < FIXED_HEADER + keyLength || headerLength > bytes.length) return undefined;
  if (!Number.isSafeInteger(rows) || rows < 0) return undefined;
  const storeOrigins = (flags & FLAG_ORIGINS_STORED) !== 0;
  if (bytes.length !== headerLength + rows * 48 + (storeOrigins ? rows * 4 : 0)) return undefined;
  const header = bytes.slice(0, headerLength);
  new DataView(header.buffer).setUint32(44, 0, true);
  if (xxhash32(header) !== checksum) return undefined;
  if (new TextDecoder().decode(bytes.subarray(FIXED_HEADER, FIXED_HEADER + keyLength)) !== key) return undefined;

  const columnAt = (k: number): Float64Array => new Float64Array(buffer, headerLength + k * rows * 8, rows);
  let origins: Uint32Array;
  if (storeOrigins) origins = new Uint32Array(buffer, headerLength + rows * 48, rows);
  else {
    origins = new Uint32Array(rows);
    for (let i = 0; i < rows; i++) origins[i] = firstOrigin + i;
  }
  const series: BarSeries = {
    instrumentId,
    timeframeMs,
    length: rows,
    ts: columnAt(0),
    open: columnAt(1),
    high: columnAt(2),
    low: columnAt(3),
    close: columnAt(4),
    volume: columnAt(5),
  };
  return { bars: { source, series, origins, originKind: (flags & FLAG_RECORDS) !== 0 ? 'record' : 'line' }, tag: (flags >>> 8) & 0xff };
}

/** The whole file in one read into a fresh (so 8-byte aligned) ArrayBuffer; undefined when it cannot be read. */
export async function readWholeFile(path: string): Promise<ArrayBuffer | undefined> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const { size } = await handle.stat();
    const buffer = new ArrayBuffer(size);
    const bytes = new Uint8Array(buffer);
    let offset = 0;
    while (offset < size) {
      const { bytesRead } = await handle.read(bytes, offset, size - offset, offset);
      if (bytesRead === 0) return undefined;
      offset += bytesRead;
    }
    return buffer;
  } catch {
    return undefined;
  } finally {
    await handle.close();
  }
}

let temporaryCounter = 0;

/** Writes a cache file atomically (a temporary file renamed into place), creating the directory. */
export async function writeCacheFile(path: string, directory: string, bytes: Uint8Array): Promise<void> {
  await mkdir(directory, { recursive: true });
  temporaryCounter += 1;
  const temporary = `${path}.${process.pid}-${temporaryCounter}.tmp`;
  try {
    await writeFile(temporary, bytes);
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}
