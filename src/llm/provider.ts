/**
 * The LlmProvider port (DESIGN §6): the one thin interface every model is reached through. It speaks a neutral
 * conversation (system text, user/assistant/tool turns, read-only tools, one answer schema) and returns the answer
 * as JSON text — never prose to be parsed into a trade. Adapters (src/adapters/llm/) translate it to the Anthropic
 * Messages API or to OpenAI-compatible Chat Completions; everything above this port is provider-agnostic.
 */

/** How the answer's JSON is asked for (see capabilities.ts). */
export type StructuredOutput = 'json-schema' | 'tool' | 'json-mode';

/** A JSON Schema object (draft 2020-12 subset), as sent to providers. */
export type JsonSchema = Readonly<Record<string, unknown>>;

export interface ToolSpec {
  readonly name: string;
  readonly description: string;
  /** JSON Schema of the arguments (an object schema). */
  readonly parameters: JsonSchema;
}

export interface ToolCall {
  /** The provider's id for the call, echoed back with its result. */
  readonly id: string;
  readonly name: string;
  /** The arguments as the model sent them (JSON text; checked by the tool, never trusted). */
  readonly arguments: string;
}

export type LlmMessage =
  | { readonly role: 'user'; readonly content: string }
  | { readonly role: 'assistant'; readonly content: string; readonly toolCalls?: readonly ToolCall[] }
  | { readonly role: 'tool'; readonly toolCallId: string; readonly name: string; readonly content: string };

/** The answer the model must give: its name (the answer tool's name under 'tool'), description and schema. */
export interface AnswerSpec {
  readonly name: string;
  readonly description: string;
  readonly schema: JsonSchema;
}

/** Per-call parameters; part of the cache key. */
export interface LlmParameters {
  readonly temperature: number;
  readonly maxTokens: number;
}

export interface LlmRequest {
  readonly model: string;
  readonly system: string;
  readonly messages: readonly LlmMessage[];
  readonly parameters: LlmParameters;
  /** Read-only tools the model may call before it answers (none: it answers at once). */
  readonly tools: readonly ToolSpec[];
  readonly answer: AnswerSpec;
  readonly structuredOutput: StructuredOutput;
}

export interface LlmUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

export interface LlmResponse {
  /** The model's answer as JSON text (the answer tool's arguments under 'tool'); absent when it only called tools. */
  readonly answer?: string;
  /** Read-only tool calls the model made (the answer tool is not among them). */
  readonly toolCalls: readonly ToolCall[];
  readonly usage: LlmUsage;
  /** Why the model stopped, in the provider's words (end_turn, stop, tool_use, max_tokens ...). */
  readonly stopReason: string;
  /** The model that answered, as the provider reports it. */
  readonly model: string;
}

export interface LlmProvider {
  /** 'anthropic' or 'openai' (part of the cache key). */
  readonly name: string;
  /** Sends one request; rejects with LlmProviderError when the call fails after the provider's own retries. */
  complete(request: LlmRequest): Promise<LlmResponse>;
}

/** A failed call: `retryable` says whether trying later may succeed (timeouts, 429, 5xx) or the request must change. */
export class LlmProviderError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'LlmProviderError';
  }
}
