import type { AnalystSignal } from '../../agents/decision-modes/index.js';

/**
 * What a sleeve in REDUCING acts on of a view: a flat view as it is; a view against the sleeve's position (a reversal
 * strategy never says flat) as the close it holds, since closing only reduces; a view that would open or add,
 * nothing (undefined). `held` is the sleeve's signed position in the view's instrument.
 */
export function settledWhileReducing(entry: AnalystSignal, held: number): AnalystSignal | undefined {
  const direction = entry.signal.direction;
  if (direction === 'flat') return entry;
  const against = direction === 'long' ? held < 0 : held > 0;
  if (!against) return undefined;
  return { ...entry, signal: { ...entry.signal, direction: 'flat', reason: `${entry.signal.reason}; REDUCING: acted on as a close` } };
}
