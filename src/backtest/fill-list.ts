import type { BacktestFill } from './result.js';

/**
 * The run's fills as columns of numbers. A run keeps every fill; as objects each took an object and three boxed
 * doubles (about 140 bytes) for the life of the result. `at`, iteration, `map` and `toArray` give fill objects.
 */
export class FillList implements Iterable<BacktestFill> {
  private readonly instruments: string[] = [];
  private readonly instrumentIndex = new Map<string, number>();
  private readonly ts = new FloatColumn();
  private readonly qty = new FloatColumn();
  private readonly price = new FloatColumn();
  private readonly fee = new FloatColumn();
  /** Instrument index x 2, plus 1 for a sell. */
  private readonly tags = new FloatColumn();

  get length(): number {
    return this.ts.length;
  }

  push(ts: number, instrument: string, side: 'buy' | 'sell', qty: number, price: number, fee: number): void {
    let index = this.instrumentIndex.get(instrument);
    if (index === undefined) {
      index = this.instruments.length;
      this.instruments.push(instrument);
      this.instrumentIndex.set(instrument, index);
    }
    this.ts.push(ts);
    this.qty.push(qty);
    this.price.push(price);
    this.fee.push(fee);
    this.tags.push(index * 2 + (side === 'sell' ? 1 : 0));
  }

  at(index: number): BacktestFill | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) return undefined;
    const tag = this.tags.get(index);
    return {
      ts: this.ts.get(index),
      instrument: this.instruments[Math.floor(tag / 2)]!,
      side: tag % 2 === 1 ? 'sell' : 'buy',
      qty: this.qty.get(index),
      price: this.price.get(index),
      fee: this.fee.get(index),
    };
  }

  *[Symbol.iterator](): Iterator<BacktestFill> {
    for (let i = 0; i < this.length; i++) yield this.at(i)!;
  }

  map<U>(fn: (fill: BacktestFill, index: number) => U): U[] {
    const out: U[] = [];
    for (let i = 0; i < this.length; i++) out.push(fn(this.at(i)!, i));
    return out;
  }

  toArray(): BacktestFill[] {
    return this.map((fill) => fill);
  }
}

/** A growable column of float64s in fixed-size chunks (growing never copies). */
class FloatColumn {
  private readonly chunks: Float64Array[] = [];
  private count = 0;

  get length(): number {
    return this.count;
  }

  push(value: number): void {
    const offset = this.count % CHUNK;
    if (offset === 0) this.chunks.push(new Float64Array(CHUNK));
    this.chunks[this.chunks.length - 1]![offset] = value;
    this.count += 1;
  }

  get(index: number): number {
    return this.chunks[Math.floor(index / CHUNK)]![index % CHUNK]!;
  }
}

const CHUNK = 1 << 12;
