import type { ClientOrderId } from '../../core/ids.js';
import type { UnixMs } from '../../core/time.js';

/**
 * Cancels the venue refused of protective orders a reduction waits on. Such an order still holds the position, so the
 * reduction cannot go out: its cancel is asked again on the next bar, once, and a second refusal gives the reduction
 * up, journaled, so the book is free for the next decision instead of waiting for ever.
 */
export class RefusedCancels {
  /** Cancels to ask again on a later bar, with when they were refused. */
  private readonly toRetry = new Map<ClientOrderId, { readonly key: string; readonly at: UnixMs }>();
  /** Orders whose cancel was asked a second time. */
  private readonly retried = new Set<ClientOrderId>();

  get pending(): boolean {
    return this.toRetry.size > 0;
  }

  /** The venue refused at `at` to cancel `id`, which reduction `key` waits on: retry it next bar, or give up after a retry. */
  refused(key: string, id: ClientOrderId, at: UnixMs): 'retry' | 'give-up' {
    if (this.retried.delete(id)) return 'give-up';
    this.toRetry.set(id, { key, at });
    return 'retry';
  }

  /** The cancels to ask again at `now` (those refused before it), with their reduction; each counts as its retry. */
  takeDue(now: UnixMs): { readonly key: string; readonly id: ClientOrderId }[] {
    const due: { key: string; id: ClientOrderId }[] = [];
    for (const [id, { key, at }] of this.toRetry) {
      if (at >= now) continue;
      this.toRetry.delete(id);
      this.retried.add(id);
      due.push({ key, id });
    }
    return due;
  }

  /** The order's cancel went through, or it ended, or its reduction was given up: nothing of it is retried. */
  settled(id: ClientOrderId): void {
    this.retried.delete(id);
    this.toRetry.delete(id);
  }
}
