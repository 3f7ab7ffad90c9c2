import { describe, expect, it } from 'vitest';
import { AnthropicProvider } from '../../src/adapters/llm/anthropic-provider.js';
import type { Environment, ProviderSettings } from '../../src/adapters/llm/create-provider.js';
import { createLlmProvider } from '../../src/adapters/llm/create-provider.js';
import { OpenAiProvider } from '../../src/adapters/llm/openai-provider.js';
import type { LlmProvider, LlmRequest, LlmResponse, StructuredOutput, ToolSpec } from '../../src/llm/provider.js';
import { LlmProviderError } from '../../src/llm/provider.js';
import { errorOf } from '../support/errors.js';
import type { FakeLlmServer, FakeReply, FakeRequestView, FakeServerOptions } from '../support/fake-llm-servers.js';
import { startFakeAnthropic, startFakeOpenAi } from '../support/fake-llm-servers.js';

const ANTHROPIC_KEY = 'sk-ant-test-key';
const OPENAI_KEY = 'sk-openai-test-key';
const INTENT = { action: 'buy', instrument: 'BINANCE:BTC/USDT', conviction: 0.6 };
const ANSWER = {
  name: 'submit_intent',
  description: 'The trade intent, or an abstain',
  schema: { type: 'object', properties: { action: { type: 'string' }, conviction: { type: 'number' } }, required: ['action'] },
};
const PRICE_TOOL: ToolSpec = {
  name: 'get_price',
  description: 'The latest mark price of an instrument',
  parameters: { type: 'object', properties: { instrument: { type: 'string' } }, required: ['instrument'] },
};

function requestFor(structuredOutput: StructuredOutput, overrides: Partial<LlmRequest> = {}): LlmRequest {
  return {
    model: 'desk-model-1',
    system: 'You are the analyst of a crypto desk. Answer with JSON only.',
    messages: [{ role: 'user', content: 'BTC/USDT closed at 50000.5. Your intent?' }],
    parameters: { temperature: 0.2, maxTokens: 256 },
    tools: [],
    answer: ANSWER,
    structuredOutput,
    ...overrides,
  };
}

type Start = (options: FakeServerOptions) => Promise<FakeLlmServer>;

/** Runs `body` against a fresh fake that answers with `replies` in turn (the last one repeats), then closes it. */
async function withFake(
  start: Start,
  replies: FakeReply[],
  body: (fake: FakeLlmServer, views: FakeRequestView[]) => Promise<void>,
  auth: Omit<FakeServerOptions, 'reply'> = {},
): Promise<void> {
  const views: FakeRequestView[] = [];
  const reply = (view: FakeRequestView, index: number): FakeReply => {
    views.push(view);
    return replies[Math.min(index, replies.length - 1)] ?? {};
  };
  const fake = await start({ ...auth, reply });
  try {
    await body(fake, views);
  } finally {
    await fake.close();
  }
}

async function providerError(promise: Promise<LlmResponse>): Promise<LlmProviderError> {
  const error: unknown = await promise.then(() => undefined, (rejection: unknown) => rejection);
  if (!(error instanceof LlmProviderError)) throw new Error(`expected an LlmProviderError, got ${String(error)}`);
  return error;
}

/** The response to a plain answer of INTENT. */
function answered(inputTokens: number, outputTokens: number, stopReason: string, answer = JSON.stringify(INTENT)): LlmResponse {
  return { answer, toolCalls: [], usage: { inputTokens, outputTokens }, stopReason, model: 'desk-model-1' };
}

function bodyOf(fake: FakeLlmServer, index = 0): Record<string, unknown> {
  return fake.requests[index]?.body as Record<string, unknown>;
}

const anthropicFake: Start = (options) => startFakeAnthropic({ apiKey: ANTHROPIC_KEY, ...options });
const openAiFake: Start = (options) => startFakeOpenAi({ apiKey: OPENAI_KEY, ...options });
const anthropicAt = (fake: FakeLlmServer, timeoutMs = 5_000, maxRetries = 0, apiKey = ANTHROPIC_KEY): LlmProvider =>
  new AnthropicProvider({ credential: { apiKey }, baseUrl: fake.url, timeoutMs, maxRetries });
