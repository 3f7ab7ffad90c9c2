import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { example } from '../../test/support/desk-problems.js';
import { parseDeskConfig } from './parse-desk.js';

function warnings(mutate: (desk: ReturnType<typeof example>) => void): string[] {
  const desk = example();
  mutate(desk);
  return parseDeskConfig(stringify(desk), 'desk.yaml').warnings.map((line) => line.replace(/^desk\.yaml: /, '').replace(/ \(line \d+\)$/, ''));
}

describe('capital settings a netting mode does not use', () => {
  it('names each one by its path in weighted and consensus mode', () => {
    const ignored = warnings((d) => {
      d.manager = { mode: 'weighted', weights: { sma: '1', bb: '0.5', donchian: '1' } };
      d.capital.sleeves[0]!.minWeight = '0.1';
    });
    const book = 'weighted mode trades one desk book, not the sleeves';
    expect(ignored).toEqual([
      `capital.allocation: ignored: ${book}, so no capital is allocated to them`,
      `capital.rebalance: ignored: ${book}, so no capital is moved between them`,
      `capital.profitSweep: ignored: ${book}, so no profit is swept into their reserves`,
      `capital.sleeves[0].maxGrossExposure: ignored: ${book}; the desk book is bounded by risk.limits.maxGrossExposure`,
      `capital.sleeves[0].minWeight: ignored: ${book}, so no capital is allocated to them`,
      `capital.sleeves[1].maxGrossExposure: ignored: ${book}; the desk book is bounded by risk.limits.maxGrossExposure`,
      `capital.sleeves[2].maxGrossExposure: ignored: ${book}; the desk book is bounded by risk.limits.maxGrossExposure`,
    ]);
    const consensus = warnings((d) => {
      d.manager = { mode: 'consensus', k: 2, size: { kind: 'notional', perConviction: '10000' } };
      delete d.capital.allocation;
      delete d.capital.rebalance;
      delete d.capital.profitSweep;
    });
    expect(consensus).toEqual([0, 1, 2].map((i) => `capital.sleeves[${i}].maxGrossExposure: ignored: consensus mode trades one desk book, not the sleeves; the desk book is bounded by risk.limits.maxGrossExposure`));
  });

  it('has nothing to say about the sleeve modes', () => {
    expect(warnings(() => undefined)).toEqual([]);
    expect(warnings((d) => (d.manager = { mode: 'hierarchical' }))).toEqual([]);
  });
});

describe('execution settings left to a default', () => {
  it('says what a limit without an expiry does', () => {
    expect(warnings((d) => (d.execution = { algorithm: { kind: 'limit', offsetBps: '5' } }))).toEqual([
      'execution.algorithm: a limit without expireAfter: an opening limit rests until it fills, and its book takes no new decision meanwhile; one that reduces a position (its stop canceled) expires after 4h and its rest goes out at market',
    ]);
    expect(warnings((d) => (d.execution = { algorithm: { kind: 'limit', offsetBps: '5', expireAfter: '2h' } }))).toEqual([]);
  });

  it('says when TWAP slices come closer together than the bars', () => {
    expect(warnings((d) => (d.execution = { algorithm: { kind: 'twap', slices: 20, over: '2h' } }))).toEqual([
      'execution.algorithm: a slice every 6m (over / slices) is shorter than the 1h bars of SYNTH:BTC/USDT: the desk works a TWAP once a bar, so the slices due within one bar go out together as one order',
    ]);
    expect(warnings((d) => (d.execution = { algorithm: { kind: 'twap', slices: 4, over: '4h' } }))).toEqual([]);
  });
});

describe('weighted mode', () => {
  it('warns of an analyst the weights leave out: its views would count for nothing', () => {
    const missing = warnings((d) => (d.manager = { mode: 'weighted', weights: { sma: '1', bb: '0.5' } }));
    expect(missing.filter((line) => line.startsWith('manager.weights'))).toEqual([
      "manager.weights: no weight for analyst donchian: its views count for nothing in the netted target (give it a weight, or '0' to say so)",
    ]);
    const all = warnings((d) => (d.manager = { mode: 'weighted', weights: { sma: '1', bb: '0.5', donchian: '0' } }));
    expect(all.filter((line) => line.startsWith('manager.weights'))).toEqual([]);
  });
});


describe('a desk without a judge', () => {
  const withoutJudge = (d: ReturnType<typeof example>): void => {
    d.agents = d.agents.filter((agent) => agent.role !== 'judge');
  };

  it('names each setting only the judge acts on: rebalancing, the profit sweep, the goals and the drawdown budgets', () => {
    expect(warnings(withoutJudge)).toEqual([
      'capital.rebalance: no judge agent, so no capital is moved between the sleeves after the initial allocation',
      'capital.profitSweep: no judge agent, so no profit is swept into the sleeves\' reserves',
      'capital.goals: no judge agent, so progress toward the goals is never reported',
      'capital.sleeves: no judge agent, so no agent is demoted when its sleeve draws down past its maxDrawdown budget',
    ]);
  });

  it('leaves to the netting-mode warnings the settings that mode ignores anyway', () => {
    const netting = warnings((d) => {
      withoutJudge(d);
      d.manager = { mode: 'weighted', weights: { sma: '1', bb: '0.5', donchian: '1' } };
    });
    expect(netting.filter((line) => line.includes('no judge'))).toEqual([
      'capital.goals: no judge agent, so progress toward the goals is never reported',
      'capital.sleeves: no judge agent, so no agent is demoted when its sleeve draws down past its maxDrawdown budget',
    ]);
  });
});

describe('a weighted desk whose weights are all zero', () => {
  it('says it can never trade', () => {
    expect(warnings((d) => (d.manager = { mode: 'weighted', weights: { sma: '0', bb: '0.0', donchian: '0' } })).filter((line) => line.startsWith('manager.weights'))).toEqual([
      'manager.weights: every weight is 0: the netted target is always flat, so the desk never opens a position',
    ]);
  });
});

describe('notification channels', () => {
  it('names a channel the notifier does not list: it receives nothing', () => {
    const unlisted = warnings((d) => d.notifications.channels.push({ kind: 'jsonl', name: 'file', path: 'notes.jsonl' }));
    expect(unlisted).toEqual(['notifications.channels[1]: the notifier agent notifier does not list channel file in its channels, so it receives no notifications']);
    expect(
      warnings((d) => {
        d.notifications.channels.push({ kind: 'jsonl', name: 'file', path: 'notes.jsonl' });
        delete d.agents.find((agent) => agent.role === 'notifier')!.channels;
      }),
    ).toEqual([]);
  });
});
