import type { StructuredOutput } from './provider.js';

/** What a provider/model can do, as far as the desk needs to know: how to ask for the answer's JSON, and tools. */
export interface ModelCapabilities {
  readonly structuredOutput: StructuredOutput;
  /** Whether the model may be offered read-only tools (small local models often cannot use them). */
  readonly tools: boolean;
}

interface Row {
  readonly provider: 'anthropic' | 'openai';
  readonly model: RegExp;
  readonly capabilities: ModelCapabilities;
}

/**
 * First match wins. Claude answers most reliably through a forced tool call; OpenAI's current models take a
 * native JSON schema; older OpenAI models take tool calls; any other model behind an OpenAI-compatible server
 * (Ollama, vLLM, llama.cpp) gets JSON mode and the validator — its output is never trusted more than that.
 */
const TABLE: readonly Row[] = [
  { provider: 'anthropic', model: /^claude-/, capabilities: { structuredOutput: 'tool', tools: true } },
  { provider: 'anthropic', model: /./, capabilities: { structuredOutput: 'tool', tools: true } },
  { provider: 'openai', model: /^(gpt-4o|gpt-4\.1|gpt-5|o1|o3|o4)/, capabilities: { structuredOutput: 'json-schema', tools: true } },
  { provider: 'openai', model: /^(gpt-4|gpt-3\.5)/, capabilities: { structuredOutput: 'tool', tools: true } },
  { provider: 'openai', model: /./, capabilities: { structuredOutput: 'json-mode', tools: false } },
];

/** The capabilities of a model, with the agent's own settings (from its config) taking precedence. */
export function capabilitiesOf(
  provider: 'anthropic' | 'openai',
  model: string,
  override: { readonly structuredOutput?: StructuredOutput; readonly tools?: boolean } = {},
): ModelCapabilities {
  const row = TABLE.find((r) => r.provider === provider && r.model.test(model));
  const base = row?.capabilities ?? { structuredOutput: 'json-mode', tools: false };
  return {
    structuredOutput: override.structuredOutput ?? base.structuredOutput,
    tools: override.tools ?? base.tools,
  };
}
