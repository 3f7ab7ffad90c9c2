import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EXAMPLE_DESK_YAML } from '../../src/config/example-desk.js';
import { registerBacktest } from '../../src/interfaces/cli/commands/backtest.js';
import { registerDecisions } from '../../src/interfaces/cli/commands/decisions.js';
import { registerExplain } from '../../src/interfaces/cli/commands/explain.js';
import { registerEvaluate } from '../../src/interfaces/cli/commands/evaluate.js';
import { readJournal } from '../../src/adapters/journal/jsonl-journal.js';
import { readDecisionRecords } from '../../src/adapters/llm/jsonl-decision-store.js';
import type { DeskDoc } from '../support/desk-config.js';
import { startFakeAnthropic, startFakeOpenAi, type FakeLlmServer, type FakeReply, type FakeRequestView } from '../support/fake-llm-servers.js';
import { inProcessCli } from '../support/in-process-cli.js';

/**
 * A desk with a model-driven analyst (Claude through the real Anthropic SDK), manager and judge (OpenAI-compatible
 * through the real openai SDK), all against local fake servers: recorded once, replayed with no calls and identical
 * orders, and a changed prompt parameter is a clear cache miss.
 */

const cli = inProcessCli(registerBacktest, registerDecisions, registerExplain, registerEvaluate);
let dir: string;
let claude: FakeLlmServer;
let openai: FakeLlmServer;

/** The analyst model: long while the 20-bar SMA is above the 50-bar one, else flat; it looks at a tool now and then and once answers badly. */
function analystReply(view: FakeRequestView, index: number): FakeReply {
  const everything = JSON.stringify(view.messages);
  const features = [...everything.matchAll(/sma20=([\d.]+) sma50=([\d.]+)/g)].at(-1);
  const instrument = 'SYNTH:BTC/USDT';
  if (view.toolResults.length === 0 && index % 5 === 1 && view.toolNames.includes('indicator')) return { toolCalls: [{ name: 'indicator', input: { instrument, spec: 'rsi:14' } }] };
  if (index === 3) return { answer: { action: 'buy', instrument, size: 1e9 } };
  if (features === undefined) return { answer: { action: 'abstain', reason: 'no features yet' } };
  const up = Number(features[1]) > Number(features[2]);
  return {
    answer: up
      ? { action: 'long', instrument, conviction: 0.6, horizonBars: 24, thesis: 'the 20-bar average is above the 50-bar one', stop: { percentOfMark: 4 } }
      : { action: 'flat', instrument, conviction: 0, horizonBars: 24, thesis: 'no uptrend' },
    usage: { input: 900 + index, output: 60 },
  };
}

/** The manager approves everything but halves the analysts' views while the portfolio holds a position. */
function openAiReply(view: FakeRequestView): FakeReply {
  if (view.system.includes('portfolio manager')) {
    const proposals = [...view.lastUserText.matchAll(/^(signal:[^ ]+) \|.*\| ([-\d.e]+) \| [-\d.e]+ \|/gm)];
    return {
      answer: {
        action: 'review',
        reviews: proposals.map((m) => (Number(m[2]) !== 0 ? { proposal: m[1], verdict: 'resize', scale: 0.5, reason: 'already exposed' } : { proposal: m[1], verdict: 'approve', reason: 'fits the portfolio' })),
      },
      usage: { input: 500, output: 80 },
    };
  }
  const agents = [...view.lastUserText.matchAll(/^([\w-]+) \| ([\d.]+) \|/gm)];
  return { answer: { action: 'grade', modes: agents.map((m) => ({ agent: m[1], mode: Number(m[2]) >= 50 ? 'standard' : 'conservative', reason: `overall ${m[2]}` })) }, usage: { input: 400, output: 40 } };
}

function deskFile(name: string, edit: (doc: DeskDoc) => void = () => undefined): string {
  const doc = parse(EXAMPLE_DESK_YAML) as DeskDoc;
  doc.data['SYNTH:BTC/USDT'].bars = 400;
  doc.agents = doc.agents.filter((a: DeskDoc) => a.role !== 'optimizer');
  doc.agents[0] = {
    id: 'claude',
    role: 'analyst',
    sleeve: 'trend-sma',
    every: '1d',
    brain: { kind: 'llm', provider: 'anthropic', model: 'claude-test', baseUrl: claude.url, apiKeyEnv: 'TEST_ANTHROPIC_KEY', everyBars: 12, warmup: 50, maxTokens: 400 },
  };
  const pm = doc.agents.find((a: DeskDoc) => a.role === 'manager');
  pm.brain = { kind: 'llm', provider: 'openai', model: 'gpt-4o-test', baseUrl: `${openai.url}/v1`, apiKeyEnv: 'TEST_OPENAI_KEY' };
  const judge = doc.agents.find((a: DeskDoc) => a.role === 'judge');
  judge.brain = { kind: 'llm', provider: 'openai', model: 'local-llama', baseUrl: `${openai.url}/v1`, apiKeyEnv: 'TEST_OPENAI_KEY' };
  doc.llm = {
    prices: { 'claude-test': { inputPerMillion: 3, outputPerMillion: 15 }, 'gpt-4o-test': { inputPerMillion: 2.5, outputPerMillion: 10 }, 'local-llama': { inputPerMillion: 0, outputPerMillion: 0 } },
    budget: { runUsd: 5 },
  };
  edit(doc);
  const path = join(dir, name);
  writeFileSync(path, stringify(doc));
  return path;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'conclave-llm-desk-'));
  claude = await startFakeAnthropic({ apiKey: 'sk-ant-test', reply: analystReply });
  openai = await startFakeOpenAi({ apiKey: 'sk-oai-test', reply: openAiReply });
  vi.stubEnv('TEST_ANTHROPIC_KEY', 'sk-ant-test');
  vi.stubEnv('TEST_OPENAI_KEY', 'sk-oai-test');
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await claude.close();
  await openai.close();
  if (process.env.KEEP_LLM_DIR === undefined) rmSync(dir, { recursive: true, force: true });
  else console.error(dir);
});

