import { describe, expect, it } from 'vitest';
import { FixRequestError } from '../../core/errors.js';
import type { ParameterSpec } from '../../strategies/strategy.js';
import { parseParameterSpace } from './parameter-space.js';
import { enumerateGrid, sampleRandom } from './search.js';

const SPECS: ParameterSpec[] = [
  { name: 'fast', description: 'fast average', default: 10, min: 1, max: 1000, integer: true },
  { name: 'slow', description: 'slow average', default: 30, min: 1, max: 1000, integer: true },
  { name: 'band', description: 'entry band', default: 0.01, min: 0, max: 1 },
  { name: 'mode', description: 'exit mode', default: 'long-only', choices: ['long-only', 'reversal'] },
];

function thrown(fn: () => unknown): FixRequestError {
  try {
    fn();
  } catch (error) {
    if (error instanceof FixRequestError) return error;
    throw error;
  }
  throw new Error('expected a FixRequestError');
}

describe('grid search', () => {
  it('enumerates every combination with the last parameter varying fastest', () => {
    const space = parseParameterSpace(SPECS, ['fast=5:10:5', 'slow=20,40', 'mode=long-only,reversal']);
    expect(enumerateGrid(space)).toEqual([
      { fast: 5, slow: 20, band: 0.01, mode: 'long-only' },
      { fast: 5, slow: 20, band: 0.01, mode: 'reversal' },
      { fast: 5, slow: 40, band: 0.01, mode: 'long-only' },
      { fast: 5, slow: 40, band: 0.01, mode: 'reversal' },
      { fast: 10, slow: 20, band: 0.01, mode: 'long-only' },
      { fast: 10, slow: 20, band: 0.01, mode: 'reversal' },
      { fast: 10, slow: 40, band: 0.01, mode: 'long-only' },
      { fast: 10, slow: 40, band: 0.01, mode: 'reversal' },
    ]);
  });

  it('is the single default point when nothing is searched', () => {
    expect(enumerateGrid(parseParameterSpace(SPECS, []))).toEqual([{ fast: 10, slow: 30, band: 0.01, mode: 'long-only' }]);
  });

  it('refuses a grid above the cap, naming its size', () => {
    const space = parseParameterSpace(SPECS, ['fast=1:1000', 'slow=1:1000']);
    const error = thrown(() => enumerateGrid(space, 50_000));
    expect(error.code).toBe('grid_too_large');
    expect(error.message).toContain('the grid has 1,000,000 combinations, more than the cap of 50,000');
    expect(enumerateGrid(parseParameterSpace(SPECS, ['fast=1:10', 'slow=1:10']), 100)).toHaveLength(100);
  });

  it('refuses a continuous axis', () => {
    const error = thrown(() => enumerateGrid(parseParameterSpace(SPECS, ['band=0:0.5'])));
    expect(error.code).toBe('continuous_grid_axis');
    expect(error.message).toContain('band');
  });
});

describe('random search', () => {
  const space = parseParameterSpace(SPECS, ['fast=2:50', 'slow=10:200:10', 'band=0:0.5', 'mode=long-only,reversal']);

  it('draws the same distinct samples for the same seed, inside the space', () => {
    const a = sampleRandom(space, 40, 7);
    expect(sampleRandom(space, 40, 7)).toEqual(a);
    expect(sampleRandom(space, 40, 8)).not.toEqual(a);
    expect(a).toHaveLength(40);
    expect(new Set(a.map((p) => JSON.stringify(p))).size).toBe(40);
    for (const params of a) {
      const fast = params.fast as number;
      const slow = params.slow as number;
      const band = params.band as number;
      expect(Number.isInteger(fast) && fast >= 2 && fast <= 50).toBe(true);
      expect(slow % 10 === 0 && slow >= 10 && slow <= 200).toBe(true);
      expect(band >= 0 && band < 0.5).toBe(true);
      expect(['long-only', 'reversal']).toContain(params.mode);
    }
  });

  it('returns the whole grid when it is no larger than the number of samples', () => {
    const small = parseParameterSpace(SPECS, ['fast=2:4', 'mode=long-only,reversal']);
    expect(sampleRandom(small, 10, 1)).toEqual(enumerateGrid(small));
  });

  it('refuses a bad sample count or seed', () => {
    expect(thrown(() => sampleRandom(space, 0, 1)).code).toBe('invalid_samples');
    expect(thrown(() => sampleRandom(space, 2.5, 1)).code).toBe('invalid_samples');
    expect(thrown(() => sampleRandom(space, 5, 0.5)).code).toBe('invalid_seed');
  });
});
