import { putVarint } from '../core/varint.js';

/**
 * The journal's postings as bytes: per entry its time, its number of postings, and each posting's account number
 * and amount as varints (an amount beyond 2^50 in magnitude is kept aside, exactly). As 32-bit account and 64-bit
 * amount columns a spot fill's eleven postings took 132 bytes; as varints about a third of that. Chunks of 1 MiB:
 * growing never copies, and an entry never spans two chunks.
 */
export class PostingLog {
  private readonly chunks: Uint8Array[] = [new Uint8Array(CHUNK)];
  /** The chunk being written, and where. */
  private current: Uint8Array = this.chunks[0]!;
  private offset = 0;
  private readonly wide = new Map<number, bigint>();
  /** Read position. */
  private chunk: Uint8Array = this.chunks[0]!;
  private at = 0;
  private base = 0;

  /** Starts an entry of `count` postings; returns where it starts (for `read`). */
  begin(ts: number, count: number): number {
    const most = 60 + count * 20;
    if (this.offset + most > CHUNK) {
      this.current = new Uint8Array(Math.max(CHUNK, most));
      this.chunks.push(this.current);
      this.offset = 0;
    }
    const start = (this.chunks.length - 1) * CHUNK + this.offset;
    if (Number.isInteger(ts) && Math.abs(ts) < 2 ** 50) this.write(ts);
    else {
      // Not integer milliseconds: the 8 bytes of the double, after a 1 (an integer's first byte is even).
      const chunk = this.current;
      chunk[this.offset++] = 1;
      FLOAT[0] = ts;
      for (let i = 0; i < 8; i++) chunk[this.offset++] = FLOAT_BYTES[i]!;
    }
    this.write(count);
    return start;
  }

  posting(account: number, amount: bigint): void {
    // One conversion checks the range: an amount of 2^50 or more never converts to less.
    const value = Number(amount);
    if (value < LIMIT && value > -LIMIT) {
      const chunk = this.current;
      this.offset = putVarint(chunk, putVarint(chunk, this.offset, value >= 0 ? value * 4 : -value * 4 - 2), account * 4);
      return;
    }
    this.wide.set((this.chunks.length - 1) * CHUNK + this.offset, amount);
    this.current[this.offset++] = 1;
    this.write(account);
  }

  /** Writes an integer below 2^50 in magnitude into the entry's header (after `begin`, before its postings). */
  put(value: number): void {
    this.write(value);
  }

  /** Reads the next header integer of the entry being read (after `seek`, in the order written). */
  take(): number {
    return this.read();
  }

  /** Moves the reader to an entry; returns its time and number of postings. */
  seek(start: number): { ts: number; count: number } {
    this.chunk = this.chunks[Math.floor(start / CHUNK)]!;
    this.at = start % CHUNK;
    this.base = start - this.at;
    let ts: number;
    if (this.chunk[this.at] === 1) {
      this.at += 1;
      for (let i = 0; i < 8; i++) FLOAT_BYTES[i] = this.chunk[this.at++]!;
      ts = FLOAT[0]!;
    } else ts = this.read();
    return { ts, count: this.read() };
  }

  /** The next posting of the entry being read. */
  next(): { account: number; amount: bigint } {
    const position = this.base + this.at;
    if (this.chunk[this.at] === 1) {
      this.at += 1;
      return { amount: this.wide.get(position) as bigint, account: this.read() };
    }
    const amount = BigInt(this.read());
    return { amount, account: this.read() };
  }

  /** Integers below 2^50 in magnitude, zigzag-coded with a low 0 bit (a lone 1 byte marks a wide amount). */
  private write(value: number): void {
    this.offset = putVarint(this.current, this.offset, value >= 0 ? value * 4 : -value * 4 - 2);
  }

  private read(): number {
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
}

const CHUNK = 1 << 20;
const FLOAT = new Float64Array(1);
const FLOAT_BYTES = new Uint8Array(FLOAT.buffer);
const LIMIT = 2 ** 50;