interface DeskResult {
  fingerprint: string;
  fills: unknown[];
  desk: { models: { usage: { agentId: string; calls: number; cachedCalls: number; costUsd: number; cachedCostUsd: number; outcomes: Record<string, number> }[]; abstentions: Record<string, Record<string, number>> }; events: Record<string, number> };
}

describe('a desk with model-driven brains', () => {
  it('records a run through the real SDKs, then replays it with no calls and identical orders', async () => {
    const desk = deskFile('desk.yaml');
    const records = join(dir, 'records.jsonl');
    const out = await cli.run('backtest', '--desk', desk, '--records', records, '--llm-mode', 'record', '--json', join(dir, 'r1.json'), '--journal', join(dir, 'j1.jsonl'));
    const first = JSON.parse(readFileSync(join(dir, 'r1.json'), 'utf8')) as DeskResult;
    const calls = { claude: claude.requests.length, openai: openai.requests.length };
    expect(calls.claude).toBeGreaterThan(20);
    expect(calls.openai).toBeGreaterThan(5);
    expect(first.fills.length).toBeGreaterThan(0);
    const usage = new Map(first.desk.models.usage.map((u) => [u.agentId, u]));
    expect(usage.get('claude')?.calls).toBe(calls.claude);
    expect(usage.get('claude')?.costUsd).toBeGreaterThan(0);
    expect(usage.get('claude')?.outcomes.invalid).toBe(1);
    expect(usage.get('claude')?.outcomes['tool-calls']).toBeGreaterThan(0);
    expect(usage.get('pm')?.calls).toBeGreaterThan(0);
    expect(usage.get('judge')?.costUsd).toBe(0);
    expect(first.desk.events.ProposalReviewed).toBeGreaterThan(0);
    expect(out).toContain('Model usage (tokens, dollars and latency per agent):');
    expect(out).toMatch(/claude\s+anthropic\/claude-test/);

    // The wire: the key went as the SDK sends it, the answer was asked for by a forced tool (Claude), a JSON schema (gpt-4o) and JSON mode (a local model).
    const firstClaude = claude.requests[0];
    expect(firstClaude?.headers.authorization).toBe('Bearer sk-ant-test');
    // The context is the desk's at that bar close: the analyst's sleeve holds its third of the cash (with the split's remainder) at the start.
    expect(JSON.stringify(firstClaude?.body)).toMatch(/Position in SYNTH:BTC\/USDT: 0; an order working: no; free cash in your book: 33333\.4 USDT/);
    const bodies = openai.requests.map((r) => r.body as { model: string; response_format?: { type: string } });
    expect(bodies.find((b) => b.model === 'gpt-4o-test')?.response_format?.type).toBe('json_schema');
    expect(bodies.find((b) => b.model === 'local-llama')?.response_format?.type).toBe('json_object');

    // Every model-backed signal names its record; the record holds the whole request and the validated answer.
    const stored = readDecisionRecords(records);
    expect(stored).toHaveLength(calls.claude + calls.openai);
    const signals = readJournal(join(dir, 'j1.jsonl')).filter((e) => e.type === 'SignalEmitted' && e.agentId === 'claude');
    expect(signals.length).toBeGreaterThan(0);
    for (const signal of signals) {
      if (signal.type !== 'SignalEmitted') continue;
      const record = stored.find((r) => r.recordId === signal.recordId);
      expect(record?.validation.outcome).toBe('intent');
      expect(record?.agentId).toBe('claude');
      expect(record?.promptVersion).toMatch(/^analyst-v1\/(conservative|standard|aggressive)$/);
    }

    cli.clear();
    const replayOut = await cli.run('backtest', '--desk', desk, '--records', records, '--llm-mode', 'replay', '--json', join(dir, 'r2.json'), '--journal', join(dir, 'j2.jsonl'));
    const second = JSON.parse(readFileSync(join(dir, 'r2.json'), 'utf8')) as DeskResult;
    expect({ claude: claude.requests.length, openai: openai.requests.length }).toEqual(calls);
    expect(second.fingerprint).toBe(first.fingerprint);
    expect(second.fills).toEqual(first.fills);
    expect(readFileSync(join(dir, 'j2.jsonl'), 'utf8')).toBe(readFileSync(join(dir, 'j1.jsonl'), 'utf8'));
    const replayed = new Map(second.desk.models.usage.map((u) => [u.agentId, u]));
    expect(replayed.get('claude')).toMatchObject({ calls: 0, cachedCalls: calls.claude, costUsd: 0 });
    expect(replayed.get('claude')?.cachedCostUsd).toBeCloseTo(usage.get('claude')?.costUsd ?? -1, 12);
    expect(replayOut).toMatch(/total spent \$0\.0000; \$[\d.]+ of recorded calls replayed at no cost/);
  });

  it('a replay whose prompt parameters changed stops with the call that was never recorded and what differs', async () => {
    const records = join(dir, 'records.jsonl');
    const changed = deskFile('changed.yaml', (doc) => {
      doc.agents[0].brain.temperature = 0.7;
    });
    const before = claude.requests.length;
    await expect(cli.run('backtest', '--desk', changed, '--records', records, '--llm-mode', 'replay', '--quiet')).rejects.toThrow(
      /replay: no recorded answer for claude \(analyst, prompt analyst-v1\/standard, model claude-test\) at 2024-01-03T03:00:00.000Z, key [0-9a-f]{16}: the call recorded for claude at .* differs in parameters/,
    );
    expect(claude.requests.length).toBe(before);
  });

  it('conclave decisions lists the records and follows one to its orders; explain shows the model answer behind an order', async () => {
    const records = join(dir, 'records.jsonl');
    cli.clear();
    const listing = await cli.run('decisions', '--records', records, '--agent', 'claude', '--outcome', 'invalid');
    expect(listing).toMatch(/claude\s+analyst\s+anthropic\/claude-test/);
    expect(listing).toMatch(/invalid/);
    const journal = readJournal(join(dir, 'j1.jsonl'));
    const signal = journal.find((e) => e.type === 'SignalEmitted' && e.agentId === 'claude' && e.direction === 'long');
    expect(signal?.type === 'SignalEmitted' && signal.recordId).toBeTruthy();
    if (signal?.type !== 'SignalEmitted' || signal.recordId === undefined) return;
    cli.clear();
    const followed = await cli.run('decisions', '--records', records, '--id', signal.recordId, '--journal', join(dir, 'j1.jsonl'));
    expect(followed).toMatch(/Signals:\n.*SignalEmitted\s+claude SYNTH:BTC\/USDT long conviction 0\.6/);
    expect(followed).toMatch(/Decisions:\n.*DecisionMade\s+claude \(independent\) trend-sma/);
    expect(followed).toMatch(/Risk verdicts:\n.*Intent(Approved|Denied)/);
    const order = journal.find((e) => e.type === 'OrderSubmitted' && e.causationId !== undefined && journal.some((d) => d.type === 'DecisionMade' && d.intentId === e.order.intentId && (d.causationId ?? '').includes(signal.signalId)));
    expect(order?.type).toBe('OrderSubmitted');
    if (order?.type !== 'OrderSubmitted') return;
    cli.clear();
    const explained = await cli.run('explain', order.order.clientOrderId, '--journal', join(dir, 'j1.jsonl'), '--records', records);
    expect(explained).toContain(signal.recordId);
    expect(explained).toContain('the 20-bar average is above the 50-bar one');
  });

  it('conclave evaluate puts the model-driven desk beside the rules desk and the baselines, under the same gate and data', async () => {
    const desk = deskFile('evaluate-llm.yaml', (doc) => {
      doc.desk.name = 'llm-desk';
    });
    const rules = deskFile('evaluate-rules.yaml', (doc) => {
      doc.desk.name = 'rules-desk';
      doc.agents = parse(EXAMPLE_DESK_YAML).agents.filter((a: DeskDoc) => a.role !== 'optimizer');
      delete doc.llm;
    });
    const before = claude.requests.length;
    cli.clear();
    const out = await cli.run('evaluate', '--desk', desk, '--beside', rules, '--seeds', '1', '--periods', '2', '--records', join(dir, 'evaluate-records.jsonl'), '--json', join(dir, 'evaluation.json'));
    const report = JSON.parse(readFileSync(join(dir, 'evaluation.json'), 'utf8')) as {
      desk: string;
      runs: { desk: { trades: number }; beside?: { trades: number } }[];
      beside: { desk: string; comparison: { baseline: string; runs: number } };
    };
    expect(claude.requests.length).toBeGreaterThan(before);
    expect(report.desk).toBe('llm-desk');
    expect(report.beside.desk).toBe('rules-desk');
    expect(report.beside.comparison).toMatchObject({ baseline: 'beside', runs: 2 });
    expect(report.runs.map((r) => r.beside === undefined)).toEqual([false, false]);
    expect(out).toMatch(/beside: rules-desk/);
    expect(out).toMatch(/desk vs rules-desk: return difference/);
  });
});
