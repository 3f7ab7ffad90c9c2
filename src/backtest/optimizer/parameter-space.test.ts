import { describe, expect, it } from 'vitest';
import { FixRequestError } from '../../core/errors.js';
import type { ParameterSpec } from '../../strategies/strategy.js';
import { axisValues, gridSize, parseParameterSpace, searchedParameters } from './parameter-space.js';

const SPECS: ParameterSpec[] = [
  { name: 'fast', description: 'fast average', default: 10, min: 2, max: 100, integer: true },
  { name: 'slow', description: 'slow average', default: 30, min: 3, max: 400, integer: true },
  { name: 'band', description: 'entry band', default: 0.01, min: 0, max: 1 },
  { name: 'mode', description: 'what to do on a sell signal', default: 'long-only', choices: ['long-only', 'reversal', 'short-only'] },
];

function problemsOf(args: string[]): string {
  try {
    parseParameterSpace(SPECS, args);
  } catch (error) {
    expect(error).toBeInstanceOf(FixRequestError);
    expect((error as FixRequestError).code).toBe('invalid_parameter_space');
    return (error as Error).message;
  }
  throw new Error('expected the space to be refused');
}

describe('parameter space parsing', () => {
  it('reads ranges with steps, lists and fixed values, and keeps defaults for the rest', () => {
    const space = parseParameterSpace(SPECS, ['fast=5:50:5', 'mode=long-only,reversal', 'band=0.02']);
    expect(space.axes.map((a) => a.name)).toEqual(['fast', 'slow', 'band', 'mode']);
    expect(axisValues(space.axes[0]!.domain)).toEqual([5, 10, 15, 20, 25, 30, 35, 40, 45, 50]);
    expect(space.axes[1]!.domain).toEqual({ kind: 'fixed', value: 30 });
    expect(space.axes[2]!.domain).toEqual({ kind: 'fixed', value: 0.02 });
    expect(space.axes[3]!.domain).toEqual({ kind: 'list', values: ['long-only', 'reversal'] });
    expect(gridSize(space)).toBe(20);
    expect(searchedParameters(space)).toEqual(['fast', 'mode']);
  });

  it('gives decimal steps without float noise and stops at max when the step does not divide the range', () => {
    const space = parseParameterSpace(SPECS, ['band=0.1:0.5:0.1', 'slow=20:45:10']);
    expect(axisValues(space.axes[2]!.domain)).toEqual([0.1, 0.2, 0.3, 0.4, 0.5]);
    // Steps in exponent notation keep their decimals (2e-1 is 0.2, not a step rounded to whole numbers).
    expect(axisValues(parseParameterSpace(SPECS, ['band=0:1:2e-1']).axes[2]!.domain)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(axisValues(parseParameterSpace(SPECS, ['band=2.5e-1:1:2.5E-1']).axes[2]!.domain)).toEqual([0.25, 0.5, 0.75, 1]);
    expect(axisValues(space.axes[1]!.domain)).toEqual([20, 30, 40]);
  });

  it('takes every integer of an integer range without a step, and keeps a real range without a step continuous', () => {
    const space = parseParameterSpace(SPECS, ['fast=3:6', 'band=0:0.5']);
    expect(axisValues(space.axes[0]!.domain)).toEqual([3, 4, 5, 6]);
    expect(space.axes[2]!.domain).toEqual({ kind: 'range', min: 0, max: 0.5, integer: false });
    expect(gridSize(space)).toBe(Number.POSITIVE_INFINITY);
  });

  it('reads numeric lists as numbers', () => {
    const space = parseParameterSpace(SPECS, ['slow=50,100,200']);
    expect(space.axes[1]!.domain).toEqual({ kind: 'list', values: [50, 100, 200] });
  });

  it('reports every bad argument at once', () => {
    const message = problemsOf(['speed=3', 'fast=1:20', 'slow=20.5', 'mode=sideways', 'band=x', 'fast=4', 'noequals']);
    expect(message).toContain('unknown parameter "speed" (known: fast, slow, band, mode)');
    expect(message).toContain('parameter "fast" must be at least 2; got 1');
    expect(message).toContain('parameter "slow" is an integer; 20.5 is not');
    expect(message).toContain('parameter "mode" must be one of long-only, reversal, short-only; got "sideways"');
    expect(message).toContain('parameter "band" is a number; "x" is not');
    expect(message).toContain('parameter "fast" is given twice');
    expect(message).toContain('"noequals" is not name=value');
  });

  it('refuses malformed ranges', () => {
    expect(problemsOf(['fast=50:5'])).toContain('range "50:5" has min above max');
    expect(problemsOf(['fast=5:50:0'])).toContain('step must be positive, got 0');
    expect(problemsOf(['fast=5:50:2.5'])).toContain('parameter "fast" is an integer; step 2.5 is not');
    expect(problemsOf(['fast=5:50:5:1'])).toContain('is not min:max or min:max:step');
    expect(problemsOf(['fast=5:abc'])).toContain('has a part that is not a number');
    expect(problemsOf(['mode=a:b'])).toContain('parameter "mode" takes a value from a list, not a range "a:b"');
    expect(problemsOf(['slow=50,50'])).toContain('list "50,50" has 50 twice');
    // Each repeated value is named once, with its count.
    const thrice = problemsOf(['slow=5,05,5.0']);
    expect(thrice).toContain('list "5,05,5.0" has 5 3 times');
    expect(thrice).not.toContain('twice');
    // A step finer than a double resolves repeats values, which would each count as a trial.
    expect(problemsOf(['band=0.5:0.500000000000001:0.0000000000000001'])).toContain('range "0.5:0.500000000000001:0.0000000000000001" repeats values: its step 1e-16 is finer than the numbers can tell apart');
    expect(problemsOf(['fast=0x5'])).toContain('parameter "fast" is a number; "0x5" is not');
    expect(problemsOf(['band=0:1:0.0000001'])).toContain('more than 1000000');
  });
});
