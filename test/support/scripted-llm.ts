import type { LlmProvider, LlmRequest, LlmResponse } from '../../src/llm/provider.js';

export type ScriptedReply = Partial<LlmResponse> | Error;

/**
 * An in-process LlmProvider for unit tests of the brains: each call is answered by `reply` (an answer text, tool
 * calls, or an error to throw). The wire protocols are tested with the real SDKs against fake servers elsewhere.
 */
export class ScriptedLlm implements LlmProvider {
  readonly requests: LlmRequest[] = [];

  constructor(
    private readonly reply: (request: LlmRequest, index: number) => ScriptedReply,
    readonly name = 'scripted',
  ) {}

  complete(request: LlmRequest): Promise<LlmResponse> {
    const index = this.requests.length;
    this.requests.push(request);
    const reply = this.reply(request, index);
    if (reply instanceof Error) return Promise.reject(reply);
    return Promise.resolve({
      toolCalls: [],
      usage: { inputTokens: 100, outputTokens: 20 },
      stopReason: 'end_turn',
      model: request.model,
      ...reply,
    });
  }
}

/** The last user message of a request (what the brain was shown this call). */
export function lastUserText(request: LlmRequest): string {
  for (let i = request.messages.length - 1; i >= 0; i--) {
    const m = request.messages[i];
    if (m?.role === 'user') return m.content;
  }
  return '';
}
