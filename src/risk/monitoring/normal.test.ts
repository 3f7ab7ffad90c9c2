import { describe, expect, it } from 'vitest';
import { normalCdf, normalPdf, normalQuantile } from './normal.js';

describe('normal distribution', () => {
  it('inverts the CDF at the usual VaR confidence levels to ~1e-12', () => {
    expect(normalQuantile(0.95)).toBeCloseTo(1.6448536269514722, 12);
    expect(normalQuantile(0.99)).toBeCloseTo(2.3263478740408408, 12);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 12);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0.05)).toBeCloseTo(-1.6448536269514722, 12);
  });

  it('stays accurate deep in the tails, on both branches of the approximation', () => {
    expect(normalQuantile(0.999)).toBeCloseTo(3.090232306167813, 11);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 9);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.3263478740408408, 12);
  });

  it('round-trips through the CDF', () => {
    for (const p of [0.001, 0.02, 0.3, 0.5, 0.7, 0.9, 0.97, 0.995]) {
      expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 14);
    }
  });

  it('knows the CDF and density at reference points', () => {
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 14);
    expect(normalCdf(-5)).toBeCloseTo(2.866515718791939e-7, 18);
    expect(normalPdf(0)).toBeCloseTo(0.3989422804014327, 15);
  });

  it('rejects probabilities outside (0, 1)', () => {
    expect(() => normalQuantile(0)).toThrow(/strictly between 0 and 1/);
    expect(() => normalQuantile(1)).toThrow(/strictly between 0 and 1/);
    expect(() => normalQuantile(Number.NaN)).toThrow(/strictly between 0 and 1/);
  });
});
