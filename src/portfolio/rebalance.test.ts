import { describe, expect, it } from 'vitest';
import { fx } from '../core/fixed.js';
import { rebalancePlan } from './rebalance.js';

const map = (entries: Record<string, string>) => new Map(Object.entries(entries).map(([k, v]) => [k, fx(v)]));

describe('rebalance plan', () => {
  it('moves the excess from the sleeve above target to the one below, with a reason', () => {
    const plan = rebalancePlan(map({ a: '0.5', b: '0.5' }), map({ a: '60000', b: '40000' }), map({ a: '25000', b: '40000' }), fx('100000'), {
      scale: 6,
      minTransfer: fx('10'),
    });
    expect(plan.transfers.map((t) => [t.from, t.to, t.amount.toPlainString()])).toEqual([['a', 'b', '10000']]);
    expect(plan.transfers[0]?.reason).toBe(
      "a holds 60000 against a target of 50000 (weight 0.5); b holds 40000 against a target of 50000 (weight 0.5); moving 10000 from a's available cash to b.",
    );
  });

  it('is limited by available cash and rounds targets down to the currency scale', () => {
    const plan = rebalancePlan(
      map({ a: '0.333334', b: '0.333333', c: '0.333333' }),
      map({ a: '80', b: '10', c: '10.01' }),
      map({ a: '30', b: '10', c: '10.01' }),
      fx('100.01'),
      { scale: 2, minTransfer: fx('1') },
    );
    // targets: a 33.33 (100.01 x 0.333334 = 33.3367...), b 33.33, c 33.33
    expect(plan.targets.get('a')?.toPlainString()).toBe('33.33');
    expect(plan.transfers.map((t) => [t.from, t.to, t.amount.toPlainString()])).toEqual([
      ['a', 'b', '23.33'],
      ['a', 'c', '6.67'],
    ]);
    expect(plan.notes).toEqual(['a is 46.67 above target but has only 30 available cash']);
  });

  it('skips transfers below the minimum and never draws on a sleeve without cash', () => {
    const plan = rebalancePlan(map({ a: '0.5', b: '0.5' }), map({ a: '100.5', b: '99.5' }), map({ a: '100.5', b: '0' }), fx('200'), {
      scale: 6,
      minTransfer: fx('1'),
    });
    expect(plan.transfers).toEqual([]);
    expect(plan.notes).toEqual(['skipped moving 0.5 from a to b: below the minimum transfer of 1']);
    const none = rebalancePlan(map({ a: '0.5', b: '0.5' }), map({ a: '150', b: '50' }), map({ a: '0', b: '50' }), fx('200'), {
      scale: 6,
      minTransfer: fx('1'),
    });
    expect(none.transfers).toEqual([]);
    expect(none.notes).toEqual(['a is 50 above target but has only 0 available cash']);
  });

  it('moves no capital into a sleeve that may not open a position, and says so', () => {
    const plan = rebalancePlan(map({ a: '0.5', b: '0.5', c: '0' }), map({ a: '40000', b: '40000', c: '20000' }), map({ a: '40000', b: '40000', c: '20000' }), fx('100000'), {
      scale: 6,
      minTransfer: fx('10'),
      noInflow: new Map([['a', 'a is REDUCING (past its drawdown budget)']]),
    });
    // c's 20000 go to b alone: a is below its target as well, but would hold the money idle.
    expect(plan.transfers.map((t) => [t.from, t.to, t.amount.toPlainString()])).toEqual([['c', 'b', '10000']]);
    expect(plan.notes).toContain('a is 10000 below target but receives no new capital: a is REDUCING (past its drawdown budget)');
  });
});
