import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from '../../src/core/clock.js';
import { fx } from '../../src/core/fixed.js';
import { agentId, clientOrderIdFor, IdGenerator, intentId } from '../../src/core/ids.js';
import { unixMs } from '../../src/core/time.js';
import { JsonlJournal } from '../../src/adapters/journal/jsonl-journal.js';
import { JsonlDecisionStore } from '../../src/adapters/llm/jsonl-decision-store.js';
import { CurrencyScales } from '../../src/domain/instrument.js';
import { TradingCore } from '../../src/engine/trading-core.js';
import type { DecisionRecord, RecordValidation } from '../../src/llm/decision-record.js';
import { registerDecisions } from '../../src/interfaces/cli/commands/decisions.js';
import { registerExplain } from '../../src/interfaces/cli/commands/explain.js';
import { SimulatedVenue } from '../../src/venues/sim/sim-venue.js';
import { inProcessCli } from '../support/in-process-cli.js';
import { INSTRUMENTS, PERP, SPOT, USDT } from './fixture.js';

const work = mkdtempSync(join(tmpdir(), 'conclave-decisions-'));
const recordsPath = join(work, 'records.jsonl');
const journalPath = join(work, 'desk.jsonl');
afterAll(() => rmSync(work, { recursive: true, force: true }));

const cli = inProcessCli(registerDecisions, registerExplain);
const conclave = cli.run;

const T0 = Date.UTC(2024, 2, 1, 9, 30);
const LONG_ANSWER = '{"action":"long","instrument":"BINANCE:BTC/USDT","conviction":0.7,"horizonBars":12,"thesis":"breakout above 50k"}';
const MACRO_ANSWER = '{"action":"long","instrument":"BINANCE:BTC/USDT","conviction":0.4,"horizonBars":48,"thesis":"funding is falling"}';
const LONG_ORDER = clientOrderIdFor(intentId('i-llm-long'));

function record(agent: string, ts: number, attempt: number, validation: RecordValidation, fields: Partial<DecisionRecord> = {}): DecisionRecord {
  return {
    recordId: `llm:${agent}:${ts}:${attempt}`,
    key: `key-${agent}-${ts}-${attempt}`,
    agentId: agent,
    role: 'analyst',
    provider: 'anthropic',
    model: 'claude-test',
    parameters: { temperature: 0.2, maxTokens: 1024 },
    promptVersion: 'analyst-v2',
    ts,
    attempt,
    request: {
      model: 'claude-test',
      system: 'You are a crypto analyst.\nAnswer with one JSON object.',
      messages: [{ role: 'user', content: 'BTC/USDT closed at 50000 after a 20-bar range.' }],
      parameters: { temperature: 0.2, maxTokens: 1024 },
      tools: [{ name: 'bars', description: 'recent bars', parameters: { type: 'object' } }],
      answer: { name: 'answer', description: 'the view', schema: { type: 'object' } },
      structuredOutput: 'json-schema',
    },
    response: { answer: LONG_ANSWER, toolCalls: [], usage: { inputTokens: 1000, outputTokens: 50 }, stopReason: 'end_turn', model: 'claude-test' },
    costUsd: 0.0035,
    latencyMs: 640,
    validation,
    ...fields,
  };
}

const RECORDS: DecisionRecord[] = [
  record('trend', T0, 0, { outcome: 'tool-calls', tools: ['bars'] }, {
    response: { toolCalls: [{ id: 'call-1', name: 'bars', arguments: '{"count":20}' }], usage: { inputTokens: 800, outputTokens: 20 }, stopReason: 'tool_use', model: 'claude-test' },
    costUsd: 0.0025,
    latencyMs: 410,
  }),
  record('trend', T0, 1, { outcome: 'intent', summary: 'long BINANCE:BTC/USDT conviction 0.7' }, {
    request: {
      ...record('trend', T0, 0, { outcome: 'abstain', reason: '' }).request,
      messages: [
        { role: 'user', content: 'BTC/USDT closed at 50000 after a 20-bar range.' },
        { role: 'assistant', content: '', toolCalls: [{ id: 'call-1', name: 'bars', arguments: '{"count":20}' }] },
        { role: 'tool', toolCallId: 'call-1', name: 'bars', content: '[49100,49800,50000]' },
      ],
    },
  }),
  record('macro', T0, 0, { outcome: 'intent', summary: 'long BINANCE:BTC/USDT conviction 0.4' }, {
    provider: 'openai',
    model: 'gpt-test',
    response: { answer: MACRO_ANSWER, toolCalls: [], usage: { inputTokens: 1000, outputTokens: 50 }, stopReason: 'stop', model: 'gpt-test' },
    costUsd: 0.001,
    latencyMs: 300,
  }),
  record('macro', T0 + 60_000, 0, { outcome: 'invalid', problems: ['stop: must be below the mark for a long', 'conviction: must be from -1 to 1'] }, { provider: 'openai', model: 'gpt-test', costUsd: 0.001, latencyMs: 500 }),
  record('trend', T0 + 60_000, 0, { outcome: 'intent', summary: 'short BINANCE:BTC/USDT:USDT conviction 0.5' }),
];