const openAiAt = (fake: FakeLlmServer, timeoutMs = 5_000, maxRetries = 0, apiKey = OPENAI_KEY): LlmProvider =>
  new OpenAiProvider({ apiKey, baseUrl: `${fake.url}/v1`, timeoutMs, maxRetries });

describe('AnthropicProvider against a fake Messages API', () => {
  const start = anthropicFake;

  it('asks for json-schema through output_config and returns the text answer', async () => {
    await withFake(start, [{ answer: INTENT, usage: { input: 120, output: 30 } }], async (fake, views) => {
      const response = await anthropicAt(fake).complete(requestFor('json-schema'));
      const body = bodyOf(fake);
      expect(fake.requests[0]?.path).toBe('/v1/messages');
      expect(body).toMatchObject({ model: 'desk-model-1', max_tokens: 256, system: requestFor('json-schema').system });
      expect(body.output_config).toEqual({ format: { type: 'json_schema', schema: ANSWER.schema } });
      // No temperature: API version 2026-10-21 (SDK 1.x) has none. No tools or tool_choice either.
      expect(Object.keys(body).sort()).toEqual(['max_tokens', 'messages', 'model', 'output_config', 'system']);
      expect(body.messages).toEqual([{ role: 'user', content: 'BTC/USDT closed at 50000.5. Your intent?' }]);
      expect(views[0]?.answerMode).toBe('json-schema');
      expect(response).toEqual(answered(120, 30, 'end_turn'));
    });
  });

  it('offers the answer as a forced tool and reads its input back as the answer', async () => {
    await withFake(start, [{ answer: INTENT, usage: { input: 90, output: 12 } }], async (fake, views) => {
      const response = await anthropicAt(fake).complete(requestFor('tool', { tools: [PRICE_TOOL] }));
      const body = bodyOf(fake);
      expect(body.tools).toEqual([
        { name: 'get_price', description: PRICE_TOOL.description, input_schema: PRICE_TOOL.parameters },
        { name: 'submit_intent', description: ANSWER.description, input_schema: ANSWER.schema },
      ]);
      expect(body.tool_choice).toEqual({ type: 'any' });
      expect(body).not.toHaveProperty('output_config');
      expect(views[0]).toMatchObject({ answerMode: 'tool', answerTool: 'submit_intent', toolNames: ['get_price', 'submit_intent'] });
      expect(response).toEqual(answered(90, 12, 'tool_use'));
    });
  });

  it('sends nothing extra under json-mode and trims the text answer', async () => {
    await withFake(start, [{ answer: '\n  {"action":"abstain"}  \n' }], async (fake, views) => {
      const response = await anthropicAt(fake).complete(requestFor('json-mode'));
      const body = bodyOf(fake);
      expect(Object.keys(body).sort()).toEqual(['max_tokens', 'messages', 'model', 'system']);
      expect(views[0]?.answerMode).toBe('text');
      expect(response).toEqual(answered(0, 0, 'end_turn', '{"action":"abstain"}'));
    });
  });

  it('returns read-tool calls, then sends their results back as tool_result blocks in one user turn', async () => {
    const replies: FakeReply[] = [
      {
        answer: 'Let me check both marks first.',
        toolCalls: [{ name: 'get_price', input: { instrument: 'BTC/USDT' } }, { name: 'get_price', input: { instrument: 'ETH/USDT' } }],
        usage: { input: 50, output: 20 },
      },
      { answer: INTENT, usage: { input: 80, output: 25 } },
    ];
    await withFake(start, replies, async (fake, views) => {
      const provider = anthropicAt(fake);
      const first = await provider.complete(requestFor('json-schema', { tools: [PRICE_TOOL] }));
      expect(first).toEqual({
        toolCalls: [
          { id: 'toolu_fake_0_1', name: 'get_price', arguments: '{"instrument":"BTC/USDT"}' },
          { id: 'toolu_fake_0_2', name: 'get_price', arguments: '{"instrument":"ETH/USDT"}' },
        ],
        usage: { inputTokens: 50, outputTokens: 20 },
        stopReason: 'tool_use',
        model: 'desk-model-1',
      });
      const [btc, eth] = first.toolCalls;
      if (btc === undefined || eth === undefined) throw new Error('two tool calls expected');
      const second = await provider.complete(
        requestFor('json-schema', {
          tools: [PRICE_TOOL],
          messages: [
            ...requestFor('json-schema').messages,
            { role: 'assistant', content: '', toolCalls: first.toolCalls },
            { role: 'tool', toolCallId: btc.id, name: btc.name, content: '{"mark":"50000.5"}' },
            { role: 'tool', toolCallId: eth.id, name: eth.name, content: '{"mark":"2500.25"}' },
          ],
        }),
      );
      expect(bodyOf(fake, 1).messages).toEqual([
        { role: 'user', content: 'BTC/USDT closed at 50000.5. Your intent?' },
        {
          role: 'assistant',
          content: [
            { type: 'tool_use', id: 'toolu_fake_0_1', name: 'get_price', input: { instrument: 'BTC/USDT' } },
            { type: 'tool_use', id: 'toolu_fake_0_2', name: 'get_price', input: { instrument: 'ETH/USDT' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_fake_0_1', content: '{"mark":"50000.5"}' },
            { type: 'tool_result', tool_use_id: 'toolu_fake_0_2', content: '{"mark":"2500.25"}' },
          ],
        },
      ]);
      expect(views[1]?.toolResults).toEqual([
        { name: 'get_price', content: '{"mark":"50000.5"}' },
        { name: 'get_price', content: '{"mark":"2500.25"}' },
      ]);
      expect(views[1]?.lastUserText).toBe('BTC/USDT closed at 50000.5. Your intent?');
      expect(second).toMatchObject({ answer: JSON.stringify(INTENT), toolCalls: [], stopReason: 'end_turn' });
    });
  });

  it('sends an API key as a bearer token, as SDK 1.x does, with the API version header', async () => {
    await withFake(start, [{ answer: INTENT }], async (fake) => {
      await anthropicAt(fake).complete(requestFor('json-schema'));
      expect(fake.requests[0]?.headers.authorization).toBe(`Bearer ${ANTHROPIC_KEY}`);
      expect(fake.requests[0]?.headers['anthropic-version']).toBe('2026-10-21');
      expect(fake.requests[0]?.headers['x-api-key']).toBeUndefined();
    });
  });

  it('authenticates with a bearer auth token instead of an API key', async () => {
    await withFake(startFakeAnthropic, [{ answer: INTENT }], async (fake) => {
      const credential = { authToken: 'oauth-token-1' };
      const provider = new AnthropicProvider({ credential, baseUrl: fake.url, timeoutMs: 5_000, maxRetries: 0 });
      expect((await provider.complete(requestFor('json-schema'))).answer).toBe(JSON.stringify(INTENT));
      expect(fake.requests[0]?.headers.authorization).toBe('Bearer oauth-token-1');
    }, { authToken: 'oauth-token-1' });
  });
});

describe('OpenAiProvider against a fake Chat Completions API', () => {
  const start = openAiFake;

  it('asks for json-schema through response_format and returns the content', async () => {
    await withFake(start, [{ answer: INTENT, usage: { input: 140, output: 35 } }], async (fake, views) => {
      const response = await openAiAt(fake).complete(requestFor('json-schema'));
      const body = bodyOf(fake);
      expect(fake.requests[0]?.path).toBe('/v1/chat/completions');
      expect(fake.requests[0]?.headers.authorization).toBe(`Bearer ${OPENAI_KEY}`);
      expect(body).toMatchObject({ model: 'desk-model-1', temperature: 0.2, max_tokens: 256 });
      expect(body.messages).toEqual([
        { role: 'system', content: requestFor('json-schema').system },
        { role: 'user', content: 'BTC/USDT closed at 50000.5. Your intent?' },
      ]);
      expect(body.response_format).toEqual({
        type: 'json_schema',
        json_schema: { name: 'submit_intent', description: ANSWER.description, schema: ANSWER.schema, strict: false },
      });
      expect(Object.keys(body).sort()).toEqual(['max_tokens', 'messages', 'model', 'response_format', 'temperature']);
      expect(views[0]).toMatchObject({ answerMode: 'json-schema', system: requestFor('json-schema').system });
      expect(response).toEqual(answered(140, 35, 'stop'));
    });
  });

  it('offers the answer as a required function tool and returns its raw arguments', async () => {
    await withFake(start, [{ answer: INTENT, usage: { input: 70, output: 9 } }], async (fake, views) => {
      const response = await openAiAt(fake).complete(requestFor('tool', { tools: [PRICE_TOOL] }));
      const body = bodyOf(fake);
      expect(body.tools).toEqual([
        { type: 'function', function: { name: 'get_price', description: PRICE_TOOL.description, parameters: PRICE_TOOL.parameters } },
        { type: 'function', function: { name: 'submit_intent', description: ANSWER.description, parameters: ANSWER.schema } },
      ]);
      expect(body.tool_choice).toBe('required');
      expect(body).not.toHaveProperty('response_format');
      expect(views[0]).toMatchObject({ answerMode: 'tool', answerTool: 'submit_intent' });
      expect(response).toEqual(answered(70, 9, 'tool_calls'));
    });
  });

  it('asks for a JSON object under json-mode and reads missing usage as zero', async () => {
    await withFake(start, [{ answer: ' {"action":"abstain"}\n' }], async (fake, views) => {
      const response = await openAiAt(fake).complete(requestFor('json-mode'));
      expect(bodyOf(fake).response_format).toEqual({ type: 'json_object' });
      expect(views[0]?.answerMode).toBe('json-mode');
      expect(response).toEqual(answered(0, 0, 'stop', '{"action":"abstain"}'));
    });
  });

  it('returns read-tool calls, then sends their results back as tool messages with tool_call_id', async () => {
    const replies: FakeReply[] = [
      { answer: 'Checking.', toolCalls: [{ name: 'get_price', input: { instrument: 'BTC/USDT' } }] },
      { answer: INTENT },
    ];
    await withFake(start, replies, async (fake, views) => {
      const provider = openAiAt(fake);
      const first = await provider.complete(requestFor('json-schema', { tools: [PRICE_TOOL] }));
      expect(first.answer).toBeUndefined();
      expect(first.stopReason).toBe('tool_calls');
      expect(first.toolCalls).toEqual([{ id: 'call_fake_0_1', name: 'get_price', arguments: '{"instrument":"BTC/USDT"}' }]);
      const second = await provider.complete(
        requestFor('json-schema', {
          tools: [PRICE_TOOL],
          messages: [
            ...requestFor('json-schema').messages,
            { role: 'assistant', content: '', toolCalls: first.toolCalls },
            { role: 'tool', toolCallId: 'call_fake_0_1', name: 'get_price', content: '{"mark":"50000.5"}' },
          ],
        }),
      );
      expect((bodyOf(fake, 1).messages as unknown[]).slice(2)).toEqual([
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'call_fake_0_1', type: 'function', function: { name: 'get_price', arguments: '{"instrument":"BTC/USDT"}' } }],
        },
        { role: 'tool', tool_call_id: 'call_fake_0_1', content: '{"mark":"50000.5"}' },
      ]);
      expect(views[1]?.toolResults).toEqual([{ name: 'get_price', content: '{"mark":"50000.5"}' }]);
      expect(second).toMatchObject({ answer: JSON.stringify(INTENT), toolCalls: [], stopReason: 'stop' });
    });
  });
});

