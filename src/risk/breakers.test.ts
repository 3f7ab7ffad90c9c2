import { describe, expect, it } from 'vitest';
import { fx } from '../core/fixed.js';
import { currency } from '../core/ids.js';
import { DAY_MS, unixMs } from '../core/time.js';
import { advanceMarks, evaluateBreakers, NO_MARKS } from './breakers.js';
import type { RiskLimits } from './limits.js';
import { RiskState } from './risk-state.js';

const DAY1 = unixMs(Date.UTC(2024, 0, 1, 12));
const limits: RiskLimits = {
  dailyLoss: { fraction: fx('0.05'), action: 'HALTED' },
  maxDrawdown: { fraction: fx('0.03'), action: 'REDUCING' },
};

describe('breakers', () => {
  it('tracks the start-of-day equity and the running peak', () => {
    let marks = advanceMarks(NO_MARKS, DAY1, fx('1000'));
    marks = advanceMarks(marks, unixMs(DAY1 + 1000), fx('1100'));
    marks = advanceMarks(marks, unixMs(DAY1 + 2000), fx('1050'));
    expect(marks.dayStartEquity?.toPlainString()).toBe('1000');
    expect(marks.peakEquity?.toPlainString()).toBe('1100');
    marks = advanceMarks(marks, unixMs(DAY1 + DAY_MS), fx('1040'));
    expect(marks.dayStartEquity?.toPlainString()).toBe('1040');
    expect(marks.day).toBe(Date.UTC(2024, 0, 2));
  });

  it('trips the drawdown breaker at exactly the limit, not before', () => {
    const marks = advanceMarks(NO_MARKS, DAY1, fx('1000'));
    expect(evaluateBreakers(marks, fx('970.01'), 'ACTIVE', limits)).toBeUndefined();
    const trip = evaluateBreakers(marks, fx('970'), 'ACTIVE', limits);
    expect(trip?.to).toBe('REDUCING');
    expect(trip?.trigger).toBe('drawdown');
    expect(trip?.reason).toBe('Drawdown of 3% (equity 970 from 1000) reached the 3% limit; the desk moves to REDUCING.');
  });

  it('picks the strictest breaker and never de-escalates', () => {
    const marks = advanceMarks(NO_MARKS, DAY1, fx('1000'));
    expect(evaluateBreakers(marks, fx('940'), 'ACTIVE', limits)?.to).toBe('HALTED');
    expect(evaluateBreakers(marks, fx('960'), 'REDUCING', limits)).toBeUndefined();
    expect(evaluateBreakers(marks, fx('900'), 'HALTED', limits)).toBeUndefined();
  });

  it("takes over a REDUCING the risk watch holds (the watch would lift it), but not one a person or a breaker set", () => {
    const marks = advanceMarks(NO_MARKS, DAY1, fx('1000'));
    expect(evaluateBreakers(marks, fx('960'), 'REDUCING', limits, 'risk-monitor')).toEqual({
      to: 'REDUCING',
      trigger: 'drawdown',
      reason: 'Drawdown of 4% (equity 960 from 1000) reached the 3% limit; the desk, REDUCING under the risk watch, stays REDUCING until resumed.',
    });
    expect(evaluateBreakers(marks, fx('960'), 'REDUCING', limits, 'command')).toBeUndefined();
    expect(evaluateBreakers(marks, fx('960'), 'REDUCING', limits, 'daily-loss')).toBeUndefined();
    expect(evaluateBreakers(marks, fx('960'), 'HALTED', limits, 'risk-monitor')).toBeUndefined();
  });

  it('does not count deposits and withdrawals as gains or losses', () => {
    const state = new RiskState(limits, currency('USDT'));
    state.observeEquity(DAY1, fx('1000'));
    const base = { id: 'e1' as never, tsEvent: DAY1, tsInit: DAY1, owner: 'desk', currency: currency('USDT') };
    state.apply({ ...base, type: 'FundsWithdrawn', amount: fx('500') });
    expect(state.observeEquity(DAY1, fx('500'))).toBeUndefined();
    expect(state.breakerMarks.peakEquity?.toPlainString()).toBe('500');
    state.apply({ ...base, type: 'FundsDeposited', amount: fx('100') });
    expect(state.observeEquity(DAY1, fx('582'))?.to).toBe('REDUCING');
  });
});