/**
 * A desk session behind those records: trend and macro signals (each naming its record) feed one decision, which
 * the gate approves and the venue fills; a later trend signal feeds a decision on the perp, which the gate denies.
 */
beforeAll(() => {
  const store = JsonlDecisionStore.open(recordsPath, { mode: 'append' });
  for (const r of RECORDS) store.append(r);
  store.close();

  const scales = new CurrencyScales({ USDT: 6, BTC: 8 });
  const clock = new TestClock(unixMs(T0));
  const venue = new SimulatedVenue(INSTRUMENTS, scales, clock, { fillModel: 'l1', balances: { USDT: '50000' } });
  const journal = JsonlJournal.open(journalPath);
  const core = new TradingCore({ instruments: INSTRUMENTS, limits: {}, valuationCurrency: USDT, scales }, { clock, venue, store: journal, ids: new IdGenerator('ev') });
  core.deposit('desk', USDT, fx('50000'));
  core.updateMarket(SPOT, fx('50000'), clock.now());
  venue.onQuote({ type: 'quote', instrumentId: SPOT, ts: clock.now(), bidPrice: 50000, bidSize: 100, askPrice: 50000, askSize: 100 });
  const signal = (agent: string, instrument: typeof SPOT, direction: 'long' | 'short', recordId: string) =>
    core.recordAgentEvent({ type: 'SignalEmitted', signalId: `signal:${agent}:${instrument}:${clock.now()}`, agentId: agentId(agent), instrumentId: instrument, direction, conviction: 0.5, reason: `${agent} model view`, recordId });
  const trend = signal('trend', SPOT, 'long', `llm:trend:${T0}:1`);
  const macro = signal('macro', SPOT, 'long', `llm:macro:${T0}:0`);
  clock.advanceBy(1_000);
  // The causation list names one signal by its signal id and the other by its event id: both forms occur.
  const decision = core.recordAgentEvent({
    type: 'DecisionMade', agentId: agentId('pm'), mode: 'weighted', owner: 'desk', instrumentId: SPOT, target: fx('0.1'), current: fx('0'),
    order: fx('0.1'), intentId: intentId('i-llm-long'), reason: 'two model analysts are long', causationId: `${trend.type === 'SignalEmitted' ? trend.signalId : ''}, ${macro.id}`,
  });
  core.submitIntent({ id: intentId('i-llm-long'), agentId: agentId('pm'), owner: 'desk', instrumentId: SPOT, side: 'buy', type: 'market', quantity: fx('0.1'), causationId: decision.id, tsEvent: clock.now() });
  clock.advanceBy(59_000);
  const short = signal('trend', PERP, 'short', `llm:trend:${T0 + 60_000}:0`);
  const denied = core.recordAgentEvent({
    type: 'DecisionMade', agentId: agentId('pm'), mode: 'weighted', owner: 'desk', instrumentId: PERP, target: fx('-0.1'), current: fx('0'),
    order: fx('-0.1'), intentId: intentId('i-llm-perp'), reason: 'trend model is short', causationId: short.id,
  });
  core.submitIntent({ id: intentId('i-llm-perp'), agentId: agentId('pm'), owner: 'desk', instrumentId: PERP, side: 'sell', type: 'market', quantity: fx('0.1'), causationId: denied.id, tsEvent: clock.now() });
  journal.close();
});

