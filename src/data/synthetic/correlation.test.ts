import { describe, expect, it } from 'vitest';
import { choleskyFactor, identityCorrelation } from './correlation.js';

describe('choleskyFactor', () => {
  it('factors a 2×2 correlation as [[1, 0], [ρ, √(1-ρ²)]]', () => {
    expect(Array.from(choleskyFactor([[1, 0.6], [0.6, 1]]))).toEqual([1, 0, 0.6, 0.8]);
  });

  it('reproduces the matrix: L·Lᵀ = C', () => {
    const matrix = [
      [1, 0.8, -0.3],
      [0.8, 1, 0.1],
      [-0.3, 0.1, 1],
    ];
    const factor = choleskyFactor(matrix);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        let sum = 0;
        for (let k = 0; k < 3; k++) sum += factor[i * 3 + k]! * factor[j * 3 + k]!;
        expect(sum).toBeCloseTo(matrix[i]![j]!, 12);
      }
    }
  });

  it('leaves independent instruments independent', () => {
    expect(Array.from(choleskyFactor(identityCorrelation(3)))).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
  });

  it('refuses correlations that contradict each other', () => {
    const impossible = [
      [1, 0.9, -0.9],
      [0.9, 1, 0.9],
      [-0.9, 0.9, 1],
    ];
    expect(() => choleskyFactor(impossible)).toThrow('not positive definite');
  });

  it('refuses malformed matrices, naming the entry', () => {
    expect(() => choleskyFactor([[1, 0.5], [0.4, 1]])).toThrow('not symmetric at [1][0]');
    expect(() => choleskyFactor([[0.9, 0], [0, 1]])).toThrow('correlation[0][0] must be 1');
    expect(() => choleskyFactor([[1, 1.5], [1.5, 1]])).toThrow('is not in [-1, 1]');
    expect(() => choleskyFactor([[1, 0], [0]])).toThrow('must be 2×2');
  });
});
