import { FixRequestError } from '../core/errors.js';
import { RecordPacker } from '../core/record-packer.js';

/**
 * The journal port: an append-only sequence of events. Offsets start at 0 and never change meaning, so a reader
 * can resume from where it stopped. Durable stores (SQLite, PostgreSQL) implement the same port.
 */
export interface EventStore<E> {
  /** Appends one event; returns its offset. */
  append(event: E): number;
  /** Events from `offset` (inclusive), at most `limit` of them. */
  read(offset: number, limit?: number): readonly E[];
  readonly length: number;
}

/**
 * The journal in memory. Events are kept packed (see `RecordPacker`): a long backtest keeps every event, and as
 * objects they were most of the run's memory and of the garbage collector's work. `read` returns events equal to
 * the ones appended (new objects each time).
 */
export class InMemoryEventStore<E> implements EventStore<E> {
  private readonly events = new RecordPacker<E>();

  append(event: E): number {
    return this.events.add(event);
  }

  read(offset: number, limit = Number.POSITIVE_INFINITY): readonly E[] {
    if (!Number.isInteger(offset) || offset < 0) {
      throw new FixRequestError('invalid_offset', `a journal offset must be a non-negative integer, got ${offset}`);
    }
    const end = Math.min(this.events.length, limit === Number.POSITIVE_INFINITY ? Number.POSITIVE_INFINITY : offset + limit);
    const out: E[] = [];
    for (let i = offset; i < end; i++) out.push(this.events.get(i));
    return out;
  }

  get length(): number {
    return this.events.length;
  }
}
