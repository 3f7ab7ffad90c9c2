import { FixRequestError } from '../core/errors.js';

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

export class InMemoryEventStore<E> implements EventStore<E> {
  private readonly events: E[] = [];

  append(event: E): number {
    this.events.push(event);
    return this.events.length - 1;
  }

  read(offset: number, limit = Number.POSITIVE_INFINITY): readonly E[] {
    if (!Number.isInteger(offset) || offset < 0) {
      throw new FixRequestError('invalid_offset', `a journal offset must be a non-negative integer, got ${offset}`);
    }
    return this.events.slice(offset, limit === Number.POSITIVE_INFINITY ? undefined : offset + limit);
  }

  get length(): number {
    return this.events.length;
  }
}
