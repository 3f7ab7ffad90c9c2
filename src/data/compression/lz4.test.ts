import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FixRequestError } from '../../core/errors.js';
import { decompressLz4Block, decompressLz4Frame } from './lz4.js';
import { xxhash32 } from './xxhash32.js';

const hex = (text: string): Uint8Array => Uint8Array.from(text.match(/../g) ?? [], (pair) => Number.parseInt(pair, 16));
const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);
const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

function errorCode(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof FixRequestError) return error.code;
    throw error;
  }
  throw new Error('expected a FixRequestError');
}

// Frames made by the reference tool: printf 'hello hello hello hello hello hello, lz4!' | lz4 -c [flags] (lz4 v1.9.4).
const HELLO = 'hello hello hello hello hello hello, lz4!';
const HELLO_DEFAULT = '04224d186440a7110000006f68656c6c6f2006000a602c206c7a342100000000503fd9fc';
const HELLO_CONTENT_SIZE_BLOCK_CHECKSUM =
  '04224d187c40290000000000000047110000006f68656c6c6f2006000a602c206c7a3421a6d1235200000000503fd9fc';
const HELLO_NO_CONTENT_CHECKSUM = '04224d18604082110000006f68656c6c6f2006000a602c206c7a342100000000';

// 300,300 bytes in 64 KB blocks (see bigText): lz4 -c -B4 -BD (linked blocks) and -B4 -BI -BX --content-size.
const LINKED_FRAME_BASE64 =
  "BCJNGERAXpMBAAD/DWFaaG92Y2pxeGVsc3pnbnViaXB3ZGtyeWZtdGEaAP///74fWt0D////zAjcAx9augf////ACN0DCNwDH1obAAcPGgD///" +
  "++Glr4Aw/dA////74I3AMfWt0D////zAjcAxpa+AMIGwAPGgD///++H1rdA////8wI3AMfWroH////wAjdAwjcAx9aGwAHDxoA////vhpa+AMP" +
  "3QP///++CNwDH1rdA////8wI3AMaWvgDCBsADxoA////vg/VMv////////////////////////////////////////////////////////////" +
  "//////////////////////////////////////////////////////////////////////////////////////////////////////////////" +
  "///////////////////////////////////////////////////////////////////////////////////////////////////////fUGZtdG" +
  "FoDgEAAA8F0f//Ag8p/v//////////////////////////////////////////////////////////////////////////////////////////" +
  "//////////////////////////////////////////////////////////////////////////////////////////////////////////////" +
  "//////////////////////////////////////////////////////////////////////////////////////////////////////////////" +
  "////////////////////////////01BhaG92YykBAAD/C2pxeGVsc3pnbnViaXB3ZGtyeWZtdGFob3ZjGgAPDyn+//////////////////////" +
  "//////////////////////////////////////////////////////////////////////////////////////////////////////////////" +
  "//////////////////////////////////////////////////////////////////////////////////////////////////////////////" +
  "///////////////////////////////////////////////////////////////////////////////////////////////////6xQb3ZjanGW" +
  "AQAAD/7/J/8FbnViaXB3ZGtyeWZtdGFob3ZjanFOAP/uH1oJAv/2DwgC/84fWgAG//8FD/cD/8AfWtUB/8IP1AH//wM/Wmxz1Af////WH1oABv" +
  "//BQ//Bf/AH1rVAf/CD9QB//8DH1qFGf/8D4UT/8AE1AEfWgAG//8FD/8F/8AfWtUB/8IP1AH//wMfWjYl//IPsQv/yAawCx9aAAb//wUIIwIP" +
  "IgL/tB9a1QH/wg/UAf//Ax9asgX/tg/dA///AwjcAw/VMv////////////////////////////////////////////////////////////////" +
  "//////////////////////////////////////////////////////////////////////////////////////////////////////////////" +
  "////////////////////////////////////////////////////////////////////////////////////////////////kFBqcXhlbKYAAA" +
  "AL7MoPDs1VD1TL////////////////////////////////////////////////////////////////////////////////////////////////" +
  "//////////////////////////////////////////////////////////////////////////////////////////////////////8SUHhlbH" +
  "N6AAAAAMEfRbM=";
