import { describe, expect, it } from 'vitest';
import { fx } from '../core/fixed.js';
import { DAY_MS, unixMs } from '../core/time.js';
import { goalProgress, type DeskGoals } from './goals.js';

const start = unixMs(Date.UTC(2024, 0, 1));
const day = (n: number) => unixMs(start + n * DAY_MS);
const goals: DeskGoals = { targetReturn: fx('0.1'), drawdownCeiling: fx('0.05'), startTs: start, deadline: day(100) };
const series = (...values: string[]) => values.map((v, i) => ({ ts: day(i), equity: fx(v) }));

describe('desk goals', () => {
  it('reports return, drawdowns and on-track status exactly', () => {
    const report = goalProgress(goals, series('100000', '104000', '102960', '106000'), day(50));
    expect(report.returnSoFar.toPlainString()).toBe('0.06');
    expect(report.maxDrawdown.toPlainString()).toBe('0.01');
    expect(report.currentDrawdown.toPlainString()).toBe('0');
    expect(report.status).toBe('on-track'); // pace at half time: 1.1^0.5 - 1 = 4.88%
    expect(report.daysLeft).toBe(50);
    expect(report.requiredDailyReturn).toBeCloseTo((1.1 / 1.06) ** (1 / 50) - 1, 12);
    expect(report.sentences[0]).toBe('Return so far 6.00% against a target of 10.00% by 2024-04-10T00:00:00.000Z.');
    // Its drawdowns are of the equity read at the reviews, not bar by bar as the run's max drawdown: the sentence says so.
    expect(report.sentences[1]).toBe('Drawdown now 0.00%, worst 1.00% (equity read at each review), ceiling 5.00%.');
  });

  it('is behind when the return lags the compound pace', () => {
    expect(goalProgress(goals, series('100000', '102000'), day(50)).status).toBe('behind');
  });

  it('is breached above the drawdown ceiling, whatever the return', () => {
    const report = goalProgress(goals, series('100000', '120000', '113000', '121000'), day(10));
    expect(report.maxDrawdown.toPlainString()).toBe('0.05833333');
    expect(report.status).toBe('breached');
  });

  it('is achieved at the target and expired past the deadline short of it', () => {
    expect(goalProgress(goals, series('100000', '110000'), day(20)).status).toBe('achieved');
    const late = goalProgress(goals, series('100000', '105000'), day(101));
    expect(late.status).toBe('expired');
    expect(late.requiredDailyReturn).toBeUndefined();
  });

  it('measures from the first point at the start, and freezes the outcome at the deadline', () => {
    const before = [{ ts: unixMs(start - DAY_MS), equity: fx('80000') }, ...series('100000', '101000')];
    const report = goalProgress(goals, before, day(1));
    expect(report.returnSoFar.toPlainString()).toBe('0.01');
    expect(report.maxDrawdown.toPlainString()).toBe('0');
    const after = [...series('100000', '105000'), { ts: day(120), equity: fx('130000') }, { ts: day(130), equity: fx('60000') }];
    const frozen = goalProgress(goals, after, day(130));
    expect(frozen.status).toBe('expired');
    expect(frozen.returnSoFar.toPlainString()).toBe('0.05');
  });
});
