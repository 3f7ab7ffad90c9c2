import { createHash, type Hash } from 'node:crypto';
import type { LlmRequest } from './provider.js';

/**
 * The cache key of a call: a SHA-256 of the provider, the model, the parameters and everything sent (system text,
 * messages, tools, answer schema, structured-output method). Any change to a prompt, a parameter or the context
 * gives another key, so a replay can never serve a stale answer.
 */
export function cacheKey(provider: string, request: LlmRequest): string {
  return keyAndSize(provider, request).key;
}

/**
 * The key, and the length of the JSON it covers (which sizes the call for budgets). It is a SHA-256 over every part
 * of the request in a fixed order — the settings, the system prompt, the answer schema and the tools as JSON, then
 * each message's own SHA-256. The parts are built by our own code, so their JSON is stable run to run (a record
 * made by a version that built them differently is a cache miss, never a wrong answer). The part a brain sends on
 * every call is hashed once and its state reused, and each message is hashed once however often it is resent.
 */
export function keyAndSize(provider: string, request: LlmRequest): { readonly key: string; readonly size: number } {
  const base = prefixOf(provider, request);
  const hash = base.hash.copy();
  let size = base.length + 2;
  for (const message of request.messages) {
    const digest = digestOf(message);
    hash.update(digest.digest);
    size += digest.length + 1;
  }
  return { key: hash.digest('hex'), size };
}

interface Prefix {
  readonly hash: Hash;
  readonly length: number;
}

/** Prefix hashes by system prompt, answer schema, tool list and the small settings (the same objects call after call). */
const PREFIXES = new Map<string, WeakMap<object, WeakMap<object, Map<string, Prefix>>>>();

function prefixOf(provider: string, request: LlmRequest): Prefix {
  const p = request.parameters;
  const settings = `${provider}\u0000${request.model}\u0000${p.temperature}\u0000${p.maxTokens}\u0000${request.structuredOutput}`;
  let bySystem = PREFIXES.get(request.system);
  if (bySystem === undefined) {
    if (PREFIXES.size >= 64) PREFIXES.clear();
    bySystem = new WeakMap();
    PREFIXES.set(request.system, bySystem);
  }
  let byAnswer = bySystem.get(request.answer);
  if (byAnswer === undefined) bySystem.set(request.answer, (byAnswer = new WeakMap()));
  let byTools = byAnswer.get(request.tools);
  if (byTools === undefined) byAnswer.set(request.tools, (byTools = new Map()));
  let prefix = byTools.get(settings);
  if (prefix === undefined) {
    const head = JSON.stringify([provider, request.model, p.temperature, p.maxTokens, request.structuredOutput, request.system]);
    const text = `${head.slice(0, -1)},${jsonOf(request.answer)},${jsonOf(request.tools)},[`;
    prefix = { hash: createHash('sha256').update(text), length: text.length };
    byTools.set(settings, prefix);
  }
  return prefix;
}

const MESSAGE_DIGESTS = new WeakMap<object, { readonly digest: Buffer; readonly length: number }>();

/** Each message is hashed once (a brain's remembered turns come back call after call); the key hashes the digests. */
function digestOf(message: object): { readonly digest: Buffer; readonly length: number } {
  let digest = MESSAGE_DIGESTS.get(message);
  if (digest === undefined) {
    const text = JSON.stringify(message);
    digest = { digest: createHash('sha256').update(text).digest(), length: text.length };
    MESSAGE_DIGESTS.set(message, digest);
  }
  return digest;
}

const OBJECT_JSON = new WeakMap<object, string>();

/** The JSON of a schema or tool list a brain sends with every call, made once. */
function jsonOf(value: object): string {
  let text = OBJECT_JSON.get(value);
  if (text === undefined) {
    text = JSON.stringify(value);
    OBJECT_JSON.set(value, text);
  }
  return text;
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