const INDEPENDENT_FRAME_BASE64 =
  "BCJNGHxADJUEAAAAAACjkwEAAP8NYVpob3ZjanF4ZWxzemdudWJpcHdka3J5Zm10YRoA////vh9a3QP////MCNwDH1q6B////8AI3QMI3AMfWh" +
  "sABw8aAP///74aWvgDD90D////vgjcAx9a3QP////MCNwDGlr4AwgbAA8aAP///74fWt0D////zAjcAx9augf////ACN0DCNwDH1obAAcPGgD/" +
  "//++Glr4Aw/dA////74I3AMfWt0D////zAjcAxpa+AMIGwAPGgD///++D9Uy//////////////////////////////////////////////////" +
  "//////////////////////////////////////////////////////////////////////////////////////////////////////////////" +
  "//////////////////////////////////////////////////////////////////////////////////////////////////////////////" +
  "///99QZm10YWi4TpUIlgEAAP8Lb3ZjanF4ZWxzemdudWJpcHdka3J5Zm10YWgaAP/nH1oJAv/2DwgC/84fWuYF/+oP3QP/zgjcAx9a7wH/3A/u" +
  "Af/oGlr4Aw8JAv/oDwgC/84fWt0D////zAjcAx9azAX/0AjvAQ/uAf/oH1oJAv/2DwgC/84fWuYF/+oP3QP/zgjcAx9a7wH/3A/uAf/oGlr4Aw" +
  "8JAv/oDwgC/84fWt0D////zAjcAx9azAX/0AjvAQ/uAf/oH1oJAv/2DwgC/84P1TL/////////////////////////////////////////////" +
  "//////////////////////////////////////////////////////////////////////////////////////////////////////////////" +
  "//////////////////////////////////////////////////////////////////////////////////////////////////////////////" +
  "/////8tQYWhvdmPC66GxogEAAP8LanF4ZWxzemdudWJpcHdka3J5Zm10YWhvdmMaAA8fWjUAIQ80AP///6QfWhIEFQ/dA////6QI3AMfWsMD//" +
  "//sg/CAxMaWvgDDzUAEw80AP///6QfWt0D////zAjcAx9aoAf///+mCMMDD8IDEx9aNQAhDzQA////pB9aEgQVD90D////pAjcAx9awwP///+y" +
  "D8IDExpa+AMPNQATDzQA////pB9a3QP////MCNwDH1qgB////6YIwwMPwgMTH1o1ACEPNAD///+kD9Uy//////////////////////////////" +
  "//////////////////////////////////////////////////////////////////////////////////////////////////////////////" +
  "//////////////////////////////////////////////////////////////////////////////////////////////////////////////" +
  "///////////////////////6RQb3ZjanFPFwgZnQEAAP8LeGVsc3pnbnViaXB3ZGtyeWZtdGFob3ZjanEaAP//Ix9aPQL//ysPPAL/mh9aNAb/" +
  "/zkP9wP/jB9aoQH/jg+gAf//Nx9aCA7//zsP1Af/ih9aNAb//zkPMwb/jB9aoQH/jg+gAf//Nx9auRn//zEPsQv/igawCx9aNAb//zkIVwIPVg" +
  "L/gB9aoQH/jg+gAf//Nx9afgX/gg/dA///NwjcAx9aVwL//0UPVgL/gBpa+AMPoQH/gA+gAf//Nx9a3QP////MCNwDD9Uy////////////////" +
  "//////////////////////////////////////////////////////////////////////////////////////////////////////////////" +
  "//////////////////////////////////////////////////////////////////////////////////////////////////////////////" +
  "//////////////////////////////////+QUGpxeGVsV0fiyDABAAD/C3N6Z251Ymlwd2RrcnlmbXRhaG92Y2pxeGVsGgBKH1ppAFUPaAD///" +
  "9wH1pgBGMP9wP///9iH1p1A////2QPdANhH1oaDEsPugf///9iD3QDBR9aGwAHDxoA////vh9a7hNND9QH////eB9augf////AD7kHBR9aGwAH" +
  "DxoA////vh9auR9dD8sL////aB9augf////AD7kHBR9aGwAHDxoA////vh9aaitTD7EL////aAawCx9augf////ACN0DCNwDD9Uy//////////" +
  "//////////////////////////////////////////////////////////////////////////////////////////////////////////////" +
  "//////////8KUHhlbHN62dFZBwAAAADBH0Wz";

