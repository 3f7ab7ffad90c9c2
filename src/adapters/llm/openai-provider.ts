/**
 * LlmProvider over OpenAI Chat Completions (`openai` v6, `chat.completions.create`). The same wire reaches
 * OpenAI-compatible servers (Ollama, vLLM, llama.cpp) through `baseUrl`, which must include the `/v1` prefix: the
 * SDK appends only `/chat/completions`.
 */
import OpenAI from 'openai';
import type { LlmMessage, LlmProvider, LlmRequest, LlmResponse, ToolCall, ToolSpec } from '../../llm/provider.js';
import { LlmProviderError } from '../../llm/provider.js';
import { toLlmProviderError } from './provider-errors.js';

export interface OpenAiProviderOptions {
  readonly apiKey: string;
  /** Absent: the SDK's default (OPENAI_BASE_URL, else https://api.openai.com/v1). */
  readonly baseUrl?: string;
  readonly timeoutMs: number;
  readonly maxRetries: number;
}

export class OpenAiProvider implements LlmProvider {
  readonly name = 'openai';
  private readonly client: OpenAI;

  constructor(options: OpenAiProviderOptions) {
    this.client = new OpenAI({
      apiKey: options.apiKey,
      baseURL: options.baseUrl,
      timeout: options.timeoutMs,
      maxRetries: options.maxRetries,
    });
  }

  async complete(request: LlmRequest): Promise<LlmResponse> {
    let completion: OpenAI.ChatCompletion;
    try {
      completion = await this.client.chat.completions.create(openAiParams(request));
    } catch (error) {
      throw toLlmProviderError('openai', error);
    }
    return fromCompletion(completion, request);
  }
}

function openAiParams(request: LlmRequest): OpenAI.ChatCompletionCreateParamsNonStreaming {
  const tools = request.tools.map(functionTool);
  const params: OpenAI.ChatCompletionCreateParamsNonStreaming = {
    model: request.model,
    messages: [
      ...(request.system.length > 0 ? [{ role: 'system' as const, content: request.system }] : []),
      ...request.messages.map(openAiMessage),
    ],
    temperature: request.parameters.temperature,
    // `max_tokens` is deprecated in OpenAI's types in favour of `max_completion_tokens`, but still accepted by OpenAI
    // for chat models and it is the field Ollama, vLLM and llama.cpp read; the newer one is unknown to several of them.
    max_tokens: request.parameters.maxTokens,
  };
  switch (request.structuredOutput) {
    case 'tool':
      tools.push(
        functionTool({ name: request.answer.name, description: request.answer.description, parameters: request.answer.schema }),
      );
      // `required` makes the model call some tool: a read tool or the answer, never free prose.
      params.tool_choice = 'required';
      break;
    case 'json-schema':
      // strict:false because strict mode demands every property be required and no additionalProperties, which our
      // schemas need not satisfy; our validator checks the answer either way.
      params.response_format = {
        type: 'json_schema',
        json_schema: {
          name: request.answer.name,
          description: request.answer.description,
          schema: { ...request.answer.schema },
          strict: false,
        },
      };
      break;
    case 'json-mode':
      params.response_format = { type: 'json_object' };
      break;
  }
  // OpenAI rejects an empty `tools` array, so a request without tools sends none.
  if (tools.length > 0) params.tools = tools;
  return params;
}

function functionTool(tool: ToolSpec): OpenAI.ChatCompletionFunctionTool {
  return {
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: { ...tool.parameters } },
  };
}

function openAiMessage(message: LlmMessage): OpenAI.ChatCompletionMessageParam {
  switch (message.role) {
    case 'user':
      return { role: 'user', content: message.content };
    case 'tool':
      return { role: 'tool', tool_call_id: message.toolCallId, content: message.content };
    case 'assistant': {
      const calls = message.toolCalls ?? [];
      if (calls.length === 0) return { role: 'assistant', content: message.content };
      return {
        role: 'assistant',
        // A turn that only called tools has null content on the wire, as the API itself returns it.
        content: message.content.length > 0 ? message.content : null,
        tool_calls: calls.map((call) => ({
          id: call.id,
          type: 'function' as const,
          function: { name: call.name, arguments: call.arguments },
        })),
      };
    }
  }
}

function fromCompletion(completion: OpenAI.ChatCompletion, request: LlmRequest): LlmResponse {
  const choice = completion.choices[0];
  if (choice === undefined) {
    throw new LlmProviderError('openai: the completion has no choices', true);
  }
  const toolCalls: ToolCall[] = [];
  let toolAnswer: string | undefined;
  for (const call of choice.message.tool_calls ?? []) {
    // Custom (free-text) tool calls answer custom tools, which we never offer.
    if (call.type !== 'function') continue;
    if (request.structuredOutput === 'tool' && call.function.name === request.answer.name) {
      toolAnswer ??= call.function.arguments;
    } else {
      toolCalls.push({ id: call.id, name: call.function.name, arguments: call.function.arguments });
    }
  }
  const text = (choice.message.content ?? '').trim();
  // Text beside read-tool calls is the model thinking aloud before it has seen their results, not its answer.
  const answer = toolAnswer ?? (toolCalls.length === 0 && text.length > 0 ? text : undefined);
  return {
    ...(answer === undefined ? {} : { answer }),
    toolCalls,
    // Compatible servers may leave usage out; a missing count reads as 0.
    usage: { inputTokens: completion.usage?.prompt_tokens ?? 0, outputTokens: completion.usage?.completion_tokens ?? 0 },
    stopReason: choice.finish_reason ?? '',
    model: completion.model,
  };
}
