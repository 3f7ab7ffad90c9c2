/**
 * LlmProvider over the Anthropic Messages API (`@anthropic-ai/sdk`, non-streaming `messages.create`).
 *
 * Two things differ from what a reader of older Anthropic docs may expect, both fixed by SDK 1.x, which speaks API
 * version 2026-10-21:
 * - the Messages params have no `temperature` any more, so `parameters.temperature` is not sent (it stays in the
 *   request, and so in the cache key, for providers that take it);
 * - an API key travels as `Authorization: Bearer <key>`, as an auth token does; the SDK no longer sends `x-api-key`.
 */
import Anthropic from '@anthropic-ai/sdk';
import type { LlmMessage, LlmProvider, LlmRequest, LlmResponse, ToolCall } from '../../llm/provider.js';
import { LlmProviderError } from '../../llm/provider.js';
import { toLlmProviderError } from './provider-errors.js';

export type AnthropicCredential = { readonly apiKey: string } | { readonly authToken: string };

export interface AnthropicProviderOptions {
  readonly credential: AnthropicCredential;
  /** Absent: the SDK's default (ANTHROPIC_BASE_URL, else https://api.anthropic.com). The SDK appends `/v1/messages`. */
  readonly baseUrl?: string;
  readonly timeoutMs: number;
  readonly maxRetries: number;
}

export class AnthropicProvider implements LlmProvider {
  readonly name = 'anthropic';
  private readonly client: Anthropic;

  constructor(options: AnthropicProviderOptions) {
    // Exactly one credential is passed, so the SDK reads neither the environment nor a profile for another.
    this.client = new Anthropic({
      ...('apiKey' in options.credential
        ? { apiKey: options.credential.apiKey }
        : { authToken: options.credential.authToken }),
      baseURL: options.baseUrl,
      timeout: options.timeoutMs,
      maxRetries: options.maxRetries,
    });
  }

  async complete(request: LlmRequest): Promise<LlmResponse> {
    const params = anthropicParams(request);
    let message: Anthropic.Message;
    try {
      message = await this.client.messages.create(params);
    } catch (error) {
      throw toLlmProviderError('anthropic', error);
    }
    return fromAnthropicMessage(message, request);
  }
}

function anthropicParams(request: LlmRequest): Anthropic.MessageCreateParamsNonStreaming {
  const tools: Anthropic.Tool[] = request.tools.map((tool) => ({
    name: tool.name,
    description: tool.description,
    input_schema: inputSchema(tool.parameters),
  }));
  const params: Anthropic.MessageCreateParamsNonStreaming = {
    model: request.model,
    max_tokens: request.parameters.maxTokens,
    messages: anthropicMessages(request.messages),
  };
  if (request.system.length > 0) params.system = request.system;
  switch (request.structuredOutput) {
    case 'tool':
      tools.push({
        name: request.answer.name,
        description: request.answer.description,
        input_schema: inputSchema(request.answer.schema),
      });
      // `any` makes the model call some tool: a read tool or the answer, never free prose.
      params.tool_choice = { type: 'any' };
      break;
    case 'json-schema':
      // Native structured output, in the non-beta params since SDK 1.x; the answer comes back as text.
      params.output_config = { format: { type: 'json_schema', schema: { ...request.answer.schema } } };
      break;
    case 'json-mode':
      // Anthropic has no JSON mode: the prompt asks for JSON and our validator checks the text.
      break;
  }
  if (tools.length > 0) params.tools = tools;
  return params;
}

function inputSchema(schema: Readonly<Record<string, unknown>>): Anthropic.Tool['input_schema'] {
  return { ...schema, type: 'object' };
}

/** Neutral turns to Messages turns; consecutive tool results share one user turn, as the API requires. */
function anthropicMessages(messages: readonly LlmMessage[]): Anthropic.MessageParam[] {
  const turns: Anthropic.MessageParam[] = [];
  let toolResults: Anthropic.ToolResultBlockParam[] | undefined;
  for (const message of messages) {
    if (message.role === 'tool') {
      if (toolResults === undefined) {
        toolResults = [];
        turns.push({ role: 'user', content: toolResults });
      }
      toolResults.push({ type: 'tool_result', tool_use_id: message.toolCallId, content: message.content });
      continue;
    }
    toolResults = undefined;
    if (message.role === 'user') {
      turns.push({ role: 'user', content: message.content });
    } else if (message.toolCalls === undefined || message.toolCalls.length === 0) {
      turns.push({ role: 'assistant', content: message.content });
    } else {
      const blocks: Anthropic.ContentBlockParam[] = [];
      // The API rejects empty text blocks, so a turn that only called tools carries tool_use blocks alone.
      if (message.content.length > 0) blocks.push({ type: 'text', text: message.content });
      for (const call of message.toolCalls) {
        blocks.push({ type: 'tool_use', id: call.id, name: call.name, input: parseArguments(call) });
      }
      turns.push({ role: 'assistant', content: blocks });
    }
  }
  return turns;
}

function parseArguments(call: ToolCall): unknown {
  try {
    return JSON.parse(call.arguments) as unknown;
  } catch {
    throw new LlmProviderError(
      `anthropic: the arguments of tool call ${call.id} (${call.name}) are not JSON, so they cannot be sent back`,
      false,
    );
  }
}

function fromAnthropicMessage(message: Anthropic.Message, request: LlmRequest): LlmResponse {
  const texts: string[] = [];
  const toolCalls: ToolCall[] = [];
  let toolAnswer: string | undefined;
  for (const block of message.content) {
    if (block.type === 'text') {
      texts.push(block.text);
    } else if (block.type === 'tool_use') {
      const argumentsText = JSON.stringify(block.input ?? {});
      if (request.structuredOutput === 'tool' && block.name === request.answer.name) {
        toolAnswer ??= argumentsText;
      } else {
        toolCalls.push({ id: block.id, name: block.name, arguments: argumentsText });
      }
    }
  }
  const text = texts.join('').trim();
  // Text beside read-tool calls is the model thinking aloud before it has seen their results, not its answer.
  const answer = toolAnswer ?? (toolCalls.length === 0 && text.length > 0 ? text : undefined);
  // Usage is mandatory on the wire, but compatible gateways drop it; a missing count reads as 0.
  const usage = message.usage as Partial<Anthropic.Usage> | undefined;
  return {
    ...(answer === undefined ? {} : { answer }),
    toolCalls,
    usage: { inputTokens: usage?.input_tokens ?? 0, outputTokens: usage?.output_tokens ?? 0 },
    stopReason: message.stop_reason ?? '',
    model: message.model,
  };
}
