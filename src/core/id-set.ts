import { counterIn, digitRunStart, lastDigitRunEnd } from './record-packer.js';

/**
 * A set of id strings that mostly count up under a fixed prefix (`sim-1`, `sim-2`, ...): the counters of each
 * prefix and suffix are kept in a sorted column of numbers (ids seen in increasing order append; others go to a
 * small set), and other ids as strings. A desk remembers every trade id it booked, to refuse a duplicate; as strings
 * they were a retained string and a hash-table entry each.
 */
export class IdSet {
  private readonly counted = new Map<string, Counters>();
  private readonly others = new Set<string>();
  /** The template of the last id seen (ids from one venue share one). */
  private lastPrefix: string | undefined = undefined;
  private lastSuffix = '';
  private lastCounters: Counters | undefined = undefined;

  has(id: string): boolean {
    if (!this.find(id, false)) return this.others.has(id);
    return this.found !== undefined && this.found.has(this.value);
  }

  add(id: string): void {
    if (!this.find(id, true)) this.others.add(id);
    else this.found?.add(this.value);
  }

  /** The counter column `found` (undefined if none was made) and `value` of a counted id; false for other ids. */
  private found: Counters | undefined = undefined;
  private value = 0;

  private find(id: string, create: boolean): boolean {
    const prefix = this.lastPrefix;
    if (prefix !== undefined && id.startsWith(prefix) && id.endsWith(this.lastSuffix)) {
      const value = counterIn(id, prefix.length, id.length - this.lastSuffix.length);
      if (value >= 0) {
        this.found = this.lastCounters;
        this.value = value;
        return true;
      }
    }
    const end = lastDigitRunEnd(id);
    if (end < 0) return false;
    const start = digitRunStart(id, end);
    const value = counterIn(id, start, end);
    if (value < 0) return false;
    const key = `${id.slice(0, start)}\u0000${id.slice(end)}`;
    let set = this.counted.get(key);
    if (set === undefined && create) {
      set = new Counters();
      this.counted.set(key, set);
    }
    if (set !== undefined) {
      this.lastPrefix = id.slice(0, start);
      this.lastSuffix = id.slice(end);
      this.lastCounters = set;
    }
    this.found = set;
    this.value = value;
    return true;
  }
}

/** Numbers in an ascending column of float64 chunks (binary search), with a set for those that came out of order. */
class Counters {
  private readonly chunks: Float64Array[] = [];
  private count = 0;
  private readonly unordered = new Set<number>();

  has(value: number): boolean {
    if (this.unordered.has(value)) return true;
    let low = 0;
    let high = this.count - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const at = this.at(mid);
      if (at === value) return true;
      if (at < value) low = mid + 1;
      else high = mid - 1;
    }
    return false;
  }

  add(value: number): void {
    if (this.has(value)) return;
    if (this.count > 0 && value < this.at(this.count - 1)) {
      this.unordered.add(value);
      return;
    }
    const offset = this.count % COUNTER_CHUNK;
    if (offset === 0) this.chunks.push(new Float64Array(COUNTER_CHUNK));
    this.chunks[this.chunks.length - 1]![offset] = value;
    this.count += 1;
  }

  private at(index: number): number {
    return this.chunks[Math.floor(index / COUNTER_CHUNK)]![index % COUNTER_CHUNK]!;
  }
}

const COUNTER_CHUNK = 1 << 13;