describe('conclave decisions', () => {
  it('lists every record on one line with its time, model, prompt, tokens, cost, latency and outcome, then the usage table', async () => {
    const out = await conclave('decisions', '--records', recordsPath);
    const lines = out.split('\n');
    expect(lines.slice(0, 5)).toEqual([
      `2024-03-01T09:30:00Z llm:trend:${T0}:0 trend analyst anthropic/claude-test prompt analyst-v2 attempt 0 tokens 800 in / 20 out $0.0025 410 ms — tool-calls: bars`,
      `2024-03-01T09:30:00Z llm:trend:${T0}:1 trend analyst anthropic/claude-test prompt analyst-v2 attempt 1 tokens 1000 in / 50 out $0.0035 640 ms — intent: long BINANCE:BTC/USDT conviction 0.7`,
      `2024-03-01T09:30:00Z llm:macro:${T0}:0 macro analyst openai/gpt-test prompt analyst-v2 attempt 0 tokens 1000 in / 50 out $0.0010 300 ms — intent: long BINANCE:BTC/USDT conviction 0.4`,
      `2024-03-01T09:31:00Z llm:macro:${T0 + 60_000}:0 macro analyst openai/gpt-test prompt analyst-v2 attempt 0 tokens 1000 in / 50 out $0.0010 500 ms — invalid: stop: must be below the mark for a long (+1 more)`,
      `2024-03-01T09:31:00Z llm:trend:${T0 + 60_000}:0 trend analyst anthropic/claude-test prompt analyst-v2 attempt 0 tokens 1000 in / 50 out $0.0035 640 ms — intent: short BINANCE:BTC/USDT:USDT conviction 0.5`,
    ]);
    expect(out).toContain('Model usage (tokens, dollars and latency per agent):');
    expect(out).toMatch(/ {2}trend +anthropic\/claude-test +3 +0 +2800 +120 +0\.0095 +563 +640 +tool-calls 1, intent 2/);
    expect(out).toMatch(/ {2}macro +openai\/gpt-test +2 +0 +2000 +100 +0\.0020 +400 +500 +intent 1, invalid 1/);
    expect(out).toContain('total spent $0.0115');
  });

  it('filters by agent and by outcome, and says when nothing matches', async () => {
    const macro = await conclave('decisions', '--records', recordsPath, '--agent', 'macro', '--outcome', 'invalid');
    expect(macro.split('\n')[0]).toContain(`llm:macro:${T0 + 60_000}:0`);
    expect(macro.split('\n')[1]).toBe('');
    expect(macro).toContain('total spent $0.0010');
    cli.clear();
    const intents = await conclave('decisions', '--records', recordsPath, '--outcome', 'intent');
    const intentLines = intents.split('\n');
    expect(intentLines.slice(0, 3).map((line) => line.split(' ')[1])).toEqual([`llm:trend:${T0}:1`, `llm:macro:${T0}:0`, `llm:trend:${T0 + 60_000}:0`]);
    expect(intentLines[3]).toBe('');
    cli.clear();
    const none = await conclave('decisions', '--records', recordsPath, '--agent', 'nobody');
    expect(none.split('\n')).toEqual(['(no decision record matches among 5)', '', 'Model usage: no model calls']);
  });

  it('shows one record in full and, with the journal, the signals, decision, verdict and order that followed', async () => {
    const out = await conclave('decisions', '--records', recordsPath, '--id', `llm:trend:${T0}:1`, '--journal', journalPath);
    expect(out).toContain(`Record llm:trend:${T0}:1`);
    expect(out).toContain('  parameters  temperature 0.2, max tokens 1024');
    expect(out).toContain('  output      "answer" via json-schema; tools: bars');
    expect(out).toContain('System prompt:\n  You are a crypto analyst.\n  Answer with one JSON object.');
    expect(out).toContain('  [2] assistant:\n      tool call call-1: bars({"count":20})');
    expect(out).toContain('  [3] tool result for call-1 (bars):\n      [49100,49800,50000]');
    expect(out).toContain(`Response (stop reason end_turn):\n  answer: ${LONG_ANSWER}`);
    expect(out).toContain('Validation: intent: long BINANCE:BTC/USDT conviction 0.7');
    const followed = out.slice(out.indexOf('What followed'));
    expect(followed.split('\n').map((line) => line.trimEnd())).toEqual([
      `What followed (${journalPath}):`,
      '  Signals:',
      '    2024-03-01T09:30:00Z ev-2   SignalEmitted        trend BINANCE:BTC/USDT long conviction 0.5 — trend model view',
      '  Decisions:',
      '    2024-03-01T09:30:01Z ev-4   DecisionMade         pm (weighted) desk BINANCE:BTC/USDT 0 -> 0.1, order 0.1 — two model analysts are long',
      '  Risk verdicts:',
      '    2024-03-01T09:30:01Z ev-5   IntentApproved       pm buy 0.1 BINANCE:BTC/USDT',
      '  Orders:',
      `    2024-03-01T09:30:01Z ev-6   OrderSubmitted       ${LONG_ORDER} market buy 0.1 BINANCE:BTC/USDT`,
    ]);
  });

  it('follows a denied intent to its verdict, and the invalid record lists every problem', async () => {
    const denied = await conclave('decisions', '--records', recordsPath, '--id', `llm:trend:${T0 + 60_000}:0`, '--journal', journalPath);
    expect(denied).toMatch(/Risk verdicts:\n {4}2024-03-01T09:31:00Z ev-\d+ +IntentDenied +pm BINANCE:BTC\/USDT:USDT \[no_reference_price\]/);
    expect(denied).toContain('  Orders:\n    (no order was submitted)');
    cli.clear();
    const invalid = await conclave('decisions', '--records', recordsPath, '--id', `llm:macro:${T0 + 60_000}:0`, '--journal', journalPath);
    expect(invalid).toContain('Validation: invalid (2 problems)\n  - stop: must be below the mark for a long\n  - conviction: must be from -1 to 1');
    expect(invalid).toContain('  Signals:\n    (no signal carries this record id)');
  });

  it('prints machine output: the filtered records, or one record with what followed it', async () => {
    const list = JSON.parse(await conclave('decisions', '--records', recordsPath, '--agent', 'macro', '--json')) as DecisionRecord[];
    expect(list.map((r) => r.recordId)).toEqual([`llm:macro:${T0}:0`, `llm:macro:${T0 + 60_000}:0`]);
    expect(list[0]).toEqual(RECORDS[2]);
    cli.clear();
    const one = JSON.parse(await conclave('decisions', '--records', recordsPath, '--id', `llm:macro:${T0}:0`, '--journal', journalPath, '--json')) as {
      record: DecisionRecord;
      followed: { signals: { id: string; recordId: string }[]; decisions: { id: string; target: string }[]; verdicts: { type: string; clientOrderId: string; approvedQuantity: string }[]; orders: { order: { clientOrderId: string; quantity: string } }[] };
    };
    expect(one.record).toEqual(RECORDS[2]);
    expect(one.followed.signals).toMatchObject([{ id: 'ev-3', recordId: `llm:macro:${T0}:0` }]);
    expect(one.followed.decisions).toMatchObject([{ id: 'ev-4', target: '0.1' }]);
    expect(one.followed.verdicts).toMatchObject([{ type: 'IntentApproved', clientOrderId: LONG_ORDER, approvedQuantity: '0.1' }]);
    expect(one.followed.orders.map((o) => o.order)).toMatchObject([{ clientOrderId: LONG_ORDER, quantity: '0.1' }]);
    cli.clear();
    const bare = JSON.parse(await conclave('decisions', '--records', recordsPath, '--id', `llm:macro:${T0}:0`, '--json')) as object;
    expect(Object.keys(bare)).toEqual(['record']);
  });

  it('refuses a missing file, an unknown record id, an unknown outcome and a journal without a record id', async () => {
    const missing = join(work, 'nope.jsonl');
    await expect(conclave('decisions', '--records', missing)).rejects.toThrow(`${missing}: no such decision record file`);
    await expect(conclave('decisions', '--records', recordsPath, '--id', 'llm:ghost:1:0')).rejects.toThrow(`no decision record with id "llm:ghost:1:0" among 5 records (${recordsPath})`);
    await expect(conclave('decisions', '--records', recordsPath, '--outcome', 'trade')).rejects.toThrow('--outcome must be one of intent, abstain, invalid, tool-calls, failed; got "trade"');
    await expect(conclave('decisions', '--records', recordsPath, '--journal', journalPath)).rejects.toThrow('give its --id too');
    await expect(conclave('decisions', '--records', recordsPath, '--id', `llm:trend:${T0}:1`, '--journal', missing)).rejects.toThrow(`${missing}: no such journal file`);
  });
});

