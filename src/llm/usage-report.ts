import type { DecisionRecord } from './decision-record.js';

/** Tokens, dollars and latency for one agent: what its model calls cost, and how many were answered from records. */
export interface AgentUsage {
  readonly agentId: string;
  readonly provider: string;
  readonly model: string;
  /** Calls made to the provider (paid for). */
  readonly calls: number;
  /** Calls answered from the record store (replay, or a repeated request): no tokens spent. */
  readonly cachedCalls: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly costUsd: number;
  /** What the cached calls cost when they were recorded. */
  readonly cachedCostUsd: number;
  readonly latencyMeanMs: number;
  readonly latencyP95Ms: number;
  /** Validation outcomes of every call (tool-calls, intent, abstain, invalid). */
  readonly outcomes: Readonly<Record<string, number>>;
}

/**
 * What the usage report reads of a decision record. A run keeps these for every call rather than whole records:
 * a record carries its full prompt and answer, and a desk calling models around the clock would hold them all.
 */
export interface UsageFacts {
  readonly agentId: string;
  readonly provider: string;
  readonly model: string;
  readonly costUsd: number;
  readonly latencyMs: number;
  readonly validation: { readonly outcome: DecisionRecord['validation']['outcome'] };
  readonly response: { readonly usage: { readonly inputTokens: number; readonly outputTokens: number } };
}

/** The usage facts of a record, apart from its request and answer. */
export function usageFactsOf(record: DecisionRecord): UsageFacts {
  const { inputTokens, outputTokens } = record.response.usage;
  return {
    agentId: record.agentId,
    provider: record.provider,
    model: record.model,
    costUsd: record.costUsd,
    latencyMs: record.latencyMs,
    validation: { outcome: record.validation.outcome },
    response: { usage: { inputTokens, outputTokens } },
  };
}

/** One call as the run saw it: the record's usage facts, and whether the provider was called for it. */
export interface UsageEntry {
  readonly record: UsageFacts;
  readonly cached: boolean;
}

/** Sums calls per agent (and model), in the order agents first appear. */
export function summarizeUsage(entries: Iterable<UsageEntry>): AgentUsage[] {
  const groups = new Map<string, { first: UsageFacts; entries: UsageEntry[] }>();
  for (const entry of entries) {
    const key = `${entry.record.agentId}\u0000${entry.record.provider}\u0000${entry.record.model}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = { first: entry.record, entries: [] };
      groups.set(key, group);
    }
    group.entries.push(entry);
  }
  return [...groups.values()].map(({ first, entries: list }) => {
    const live = list.filter((e) => !e.cached);
    const latencies = live.map((e) => e.record.latencyMs).sort((a, b) => a - b);
    const outcomes: Record<string, number> = {};
    for (const e of list) outcomes[e.record.validation.outcome] = (outcomes[e.record.validation.outcome] ?? 0) + 1;
    return {
      agentId: first.agentId,
      provider: first.provider,
      model: first.model,
      calls: live.length,
      cachedCalls: list.length - live.length,
      inputTokens: sum(live, (e) => e.record.response.usage.inputTokens),
      outputTokens: sum(live, (e) => e.record.response.usage.outputTokens),
      costUsd: sum(live, (e) => e.record.costUsd),
      cachedCostUsd: sum(list, (e) => (e.cached ? e.record.costUsd : 0)),
      latencyMeanMs: latencies.length === 0 ? 0 : sum(latencies, (v) => v) / latencies.length,
      latencyP95Ms: latencies.length === 0 ? 0 : (latencies[Math.min(latencies.length - 1, Math.ceil(latencies.length * 0.95) - 1)] as number),
      outcomes,
    };
  });
}

/** The usage table as text lines (the end-of-run report). */
export function renderUsage(rows: readonly AgentUsage[]): string[] {
  if (rows.length === 0) return ['Model usage: no model calls'];
  const lines = ['Model usage (tokens, dollars and latency per agent):'];
  lines.push(`  ${'agent'.padEnd(16)} ${'model'.padEnd(24)} ${'calls'.padEnd(6)} ${'cached'.padEnd(6)} ${'in tok'.padEnd(9)} ${'out tok'.padEnd(9)} ${'cost $'.padEnd(10)} ${'mean ms'.padEnd(8)} ${'p95 ms'.padEnd(8)} outcomes`);
  for (const row of rows) {
    const outcomes = Object.entries(row.outcomes).map(([k, v]) => `${k} ${v}`).join(', ');
    lines.push(
      `  ${row.agentId.padEnd(16)} ${`${row.provider}/${row.model}`.padEnd(24)} ${String(row.calls).padEnd(6)} ${String(row.cachedCalls).padEnd(6)} ${String(row.inputTokens).padEnd(9)} ${String(row.outputTokens).padEnd(9)} ${row.costUsd.toFixed(4).padEnd(10)} ${row.latencyMeanMs.toFixed(0).padEnd(8)} ${row.latencyP95Ms.toFixed(0).padEnd(8)} ${outcomes}`,
    );
  }
  const total = rows.reduce((t, r) => t + r.costUsd, 0);
  const saved = rows.reduce((t, r) => t + r.cachedCostUsd, 0);
  lines.push(`  total spent $${total.toFixed(4)}${saved > 0 ? `; $${saved.toFixed(4)} of recorded calls replayed at no cost` : ''}`);
  return lines;
}

function sum<T>(items: readonly T[], value: (item: T) => number): number {
  let total = 0;
  for (const item of items) total += value(item);
  return total;
}
