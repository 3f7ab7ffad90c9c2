/**
 * LZ4 decompression, pure (no I/O): the block format and the frame format (magic 0x184D2204) as specified in
 * lz4's `lz4_Block_format.md` and `lz4_Frame_format.md`. Arrow IPC files written with LZ4_FRAME compression
 * (pandas/pyarrow `to_feather`, so freqtrade's `.feather` candles) hold one frame per buffer.
 *
 * Supported: concatenated frames, skippable frames, independent and linked blocks, uncompressed blocks, the
 * content size field, and every checksum (header, block, content), all of which are verified. Not supported:
 * frames that need an external dictionary (DictID) and the legacy frame format; both are refused by name.
 * Malformed input is a FixRequestError (code `lz4_corrupt` or `lz4_unsupported`), never a partial result.
 */
import { FixRequestError } from '../../core/errors.js';
import { xxhash32 } from './xxhash32.js';

const FRAME_MAGIC = 0x184d2204;
const LEGACY_MAGIC = 0x184c2102;
const SKIPPABLE_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;
const MIN_MATCH = 4;
const BLOCK_MAX_SIZES = [65_536, 262_144, 1_048_576, 4_194_304] as const;

function corrupt(message: string): FixRequestError {
  return new FixRequestError('lz4_corrupt', `corrupt LZ4 data: ${message}`);
}

function readUint32(bytes: Uint8Array, at: number): number {
  if (at + 4 > bytes.length) throw corrupt(`truncated at byte ${at}`);
  return ((bytes[at] as number) | ((bytes[at + 1] as number) << 8) | ((bytes[at + 2] as number) << 16) | ((bytes[at + 3] as number) << 24)) >>> 0;
}

/** An output buffer that grows by doubling; `length` bytes of it are written. */
class Output {
  bytes: Uint8Array;
  length = 0;

  constructor(capacity: number) {
    this.bytes = new Uint8Array(Math.max(64, capacity));
  }

  reserve(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.bytes.length) return;
    let capacity = this.bytes.length * 2;
    while (capacity < needed) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }
}

/**
 * Decodes one LZ4 block, src[srcStart, srcEnd), into dst from `dstStart`, writing at most up to `dstLimit`.
 * Matches may reach back to `historyStart` (earlier blocks of a linked frame). Returns the end of the output.
 */
function decodeBlock(
  src: Uint8Array,
  srcStart: number,
  srcEnd: number,
  dst: Uint8Array,
  dstStart: number,
  dstLimit: number,
  historyStart: number,
): number {
  let s = srcStart;
  let d = dstStart;
  while (s < srcEnd) {
    const token = src[s++] as number;
    let literals = token >>> 4;
    if (literals === 15) {
      let extra: number;
      do {
        if (s >= srcEnd) throw corrupt('literal length runs past the end of the block');
        extra = src[s++] as number;
        literals += extra;
      } while (extra === 255);
    }
    if (s + literals > srcEnd) throw corrupt('literals run past the end of the block');
    if (d + literals > dstLimit) throw corrupt('output larger than announced');
    if (literals > 16) {
      dst.set(src.subarray(s, s + literals), d);
      d += literals;
      s += literals;
    } else {
      for (let k = 0; k < literals; k++) dst[d++] = src[s++] as number;
    }
    if (s === srcEnd) break; // the last sequence carries literals only
    if (s + 2 > srcEnd) throw corrupt('match offset cut off');
    const offset = (src[s] as number) | ((src[s + 1] as number) << 8);
    s += 2;
    if (offset === 0) throw corrupt('match offset 0');
    if (d - offset < historyStart) throw corrupt(`match offset ${offset} reaches before the start of the data`);
    let matchLength = (token & 15) + MIN_MATCH;
    if ((token & 15) === 15) {
      let extra: number;
      do {
        if (s >= srcEnd) throw corrupt('match length runs past the end of the block');
        extra = src[s++] as number;
        matchLength += extra;
      } while (extra === 255);
    }
    if (d + matchLength > dstLimit) throw corrupt('output larger than announced');
    let from = d - offset;
    if (offset >= matchLength && matchLength > 32) {
      dst.copyWithin(d, from, from + matchLength);
      d += matchLength;
    } else {
      // Overlapping matches repeat the last `offset` bytes: copy forward one byte at a time.
      for (let k = 0; k < matchLength; k++) dst[d++] = dst[from++] as number;
    }
  }
  return d;
}

