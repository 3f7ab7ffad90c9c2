import type { LlmParameters, LlmRequest, LlmResponse } from './provider.js';

/**
 * One call to a model, as a fact (DESIGN §6): who asked, with what, what came back, what it cost, and what the
 * brain made of it. Records are appended, never changed; the risk verdict and the orders that followed are facts of
 * the event journal, linked by `recordId` (SignalEmitted carries it), and `conclave decisions --journal` joins them.
 */
export interface DecisionRecord {
  /** `llm:<agent>:<simulated ts>:<n>`: unique within a run, stable across replays of it. */
  readonly recordId: string;
  /** The cache key: a hash of provider, model, parameters and the request (cache-key.ts). */
  readonly key: string;
  readonly agentId: string;
  readonly role: 'analyst' | 'manager' | 'judge';
  readonly provider: string;
  readonly model: string;
  readonly parameters: LlmParameters;
  readonly promptVersion: string;
  /** The simulated time of the decision (epoch ms). */
  readonly ts: number;
  /** 0 for the first call of a decision; tool rounds and the repair retry count up. */
  readonly attempt: number;
  readonly request: LlmRequest;
  readonly response: LlmResponse;
  readonly costUsd: number;
  /** Wall-clock time the provider took, when it was called (a replayed record keeps the original). */
  readonly latencyMs: number;
  readonly validation: RecordValidation;
}

export type RecordValidation =
  | { readonly outcome: 'tool-calls'; readonly tools: readonly string[] }
  | { readonly outcome: 'intent'; readonly summary: string }
  | { readonly outcome: 'abstain'; readonly reason: string }
  | { readonly outcome: 'invalid'; readonly problems: readonly string[] }
  /** The provider failed (after its own retries): recorded so a replay fails the same way; never served in record mode. */
  | { readonly outcome: 'failed'; readonly reason: string };

/** Where records live. It is also the cache: `find` answers a request already made. */
export interface DecisionStore {
  /** The latest record of a request (a failed call retried in record mode is followed by its answer). */
  find(key: string): DecisionRecord | undefined;
  append(record: DecisionRecord): void;
  /** Every record, in the order appended. */
  all(): readonly DecisionRecord[];
}

/** Records held in memory (tests, and runs that keep no file). */
export class MemoryDecisionStore implements DecisionStore {
  private readonly records: DecisionRecord[] = [];
  private readonly byKey = new Map<string, DecisionRecord>();

  constructor(initial: readonly DecisionRecord[] = []) {
    for (const record of initial) this.append(record);
  }

  find(key: string): DecisionRecord | undefined {
    return this.byKey.get(key);
  }

  append(record: DecisionRecord): void {
    this.records.push(record);
    this.byKey.set(record.key, record);
  }

  all(): readonly DecisionRecord[] {
    return this.records;
  }
}
