import { describe, expect, it } from 'vitest';
import { poolSize } from '../../../adapters/workers/run-optimization.js';
import { MAX_WORKERS, workersOption } from './optimize.js';

describe('the optimizer\'s worker threads', () => {
  it(`takes --workers as a whole number from 1 to ${MAX_WORKERS}`, () => {
    expect(workersOption('4')).toBe(4);
    expect(() => workersOption('100000')).toThrow(`--workers must be at most ${MAX_WORKERS}, got 100000`);
    expect(() => workersOption('0x10')).toThrow('--workers must be a positive integer, got "0x10"');
    expect(() => workersOption('0')).toThrow('--workers must be a positive integer, got "0"');
  });

  it('starts no more threads than the parameter sets a search tries', () => {
    expect(poolSize(64, 4)).toBe(4);
    expect(poolSize(2, 24)).toBe(2);
    expect(poolSize(8, 0)).toBe(1);
  });
});
