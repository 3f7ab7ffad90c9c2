import { RecordPacker } from './record-packer.js';

/**
 * A map of records (orders, say) where finished records are packed (see `RecordPacker`) once a few newer ones have
 * finished after them. A desk keeps every order it ever saw, and a long backtest sees hundreds of thousands: as
 * objects they were a large part of the run's memory. The most recently finished records stay objects, because the
 * code that finished one usually reads it again at once (the fill that completed an order, say).
 *
 * `get` of a packed record returns an equal new object each time: treat it as a read-only copy. To change a record
 * that may be packed, take it with `mutable`, which makes it an object in the map again.
 */
export class RetiringMap<K, V extends object> {
  private readonly entries = new Map<K, V | number>();
  private readonly packed = new RecordPacker<V>();
  /** Recently retired keys, oldest first once the ring has wrapped. */
  private readonly ring: (K | undefined)[];
  private next = 0;

  constructor(
    /** Whether a record is finished for good (a retired key whose record is not done is left unpacked). */
    private readonly isDone: (record: V) => boolean,
    recent = 64,
  ) {
    this.ring = new Array<K | undefined>(recent).fill(undefined);
  }

  get size(): number {
    return this.entries.size;
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    return typeof entry === 'number' ? this.packed.get(entry) : entry;
  }

  set(key: K, record: V): void {
    this.entries.set(key, record);
  }

  /** The record as an object kept in the map (unpacked if it was packed), to be changed in place. */
  mutable(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (typeof entry !== 'number') return entry;
    const record = this.packed.get(entry);
    this.entries.set(key, record);
    this.retire(key);
    return record;
  }

  /** Marks a key's record as finished: it is packed after `recent` more keys are retired. */
  retire(key: K): void {
    const evicted = this.ring[this.next];
    this.ring[this.next] = key;
    this.next = (this.next + 1) % this.ring.length;
    if (evicted === undefined || evicted === key) return;
    const entry = this.entries.get(evicted);
    if (entry !== undefined && typeof entry !== 'number' && this.isDone(entry)) this.entries.set(evicted, this.packed.add(entry));
  }
}
