import { describe, expect, it } from 'vitest';
import { CrossDetector } from './cross.js';

const events = (pairs: readonly [number | undefined, number | undefined][]): string[] => {
  const cross = new CrossDetector();
  return pairs.map(([a, b]) => cross.update(a, b));
};

describe('CrossDetector', () => {
  it('reports a crossover on the bar a goes above b, and a crossunder on the bar it goes below', () => {
    expect(events([[1, 2], [3, 2], [4, 2], [1, 2], [0, 2]])).toEqual(['none', 'over', 'none', 'under', 'none']);
  });

  it('carries the last non-zero difference through equality: below, equal, equal, above crosses once, at the end', () => {
    expect(events([[1, 2], [2, 2], [2, 2], [3, 2]])).toEqual(['none', 'none', 'none', 'over']);
  });

  it('does not count touching and turning back as a cross', () => {
    expect(events([[1, 2], [2, 2], [1, 2]])).toEqual(['none', 'none', 'none']);
    expect(events([[3, 2], [2, 2], [3, 2]])).toEqual(['none', 'none', 'none']);
    expect(events([[3, 2], [2, 2], [2, 2], [1, 2]])).toEqual(['none', 'none', 'none', 'under']);
  });

  it('takes no side before the first non-zero difference, so the first side is not a cross', () => {
    const cross = new CrossDetector();
    expect(cross.update(2, 2)).toBe('none');
    expect(cross.side).toBe(0);
    expect(cross.update(3, 2)).toBe('none');
    expect(cross.side).toBe(1);
    expect(cross.update(1, 2)).toBe('under');
    expect(cross.crossedUnder).toBe(true);
    expect(cross.crossedOver).toBe(false);
    expect(cross.event).toBe('under');
  });

  it('skips bars where an input is missing or NaN, keeping the side', () => {
    expect(events([[1, 2], [undefined, 2], [Number.NaN, 2], [3, undefined], [3, 2]])).toEqual(['none', 'none', 'none', 'none', 'over']);
  });

  it('takes a side decided elsewhere: any number with the sign of a - b, NaN skipped', () => {
    const cross = new CrossDetector();
    expect([-1, 0, Number.NaN, 1, 1e-300, -2].map((difference) => cross.updateDifference(difference))).toEqual(['none', 'none', 'none', 'over', 'none', 'under']);
    expect(cross.side).toBe(-1);
  });

  it('forgets its side on reset', () => {
    const cross = new CrossDetector();
    cross.update(1, 2);
    cross.reset();
    expect(cross.update(3, 2)).toBe('none');
  });
});
