import { createHash } from 'node:crypto';
import type { LlmRequest } from './provider.js';

/**
 * The cache key of a call: a SHA-256 of the provider, the model, the parameters and everything sent (system text,
 * messages, tools, answer schema, structured-output method), as canonical JSON (object keys sorted). Any change to
 * a prompt, a parameter or the context gives another key, so a replay can never serve a stale answer.
 */
export function cacheKey(provider: string, request: LlmRequest): string {
  return createHash('sha256').update(canonicalJson({ provider, request })).digest('hex');
}

export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const item = (value as Record<string, unknown>)[key];
      if (item !== undefined) out[key] = sortKeys(item);
    }
    return out;
  }
  return value;
}

/** Which parts of two requests differ (to explain a cache miss): 'system', 'messages[3]', 'parameters' ... */
export function requestDifferences(a: LlmRequest, b: LlmRequest): string[] {
  const parts: string[] = [];
  if (a.model !== b.model) parts.push(`model (${a.model} vs ${b.model})`);
  if (canonicalJson(a.parameters) !== canonicalJson(b.parameters)) parts.push('parameters');
  if (a.system !== b.system) parts.push('system prompt');
  if (a.structuredOutput !== b.structuredOutput) parts.push('structured output');
  if (canonicalJson(a.tools) !== canonicalJson(b.tools)) parts.push('tools');
  if (canonicalJson(a.answer) !== canonicalJson(b.answer)) parts.push('answer schema');
  const n = Math.max(a.messages.length, b.messages.length);
  for (let i = 0; i < n; i++) {
    if (canonicalJson(a.messages[i]) !== canonicalJson(b.messages[i])) {
      parts.push(`messages[${i}]`);
      break;
    }
  }
  return parts;
}
