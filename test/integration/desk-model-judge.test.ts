import { describe, expect, it } from 'vitest';
import type { GradeForReview, JudgeReviewer } from '../../src/agents/desk/reviewers.js';
import { createDeskParameterSearch } from '../../src/backtest/optimizer/desk-parameter-search.js';
import type { DeskEvent } from '../../src/domain/events.js';
import { syntheticDeskData } from '../../src/engine/desk/desk-data.js';
import { deskSetupFrom } from '../../src/engine/desk/desk-from-config.js';
import { Desk } from '../../src/engine/desk/desk.js';
import { exampleDesk } from '../support/desk-config.js';

/** A model-driven judge stand-in (no network): for its first `overrides` reviews it keeps every mode, then follows the rules. */
function stubJudge(overrides: number, seen: GradeForReview[][]): JudgeReviewer {
  return {
    id: 'model-judge',
    async review(_now, grades) {
      seen.push([...grades]);
      const keep = seen.length <= overrides;
      return { modes: new Map(grades.map((g) => [g.agentId, { mode: keep ? g.mode : g.suggestedMode, reason: keep ? 'the model keeps the mode' : 'the model follows the rules' }])) };
    },
  };
}

describe('a model-driven judge over the rules', () => {
  it('cannot keep a breached analyst out of conservative', async () => {
    const config = exampleDesk((doc) => {
      doc.agents = doc.agents.filter((a: { role: string }) => a.role !== 'optimizer');
      doc.data['SYNTH:BTC/USDT'].bars = 3000;
      doc.capital.sleeves.find((s: { id: string }) => s.id === 'meanrev-bb').maxDrawdown = '0.01';
    });
    const data = syntheticDeskData(config);
    const seen: GradeForReview[][] = [];
    const setup = deskSetupFrom({ config, series: data.series, extras: data.extras, parameterSearch: createDeskParameterSearch() });
    const desk = new Desk({ ...setup, reviewers: { judge: stubJudge(Number.POSITIVE_INFINITY, seen) } });
    await desk.runToEndAsync();
    const list = [...desk.core.store.read(0)];
    const changes = list.filter((e): e is Extract<DeskEvent, { type: 'AgentModeChanged' }> => e.type === 'AgentModeChanged' && e.agentId === 'bb');
    // The model wanted bb kept in standard; the breach rule holds over it.
    expect(changes[0]).toMatchObject({ from: 'standard', to: 'conservative' });
    expect(changes[0]?.reason).toMatch(/^drawdown budget breached \(current drawdown \d+\.\d\d% ≥ budget 1\.00%\): conservative whatever the judge model said \(the model keeps the mode\)$/);
    const bbGrades = seen.map((grades) => grades.find((g) => g.agentId === 'bb')).filter((g) => g !== undefined);
    // The grade the model was shown said why: the breach in words.
    expect(bbGrades.find((g) => g.breach !== undefined)?.breach).toMatch(/^drawdown budget breached \(current drawdown \d+\.\d\d% ≥ budget 1\.00%\)$/);
    expect(desk.analysts.get('bb' as never)?.mode).toBe('conservative');
  });

  it('after the model overrides a switch, the rules go on from the mode the analyst is in', async () => {
    const config = exampleDesk((doc) => {
      doc.agents = doc.agents.filter((a: { role: string }) => a.role !== 'optimizer');
      doc.data['SYNTH:BTC/USDT'].bars = 4000;
      for (const sleeve of doc.capital.sleeves) sleeve.maxDrawdown = '1';
    });
    const data = syntheticDeskData(config);
    const seen: GradeForReview[][] = [];
    const setup = deskSetupFrom({ config, series: data.series, extras: data.extras, parameterSearch: createDeskParameterSearch() });
    // A model that keeps every analyst in standard, whatever the rules suggest.
    const desk = new Desk({ ...setup, reviewers: { judge: stubJudge(Number.POSITIVE_INFINITY, seen) } });
    await desk.runToEndAsync();
    const grades = seen.flat();
    expect(grades.every((g) => g.mode === 'standard')).toBe(true);
    // The rules suggested switches the model refused, and suggest them again once the streak is rebuilt from standard
    const refused = grades.filter((g) => g.suggestedMode !== 'standard');
    expect(refused.length).toBeGreaterThan(1);
    // ... and never treat an analyst in standard as if it were in the mode they last suggested: no "leave
    // conservative" (or "leave aggressive") suggestion for an analyst that never left standard.
    for (const grade of grades) expect(grade.suggestion).not.toMatch(/drawdown budget holds|< 65 for/);
  });
});
