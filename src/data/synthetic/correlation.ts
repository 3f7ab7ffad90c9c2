import { FixRequestError } from '../../core/errors.js';

const SYMMETRY_TOLERANCE = 1e-9;

/**
 * The lower-triangular Cholesky factor L (row-major, n×n) of a correlation matrix, so that L·w has that
 * correlation when w is a vector of independent standard normals. Rejects a matrix that is not square,
 * not symmetric, has a diagonal other than 1, an entry outside [-1, 1], or is not positive definite
 * (e.g. A~B 0.9, B~C 0.9, A~C -0.9 cannot all hold at once).
 */
export function choleskyFactor(matrix: readonly (readonly number[])[]): Float64Array {
  const n = matrix.length;
  const entry = (i: number, j: number): number => {
    const row = matrix[i];
    if (row === undefined || row.length !== n) {
      throw new FixRequestError('invalid_correlation', `the correlation matrix must be ${n}×${n}; row ${i} has ${row?.length ?? 0} entries`);
    }
    const value = row[j] as number;
    if (!Number.isFinite(value) || value < -1 || value > 1) {
      throw new FixRequestError('invalid_correlation', `correlation[${i}][${j}] = ${value} is not in [-1, 1]`);
    }
    return value;
  };
  for (let i = 0; i < n; i++) {
    if (entry(i, i) !== 1) throw new FixRequestError('invalid_correlation', `correlation[${i}][${i}] must be 1, got ${entry(i, i)}`);
    for (let j = 0; j < i; j++) {
      if (Math.abs(entry(i, j) - entry(j, i)) > SYMMETRY_TOLERANCE) {
        throw new FixRequestError('invalid_correlation', `the correlation matrix is not symmetric at [${i}][${j}]`);
      }
    }
  }
  const factor = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = entry(i, j);
      for (let k = 0; k < j; k++) sum -= (factor[i * n + k] as number) * (factor[j * n + k] as number);
      if (i === j) {
        if (sum <= 1e-12) {
          throw new FixRequestError(
            'invalid_correlation',
            `the correlation matrix is not positive definite (pivot ${i} is ${sum.toPrecision(3)}); the pairwise correlations contradict each other`,
          );
        }
        factor[i * n + i] = Math.sqrt(sum);
      } else {
        factor[i * n + j] = sum / (factor[j * n + j] as number);
      }
    }
  }
  return factor;
}

/** The n×n identity: independent instruments. */
export function identityCorrelation(n: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
}
