import { describe, expect, it } from 'vitest';
import { ScriptedLlm, type ScriptedReply } from '../../test/support/scripted-llm.js';
import { askModel, type AskSpec, type Checked, type ReadTool } from './ask-model.js';
import { Budget } from './budget.js';
import { MemoryDecisionStore } from './decision-record.js';
import { ModelGateway, type CallMode } from './model-gateway.js';
import { LlmProviderError, type LlmRequest } from './provider.js';

const PRICE = { inputPerMillion: 3, outputPerMillion: 15 };
const TS = 1_704_067_200_000;
const REPAIR_TAIL = 'Reply again with exactly one JSON object that follows the schema, or abstain with a reason. This is the last chance; after it the desk takes no action on your view.';

const echo: ReadTool = { name: 'echo', description: 'echoes its arguments', parameters: { type: 'object' }, run: (json) => `echo ${json}` };

/** The role's check: `{"view": ...}` is an answer, `{"abstain": ...}` the model's abstention, anything else invalid. */
function check(text: string): Checked<string> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'invalid', problems: ['not a view'] };
  }
  const answer = value as { view?: unknown; abstain?: unknown; problems?: unknown };
  if (typeof answer.view === 'string') return { kind: 'ok', value: answer.view, summary: `view ${answer.view}` };
  if (typeof answer.abstain === 'string') return { kind: 'abstain', reason: answer.abstain };
  if (typeof answer.problems === 'number') return { kind: 'invalid', problems: Array.from({ length: answer.problems }, (_, i) => `problem ${i}`) };
  return { kind: 'invalid', problems: ['not a view'] };
}

function setup(reply: (request: LlmRequest, index: number) => ScriptedReply, options: { mode?: CallMode; budgets?: Budget[] } = {}) {
  const provider = new ScriptedLlm(reply);
  const store = new MemoryDecisionStore();
  const gateway = new ModelGateway({ provider, mode: options.mode ?? 'record', store, price: PRICE, budgets: options.budgets ?? [] });
  let n = 0;
  const spec = (over: Partial<AskSpec<string>> = {}): AskSpec<string> => ({
    gateway,
    agentId: 'a1',
    role: 'analyst',
    promptVersion: 'analyst-v1/standard',
    ts: TS,
    nextSequence: () => n++,
    model: 'm1',
    system: 'sys',
    messages: [{ role: 'user', content: 'your view?' }],
    parameters: { temperature: 0, maxTokens: 100 },
    answer: { name: 'submit_view', description: 'the view', schema: { type: 'object' } },
    structuredOutput: 'tool',
    tools: [echo],
    maxToolRounds: 1,
    check,
    ...over,
  });
  return { provider, store, gateway, spec };
}

const replies =
  (...list: ScriptedReply[]) =>
  (_request: LlmRequest, index: number): ScriptedReply =>
    list[index] ?? new Error(`no reply scripted for call ${index}`);

