import { describe, expect, it } from 'vitest';
import { incompleteBeta, studentTCdf, studentTQuantile } from './student-t.js';

describe('Student t', () => {
  it('gives the tabled two-sided 95% and 90% critical values', () => {
    // Standard tables (e.g. NIST/SEMATECH e-Handbook 1.3.6.7.2), to their printed precision.
    const table: [number, number, number][] = [
      [1, 12.706, 6.314],
      [2, 4.303, 2.92],
      [3, 3.182, 2.353],
      [5, 2.571, 2.015],
      [9, 2.262, 1.833],
      [29, 2.045, 1.699],
      [100, 1.984, 1.66],
    ];
    for (const [df, t975, t95] of table) {
      expect(studentTQuantile(0.975, df)).toBeCloseTo(t975, 3);
      expect(studentTQuantile(0.95, df)).toBeCloseTo(t95, 3);
      expect(studentTQuantile(0.025, df)).toBeCloseTo(-t975, 3);
    }
  });

  it('agrees with the closed forms for 1 and 2 degrees of freedom', () => {
    for (const t of [-3, -0.5, 0, 0.7, 2, 10]) {
      expect(studentTCdf(t, 1)).toBeCloseTo(0.5 + Math.atan(t) / Math.PI, 12);
      expect(studentTCdf(t, 2)).toBeCloseTo(0.5 + t / (2 * Math.sqrt(2 + t * t)), 12);
    }
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(Math.tan(Math.PI * 0.475), 9);
  });

  it('has the incomplete beta of its definition at the edges and I_x(1, 1) = x', () => {
    expect(incompleteBeta(0, 2, 3)).toBe(0);
    expect(incompleteBeta(1, 2, 3)).toBe(1);
    expect(incompleteBeta(0.3, 1, 1)).toBeCloseTo(0.3, 14);
    // I_x(2, 1) = x^2.
    expect(incompleteBeta(0.6, 2, 1)).toBeCloseTo(0.36, 14);
  });
});
