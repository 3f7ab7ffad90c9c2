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

/** One call as the run saw it: the record, and whether the provider was called for it. */
export interface UsageEntry {
  readonly record: DecisionRecord;
  readonly cached: boolean;
}

/** Sums calls per agent (and model), in the order agents first appear. */
export function summarizeUsage(entries: Iterable<UsageEntry>): AgentUsage[] {
  const groups = new Map<string, { first: DecisionRecord; entries: UsageEntry[] }>();
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
  lines.push(`  ${pad('agent', 16)} ${pad('model', 24)} ${pad('calls', 6)} ${pad('cached', 6)} ${pad('in tok', 9)} ${pad('out tok', 9)} ${pad('cost $', 10)} ${pad('mean ms', 8)} ${pad('p95 ms', 8)} outcomes`);
  for (const row of rows) {
    const outcomes = Object.entries(row.outcomes).map(([k, v]) => `${k} ${v}`).join(', ');
    lines.push(
      `  ${pad(row.agentId, 16)} ${pad(`${row.provider}/${row.model}`, 24)} ${pad(String(row.calls), 6)} ${pad(String(row.cachedCalls), 6)} ${pad(String(row.inputTokens), 9)} ${pad(String(row.outputTokens), 9)} ${pad(row.costUsd.toFixed(4), 10)} ${pad(row.latencyMeanMs.toFixed(0), 8)} ${pad(row.latencyP95Ms.toFixed(0), 8)} ${outcomes}`,
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

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}
