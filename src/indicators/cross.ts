/**
 * Crossover and crossunder of two series.
 *
 * Convention: the side of a against b is the sign of a - b, and equality carries the last non-zero difference
 * forward. So a crossover is reported on the bar where a - b turns positive after its last non-zero value was
 * negative (below, equal, equal, above crosses once, on the last bar; below, equal, below never crosses), and a
 * crossunder mirrors it. Before the first non-zero difference there is no side, so the first side taken is not a
 * cross. An update where either input is NaN (or undefined, e.g. an indicator still warming up) is skipped.
 */

import { rejectUpdateArguments } from './indicator.js';

export type CrossEvent = 'over' | 'under' | 'none';

export class CrossDetector {
  /** +1 when a was last seen above b, -1 when below, 0 before the first non-zero difference. */
  private currentSide: 1 | -1 | 0 = 0;
  private lastEvent: CrossEvent = 'none';

  update(a: number | undefined, b: number | undefined): CrossEvent {
    if (typeof a !== 'number' || typeof b !== 'number') {
      this.lastEvent = 'none';
      if (a === undefined || b === undefined) return 'none';
      rejectUpdateArguments('CrossDetector.update', 'a, b', a, b);
    }
    return this.updateDifference(a - b);
  }

  /**
   * Takes the side already decided: `difference` is a - b, or any number with its sign (as `SMA.compareTo` gives,
   * deciding on exact sums where a - b of two rounded values could mislead). NaN is skipped like a missing input.
   */
  updateDifference(difference: number): CrossEvent {
    if (typeof difference !== 'number') rejectUpdateArguments('CrossDetector.updateDifference', 'difference', difference);
    this.lastEvent = 'none';
    if (difference > 0) {
      if (this.currentSide === -1) this.lastEvent = 'over';
      this.currentSide = 1;
    } else if (difference < 0) {
      if (this.currentSide === 1) this.lastEvent = 'under';
      this.currentSide = -1;
    }
    return this.lastEvent;
  }

  /** What the last update reported. */
  get event(): CrossEvent {
    return this.lastEvent;
  }

  get crossedOver(): boolean {
    return this.lastEvent === 'over';
  }

  get crossedUnder(): boolean {
    return this.lastEvent === 'under';
  }

  /** +1 above, -1 below (equality keeps the last side), 0 before any difference. */
  get side(): 1 | -1 | 0 {
    return this.currentSide;
  }

  reset(): void {
    this.currentSide = 0;
    this.lastEvent = 'none';
  }
}
