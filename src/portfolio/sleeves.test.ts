import { describe, expect, it } from 'vitest';
import { defineSleeves } from './sleeves.js';

const base = { agentId: 'momentum', currency: 'USDT', maxGrossExposure: '50000', maxDrawdown: '0.2' };

describe('sleeve definitions', () => {
  it('builds exact definitions with default bounds [0, 1]', () => {
    const [a, b] = defineSleeves([
      { id: 'sleeve-a', ...base },
      { id: 'sleeve-b', ...base, agentId: 'carry', minWeight: '0.25', maxWeight: '0.75' },
    ]);
    expect(a?.minWeight.toString()).toBe('0.000000');
    expect(a?.maxWeight.toString()).toBe('1.000000');
    expect(a?.riskBudget.maxGrossExposure.toPlainString()).toBe('50000');
    expect(a?.riskBudget.maxDrawdown.toPlainString()).toBe('0.2');
    expect(b?.agentId).toBe('carry');
    expect(b?.minWeight.toPlainString()).toBe('0.25');
  });

  it('names every bad field by its path', () => {
    expect(() =>
      defineSleeves([
        { id: 'a', ...base, maxDrawdown: '1.5' },
        { id: 'a', ...base, maxGrossExposure: '-1', minWeight: '0.8', maxWeight: '0.3' },
        { id: 'c', ...base, currency: 'usdt!', minWeight: 'x' },
      ]),
    ).toThrow(
      /sleeves\[0\]\.maxDrawdown: must be a fraction in \(0, 1\], got 1\.5.*sleeves\[1\]\.id: "a" is used by another sleeve.*sleeves\[1\]\.maxGrossExposure: must be positive.*sleeves\[1\]\.minWeight: 0\.8 is above maxWeight 0\.3.*sleeves\[2\]\.currency.*sleeves\[2\]\.minWeight/,
    );
  });

  it('refuses bounds that cannot sum to one', () => {
    expect(() => defineSleeves([{ id: 'a', ...base, maxWeight: '0.4' }, { id: 'b', ...base, maxWeight: '0.5' }])).toThrow(
      'sleeves: maximum weights sum to 0.9, less than 1',
    );
    expect(() => defineSleeves([{ id: 'a', ...base, minWeight: '0.6' }, { id: 'b', ...base, minWeight: '0.5' }])).toThrow(
      'sleeves: minimum weights sum to 1.1, more than 1',
    );
    expect(() => defineSleeves([])).toThrow('at least one sleeve');
  });
});
