import { monotonicNs } from '../core/clock.js';
import { RunStoppingError } from '../core/errors.js';
import type { Budget } from './budget.js';
import { keyAndSize, requestDifferences } from './cache-key.js';
import { costOf, tokensOfLength, type ModelPrice } from './cost.js';
import type { DecisionRecord, DecisionStore, RecordValidation } from './decision-record.js';
import { LlmProviderError, type LlmProvider, type LlmRequest, type LlmResponse } from './provider.js';
import { usageFactsOf, type UsageEntry } from './usage-report.js';

/** live: always call the model; record: answer from the store when it can, else call and store; replay: store only. */
export type CallMode = 'live' | 'record' | 'replay';

export const CALL_MODES: readonly CallMode[] = ['live', 'record', 'replay'];

export interface CallMeta {
  readonly recordId: string;
  readonly agentId: string;
  readonly role: DecisionRecord['role'];
  readonly promptVersion: string;
  readonly ts: number;
  readonly attempt: number;
}

export type CallOutcome =
  | {
      readonly kind: 'answered';
      readonly response: LlmResponse;
      readonly cached: boolean;
      /** The record of the call: the one replayed, or the one made now (stored once `finish` gives its validation). */
      finish(validation: RecordValidation): DecisionRecord;
    }
  | { readonly kind: 'refused'; readonly cause: 'budget'; readonly reason: string }
  | { readonly kind: 'failed'; readonly cause: 'provider-error'; readonly reason: string; readonly recordId: string };

/** A replay asked for a call that was never recorded; says which call and, when it can, what changed. */
export class ReplayMissError extends RunStoppingError {}

export interface GatewayOptions {
  readonly provider: LlmProvider;
  readonly mode: CallMode;
  readonly store: DecisionStore;
  readonly price: ModelPrice;
  /** Budgets charged for every call (the desk's, the agent's): a call is made only when it fits all of them. */
  readonly budgets: readonly Budget[];
}

/**
 * Every model call of one agent goes through here: the budget check, the record store (which is the cache), the
 * provider, the clock for latency, and the decision record. The brain above it decides what the answer means.
 */
export class ModelGateway {
  readonly usage: UsageEntry[] = [];
  /** The agent whose calls go through here (from the calls themselves), and how its calls have gone. */
  private agent: string | undefined;
  private answered = 0;
  private failedInARow = 0;
  private lastFailure = '';

  constructor(private readonly options: GatewayOptions) {}

  get providerName(): string {
    return this.options.provider.name;
  }

  get agentId(): string | undefined {
    return this.agent;
  }

  /**
   * Why the model is not healthy, or undefined while it is: a model that failed every call so far, or the last
   * three in a row, is down or misconfigured (the brain abstains on each failure, so the desk would never say so).
   */
  get failing(): string | undefined {
    if (this.failedInARow === 0 || (this.answered > 0 && this.failedInARow < 3)) return undefined;
    const calls = this.answered === 0 ? `all ${this.failedInARow} model calls failed` : `the last ${this.failedInARow} model calls failed`;
    return `${calls} (last: ${this.lastFailure.slice(0, 200)})`;
  }

  async call(meta: CallMeta, request: LlmRequest): Promise<CallOutcome> {
    this.agent = meta.agentId;
    const outcome = await this.attempt(meta, request);
    if (outcome.kind === 'failed') {
      this.failedInARow += 1;
      this.lastFailure = outcome.reason;
    } else if (outcome.kind === 'answered') {
      this.answered += 1;
      this.failedInARow = 0;
    }
    return outcome;
  }

  private async attempt(meta: CallMeta, request: LlmRequest): Promise<CallOutcome> {
    const { provider, store, mode, price, budgets } = this.options;
    const { key, size } = keyAndSize(provider.name, request);
    const worstTokens = tokensOfLength(size) + request.parameters.maxTokens;
    const worstUsd = costOf(price, { inputTokens: worstTokens - request.parameters.maxTokens, outputTokens: request.parameters.maxTokens });
    for (const budget of budgets) {
      const refusal = budget.refusal(meta.ts, worstTokens, worstUsd);
      if (refusal !== undefined) return { kind: 'refused', cause: 'budget', reason: refusal };
    }
    const found = mode === 'live' ? undefined : store.find(key);
    // A recorded failure is replayed as a failure, but a recording run tries the call again.
    const hit = found?.validation.outcome === 'failed' && mode === 'record' ? undefined : found;
    if (hit?.validation.outcome === 'failed') {
      this.usage.push({ record: usageFactsOf(hit), cached: true });
      return { kind: 'failed', cause: 'provider-error', reason: hit.validation.reason, recordId: hit.recordId };
    }
    if (hit !== undefined) {
      this.charge(meta.ts, hit.response, hit.costUsd);
      return { kind: 'answered', response: hit.response, cached: true, finish: () => (this.usage.push({ record: usageFactsOf(hit), cached: true }), hit) };
    }
    if (mode === 'replay') throw this.miss(meta, request, key);
    const started = monotonicNs();
    let response: LlmResponse;
    try {
      response = await provider.complete(request);
    } catch (error) {
      if (!(error instanceof LlmProviderError)) throw error;
      const failed: LlmResponse = { toolCalls: [], usage: { inputTokens: 0, outputTokens: 0 }, stopReason: 'error', model: request.model };
      this.store(meta, key, request, failed, 0, elapsedMs(started), { outcome: 'failed', reason: error.message });
      return { kind: 'failed', cause: 'provider-error', reason: error.message, recordId: meta.recordId };
    }
    const latencyMs = elapsedMs(started);
    const costUsd = costOf(price, response.usage);
    this.charge(meta.ts, response, costUsd);
    return { kind: 'answered', response, cached: false, finish: (validation) => this.store(meta, key, request, response, costUsd, latencyMs, validation) };
  }

  private store(meta: CallMeta, key: string, request: LlmRequest, response: LlmResponse, costUsd: number, latencyMs: number, validation: RecordValidation): DecisionRecord {
    const record: DecisionRecord = {
      ...meta,
      key,
      provider: this.options.provider.name,
      model: request.model,
      parameters: request.parameters,
      request,
      response,
      costUsd,
      latencyMs: Math.round(latencyMs * 1000) / 1000,
      validation,
    };
    this.options.store.append(record);
    this.usage.push({ record: usageFactsOf(record), cached: false });
    return record;
  }

  private charge(ts: number, response: LlmResponse, usd: number): void {
    const tokens = response.usage.inputTokens + response.usage.outputTokens;
    for (const budget of this.options.budgets) budget.spend(ts, tokens, usd);
  }

  private miss(meta: CallMeta, request: LlmRequest, key: string): ReplayMissError {
    const at = new Date(meta.ts).toISOString();
    const nearest = this.options.store.all().find((r) => r.agentId === meta.agentId && r.ts === meta.ts && r.attempt === meta.attempt);
    const why =
      nearest === undefined
        ? `no call of ${meta.agentId} at ${at} (attempt ${meta.attempt}) was recorded`
        : `the call recorded for ${meta.agentId} at ${at} (attempt ${meta.attempt}, prompt ${nearest.promptVersion}) differs in ${requestDifferences(nearest.request, request).join(', ') || 'provider'}`;
    return new ReplayMissError(
      'llm_replay_miss',
      `replay: no recorded answer for ${meta.agentId} (${meta.role}, prompt ${meta.promptVersion}, model ${request.model}) at ${at}, key ${key.slice(0, 16)}: ${why}`,
    );
  }
}

function elapsedMs(started: bigint): number {
  return Number(monotonicNs() - started) / 1e6;
}
