import type { Signal } from '../../strategies/strategy.js';
import type { AnalystSignal } from '../../agents/decision-modes/index.js';

/** What becomes of a view an analyst emits: a new signal, the standing view presented again, or nothing. */
export type HeardVerdict = 'new' | 'again' | 'same';

/** The key of an analyst's view on one instrument. */
export const viewKey = (analystId: string, instrumentId: string): string => `${analystId}|${instrumentId}`;

/**
 * The last view the desk heard from each analyst on each instrument, and whether the manager acted on it (decided on
 * it, a veto included). A view repeated bar after bar is one signal once acted on; until then it is not settled: the
 * manager may have passed it over (below its analyst's mode's threshold, its book busy or reducing), so a stronger
 * repeat is a new signal, and a repeat of the same strength presents the standing view again. Without this, a view
 * passed over once silenced every later one in its direction.
 */
export class HeardViews {
  private readonly heard = new Map<string, Signal>();
  private readonly acted = new Set<string>();

  classify(analystId: string, signal: Signal): HeardVerdict {
    const key = viewKey(analystId, signal.instrumentId);
    const heard = this.heard.get(key);
    if (heard === undefined || heard.direction !== signal.direction) return 'new';
    if (this.acted.has(key)) return 'same';
    return signal.conviction > heard.conviction ? 'new' : 'again';
  }

  /** A new signal: heard, not yet acted on. */
  heardNew(analystId: string, signal: Signal): void {
    const key = viewKey(analystId, signal.instrumentId);
    this.heard.set(key, signal);
    this.acted.delete(key);
  }

  actedOn(entry: AnalystSignal): void {
    this.acted.add(viewKey(entry.analystId, entry.signal.instrumentId));
  }

  /** An analyst brought back after its isolation dropped its views: what it says next is heard anew. */
  forget(analystId: string): void {
    for (const key of this.heard.keys()) if (key.startsWith(`${analystId}|`)) this.heard.delete(key);
    for (const key of this.acted) if (key.startsWith(`${analystId}|`)) this.acted.delete(key);
  }
}
