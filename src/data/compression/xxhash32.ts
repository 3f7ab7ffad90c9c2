/**
 * xxHash32 (Yann Collet's non-cryptographic hash), the checksum of the LZ4 frame format: the frame header
 * checksum, the optional block checksums and the optional content checksum all use it with seed 0.
 */
const PRIME1 = 0x9e3779b1;
const PRIME2 = 0x85ebca77;
const PRIME3 = 0xc2b2ae3d;
const PRIME4 = 0x27d4eb2f;
const PRIME5 = 0x165667b1;

function rotateLeft(value: number, bits: number): number {
  return (value << bits) | (value >>> (32 - bits));
}

function readUint32(bytes: Uint8Array, at: number): number {
  return ((bytes[at] as number) | ((bytes[at + 1] as number) << 8) | ((bytes[at + 2] as number) << 16) | ((bytes[at + 3] as number) << 24)) >>> 0;
}

function round(accumulator: number, lane: number): number {
  return Math.imul(rotateLeft((accumulator + Math.imul(lane, PRIME2)) | 0, 13), PRIME1);
}

/** The 32-bit xxHash of bytes [start, end) of `bytes`, as an unsigned integer. */
export function xxhash32(bytes: Uint8Array, seed = 0, start = 0, end = bytes.length): number {
  const length = end - start;
  let at = start;
  let hash: number;
  if (length >= 16) {
    let v1 = (seed + PRIME1 + PRIME2) | 0;
    let v2 = (seed + PRIME2) | 0;
    let v3 = seed | 0;
    let v4 = (seed - PRIME1) | 0;
    const limit = end - 16;
    while (at <= limit) {
      v1 = round(v1, readUint32(bytes, at));
      v2 = round(v2, readUint32(bytes, at + 4));
      v3 = round(v3, readUint32(bytes, at + 8));
      v4 = round(v4, readUint32(bytes, at + 12));
      at += 16;
    }
    hash = (rotateLeft(v1, 1) + rotateLeft(v2, 7) + rotateLeft(v3, 12) + rotateLeft(v4, 18)) | 0;
  } else {
    hash = (seed + PRIME5) | 0;
  }
  hash = (hash + length) | 0;
  while (at + 4 <= end) {
    hash = Math.imul(rotateLeft((hash + Math.imul(readUint32(bytes, at), PRIME3)) | 0, 17), PRIME4);
    at += 4;
  }
  while (at < end) {
    hash = Math.imul(rotateLeft((hash + Math.imul(bytes[at] as number, PRIME5)) | 0, 11), PRIME1);
    at += 1;
  }
  hash ^= hash >>> 15;
  hash = Math.imul(hash, PRIME2);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, PRIME3);
  hash ^= hash >>> 16;
  return hash >>> 0;
}