describe.each([
  { name: 'anthropic', start: anthropicFake, at: anthropicAt },
  { name: 'openai', start: openAiFake, at: openAiAt },
])('$name failures', ({ name, start, at }) => {
  it('rejects a wrong key with a 401 that is not retryable', async () => {
    await withFake(start, [{ answer: INTENT }], async (fake) => {
      const error = await providerError(at(fake, 5_000, 2, 'wrong-key').complete(requestFor('json-schema')));
      expect(error).toMatchObject({ retryable: false, status: 401 });
      expect(error.message).toMatch(new RegExp(`^${name}: HTTP 401: `));
      expect(fake.requests).toHaveLength(1);
    });
  });

  it('retries a 429 once and succeeds', async () => {
    await withFake(start, [{ status: 429, errorMessage: 'Slow down' }, { answer: INTENT }], async (fake) => {
      const response = await at(fake, 5_000, 1).complete(requestFor('json-schema'));
      expect(fake.requests).toHaveLength(2);
      expect(response.answer).toBe(JSON.stringify(INTENT));
    });
  });

  it.each([
    [429, 'Slow down'],
    [529, 'Overloaded'],
  ])('reports a %i as retryable once retries are spent', async (status, errorMessage) => {
    await withFake(start, [{ status, errorMessage }], async (fake) => {
      const error = await providerError(at(fake, 5_000, 0).complete(requestFor('json-schema')));
      expect(error).toMatchObject({ retryable: true, status, message: `${name}: HTTP ${status}: ${errorMessage}` });
    });
  });

  it('does not retry a 400 and carries the provider message', async () => {
    await withFake(start, [{ status: 400, errorMessage: 'max_tokens: must be positive' }], async (fake) => {
      const error = await providerError(at(fake, 5_000, 2).complete(requestFor('json-schema')));
      expect(error).toMatchObject({ retryable: false, status: 400, message: `${name}: HTTP 400: max_tokens: must be positive` });
      expect(fake.requests).toHaveLength(1);
    });
  });

  it('turns a timeout into a retryable error without a status', async () => {
    await withFake(start, [{ answer: INTENT, delayMs: 200 }], async (fake) => {
      const error = await providerError(at(fake, 50, 0).complete(requestFor('json-schema')));
      expect(error).toMatchObject({ retryable: true, status: undefined, message: `${name}: the request timed out (no HTTP status)` });
    });
  });
});

