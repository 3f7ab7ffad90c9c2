import { describe, expect, it } from 'vitest';
import { ScriptedLlm } from '../../test/support/scripted-llm.js';
import { Budget } from './budget.js';
import { MemoryDecisionStore } from './decision-record.js';
import { ModelGateway, ReplayMissError } from './model-gateway.js';
import { LlmProviderError, type LlmRequest } from './provider.js';
import { RunStoppingError } from '../core/errors.js';

const PRICE = { inputPerMillion: 3, outputPerMillion: 15 };

function request(text: string, system = 'sys'): LlmRequest {
  return {
    model: 'm1',
    system,
    messages: [{ role: 'user', content: text }],
    parameters: { temperature: 0, maxTokens: 100 },
    tools: [],
    answer: { name: 'a', description: 'd', schema: { type: 'object' } },
    structuredOutput: 'json-mode',
  };
}

const meta = (ts: number, attempt = 0) => ({ recordId: `llm:a1:${ts}:${attempt}`, agentId: 'a1', role: 'analyst' as const, promptVersion: 'analyst-v1/standard', ts, attempt });

describe('the model gateway', () => {
  it('records a call with its tokens, cost and validation, and answers the same request from the store in record mode', async () => {
    const provider = new ScriptedLlm(() => ({ answer: '{"action":"abstain","reason":"x"}', usage: { inputTokens: 1000, outputTokens: 200 } }));
    const store = new MemoryDecisionStore();
    const gateway = new ModelGateway({ provider, mode: 'record', store, price: PRICE, budgets: [] });
    const first = await gateway.call(meta(1), request('hello'));
    expect(first.kind).toBe('answered');
    if (first.kind !== 'answered') return;
    expect(first.cached).toBe(false);
    const record = first.finish({ outcome: 'abstain', reason: 'x' });
    expect(record.costUsd).toBeCloseTo((1000 * 3 + 200 * 15) / 1e6, 12);
    expect(record.response.usage).toEqual({ inputTokens: 1000, outputTokens: 200 });
    expect(store.all()).toHaveLength(1);
    const again = await gateway.call(meta(1), request('hello'));
    expect(again.kind === 'answered' && again.cached).toBe(true);
    expect(provider.requests).toHaveLength(1);
    if (again.kind === 'answered') expect(again.finish({ outcome: 'abstain', reason: 'x' })).toBe(record);
    expect(store.all()).toHaveLength(1);
    expect(gateway.usage.map((u) => u.cached)).toEqual([false, true]);
    // The run keeps what the usage report reads of each call, not its prompt and answer.
    expect(gateway.usage[0]?.record).toEqual({
      agentId: record.agentId,
      provider: record.provider,
      model: record.model,
      costUsd: record.costUsd,
      latencyMs: record.latencyMs,
      validation: { outcome: 'abstain' },
      response: { usage: { inputTokens: 1000, outputTokens: 200 } },
    });
  });

  it('live mode always calls the model', async () => {
    const provider = new ScriptedLlm(() => ({ answer: '{}' }));
    const store = new MemoryDecisionStore();
    const gateway = new ModelGateway({ provider, mode: 'live', store, price: PRICE, budgets: [] });
    for (let i = 0; i < 2; i++) {
      const out = await gateway.call(meta(1), request('same'));
      if (out.kind === 'answered') out.finish({ outcome: 'invalid', problems: ['p'] });
    }
    expect(provider.requests).toHaveLength(2);
    expect(store.all()).toHaveLength(2);
  });

  it('replay serves recorded answers and names what changed on a miss', async () => {
    const store = new MemoryDecisionStore();
    const recorder = new ModelGateway({ provider: new ScriptedLlm(() => ({ answer: '{}' })), mode: 'record', store, price: PRICE, budgets: [] });
    const out = await recorder.call(meta(5), request('ctx', 'prompt v1'));
    if (out.kind === 'answered') out.finish({ outcome: 'intent', summary: 's' });
    const never = new ScriptedLlm(() => new Error('must not be called'));
    const replay = new ModelGateway({ provider: never, mode: 'replay', store, price: PRICE, budgets: [] });
    const hit = await replay.call(meta(5), request('ctx', 'prompt v1'));
    expect(hit.kind === 'answered' && hit.cached).toBe(true);
    const miss = replay.call(meta(5), request('ctx', 'prompt v2'));
    await expect(miss).rejects.toBeInstanceOf(ReplayMissError);
    await expect(replay.call(meta(5), request('ctx', 'prompt v2'))).rejects.toThrow(/a1 \(analyst, prompt analyst-v1\/standard, model m1\) at 1970-01-01T00:00:00.005Z.*differs in system prompt/);
    await expect(replay.call(meta(9), request('other'))).rejects.toThrow(/no call of a1 at 1970-01-01T00:00:00.009Z \(attempt 0\) was recorded/);
    expect(ReplayMissError.prototype instanceof RunStoppingError).toBe(true);
    expect(never.requests).toHaveLength(0);
  });

  it('refuses a call whose worst case would exceed a budget, and charges replayed calls like live ones', async () => {
    const budget = new Budget('desk', { runTokens: 1000 });
    const store = new MemoryDecisionStore();
    const provider = new ScriptedLlm(() => ({ answer: '{}', usage: { inputTokens: 400, outputTokens: 50 } }));
    const gateway = new ModelGateway({ provider, mode: 'record', store, price: PRICE, budgets: [budget] });
    const a = await gateway.call(meta(1), request('a'));
    if (a.kind === 'answered') a.finish({ outcome: 'intent', summary: '' });
    expect(budget.spent.tokens).toBe(450);
    const b = await gateway.call(meta(2), request('b'));
    if (b.kind === 'answered') b.finish({ outcome: 'intent', summary: '' });
    expect(budget.spent.tokens).toBe(900);
    const c = await gateway.call(meta(3), request('c'));
    expect(c).toEqual({ kind: 'refused', cause: 'budget', reason: 'desk run budget of 1000 tokens is exhausted (900 spent)' });
    expect(provider.requests).toHaveLength(2);
    // Replaying with a fresh budget spends the recorded tokens and refuses at the same call.
    const again = new Budget('desk', { runTokens: 1000 });
    const replay = new ModelGateway({ provider, mode: 'replay', store, price: PRICE, budgets: [again] });
    expect((await replay.call(meta(1), request('a'))).kind).toBe('answered');
    expect((await replay.call(meta(2), request('b'))).kind).toBe('answered');
    expect((await replay.call(meta(3), request('c'))).kind).toBe('refused');
    expect(again.spent.tokens).toBe(900);
  });

  it('resets the daily budget on a new simulated day and turns provider failures into a cause', async () => {
    const budget = new Budget('agent a1', { dayUsd: 0.004 });
    const gateway = new ModelGateway({
      provider: new ScriptedLlm((_r, i) => (i === 2 ? new LlmProviderError('anthropic 529: overloaded', true, 529) : { answer: '{}', usage: { inputTokens: 1000, outputTokens: 0 } })),
      mode: 'live',
      store: new MemoryDecisionStore(),
      price: PRICE,
      budgets: [budget],
    });
    expect((await gateway.call(meta(0), request('x'))).kind).toBe('answered');
    const refused = await gateway.call(meta(1000), request('y'));
    expect(refused.kind === 'refused' && refused.reason).toMatch(/agent a1 daily budget of \$0.004 is exhausted/);
    expect((await gateway.call(meta(86_400_000), request('z'))).kind).toBe('answered');
    const failed = await gateway.call(meta(2 * 86_400_000), request('w'));
    expect(failed).toEqual({ kind: 'failed', cause: 'provider-error', reason: 'anthropic 529: overloaded', recordId: `llm:a1:${2 * 86_400_000}:0` });
  });

  it('says the model is failing when every call so far failed, or the last three, and healthy again once it answers', async () => {
    let down = true;
    const gateway = new ModelGateway({
      provider: new ScriptedLlm(() => (down ? new LlmProviderError('openai 401: invalid api key', false, 401) : { answer: '{}' })),
      mode: 'live',
      store: new MemoryDecisionStore(),
      price: PRICE,
      budgets: [],
    });
    expect(gateway.failing).toBeUndefined();
    await gateway.call(meta(0), request('a'));
    expect(gateway.agentId).toBe('a1');
    expect(gateway.failing).toBe('all 1 model calls failed (last: openai 401: invalid api key)');
    down = false;
    await gateway.call(meta(1), request('b'));
    expect(gateway.failing).toBeUndefined();
    down = true;
    await gateway.call(meta(2), request('c'));
    await gateway.call(meta(3), request('d'));
    // One or two failures after answers are a blip; three in a row are not.
    expect(gateway.failing).toBeUndefined();
    await gateway.call(meta(4), request('e'));
    expect(gateway.failing).toBe('the last 3 model calls failed (last: openai 401: invalid api key)');
  });
});

describe('the cache key', () => {
  it('is the same for the same request however it is built, and changes with any part of it', async () => {
    const { cacheKey } = await import('./cache-key.js');
    const a = request('first');
    const again = request('first');
    const b = { ...request('second'), messages: [...a.messages, { role: 'assistant' as const, content: 'x' }, { role: 'user' as const, content: 'second' }] };
    expect(cacheKey('anthropic', a)).toBe(cacheKey('anthropic', again));
    expect(cacheKey('anthropic', a)).toMatch(/^[0-9a-f]{64}$/);
    const keys = new Set([
      cacheKey('anthropic', a),
      cacheKey('anthropic', b),
      cacheKey('openai', a),
      cacheKey('anthropic', { ...a, system: 'other' }),
      cacheKey('anthropic', { ...a, model: 'm2' }),
      cacheKey('anthropic', { ...a, parameters: { temperature: 0.1, maxTokens: 100 } }),
      cacheKey('anthropic', { ...a, structuredOutput: 'tool' }),
      cacheKey('anthropic', { ...a, messages: [{ role: 'user', content: 'first ' }] }),
      cacheKey('anthropic', { ...a, messages: [...a.messages, ...a.messages] }),
    ]);
    expect(keys.size).toBe(9);
  });
});
