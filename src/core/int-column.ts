/** A growable column of 32-bit integers in fixed-size chunks: growing never copies or holds back half a column. */
export class IntColumn {
  private readonly chunks: Int32Array[] = [];
  private count = 0;

  get length(): number {
    return this.count;
  }

  push(value: number): void {
    const offset = this.count % CHUNK;
    if (offset === 0) this.chunks.push(new Int32Array(CHUNK));
    this.chunks[this.chunks.length - 1]![offset] = value;
    this.count += 1;
  }

  get(index: number): number {
    this.check(index);
    return this.chunks[Math.floor(index / CHUNK)]![index % CHUNK]!;
  }

  set(index: number, value: number): void {
    this.check(index);
    this.chunks[Math.floor(index / CHUNK)]![index % CHUNK] = value;
  }

  private check(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.count) throw new RangeError(`no entry ${index} in a column of ${this.count}`);
  }
}

const CHUNK = 1 << 14;