function base64(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text, 'base64'));
}

function bigText(): string {
  let s = '';
  for (let i = 0; i < 300_000; i++) s += String.fromCharCode(97 + ((i * 7) % 26)) + (i % 1000 === 0 ? 'Z' : '');
  return s;
}

/** A tiny greedy LZ4 block compressor for tests: 4-byte hash matches, and the format's end-of-block rules. */
function compressBlock(input: Uint8Array, start: number, end: number, historyStart: number): Uint8Array {
  const out: number[] = [];
  const table = new Map<number, number>();
  const key = (i: number): number => (input[i] as number) | ((input[i + 1] as number) << 8) | ((input[i + 2] as number) << 16) | ((input[i + 3] as number) << 24);
  for (let i = historyStart; i + 4 <= start; i++) table.set(key(i), i);
  const writeLength = (length: number): void => {
    let rest = length;
    while (rest >= 255) {
      out.push(255);
      rest -= 255;
    }
    out.push(rest);
  };
  let anchor = start;
  let i = start;
  const matchLimit = end - 12; // the last match starts at least 12 bytes before the end
  while (i < matchLimit) {
    const candidate = table.get(key(i));
    table.set(key(i), i);
    if (candidate === undefined || i - candidate > 65_535 || key(candidate) !== key(i)) {
      i++;
      continue;
    }
    let length = 4;
    while (i + length < end - 5 && input[candidate + length] === input[i + length]) length++;
    const literals = i - anchor;
    out.push((Math.min(literals, 15) << 4) | Math.min(length - 4, 15));
    if (literals >= 15) writeLength(literals - 15);
    for (let k = anchor; k < i; k++) out.push(input[k] as number);
    out.push((i - candidate) & 0xff, (i - candidate) >>> 8);
    if (length - 4 >= 15) writeLength(length - 4 - 15);
    i += length;
    anchor = i;
  }
  const literals = end - anchor;
  out.push(Math.min(literals, 15) << 4);
  if (literals >= 15) writeLength(literals - 15);
  for (let k = anchor; k < end; k++) out.push(input[k] as number);
  return Uint8Array.from(out);
}

interface FrameOptions {
  readonly independent: boolean;
  readonly blockChecksum: boolean;
  readonly contentChecksum: boolean;
  readonly contentSize: boolean;
  /** Store every other block uncompressed. */
  readonly storeSome: boolean;
}

function u32(value: number): number[] {
  return [value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff];
}

/** An LZ4 frame with 64 KB blocks. */
function compressFrame(input: Uint8Array, options: FrameOptions): Uint8Array {
  const flags = 0x40 | (options.independent ? 0x20 : 0) | (options.blockChecksum ? 0x10 : 0) | (options.contentSize ? 0x08 : 0) | (options.contentChecksum ? 0x04 : 0);
  const descriptor = [flags, 0x40, ...(options.contentSize ? [...u32(input.length), 0, 0, 0, 0] : [])];
  const out: number[] = [0x04, 0x22, 0x4d, 0x18, ...descriptor];
  out.push((xxhash32(Uint8Array.from(descriptor)) >>> 8) & 0xff);
  let block = 0;
  for (let start = 0; start < input.length; start += 65_536, block++) {
    const end = Math.min(input.length, start + 65_536);
    const stored = options.storeSome && block % 2 === 1;
    const data = stored ? input.subarray(start, end) : compressBlock(input, start, end, options.independent ? start : Math.max(0, start - 65_535));
    out.push(...u32(data.length | (stored ? 0x80000000 : 0)));
    for (const byte of data) out.push(byte);
    if (options.blockChecksum) out.push(...u32(xxhash32(data)));
  }
  out.push(0, 0, 0, 0);
  if (options.contentChecksum) out.push(...u32(xxhash32(input)));
  return Uint8Array.from(out);
}

