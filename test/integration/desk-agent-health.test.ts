import { describe, expect, it } from 'vitest';
import { buildDesk, runDeskBacktestAsync } from '../../src/backtest/desk-backtest.js';
import { syntheticDeskData } from '../../src/engine/desk/desk-data.js';
import { MemoryDecisionStore } from '../../src/llm/decision-record.js';
import { LlmProviderError } from '../../src/llm/provider.js';
import { exampleDesk } from '../support/desk-config.js';
import { ScriptedLlm } from '../support/scripted-llm.js';

describe("the desk's agents' health", () => {
  it('covers every role the desk runs, not only the analysts and the manager', () => {
    const config = exampleDesk((doc) => (doc.data['SYNTH:BTC/USDT'].bars = 50));
    const desk = buildDesk({ config, data: syntheticDeskData(config) });
    // The notifier is the run's dispatcher: `conclave run` reports it beside these.
    expect(desk.status().map((row) => `${row.id} ${row.role} ${row.health}`)).toEqual([
      'sma analyst healthy',
      'bb analyst healthy',
      'donchian analyst healthy',
      'pm manager healthy',
      'judge judge healthy',
      'tuner optimizer healthy',
    ]);
  });

  it('reports an agent whose model fails every call as failing, with the reason, though it never threw', async () => {
    const config = exampleDesk((doc) => {
      doc.agents = doc.agents.filter((a: { role: string }) => a.role !== 'optimizer');
      doc.data['SYNTH:BTC/USDT'].bars = 40;
      const sma = doc.agents.find((a: { id: string }) => a.id === 'sma');
      delete sma.strategy;
      delete sma.params;
      sma.brain = { kind: 'llm', provider: 'openai', model: 'm', everyBars: 1, warmup: 5, maxTokens: 256 };
      doc.llm = { prices: { m: { inputPerMillion: 0, outputPerMillion: 0 } } };
    });
    const llm = new ScriptedLlm(() => new LlmProviderError('openai 401: invalid api key', false, 401));
    const { desk } = await runDeskBacktestAsync({ config, data: syntheticDeskData(config), models: { providerFor: () => llm, mode: 'live', store: new MemoryDecisionStore() } });
    const sma = desk.status().find((row) => row.id === 'sma');
    expect(sma?.health).toBe('failing');
    expect(sma?.problem).toMatch(/^all \d+ model calls failed \(last: openai 401: invalid api key\)$/);
    expect(desk.status().filter((row) => row.health !== 'healthy').map((row) => row.id)).toEqual(['sma']);
  });
});
