import { describe, expect, it } from 'vitest';
import { FixRequestError } from '../../core/errors.js';
import { DEFAULT_MODE_POLICY, initialModeState, stepMode, type AgentMode, type AgentModeState, type ModeDecision, type ModePolicy } from './mode-policy.js';

/** Runs scores through the policy one evaluation per `stepMs`, returning the decisions and the final state. */
function run(
  scores: readonly number[],
  start: AgentModeState = initialModeState(0),
  policy: ModePolicy = DEFAULT_MODE_POLICY,
  stepMs = 1000,
  breachedAt: ReadonlySet<number> = new Set(),
): { decisions: (ModeDecision & { index: number })[]; state: AgentModeState; modes: AgentMode[] } {
  let state = start;
  const decisions: (ModeDecision & { index: number })[] = [];
  const modes: AgentMode[] = [];
  scores.forEach((score, index) => {
    const step = stepMode(state, { score, drawdownBreached: breachedAt.has(index), now: start.since + (index + 1) * stepMs }, policy);
    state = step.state;
    if (step.decision) decisions.push({ ...step.decision, index });
    modes.push(state.mode);
  });
  return { decisions, state, modes };
}

describe('stepMode — worked sequences', () => {
  it('promotes to aggressive on the third consecutive score ≥ 75, with the numbers in the reason', () => {
    // streak high: 80 → 1, 76 → 2, 90 → 3 ≥ promoteAfter 3 → aggressive at the third evaluation (t = 3000).
    const { decisions, state } = run([80, 76, 90]);
    expect(decisions).toEqual([
      { from: 'standard', to: 'aggressive', at: 3000, index: 2, reason: 'score 90.0 ≥ 75 for 3 consecutive evaluations (needs 3)' },
    ]);
    expect(state).toEqual({ mode: 'aggressive', since: 3000, streaks: { high: 0, low: 0, fading: 0, recover: 0 } });
  });

  it('a dip resets the streak', () => {
    // 80, 80, 70 (reset), 80, 80 → streak reaches only 2: no promotion; one more 80 → 3 → promote.
    expect(run([80, 80, 70, 80, 80]).decisions).toEqual([]);
    expect(run([80, 80, 70, 80, 80, 80]).decisions.map((d) => d.index)).toEqual([5]);
  });

  it('demotes standard to conservative after two scores < 40, and recovers after three ≥ 50', () => {
    // 35, 30 → low streak 2 → conservative (index 1); then 55, 45 (reset), 50, 60, 70 → recover streak 3 at index 6.
    const { decisions, modes } = run([35, 30, 55, 45, 50, 60, 70]);
    expect(decisions.map((d) => [d.index, d.from, d.to])).toEqual([
      [1, 'standard', 'conservative'],
      [6, 'conservative', 'standard'],
    ]);
    expect(modes).toEqual(['standard', 'conservative', 'conservative', 'conservative', 'conservative', 'conservative', 'standard']);
  });

  it('leaves aggressive for standard after two scores < 65, or straight to conservative after two < 40', () => {
    const aggressive: AgentModeState = { ...initialModeState(0, 'aggressive') };
    expect(run([60, 62], aggressive).decisions.map((d) => [d.index, d.to])).toEqual([[1, 'standard']]);
    expect(run([30, 20], aggressive).decisions.map((d) => [d.index, d.to])).toEqual([[1, 'conservative']]);
  });
});

describe('stepMode — drawdown hard rule', () => {
  it('forces conservative immediately, whatever the score and the dwell', () => {
    const policy = { ...DEFAULT_MODE_POLICY, minDwellMs: 1_000_000 };
    const step = stepMode(initialModeState(0, 'aggressive'), { score: 95, drawdownBreached: true, drawdownDetail: 'current drawdown 25.00% ≥ budget 20.00%', now: 10 }, policy);
    expect(step.decision).toEqual({
      from: 'aggressive',
      to: 'conservative',
      at: 10,
      reason: 'drawdown budget breached (current drawdown 25.00% ≥ budget 20.00%): forced to conservative immediately',
    });
  });

  it('good scores while still breached do not count toward recovery', () => {
    // breached at 0..2 with scores 90: stays conservative, recover streak held at 0; then 3 clean 90s → standard at index 5.
    const { decisions } = run([90, 90, 90, 90, 90, 90], initialModeState(0, 'conservative'), DEFAULT_MODE_POLICY, 1000, new Set([0, 1, 2]));
    expect(decisions.map((d) => [d.index, d.to])).toEqual([[5, 'standard']]);
  });
});