describe('xxHash32', () => {
  it('matches the published test vectors', () => {
    expect(xxhash32(new Uint8Array(0))).toBe(0x02cc5d05);
    expect(xxhash32(ascii('a'))).toBe(0x550d7456);
    expect(xxhash32(ascii('abc'))).toBe(0x32d153ff);
    expect(xxhash32(ascii('Nobody inspects the spammish repetition'))).toBe(0xe2293b2f);
  });

  it('hashes a range of a buffer like the same bytes alone', () => {
    const bytes = ascii('__Nobody inspects the spammish repetition__');
    expect(xxhash32(bytes, 0, 2, bytes.length - 2)).toBe(0xe2293b2f);
  });
});

describe('LZ4 frames from the reference tool', () => {
  it('decodes the default frame (content checksum verified)', () => {
    expect(text(decompressLz4Frame(hex(HELLO_DEFAULT)))).toBe(HELLO);
  });

  it('decodes a frame with a content size and block checksums', () => {
    expect(text(decompressLz4Frame(hex(HELLO_CONTENT_SIZE_BLOCK_CHECKSUM)))).toBe(HELLO);
  });

  it('decodes a frame without a content checksum', () => {
    expect(text(decompressLz4Frame(hex(HELLO_NO_CONTENT_CHECKSUM)))).toBe(HELLO);
  });

  it('decodes 300 KB in linked 64 KB blocks, matches reaching into earlier blocks', () => {
    expect(text(decompressLz4Frame(base64(LINKED_FRAME_BASE64)))).toBe(bigText());
  });

  it('decodes 300 KB in independent blocks with block checksums and a content size', () => {
    expect(text(decompressLz4Frame(base64(INDEPENDENT_FRAME_BASE64)))).toBe(bigText());
  });

  it('decodes concatenated frames and skips skippable frames', () => {
    const frame = hex(HELLO_DEFAULT);
    const skippable = Uint8Array.from([0x5a, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 9, 9, 9]);
    const joined = Uint8Array.from([...frame, ...skippable, ...frame]);
    expect(text(decompressLz4Frame(joined))).toBe(HELLO + HELLO);
  });
});

describe('hand-made LZ4 blocks', () => {
  it('decodes a literal-only block', () => {
    const block = Uint8Array.from([0x50, ...ascii('hello')]);
    expect(text(decompressLz4Block(block, 16))).toBe('hello');
  });

  it('repeats the last bytes for an overlapping match (run-length)', () => {
    // "ab" as literals, then a match of 4 + 6 = 10 at offset 2, then the final literal "!"
    const block = Uint8Array.from([0x26, 0x61, 0x62, 0x02, 0x00, 0x10, 0x21]);
    expect(text(decompressLz4Block(block, 64))).toBe('abababababab!');
  });

  it('reads extended literal and match lengths (bytes of 255)', () => {
    const literals = 'x'.repeat(15 + 255 + 3);
    const block = Uint8Array.from([0xf0, 255, 3, ...ascii(literals)]);
    expect(text(decompressLz4Block(block, 1024))).toBe(literals);
    const run = Uint8Array.from([0x1f, 0x7a, 0x01, 0x00, 255, 10, 0x00]);
    expect(decompressLz4Block(run, 1024)).toEqual(new Uint8Array(1 + 4 + 15 + 255 + 10).fill(0x7a));
  });

  it('refuses a zero offset, an offset before the start, and output beyond the limit', () => {
    expect(errorCode(() => decompressLz4Block(Uint8Array.from([0x10, 0x61, 0x00, 0x00]), 64))).toBe('lz4_corrupt');
    expect(errorCode(() => decompressLz4Block(Uint8Array.from([0x10, 0x61, 0x02, 0x00]), 64))).toBe('lz4_corrupt');
    expect(errorCode(() => decompressLz4Block(Uint8Array.from([0x50, ...ascii('hello')]), 4))).toBe('lz4_corrupt');
  });

  it('decodes a frame with one stored (uncompressed) block', () => {
    const descriptor = [0x60, 0x40];
    const frame = Uint8Array.from([
      0x04, 0x22, 0x4d, 0x18, ...descriptor, (xxhash32(Uint8Array.from(descriptor)) >>> 8) & 0xff,
      ...u32(5 | 0x80000000), ...ascii('plain'), 0, 0, 0, 0,
    ]);
    expect(text(decompressLz4Frame(frame))).toBe('plain');
  });
});

