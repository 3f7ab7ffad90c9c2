import { createHash } from 'node:crypto';
import type { LlmRequest } from './provider.js';

/**
 * The cache key of a call: a SHA-256 of the provider, the model, the parameters and everything sent (system text,
 * messages, tools, answer schema, structured-output method). Any change to a prompt, a parameter or the context
 * gives another key, so a replay can never serve a stale answer.
 */
export function cacheKey(provider: string, request: LlmRequest): string {
  return keyOfText(requestText(provider, request));
}

/**
 * The text a key is the hash of (its length also sizes the call for budgets): every part of the request in a fixed
 * order. The parts are built by our own code, so their JSON is stable run to run; a record made by a version that
 * built them differently is a cache miss, never a wrong answer.
 */
export function requestText(provider: string, request: LlmRequest): string {
  const p = request.parameters;
  const head = JSON.stringify([provider, request.model, p.temperature, p.maxTokens, request.structuredOutput, request.system]);
  // A brain sends the same schema, tools and remembered turns call after call: each object's JSON is made once.
  let messages = '';
  for (const message of request.messages) messages += (messages === '' ? '' : ',') + jsonOf(message);
  return `${head.slice(0, -1)},${jsonOf(request.answer)},${jsonOf(request.tools)},[${messages}]]`;
}

const MESSAGE_JSON = new WeakMap<object, string>();

function jsonOf(message: object): string {
  let text = MESSAGE_JSON.get(message);
  if (text === undefined) {
    text = JSON.stringify(message);
    MESSAGE_JSON.set(message, text);
  }
  return text;
}

export function keyOfText(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** JSON with object keys sorted, written in one pass (no sorted copies of the value are made). */
export function canonicalJson(value: unknown): string {
  const parts: string[] = [];
  write(value, parts);
  return parts.join('');
}

function write(value: unknown, out: string[]): void {
  if (value === null || typeof value !== 'object') {
    out.push(JSON.stringify(value) ?? 'null');
    return;
  }
  if (Array.isArray(value)) {
    out.push('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(',');
      const item: unknown = value[i];
      write(item === undefined ? null : item, out);
    }
    out.push(']');
    return;
  }
  out.push('{');
  let first = true;
  for (const key of Object.keys(value).sort()) {
    const item = (value as Record<string, unknown>)[key];
    if (item === undefined) continue;
    if (!first) out.push(',');
    first = false;
    out.push(JSON.stringify(key), ':');
    write(item, out);
  }
  out.push('}');
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