describe('stepMode — recovery margin under the drawdown budget', () => {
  /** One evaluation per drawdown (budget 20%), all with a good score of 90, from standard. */
  function runDrawdowns(drawdowns: readonly number[], policy: ModePolicy = DEFAULT_MODE_POLICY): (ModeDecision & { index: number })[] {
    let state = initialModeState(0);
    const decisions: (ModeDecision & { index: number })[] = [];
    drawdowns.forEach((current, index) => {
      const drawdown = { current, budget: 0.2 };
      const step = stepMode(state, { score: 90, drawdownBreached: current >= 0.2, drawdown, now: (index + 1) * 1000 }, policy);
      state = step.state;
      if (step.decision) decisions.push({ ...step.decision, index });
    });
    return decisions;
  }

  it('a drawdown that keeps crossing its budget while the scores are good does not cycle the mode', () => {
    // 21% (breach), then 19% three times, again and again: just under the budget is not recovered (below 16%, 80% of it).
    const hovering = Array.from({ length: 16 }, (_, i) => (i % 4 === 0 ? 0.21 : 0.19));
    expect(runDrawdowns(hovering).map((d) => [d.index, d.to])).toEqual([[0, 'conservative']]);
  });

  it('recovers after three good reviews below the margin, saying so', () => {
    const decisions = runDrawdowns([0.21, 0.17, 0.15, 0.15, 0.12]);
    expect(decisions.map((d) => [d.index, d.to])).toEqual([
      [0, 'conservative'],
      [4, 'standard'],
    ]);
    expect(decisions[1]?.reason).toBe('score 90.0 ≥ 50 for 3 consecutive evaluations (needs 3) and the drawdown 12.00% is below 80% of its budget 20.00% (16.00%)');
  });

  it('takes the margin from the policy', () => {
    const policy = { ...DEFAULT_MODE_POLICY, recoveryFraction: 1 };
    expect(runDrawdowns([0.21, 0.19, 0.19, 0.19], policy).map((d) => [d.index, d.to])).toEqual([
      [0, 'conservative'],
      [3, 'standard'],
    ]);
  });
});

describe('stepMode — dwell and hysteresis', () => {
  it('waits out the minimum dwell, then switches on the streak it kept counting', () => {
    // dwell 5000 ms, one evaluation a second from t = 1000: streak 3 at t = 3000 but dwell ends at t = 5000.
    const policy = { ...DEFAULT_MODE_POLICY, minDwellMs: 5000 };
    const { decisions } = run([80, 80, 80, 80, 80], initialModeState(0), policy);
    expect(decisions.map((d) => [d.index, d.at, d.to])).toEqual([[4, 5000, 'aggressive']]);
  });

  it('a score oscillating around each threshold never flaps', () => {
    const oscillate = (low: number, high: number, n = 40): number[] => Array.from({ length: n }, (_, i) => (i % 2 === 0 ? low : high));
    expect(run(oscillate(74, 76)).decisions).toEqual([]); // around promotion: streak never reaches 3
    expect(run(oscillate(39, 41)).decisions).toEqual([]); // around demotion: streak never reaches 2
    expect(run(oscillate(64, 66), initialModeState(0, 'aggressive')).decisions).toEqual([]); // around aggressive exit
    expect(run(oscillate(49, 51), initialModeState(0, 'conservative')).decisions).toEqual([]); // around recovery
    // Crossing the promotion threshold and settling just below it: promoted once, then stays (65 ≤ 70 < 75).
    const { decisions } = run([...Array<number>(3).fill(80), ...oscillate(70, 76)]);
    expect(decisions).toHaveLength(1);
  });

  it('switches at most once per threshold crossing even with a noisy score', () => {
    // A score random-walking in 30..90: every switch must be separated by at least the shortest streak (2).
    let s = 60;
    const scores: number[] = [];
    let seed = 1;
    for (let i = 0; i < 500; i++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      s = Math.min(90, Math.max(30, s + ((seed % 21) - 10)));
      scores.push(s);
    }
    const { decisions } = run(scores);
    for (let i = 1; i < decisions.length; i++) {
      expect((decisions[i]?.index ?? 0) - (decisions[i - 1]?.index ?? 0)).toBeGreaterThanOrEqual(2);
    }
  });
});

describe('validateModePolicy', () => {
  it('rejects thresholds without hysteresis', () => {
    expect(() => stepMode(initialModeState(0), { score: 50, drawdownBreached: false, now: 1 }, { ...DEFAULT_MODE_POLICY, aggressiveExitBelow: 80 })).toThrow(
      FixRequestError,
    );
    expect(() => stepMode(initialModeState(0), { score: Number.NaN, drawdownBreached: false, now: 1 })).toThrow(/finite/);
  });
});