describe('corrupt LZ4 frames', () => {
  const good = (): Uint8Array => hex(HELLO_CONTENT_SIZE_BLOCK_CHECKSUM);

  it('refuses a bad magic number, an empty input and the legacy format', () => {
    expect(errorCode(() => decompressLz4Frame(ascii('not lz4 at all')))).toBe('lz4_corrupt');
    expect(errorCode(() => decompressLz4Frame(new Uint8Array(0)))).toBe('lz4_corrupt');
    expect(errorCode(() => decompressLz4Frame(Uint8Array.from([0x02, 0x21, 0x4c, 0x18, 0, 0, 0, 0])))).toBe('lz4_unsupported');
  });

  it('refuses a damaged header, block or content, by checksum', () => {
    const header = good();
    header[5] = 0x50; // block size code 5 instead of 4: the header checksum no longer matches
    expect(errorCode(() => decompressLz4Frame(header))).toBe('lz4_corrupt');
    const block = good();
    block[24] = (block[24] as number) ^ 0x01; // a literal byte of the block
    expect(errorCode(() => decompressLz4Frame(block))).toBe('lz4_corrupt');
    const content = hex(HELLO_DEFAULT);
    content[content.length - 1] = (content[content.length - 1] as number) ^ 0x01;
    expect(errorCode(() => decompressLz4Frame(content))).toBe('lz4_corrupt');
  });

  it('refuses a truncated frame wherever it is cut', () => {
    const frame = good();
    for (let length = 1; length < frame.length; length++) {
      expect(errorCode(() => decompressLz4Frame(frame.subarray(0, length)))).toBe('lz4_corrupt');
    }
  });

  it('refuses a frame that needs a dictionary', () => {
    const descriptor = [0x61, 0x40, 1, 2, 3, 4];
    const frame = Uint8Array.from([0x04, 0x22, 0x4d, 0x18, ...descriptor, (xxhash32(Uint8Array.from(descriptor)) >>> 8) & 0xff, 0, 0, 0, 0]);
    expect(errorCode(() => decompressLz4Frame(frame))).toBe('lz4_unsupported');
  });
});

describe('LZ4 round trips through a test compressor', () => {
  const frameOptions = fc.record({
    independent: fc.boolean(),
    blockChecksum: fc.boolean(),
    contentChecksum: fc.boolean(),
    contentSize: fc.boolean(),
    storeSome: fc.boolean(),
  });
  // Repetitive data so that matches (short, long, overlapping, across blocks) actually occur.
  const repetitive = fc
    .array(fc.record({ chunk: fc.uint8Array({ minLength: 1, maxLength: 24 }), times: fc.integer({ min: 1, max: 40 }) }), { maxLength: 40 })
    .map((parts) => Uint8Array.from(parts.flatMap(({ chunk, times }) => Array.from({ length: times }, () => [...chunk]).flat())));

  it('gives back random bytes exactly', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2_000 }), frameOptions, (input, options) => {
        expect(decompressLz4Frame(compressFrame(input, options))).toEqual(input);
      }),
    );
  });

  it('gives back repetitive data exactly', () => {
    fc.assert(
      fc.property(repetitive, frameOptions, (input, options) => {
        expect(decompressLz4Frame(compressFrame(input, options))).toEqual(input);
      }),
    );
  });

  it('gives back 200 KB over several blocks, linked and independent', () => {
    const input = ascii(bigText().slice(0, 200_000));
    for (const independent of [true, false]) {
      const frame = compressFrame(input, { independent, blockChecksum: true, contentChecksum: true, contentSize: false, storeSome: false });
      expect(frame.length).toBeLessThan(input.length / 10);
      expect(decompressLz4Frame(frame)).toEqual(input);
    }
  });
});
