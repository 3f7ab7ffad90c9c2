import { counterIn, digitRunStart, lastDigitRunEnd } from './record-packer.js';

/**
 * A set of id strings that mostly count up under a fixed prefix (`sim-1`, `sim-2`, ...): those are kept as numbers
 * per prefix and suffix, the rest as strings. A desk remembers every trade id it booked, to refuse a duplicate; as
 * strings they were a retained string and a hash entry each.
 */
export class IdSet {
  private readonly counted = new Map<string, Set<number>>();
  private readonly others = new Set<string>();
  /** The template of the last id seen, and its counters (ids from one venue share one). */
  private lastPrefix: string | undefined = undefined;
  private lastSuffix = '';
  private lastCounters: Set<number> | undefined = undefined;

  has(id: string): boolean {
    const counter = this.counterOf(id, false);
    if (counter === undefined) return this.others.has(id);
    return counter.set?.has(counter.value) === true;
  }

  add(id: string): void {
    const counter = this.counterOf(id, true);
    if (counter === undefined) this.others.add(id);
    else counter.set?.add(counter.value);
  }

  private counterOf(id: string, create: boolean): { set: Set<number> | undefined; value: number } | undefined {
    const prefix = this.lastPrefix;
    if (prefix !== undefined && id.startsWith(prefix) && id.endsWith(this.lastSuffix)) {
      const value = counterIn(id, prefix.length, id.length - this.lastSuffix.length);
      if (value >= 0) return { set: this.lastCounters, value };
    }
    const end = lastDigitRunEnd(id);
    if (end < 0) return undefined;
    const start = digitRunStart(id, end);
    const value = counterIn(id, start, end);
    if (value < 0) return undefined;
    const key = `${id.slice(0, start)}\u0000${id.slice(end)}`;
    let set = this.counted.get(key);
    if (set === undefined && create) {
      set = new Set();
      this.counted.set(key, set);
    }
    if (set !== undefined) {
      this.lastPrefix = id.slice(0, start);
      this.lastSuffix = id.slice(end);
      this.lastCounters = set;
    }
    return { set, value };
  }
}