/** Decompresses a raw LZ4 block whose decompressed size is at most `maxOutputLength`. */
export function decompressLz4Block(block: Uint8Array, maxOutputLength: number): Uint8Array {
  const output = new Uint8Array(maxOutputLength);
  const end = decodeBlock(block, 0, block.length, output, 0, maxOutputLength, 0);
  return output.subarray(0, end);
}

/** Decompresses one or more concatenated LZ4 frames (skippable frames are skipped). */
export function decompressLz4Frame(input: Uint8Array): Uint8Array {
  const output = new Output(0);
  let at = 0;
  if (input.length === 0) throw corrupt('empty input, expected an LZ4 frame');
  while (at < input.length) {
    const magic = readUint32(input, at);
    if ((magic & SKIPPABLE_MASK) >>> 0 === SKIPPABLE_MAGIC) {
      at += 8 + readUint32(input, at + 4);
      if (at > input.length) throw corrupt('skippable frame runs past the end');
      continue;
    }
    if (magic === LEGACY_MAGIC) throw new FixRequestError('lz4_unsupported', 'the legacy LZ4 frame format is not supported');
    if (magic !== FRAME_MAGIC) throw corrupt(`bad magic number 0x${magic.toString(16)} at byte ${at}`);
    at = decodeFrame(input, at + 4, output);
  }
  return output.bytes.subarray(0, output.length);
}

/** Decodes the frame whose descriptor starts at `at` (just after the magic); returns where the frame ends. */
function decodeFrame(input: Uint8Array, start: number, output: Output): number {
  if (start + 3 > input.length) throw corrupt('frame descriptor cut off');
  const flags = input[start] as number;
  const blockDescriptor = input[start + 1] as number;
  if (flags >>> 6 !== 1) throw corrupt(`unknown frame version ${flags >>> 6}`);
  if ((flags & 0x02) !== 0 || (blockDescriptor & 0x8f) !== 0) throw corrupt('reserved bits set in the frame descriptor');
  const independentBlocks = (flags & 0x20) !== 0;
  const blockChecksums = (flags & 0x10) !== 0;
  const hasContentSize = (flags & 0x08) !== 0;
  const contentChecksum = (flags & 0x04) !== 0;
  const hasDictionary = (flags & 0x01) !== 0;
  const blockMaxSize = BLOCK_MAX_SIZES[((blockDescriptor >>> 4) & 7) - 4];
  if (blockMaxSize === undefined) throw corrupt(`invalid block maximum size code ${(blockDescriptor >>> 4) & 7}`);
  let at = start + 2;
  let contentSize = -1;
  if (hasContentSize) {
    const low = readUint32(input, at);
    const high = readUint32(input, at + 4);
    if (high > 0x1fffff) throw corrupt('content size beyond 2^53 bytes');
    contentSize = high * 0x1_0000_0000 + low;
    at += 8;
  }
  if (hasDictionary) {
    throw new FixRequestError('lz4_unsupported', 'this LZ4 frame needs an external dictionary, which is not supported');
  }
  if (at >= input.length) throw corrupt('frame descriptor cut off');
  const expectedHeaderChecksum = (xxhash32(input, 0, start, at) >>> 8) & 0xff;
  if (input[at] !== expectedHeaderChecksum) throw corrupt('frame header checksum mismatch');
  at += 1;

  const frameStart = output.length;
  if (contentSize >= 0) output.reserve(contentSize);
  for (;;) {
    const word = readUint32(input, at);
    at += 4;
    if (word === 0) break; // EndMark
    const stored = (word & 0x80000000) !== 0;
    const size = word & 0x7fffffff;
    if (size > blockMaxSize) throw corrupt(`block of ${size} bytes exceeds the frame's maximum of ${blockMaxSize}`);
    if (at + size > input.length) throw corrupt('block runs past the end of the input');
    if (blockChecksums) {
      if (xxhash32(input, 0, at, at + size) !== readUint32(input, at + size)) throw corrupt('block checksum mismatch');
    }
    output.reserve(blockMaxSize);
    if (stored) {
      output.bytes.set(input.subarray(at, at + size), output.length);
      output.length += size;
    } else {
      const historyStart = independentBlocks ? output.length : frameStart;
      output.length = decodeBlock(input, at, at + size, output.bytes, output.length, output.length + blockMaxSize, historyStart);
    }
    at += size + (blockChecksums ? 4 : 0);
  }
  if (contentChecksum) {
    if (xxhash32(output.bytes, 0, frameStart, output.length) !== readUint32(input, at)) throw corrupt('content checksum mismatch');
    at += 4;
  }
  if (contentSize >= 0 && output.length - frameStart !== contentSize) {
    throw corrupt(`frame announced ${contentSize} bytes but holds ${output.length - frameStart}`);
  }
  return at;
}
