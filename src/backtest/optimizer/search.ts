/**
 * Candidate parameter sets: the full grid (last axis varying fastest, axes in declaration order) or seeded random
 * samples. Both are pure functions of their inputs, so the candidate list, and hence every trial index, is the
 * same on every machine and for any number of workers.
 */
import { FixRequestError } from '../../core/errors.js';
import { SeededRandom } from '../../core/random.js';
import type { StrategyParameters } from '../../strategies/strategy.js';
import { axisValues, gridSize, parameterKey, type ParameterAxis, type ParameterSpace, type ParameterValue } from './parameter-space.js';

export type SearchMethod =
  | { readonly method: 'grid'; readonly maxTrials?: number }
  | { readonly method: 'random'; readonly samples: number; readonly seed: number };

/** Default cap on the number of grid points: beyond it the grid is refused rather than run for hours. */
export const DEFAULT_MAX_GRID_TRIALS = 10_000;

/** Random search gives up looking for new distinct points after this many draws per requested sample. */
const DRAWS_PER_SAMPLE = 100;

export function candidates(space: ParameterSpace, search: SearchMethod): StrategyParameters[] {
  return search.method === 'grid' ? enumerateGrid(space, search.maxTrials) : sampleRandom(space, search.samples, search.seed);
}

/** Every combination of the axes' values; refuses a continuous axis and a grid larger than `maxTrials`. */
export function enumerateGrid(space: ParameterSpace, maxTrials = DEFAULT_MAX_GRID_TRIALS): StrategyParameters[] {
  const continuous = space.axes.filter((axis) => axisValues(axis.domain) === undefined);
  if (continuous.length > 0) {
    const names = continuous.map((axis) => axis.name).join(', ');
    throw new FixRequestError(
      'continuous_grid_axis',
      `a grid needs a step for real-valued ranges (name=min:max:step): ${names}; or use random search`,
    );
  }
  const size = gridSize(space);
  if (size > maxTrials) {
    throw new FixRequestError(
      'grid_too_large',
      `the grid has ${size.toLocaleString('en-US')} combinations, more than the cap of ${maxTrials.toLocaleString('en-US')}; ` +
        'narrow the ranges, widen the steps, raise the cap, or use random search with a number of samples',
    );
  }
  const columns = space.axes.map((axis) => axisValues(axis.domain) as readonly ParameterValue[]);
  const result: StrategyParameters[] = [];
  const position = columns.map(() => 0);
  for (let n = 0; n < size; n++) {
    const params: Record<string, ParameterValue> = {};
    space.axes.forEach((axis, i) => {
      params[axis.name] = (columns[i] as readonly ParameterValue[])[position[i] as number] as ParameterValue;
    });
    result.push(params);
    for (let i = columns.length - 1; i >= 0; i--) {
      position[i] = (position[i] as number) + 1;
      if ((position[i] as number) < (columns[i] as readonly ParameterValue[]).length) break;
      position[i] = 0;
    }
  }
  return result;
}

/**
 * Up to `samples` distinct parameter sets drawn with a SeededRandom: lists and stepped ranges pick one of their
 * values uniformly (an integer range without a step: every integer in [min, max]), real ranges a float in
 * [min, max). When the whole
 * (discrete) space has no more points than `samples`, it is returned in grid order instead; duplicates drawn are
 * skipped, so fewer sets come back only if new points stop turning up.
 */
export function sampleRandom(space: ParameterSpace, samples: number, seed: number): StrategyParameters[] {
  if (!(Number.isInteger(samples) && samples >= 1)) {
    throw new FixRequestError('invalid_samples', `random search needs a whole number of samples >= 1, got ${samples}`);
  }
  if (!Number.isInteger(seed)) throw new FixRequestError('invalid_seed', `the seed must be an integer, got ${seed}`);
  if (gridSize(space) <= samples) return enumerateGrid(space, samples);
  const random = new SeededRandom(seed);
  const seen = new Set<string>();
  const result: StrategyParameters[] = [];
  for (let draw = 0; draw < samples * DRAWS_PER_SAMPLE && result.length < samples; draw++) {
    const params: Record<string, ParameterValue> = {};
    for (const axis of space.axes) params[axis.name] = drawValue(axis, random);
    const key = parameterKey(params);
    if (seen.has(key)) continue;
    seen.add(key);
    result.push(params);
  }
  return result;
}

function drawValue(axis: ParameterAxis, random: SeededRandom): ParameterValue {
  const values = axisValues(axis.domain);
  if (values !== undefined) return values[values.length === 1 ? 0 : random.int(0, values.length - 1)] as ParameterValue;
  // Only real-valued ranges are continuous (an integer range always lists its values).
  const domain = axis.domain as { min: number; max: number };
  return domain.min + random.next() * (domain.max - domain.min);
}