describe('conclave explain --records', () => {
  it('shows the model call behind each signal of the order: agent, model, prompt, tokens, cost, answer and outcome', async () => {
    const out = await conclave('explain', LONG_ORDER, '--journal', journalPath, '--records', recordsPath);
    const calls = out.slice(out.indexOf('Model calls behind the signals:'), out.indexOf('Decision:'));
    expect(calls.trimEnd().split('\n')).toEqual([
      'Model calls behind the signals:',
      `  ev-2: 2024-03-01T09:30:00Z llm:trend:${T0}:1 trend analyst anthropic/claude-test prompt analyst-v2 attempt 1 tokens 1000 in / 50 out $0.0035 640 ms — intent: long BINANCE:BTC/USDT conviction 0.7`,
      `    answer: ${LONG_ANSWER}`,
      `  ev-3: 2024-03-01T09:30:00Z llm:macro:${T0}:0 macro analyst openai/gpt-test prompt analyst-v2 attempt 0 tokens 1000 in / 50 out $0.0010 300 ms — intent: long BINANCE:BTC/USDT conviction 0.4`,
      `    answer: ${MACRO_ANSWER}`,
    ]);
    expect(out.indexOf('Signals:')).toBeLessThan(out.indexOf('Model calls behind the signals:'));
    cli.clear();
    const plain = await conclave('explain', LONG_ORDER, '--journal', journalPath);
    expect(plain).not.toContain('Model calls');
  });

  it('adds the records behind the signals to the JSON chain', async () => {
    const chain = JSON.parse(await conclave('explain', LONG_ORDER, '--journal', journalPath, '--records', recordsPath, '--json')) as { records: DecisionRecord[] };
    expect(chain.records.map((r) => r.recordId)).toEqual([`llm:trend:${T0}:1`, `llm:macro:${T0}:0`]);
  });
});