describe('createLlmProvider', () => {
  const create = (settings: Omit<ProviderSettings, 'timeoutMs' | 'maxRetries'>, env: Environment = {}): LlmProvider =>
    createLlmProvider({ timeoutMs: 5_000, maxRetries: 0, ...settings }, env);
  const refusal = (settings: Omit<ProviderSettings, 'timeoutMs' | 'maxRetries'>, env: Environment = {}) =>
    errorOf(() => create(settings, env));

  it('names the missing variable of each provider', () => {
    expect(refusal({ provider: 'anthropic' }).message).toContain('ANTHROPIC_API_KEY');
    expect(refusal({ provider: 'openai' }).message).toContain('OPENAI_API_KEY');
    expect(refusal({ provider: 'openai', apiKeyEnv: 'DESK_OPENAI_KEY', baseUrl: 'http://127.0.0.1:1/v1' }).message).toContain('DESK_OPENAI_KEY');
    expect(refusal({ provider: 'anthropic', authTokenEnv: 'ANTHROPIC_AUTH_TOKEN' }, { ANTHROPIC_API_KEY: 'k' }).message).toContain('ANTHROPIC_AUTH_TOKEN');
  });

  it('refuses settings that name two Anthropic credentials or an auth token for OpenAI', () => {
    const env = { ANTHROPIC_API_KEY: 'k', ANTHROPIC_AUTH_TOKEN: 't' };
    const both = { apiKeyEnv: 'ANTHROPIC_API_KEY', authTokenEnv: 'ANTHROPIC_AUTH_TOKEN' };
    expect(refusal({ provider: 'anthropic', ...both }, env).code).toBe('conflicting_llm_credentials');
    expect(refusal({ provider: 'openai', authTokenEnv: 'ANTHROPIC_AUTH_TOKEN' }, env).code).toBe('invalid_llm_settings');
  });

  it('reaches an OpenAI-compatible server without a key, sending the placeholder', async () => {
    await withFake(startFakeOpenAi, [{ answer: INTENT }], async (fake) => {
      const provider = create({ provider: 'openai', baseUrl: `${fake.url}/v1` }, { OPENAI_API_KEY: 'must-not-leak' });
      expect(provider.name).toBe('openai');
      expect((await provider.complete(requestFor('json-mode'))).answer).toBe(JSON.stringify(INTENT));
      expect(fake.requests[0]?.headers.authorization).toBe('Bearer not-needed');
    });
  });

  it('takes the Anthropic key or auth token from the named variables', async () => {
    await withFake(
      startFakeAnthropic,
      [{ answer: INTENT }],
      async (fake) => {
        const byKey = create({ provider: 'anthropic', baseUrl: fake.url, apiKeyEnv: 'DESK_CLAUDE_KEY' }, { DESK_CLAUDE_KEY: 'key-9' });
        const byToken = create({ provider: 'anthropic', baseUrl: fake.url, authTokenEnv: 'ANTHROPIC_AUTH_TOKEN' }, { ANTHROPIC_AUTH_TOKEN: 'token-7' });
        expect(byKey.name).toBe('anthropic');
        await byKey.complete(requestFor('json-schema'));
        await byToken.complete(requestFor('json-schema'));
        expect(fake.requests.map((request) => request.headers.authorization)).toEqual(['Bearer key-9', 'Bearer token-7']);
      },
      { apiKey: 'key-9', authToken: 'token-7' },
    );
  });
});