describe('asking a model for one decision', () => {
  it('runs tool rounds, feeding each result back as a tool turn with its call id, and stops offering tools after maxToolRounds', async () => {
    const { provider, store, spec } = setup(
      replies(
        { toolCalls: [{ id: 'c1', name: 'echo', arguments: '{"x":1}' }, { id: 'c2', name: 'fetch_url', arguments: '{}' }], stopReason: 'tool_use' },
        { toolCalls: [{ id: 'c3', name: 'echo', arguments: '{"x":2}' }], stopReason: 'tool_use' },
        { answer: '{"view":"up"}' },
      ),
    );
    const result = await askModel(spec({ maxToolRounds: 2 }));
    expect(result).toEqual({ kind: 'ok', value: 'up', recordId: `llm:a1:${TS}:2` });
    expect(provider.requests.map((r) => r.tools.map((t) => t.name))).toEqual([['echo'], ['echo'], []]);
    expect(provider.requests[0]?.tools).toEqual([{ name: 'echo', description: 'echoes its arguments', parameters: { type: 'object' } }]);
    expect(provider.requests[1]?.messages).toEqual([
      { role: 'user', content: 'your view?' },
      { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'echo', arguments: '{"x":1}' }, { id: 'c2', name: 'fetch_url', arguments: '{}' }] },
      { role: 'tool', toolCallId: 'c1', name: 'echo', content: 'echo {"x":1}' },
      { role: 'tool', toolCallId: 'c2', name: 'fetch_url', content: 'error: there is no tool named fetch_url; the tools are echo' },
    ]);
    expect(provider.requests[2]?.messages.slice(4)).toEqual([
      { role: 'assistant', content: '', toolCalls: [{ id: 'c3', name: 'echo', arguments: '{"x":2}' }] },
      { role: 'tool', toolCallId: 'c3', name: 'echo', content: 'echo {"x":2}' },
    ]);
    expect(store.all().map((r) => [r.recordId, r.attempt, r.validation])).toEqual([
      [`llm:a1:${TS}:0`, 0, { outcome: 'tool-calls', tools: ['echo', 'fetch_url'] }],
      [`llm:a1:${TS}:1`, 1, { outcome: 'tool-calls', tools: ['echo'] }],
      [`llm:a1:${TS}:2`, 2, { outcome: 'intent', summary: 'view up' }],
    ]);
  });

  it('treats tool calls made once tools are no longer offered as an invalid answer and asks again', async () => {
    const { provider, store, spec } = setup(
      replies(
        { toolCalls: [{ id: 'c1', name: 'echo', arguments: '{}' }] },
        { toolCalls: [{ id: 'c2', name: 'echo', arguments: '{}' }] },
        { answer: '{"view":"flat"}' },
      ),
    );
    const result = await askModel(spec({ maxToolRounds: 1 }));
    expect(result).toEqual({ kind: 'ok', value: 'flat', recordId: `llm:a1:${TS}:2` });
    expect(provider.requests.map((r) => r.tools.length)).toEqual([1, 0, 0]);
    expect(store.all().map((r) => r.validation)).toEqual([
      { outcome: 'tool-calls', tools: ['echo'] },
      { outcome: 'invalid', problems: ['no more tool calls: answer now with one JSON object'] },
      { outcome: 'intent', summary: 'view flat' },
    ]);
    expect(provider.requests[2]?.messages.at(-1)).toEqual({ role: 'user', content: `Your answer was rejected:\n- no more tool calls: answer now with one JSON object\n${REPAIR_TAIL}` });
  });

  it('never sends an empty assistant turn in the repair after a reply that held no answer (providers reject empty turns)', async () => {
    const { provider, spec } = setup(replies({ stopReason: 'end_turn' }, { answer: '{"view":"up"}' }));
    expect(await askModel(spec())).toEqual({ kind: 'ok', value: 'up', recordId: `llm:a1:${TS}:1` });
    const repair = provider.requests[1]?.messages ?? [];
    expect(repair.at(-1)).toEqual({ role: 'user', content: `Your answer was rejected:\n- the reply held no answer\n${REPAIR_TAIL}` });
    const empty = repair.filter((m) => m.role === 'assistant' && m.content.length === 0 && (m.toolCalls?.length ?? 0) === 0);
    expect(empty).toEqual([]);
  });

  it('repairs once: the second request shows the rejected answer and the problems, and a valid second answer is taken', async () => {
    const { provider, store, spec } = setup(replies({ answer: 'I think up' }, { answer: '{"view":"down"}' }));
    expect(await askModel(spec())).toEqual({ kind: 'ok', value: 'down', recordId: `llm:a1:${TS}:1` });
    expect(provider.requests[1]?.messages).toEqual([
      { role: 'user', content: 'your view?' },
      { role: 'assistant', content: 'I think up' },
      { role: 'user', content: `Your answer was rejected:\n- not a view\n${REPAIR_TAIL}` },
    ]);
    expect(store.all().map((r) => r.validation)).toEqual([
      { outcome: 'invalid', problems: ['not a view'] },
      { outcome: 'intent', summary: 'view down' },
    ]);
  });

  it('abstains with cause invalid after a second invalid answer, and shows at most ten problems and 4000 characters', async () => {
    const long = `{"problems":12}${' '.repeat(5000)}`;
    const { provider, store, spec } = setup(replies({ answer: long }, { answer: 'still prose' }, { answer: '{"view":"never asked"}' }));
    const result = await askModel(spec());
    expect(result).toEqual({ kind: 'abstain', cause: 'invalid', detail: 'not a view', recordId: `llm:a1:${TS}:1` });
    expect(provider.requests).toHaveLength(2);
    const [, assistant, user] = provider.requests[1]?.messages ?? [];
    expect(assistant).toEqual({ role: 'assistant', content: long.slice(0, 4000) });
    const listed = Array.from({ length: 10 }, (_, i) => `- problem ${i}`).join('\n');
    expect(user).toEqual({ role: 'user', content: `Your answer was rejected:\n${listed}\n${REPAIR_TAIL}` });
    expect(store.all().map((r) => r.validation.outcome)).toEqual(['invalid', 'invalid']);
  });

  it('passes on the model’s own abstention with its reason and no repair', async () => {
    const { provider, store, spec } = setup(replies({ answer: '{"abstain":"no edge in a flat market"}' }));
    expect(await askModel(spec())).toEqual({ kind: 'abstain', cause: 'model', detail: 'no edge in a flat market', recordId: `llm:a1:${TS}:0` });
    expect(provider.requests).toHaveLength(1);
    expect(store.all().map((r) => r.validation)).toEqual([{ outcome: 'abstain', reason: 'no edge in a flat market' }]);
  });

  it('abstains with cause budget, without calling the provider or writing a record, when the budget refuses', async () => {
    const { provider, store, spec } = setup(replies({ answer: '{"view":"up"}' }), { budgets: [new Budget('desk', { runTokens: 10 })] });
    expect(await askModel(spec())).toEqual({ kind: 'abstain', cause: 'budget', detail: 'desk run budget of 10 tokens is exhausted (0 spent)' });
    expect(provider.requests).toHaveLength(0);
    expect(store.all()).toHaveLength(0);
  });

  it('abstains with cause provider-error on a provider failure (recorded as failed), but lets our own bugs throw', async () => {
    const { store, spec } = setup(replies(new LlmProviderError('anthropic 529: overloaded', true, 529), new TypeError('a bug of ours')));
    expect(await askModel(spec())).toEqual({ kind: 'abstain', cause: 'provider-error', detail: 'anthropic 529: overloaded', recordId: `llm:a1:${TS}:0` });
    expect(store.all().map((r) => [r.recordId, r.validation])).toEqual([[`llm:a1:${TS}:0`, { outcome: 'failed', reason: 'anthropic 529: overloaded' }]]);
    await expect(askModel(spec({ messages: [{ role: 'user', content: 'again' }] }))).rejects.toThrow('a bug of ours');
  });

  it('numbers record ids from the agent’s sequence, one decision record per call, and serves a repeated request from the store', async () => {
    const { provider, store, spec } = setup((request) => ({ answer: `{"view":"${request.messages.length}"}` }));
    let sequence = 41;
    const counter = () => sequence++;
    const first = await askModel(spec({ nextSequence: counter, agentId: 'llm-btc', ts: 5 }));
    const second = await askModel(spec({ nextSequence: counter, agentId: 'llm-btc', ts: 6, messages: [{ role: 'user', content: 'other' }] }));
    expect([first, second]).toEqual([
      { kind: 'ok', value: '1', recordId: 'llm:llm-btc:5:41' },
      { kind: 'ok', value: '1', recordId: 'llm:llm-btc:6:42' },
    ]);
    expect(store.all().map((r) => [r.recordId, r.agentId, r.role, r.promptVersion, r.ts, r.attempt, r.model])).toEqual([
      ['llm:llm-btc:5:41', 'llm-btc', 'analyst', 'analyst-v1/standard', 5, 0, 'm1'],
      ['llm:llm-btc:6:42', 'llm-btc', 'analyst', 'analyst-v1/standard', 6, 0, 'm1'],
    ]);
    expect(store.all()[0]?.request.messages).toEqual([{ role: 'user', content: 'your view?' }]);
    expect(store.all()[0]?.response.answer).toBe('{"view":"1"}');
    const again = await askModel(spec({ nextSequence: counter, agentId: 'llm-btc', ts: 5 }));
    expect(again).toEqual({ kind: 'ok', value: '1', recordId: 'llm:llm-btc:5:41' });
    expect(provider.requests).toHaveLength(2);
    expect(store.all()).toHaveLength(2);
  });
});
