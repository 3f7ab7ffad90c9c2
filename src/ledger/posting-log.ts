import { putTagged, putTaggedDouble, putVarint, TaggedReader } from '../core/varint.js';

/**
 * The journal's entries as bytes: per entry a header (its time, its number of postings, where its amounts start,
 * and what the journal adds) and each posting's account number as a varint; amounts go to a column of 64-bit
 * integers (one beyond 64 bits is kept aside, exactly). A spot fill's eleven postings took 132 bytes as two
 * doubling columns; here about 100, in chunks: growing never copies. (Amounts as varints too were smaller still,
 * but converting each bigint to a number and back made the ledger's fills a tenth slower.)
 */
export class PostingLog {
  private readonly chunks: Uint8Array[] = [new Uint8Array(CHUNK)];
  /** The chunk being written, and where. */
  private current: Uint8Array = this.chunks[0]!;
  private offset = 0;
  /** Amounts in 64-bit chunks (numbered in posting order), and those beyond 64 bits by number. */
  private readonly amounts: BigInt64Array[] = [];
  private amountCount = 0;
  private readonly wide = new Map<number, bigint>();
  private nextAmount = 0;
  private readonly reader = new TaggedReader(this.chunks[0]!);

  /** Starts an entry of `count` postings; returns where it starts (for `read`). */
  begin(ts: number, count: number): number {
    const most = 60 + count * 20;
    if (this.offset + most > CHUNK) {
      this.current = new Uint8Array(Math.max(CHUNK, most));
      this.chunks.push(this.current);
      this.offset = 0;
    }
    const start = (this.chunks.length - 1) * CHUNK + this.offset;
    // Not integer milliseconds: the double itself, after the marker.
    if (Number.isInteger(ts) && Math.abs(ts) < 2 ** 50) this.write(ts);
    else this.offset = putTaggedDouble(this.current, this.offset, ts);
    this.write(count);
    this.write(this.amountCount);
    return start;
  }

  posting(account: number, amount: bigint): void {
    const index = this.amountCount++;
    const offset = index % AMOUNT_CHUNK;
    if (offset === 0) this.amounts.push(new BigInt64Array(AMOUNT_CHUNK));
    if (amount >= INT64_MIN && amount <= INT64_MAX) this.amounts[this.amounts.length - 1]![offset] = amount;
    else {
      this.wide.set(index, amount);
      this.current[this.offset++] = 1;
    }
    this.offset = putVarint(this.current, this.offset, account * 4);
  }

  /** Writes an integer below 2^50 in magnitude into the entry's header (after `begin`, before its postings). */
  put(value: number): void {
    this.write(value);
  }

  /** Reads the next header integer of the entry being read (after `seek`, in the order written). */
  take(): number {
    return this.reader.integer();
  }

  /** Moves the reader to an entry; returns its time and number of postings. */
  seek(start: number): { ts: number; count: number } {
    const reader = this.reader;
    reader.chunk = this.chunks[Math.floor(start / CHUNK)]!;
    reader.at = start % CHUNK;
    const ts = reader.number();
    const count = reader.integer();
    this.nextAmount = reader.integer();
    return { ts, count };
  }

  /** The next posting of the entry being read. */
  next(): { account: number; amount: bigint } {
    const index = this.nextAmount++;
    let amount: bigint;
    const reader = this.reader;
    if (reader.atMarker()) {
      reader.at += 1;
      amount = this.wide.get(index) as bigint;
    } else amount = this.amounts[Math.floor(index / AMOUNT_CHUNK)]![index % AMOUNT_CHUNK]!;
    return { amount, account: reader.integer() };
  }

  /** Integers below 2^50 in magnitude, zigzag-coded with a low 0 bit (a lone 1 byte marks a wide amount). */
  private write(value: number): void {
    this.offset = putTagged(this.current, this.offset, value);
  }
}

const CHUNK = 1 << 20;
const AMOUNT_CHUNK = 1 << 16;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
