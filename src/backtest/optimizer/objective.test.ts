import { describe, expect, it } from 'vitest';
import { FixRequestError } from '../../core/errors.js';
import { parseObjective, ranksAbove } from './objective.js';

describe('objective', () => {
  it('parses a metric with its natural direction, or an explicit one', () => {
    expect(parseObjective('sharpe')).toEqual({ metric: 'sharpe', direction: 'max' });
    expect(parseObjective('maxDrawdown')).toEqual({ metric: 'maxDrawdown', direction: 'min' });
    expect(parseObjective('totalReturn:min')).toEqual({ metric: 'totalReturn', direction: 'min' });
    expect(parseObjective('calmar', 'min')).toEqual({ metric: 'calmar', direction: 'min' });
  });

  it('refuses unknown metrics and directions', () => {
    expect(() => parseObjective('fingerprint')).toThrow(FixRequestError);
    expect(() => parseObjective('toString')).toThrow('unknown objective "toString"');
    expect(() => parseObjective('sharpe:up')).toThrow('objective direction must be max or min, got "up"');
  });

  it('ranks by score in the direction, NaN last, ties to the lower trial index', () => {
    expect(ranksAbove(2, 5, 1, 0, 'max')).toBe(true);
    expect(ranksAbove(2, 5, 1, 0, 'min')).toBe(false);
    expect(ranksAbove(1, 3, 1, 4, 'max')).toBe(true);
    expect(ranksAbove(1, 4, 1, 3, 'max')).toBe(false);
    expect(ranksAbove(-100, 9, Number.NaN, 0, 'max')).toBe(true);
    expect(ranksAbove(Number.NaN, 0, -100, 9, 'min')).toBe(false);
    expect(ranksAbove(Number.NaN, 0, Number.NaN, 1, 'max')).toBe(true);
    expect(ranksAbove(Number.POSITIVE_INFINITY, 2, 1e300, 1, 'max')).toBe(true);
  });
});
