import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { example } from '../../test/support/desk-problems.js';
import { parseDeskConfig } from './parse-desk.js';

function warnings(mutate: (desk: ReturnType<typeof example>) => void): string[] {
  const desk = example();
  mutate(desk);
  return parseDeskConfig(stringify(desk), 'desk.yaml').warnings.map((line) => line.replace(/^desk\.yaml: /, '').replace(/ \(line \d+\)$/, ''));
}

describe('schedules the bars cannot keep', () => {
  it('names a nudge shorter than the bar and a review that is not a multiple of it, by path', () => {
    const found = warnings((d) => {
      (d.data['SYNTH:BTC/USDT'] as { timeframe: string }).timeframe = '5m';
      d.orchestrator = { nudges: { analysts: '30s', manager: '10m', risk: '1h' }, positionCycle: { open: true, reviewEvery: '7m', closeAfter: '1h' } };
    });
    expect(found).toEqual([
      'orchestrator.nudges.analysts: 30s is shorter than the 5m bar: the desk acts only when a bar closes, so it runs once a bar (every 5m)',
      'orchestrator.positionCycle.reviewEvery: 7m is not a multiple of the 5m bar: the desk acts only when a bar closes, so it runs at the first close after each due time, every 5m or 10m (or longer)',
    ]);
  });

  it('names an agent whose own schedule is off the bar, and says nothing of the example desk', () => {
    expect(warnings(() => undefined)).toEqual([]);
    const found = warnings((d) => {
      const judge = (d.agents as { role: string; every?: string }[]).findIndex((agent) => agent.role === 'judge');
      (d.agents[judge] as { every?: string }).every = '90m';
    });
    expect(found).toEqual([expect.stringMatching(/^agents\[\d+\]\.every: 90m is not a multiple of the 1h bar: .*, every 1h or 2h \(or longer\)$/)]);
  });
});
