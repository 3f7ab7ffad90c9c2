/**
 * Varints for the packed stores: a non-negative integer below 2^53 in 7-bit groups, low group first, the high bit of
 * each byte set while more follow. Below 2^31 the groups come from bit operations; above, one division splits off
 * the low 28 bits first (a division per group was most of the cost of writing a timestamp or a ledger amount).
 */
export function putVarint(bytes: Uint8Array, offset: number, code: number): number {
  let o = offset;
  if (code > 0x7fffffff) {
    const high = Math.floor(code / 0x10000000);
    let low = code - high * 0x10000000;
    for (let i = 0; i < 4; i++) {
      bytes[o++] = (low & 127) | 128;
      low >>>= 7;
    }
    code = high;
    while (code > 0x7fffffff) {
      bytes[o++] = (code % 128) | 128;
      code = Math.floor(code / 128);
    }
  }
  while (code >= 128) {
    bytes[o++] = (code & 127) | 128;
    code >>>= 7;
  }
  bytes[o++] = code;
  return o;
}

/**
 * Tagged numbers, the packed stores' common code: an integer below 2^50 in magnitude as a zigzag varint with a low
 * 0 bit (4v, or -4v - 2), so a lone first byte of 1 can mark something else: the 8 bytes of a double after it, say.
 */
export function putTagged(bytes: Uint8Array, offset: number, value: number): number {
  return putVarint(bytes, offset, value >= 0 ? value * 4 : -value * 4 - 2);
}

/** Writes the marker 1 and the 8 bytes of a double; returns the offset after them. */
export function putTaggedDouble(bytes: Uint8Array, offset: number, value: number): number {
  let o = offset;
  bytes[o++] = 1;
  FLOAT[0] = value;
  for (let i = 0; i < 8; i++) bytes[o++] = FLOAT_BYTES[i]!;
  return o;
}

/** Reads tagged numbers from a chunk of bytes at a position it moves forward. */
export class TaggedReader {
  at = 0;

  constructor(public chunk: Uint8Array) {}

  /** Whether the next byte is the marker 1 (a double or another value kept aside follows). */
  atMarker(): boolean {
    return this.chunk[this.at] === 1;
  }

  /** The tagged integer at the read position. */
  integer(): number {
    const chunk = this.chunk;
    let byte = chunk[this.at++]!;
    let code = byte & 127;
    let scale = 128;
    while (byte >= 128) {
      byte = chunk[this.at++]!;
      code += (byte & 127) * scale;
      scale *= 128;
    }
    const zigzag = code / 2;
    return zigzag % 2 === 0 ? zigzag / 2 : -(zigzag + 1) / 2;
  }

  /** The double after a marker (the marker included). */
  double(): number {
    this.at += 1;
    for (let i = 0; i < 8; i++) FLOAT_BYTES[i] = this.chunk[this.at++]!;
    return FLOAT[0]!;
  }

  /** A tagged integer or a marked double. */
  number(): number {
    return this.chunk[this.at] === 1 ? this.double() : this.integer();
  }
}

const FLOAT = new Float64Array(1);
const FLOAT_BYTES = new Uint8Array(FLOAT.buffer);
