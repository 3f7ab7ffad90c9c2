import { describe, expect, it } from 'vitest';
import { FixRequestError } from '../../core/errors.js';
import { DEFAULT_JUDGE_CONFIG, evaluate, type AgentRecord, type JudgeConfig } from './judge.js';
import { DEFAULT_SCORECARD_CONFIG, type ResolvedDecision } from './scorecard.js';
import { initialModeState } from './mode-policy.js';

const eq = (values: number[]): Float64Array => Float64Array.from(values);
const d = (direction: ResolvedDecision['direction'], conviction: number, outcomeReturn: number): ResolvedDecision => ({
  ts: 0,
  direction,
  conviction,
  outcomeReturn,
});

const config: JudgeConfig = { ...DEFAULT_JUDGE_CONFIG, scorecard: { ...DEFAULT_SCORECARD_CONFIG, priorStrength: 2, subPeriodBars: 2 } };

// alpha: the scorecard's worked example (total 60.3875, see scorecard.test.ts); current drawdown 1 − 108.9/110 = 1% < 20%.
const alpha: AgentRecord = {
  id: 'alpha',
  equity: eq([100, 110, 99, 108.9]),
  decisions: [d('long', 0.8, 0.02), d('short', 0.6, -0.01), d('long', 0.7, 0.03), d('flat', 0.5, 0.05)],
  barsPerYear: 3,
};
// beta: 100 → 70 is a current drawdown of 30% ≥ its 20% budget → forced from aggressive to conservative.
const beta: AgentRecord = { id: 'beta', equity: eq([100, 70]), decisions: [], barsPerYear: 365, modeState: initialModeState(0, 'aggressive') };

describe('evaluate', () => {
  const report = evaluate([beta, alpha], 5000, config);

  it('scores every agent, in id order, with reasons as events', () => {
    expect(report.verdicts.map((v) => v.agentId)).toEqual(['alpha', 'beta']);
    expect(report.verdicts[0]?.scorecard.total).toBeCloseTo(60.3875, 4);
    expect(report.verdicts[0]?.mode).toBe('standard');
    expect(report.verdicts[0]?.parameters).toEqual({ sizingMultiplier: 1, convictionThreshold: 0.5 });
    expect(report.events.filter((e) => e.kind === 'agent_scored').map((e) => e.kind === 'agent_scored' && e.reasons.length)).toEqual([5, 5]);
  });

  it('forces a drawdown breach to conservative, as an event with reasons', () => {
    expect(report.verdicts[1]).toMatchObject({ agentId: 'beta', drawdownBreached: true, mode: 'conservative' });
    expect(report.modeDecisions).toEqual([
      {
        agentId: 'beta',
        from: 'aggressive',
        to: 'conservative',
        reason: 'drawdown budget breached (current drawdown 30.00% ≥ budget 20.00%): forced to conservative immediately',
      },
    ]);
    const event = report.events.find((e) => e.kind === 'mode_changed');
    expect(event).toMatchObject({ agentId: 'beta', at: 5000, parameters: { sizingMultiplier: 0.5, convictionThreshold: 0.7 } });
    expect(event?.reasons[1]).toBe('conservative: sizing ×0.5, acts on conviction ≥ 0.7');
    expect(report.verdicts[1]?.nextModeState).toEqual({ mode: 'conservative', since: 5000, streaks: { high: 0, low: 0, fading: 0, recover: 0 } });
  });

  it('measures the breach over the drawdown window only: a sleeve back from a breach starts a fresh budget', () => {
    // 100 → 70 → 70 → 69.3: 30.7% below the peak overall, 1% below the 70 it came back at two points ago.
    const back: AgentRecord = { id: 'back', equity: eq([100, 70, 70, 69.3]), decisions: [], barsPerYear: 365, modeState: initialModeState(0, 'conservative'), drawdownWindow: 3 };
    expect(evaluate([back], 5000, config).verdicts[0]?.drawdownBreached).toBe(false);
    expect(evaluate([{ ...back, drawdownWindow: undefined }], 5000, config).verdicts[0]?.drawdownBreached).toBe(true);
    expect(evaluate([{ ...back, drawdownWindow: 9 }], 5000, config).verdicts[0]?.drawdownBreached).toBe(true);
    expect(() => evaluate([{ ...back, drawdownWindow: 0 }], 5000, config)).toThrow(/back: drawdownWindow must be an integer ≥ 1, got 0/);
  });

  it('hands allocation the equity series and trailing risk-adjusted returns', () => {
    // alpha returns +10%, −10%, +10%: mean 1/30, sd 0.11547 → 0.288675 (= 1/(2√3)); beta has one return → 0.
    expect(report.allocationInputs.equitySeries.get('alpha')).toEqual([100, 110, 99, 108.9]);
    expect(report.allocationInputs.trailingRiskAdjusted.get('alpha')).toBeCloseTo(1 / (2 * Math.sqrt(3)), 10);
    expect(report.allocationInputs.trailingRiskAdjusted.get('beta')).toBe(0);
  });

  it('writes desk notes', () => {
    expect(report.deskNotes[0]).toMatch(/^2 agents judged; leader alpha at 60\.4, laggard beta at/);
    expect(report.deskNotes).toContain('modes: 0 aggressive, 1 standard, 1 conservative');
    expect(report.deskNotes).toContain('drawdown budget breached by beta');
    expect(report.events[report.events.length - 1]?.kind).toBe('desk_note');
  });

  it('is deterministic and independent of input order', () => {
    expect(evaluate([alpha, beta], 5000, config)).toEqual(report);
  });

  it('checks desk goals on the summed equity', () => {
    // desk = [100, 110, 121] + [100, 100, 100] = [200, 210, 221]; 2 periods a year: A = 221/200 − 1 = 10.5% ≥ 10%;
    // no drawdown, within a 15% ceiling.
    const agents: AgentRecord[] = [
      { id: 'a', equity: eq([100, 110, 121]), decisions: [], barsPerYear: 2 },
      { id: 'b', equity: eq([100, 100, 100]), decisions: [], barsPerYear: 2 },
    ];
    const notes = evaluate(agents, 0, { ...config, deskGoals: { targetAnnualReturn: 0.1, drawdownCeiling: 0.15 } }).deskNotes;
    expect(notes).toContain('desk annualised return 10.50% meets the target of 10.00%');
    expect(notes).toContain('desk max drawdown 0.00% is within the ceiling of 15.00%');
    const mismatched = evaluate([alpha, beta], 0, { ...config, deskGoals: { targetAnnualReturn: 0.1 } }).deskNotes;
    expect(mismatched[mismatched.length - 1]).toMatch(/desk goals not checked/);
  });

  it('handles no agents and rejects duplicates', () => {
    expect(evaluate([], 0).deskNotes).toEqual(['no agents to judge']);
    expect(() => evaluate([alpha, alpha], 0)).toThrow(FixRequestError);
  });
});
