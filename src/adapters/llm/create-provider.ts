/**
 * Builds the LlmProvider a desk's settings name. Secrets come only from the environment (DESIGN §7): settings name
 * the variable, never the key, so a config file can be shared and committed.
 */
import { FixRequestError } from '../../core/errors.js';
import type { LlmProvider, LlmRequest, LlmResponse } from '../../llm/provider.js';
import type { AnthropicCredential } from './anthropic-provider.js';

export interface ProviderSettings {
  readonly provider: 'anthropic' | 'openai';
  /** Default: the SDK's default. For OpenAI-compatible servers include the `/v1` prefix. */
  readonly baseUrl?: string;
  /** The environment variable holding the key; default ANTHROPIC_API_KEY / OPENAI_API_KEY. */
  readonly apiKeyEnv?: string;
  /** Anthropic only: a variable holding a bearer token used instead of an API key (e.g. ANTHROPIC_AUTH_TOKEN). */
  readonly authTokenEnv?: string;
  readonly timeoutMs: number;
  readonly maxRetries: number;
}

export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Local OpenAI-compatible servers (Ollama, llama.cpp, vLLM without --api-key) ignore the key, but the SDK refuses
 * to run without one, so they get this placeholder.
 */
const PLACEHOLDER_KEY = 'not-needed';

/**
 * Checks the settings and credentials now (a missing key is reported before any run starts) and loads the
 * provider's SDK at the first call: the SDKs take a noticeable part of a second to load, and most commands and
 * runs, replays included, never call a model.
 */
export function createLlmProvider(settings: ProviderSettings, env: Environment): LlmProvider {
  const connection = { baseUrl: settings.baseUrl, timeoutMs: settings.timeoutMs, maxRetries: settings.maxRetries };
  switch (settings.provider) {
    case 'anthropic': {
      const credential = anthropicCredential(settings, env);
      return new DeferredProvider('anthropic', async () => new (await import('./anthropic-provider.js')).AnthropicProvider({ ...connection, credential }));
    }
    case 'openai': {
      const apiKey = openAiKey(settings, env);
      return new DeferredProvider('openai', async () => new (await import('./openai-provider.js')).OpenAiProvider({ ...connection, apiKey }));
    }
  }
}

/** A provider whose implementation (and SDK) is loaded and built at its first call. */
class DeferredProvider implements LlmProvider {
  private provider: Promise<LlmProvider> | undefined;

  constructor(
    readonly name: string,
    private readonly load: () => Promise<LlmProvider>,
  ) {}

  async complete(request: LlmRequest): Promise<LlmResponse> {
    this.provider ??= this.load();
    return (await this.provider).complete(request);
  }
}

function anthropicCredential(settings: ProviderSettings, env: Environment): AnthropicCredential {
  if (settings.authTokenEnv !== undefined) {
    // The SDK takes one credential; naming two variables would leave which one is used to chance.
    if (settings.apiKeyEnv !== undefined) {
      throw new FixRequestError(
        'conflicting_llm_credentials',
        `set either apiKeyEnv (${settings.apiKeyEnv}) or authTokenEnv (${settings.authTokenEnv}) for anthropic, not both`,
      );
    }
    return { authToken: required(env, settings.authTokenEnv, 'anthropic') };
  }
  return { apiKey: required(env, settings.apiKeyEnv ?? 'ANTHROPIC_API_KEY', 'anthropic') };
}

function openAiKey(settings: ProviderSettings, env: Environment): string {
  if (settings.authTokenEnv !== undefined) {
    throw new FixRequestError(
      'invalid_llm_settings',
      `authTokenEnv (${settings.authTokenEnv}) is for anthropic only; openai takes its key from apiKeyEnv`,
    );
  }
  if (settings.apiKeyEnv !== undefined) return required(env, settings.apiKeyEnv, 'openai');
  // A baseUrl without apiKeyEnv is a compatible server that needs no key. OPENAI_API_KEY is deliberately not read
  // then, so an OpenAI key never goes to another server unless the settings name it.
  if (settings.baseUrl !== undefined) return PLACEHOLDER_KEY;
  return required(env, 'OPENAI_API_KEY', 'openai');
}

function required(env: Environment, variable: string, provider: string): string {
  const value = env[variable];
  if (value === undefined || value.length === 0) {
    throw new FixRequestError('missing_api_key', `${provider} needs the environment variable ${variable}, which is not set`);
  }
  return value;
}
