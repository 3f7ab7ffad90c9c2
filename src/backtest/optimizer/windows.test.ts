import { describe, expect, it } from 'vitest';
import { FixRequestError } from '../../core/errors.js';
import { finalSelectionRange, parseWalkForward, unusedTailBars, walkForwardWindows } from './windows.js';

function thrown(fn: () => unknown): FixRequestError {
  try {
    fn();
  } catch (error) {
    if (error instanceof FixRequestError) return error;
    throw error;
  }
  throw new Error('expected a FixRequestError');
}

describe('walk-forward windows', () => {
  it('rolls a fixed in-sample length forward by the out-of-sample length', () => {
    const options = { mode: 'rolling', inSampleBars: 100, outOfSampleBars: 30 } as const;
    expect(walkForwardWindows(200, options)).toEqual([
      { index: 0, inSample: { from: 0, to: 100 }, outOfSample: { from: 100, to: 130 } },
      { index: 1, inSample: { from: 30, to: 130 }, outOfSample: { from: 130, to: 160 } },
      { index: 2, inSample: { from: 60, to: 160 }, outOfSample: { from: 160, to: 190 } },
    ]);
    expect(unusedTailBars(200, options)).toBe(10);
    expect(finalSelectionRange(200, options)).toEqual({ from: 100, to: 200 });
  });

  it('anchors the in-sample range at the first bar and grows it', () => {
    const options = { mode: 'anchored', inSampleBars: 100, outOfSampleBars: 50 } as const;
    expect(walkForwardWindows(250, options)).toEqual([
      { index: 0, inSample: { from: 0, to: 100 }, outOfSample: { from: 100, to: 150 } },
      { index: 1, inSample: { from: 0, to: 150 }, outOfSample: { from: 150, to: 200 } },
      { index: 2, inSample: { from: 0, to: 200 }, outOfSample: { from: 200, to: 250 } },
    ]);
    expect(unusedTailBars(250, options)).toBe(0);
    expect(finalSelectionRange(250, options)).toEqual({ from: 0, to: 250 });
  });

  it('makes one window when the data holds exactly one', () => {
    expect(walkForwardWindows(10, { mode: 'rolling', inSampleBars: 7, outOfSampleBars: 3 })).toEqual([
      { index: 0, inSample: { from: 0, to: 7 }, outOfSample: { from: 7, to: 10 } },
    ]);
  });

  it('refuses windows that do not fit the data or are not whole bar counts', () => {
    const short = thrown(() => walkForwardWindows(120, { mode: 'rolling', inSampleBars: 100, outOfSampleBars: 30 }));
    expect(short.code).toBe('invalid_walk_forward');
    expect(short.message).toBe('walk-forward: the series has 120 bars; one walk-forward window needs 100 in-sample + 30 out-of-sample = 130');
    const bad = thrown(() => walkForwardWindows(1000, { mode: 'rolling', inSampleBars: 1, outOfSampleBars: 2.5 }));
    expect(bad.message).toContain('the in-sample length must be a whole number of bars >= 2, got 1');
    expect(bad.message).toContain('the out-of-sample length must be a whole number of bars >= 2, got 2.5');
  });

  it('parses bar counts and durations', () => {
    expect(parseWalkForward('rolling:20000:5000', 60_000)).toEqual({ mode: 'rolling', inSampleBars: 20000, outOfSampleBars: 5000 });
    expect(parseWalkForward('anchored:90d:30d', 3_600_000)).toEqual({ mode: 'anchored', inSampleBars: 2160, outOfSampleBars: 720 });
    expect(thrown(() => parseWalkForward('sliding:10:5', 60_000)).message).toContain('is not mode:in-sample:out-of-sample');
    expect(thrown(() => parseWalkForward('rolling:90m:1h', 3_600_000)).message).toBe(
      'walk-forward in-sample length 90m is not a whole number of bars of 3600000 ms',
    );
  });
});
