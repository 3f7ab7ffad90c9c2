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
