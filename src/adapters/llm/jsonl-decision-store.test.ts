import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DecisionRecord } from '../../llm/decision-record.js';
import { errorOf } from '../../../test/support/errors.js';
import { DecisionRecordReadError, JsonlDecisionStore, readDecisionRecords } from './jsonl-decision-store.js';

const work = mkdtempSync(join(tmpdir(), 'conclave-records-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let files = 0;
const fresh = (): string => join(work, `records-${(files += 1)}.jsonl`);

function record(n: number, overrides: Partial<DecisionRecord> = {}): DecisionRecord {
  return {
    recordId: `llm:trend:1709285400000:${n}`,
    key: `key-${n}`,
    agentId: 'trend',
    role: 'analyst',
    provider: 'anthropic',
    model: 'claude-test',
    parameters: { temperature: 0, maxTokens: 512 },
    promptVersion: 'analyst-v3',
    ts: 1709285400000 + n,
    attempt: 0,
    request: {
      model: 'claude-test',
      system: 'You are an analyst.',
      messages: [
        { role: 'user', content: 'BTC closed at 50000.' },
        { role: 'assistant', content: '', toolCalls: [{ id: 'call-1', name: 'bars', arguments: '{"count":20}' }] },
        { role: 'tool', toolCallId: 'call-1', name: 'bars', content: '[49000,50000]' },
      ],
      parameters: { temperature: 0, maxTokens: 512 },
      tools: [{ name: 'bars', description: 'recent bars', parameters: { type: 'object', additionalProperties: false } }],
      answer: { name: 'answer', description: 'the view', schema: { type: 'object', required: ['action'] } },
      structuredOutput: 'json-schema',
    },
    response: { answer: '{"action":"abstain","reason":"flat tape"}', toolCalls: [], usage: { inputTokens: 1200, outputTokens: 40 }, stopReason: 'end_turn', model: 'claude-test-1' },
    costUsd: 0.0042,
    latencyMs: 812,
    validation: { outcome: 'abstain', reason: 'flat tape' },
    ...overrides,
  };
}

describe('JsonlDecisionStore', () => {
  it('writes one line per record and reads every record back in order, equal to what was appended', () => {
    const path = fresh();
    const store = JsonlDecisionStore.open(path, { mode: 'append' });
    store.append(record(1));
    store.append(record(2, { validation: { outcome: 'invalid', problems: ['stop: must be below the mark'] } }));
    store.close();
    expect(readFileSync(path, 'utf8').split('\n')).toHaveLength(3);
    expect(readDecisionRecords(path)).toEqual([record(1), record(2, { validation: { outcome: 'invalid', problems: ['stop: must be below the mark'] } })]);
    const reader = JsonlDecisionStore.open(path, { mode: 'read' });
    expect(reader.all().map((r) => r.recordId)).toEqual(['llm:trend:1709285400000:1', 'llm:trend:1709285400000:2']);
  });

  it('answers a request already made from the records it loaded, returning the latest record for a key', () => {
    const path = fresh();
    const first = JsonlDecisionStore.open(path, { mode: 'append' });
    first.append(record(1));
    first.append(record(2, { key: 'key-1' }));
    first.close();
    const reopened = JsonlDecisionStore.open(path, { mode: 'append' });
    expect(reopened.find('key-1')?.recordId).toBe('llm:trend:1709285400000:2');
    expect(reopened.find('key-9')).toBeUndefined();
    reopened.append(record(3));
    expect(reopened.find('key-3')?.ts).toBe(1709285400003);
    reopened.close();
    expect(readDecisionRecords(path).map((r) => r.key)).toEqual(['key-1', 'key-1', 'key-3']);
  });

  it('refuses to append in read mode, naming the file, and refuses appends after close', () => {
    const path = fresh();
    writeFileSync(path, `${JSON.stringify(record(1))}\n`);
    const reader = JsonlDecisionStore.open(path, { mode: 'read' });
    expect(reader.find('key-1')?.costUsd).toBe(0.0042);
    const error = errorOf(() => reader.append(record(2)));
    expect(error.code).toBe('decision_store_read_only');
    expect(error.message).toBe(`cannot append record llm:trend:1709285400000:2 to ${path}: the decision store was opened read-only (replay mode reads recorded calls only)`);
    const writer = JsonlDecisionStore.open(path, { mode: 'append' });
    writer.close();
    expect(errorOf(() => writer.append(record(2))).message).toBe(`the decision store ${path} is closed`);
  });

  it('refuses to append a record that would not read back', () => {
    const store = JsonlDecisionStore.open(fresh(), { mode: 'append' });
    const error = errorOf(() => store.append(record(1, { costUsd: Number.NaN })));
    expect(error.message).toContain('field costUsd: Invalid input: expected number, received NaN');
    expect(store.all()).toHaveLength(0);
    store.close();
  });

  it('requires the file in read mode and creates it in append mode', () => {
    const path = join(work, 'absent.jsonl');
    const error = errorOf(() => JsonlDecisionStore.open(path, { mode: 'read' }));
    expect(error).toBeInstanceOf(DecisionRecordReadError);
    expect(error).toMatchObject({ code: 'decision_records_not_found', path, message: `${path}: no such decision record file` });
    const store = JsonlDecisionStore.open(path, { mode: 'append' });
    store.close();
    expect(readFileSync(path, 'utf8')).toBe('');
  });

  it('names the line and the field of a record that does not have the record shape', () => {
    const path = fresh();
    const bad = { ...record(2), response: { ...record(2).response, usage: { inputTokens: '1200', outputTokens: 40 } } };
    writeFileSync(path, `${JSON.stringify(record(1))}\n${JSON.stringify(bad)}\n${JSON.stringify(record(3))}\n`);
    const error = errorOf(() => readDecisionRecords(path));
    expect(error).toMatchObject({ code: 'decision_record_bad_record', path, line: 2 });
    expect(error.message).toBe(`${path}:2: not a decision record: field response.usage.inputTokens: Invalid input: expected number, received string`);

    writeFileSync(path, `${JSON.stringify({ ...record(1), mood: 'bullish' })}\n`);
    expect(errorOf(() => readDecisionRecords(path)).message).toBe(`${path}:1: not a decision record: field mood is not part of a decision record`);

    const message = { ...record(1).request, messages: [{ role: 'system', content: 'x' }] };
    writeFileSync(path, `${JSON.stringify({ ...record(1), request: message })}\n`);
    expect(errorOf(() => readDecisionRecords(path)).message).toContain(`${path}:1: not a decision record: field request.messages[0].role:`);
  });

  it('names a line that is not JSON in the middle of the file, even when asked to ignore a torn tail', () => {
    const path = fresh();
    writeFileSync(path, `${JSON.stringify(record(1))}\n{"recordId":\n${JSON.stringify(record(3))}\n`);
    const error = errorOf(() => readDecisionRecords(path, { ignoreTornTail: true }));
    expect(error).toMatchObject({ code: 'decision_record_bad_line', line: 2 });
    expect(error.message).toMatch(new RegExp(`^${path}:2: not valid JSON`));
  });

  describe('a torn final line', () => {
    const torn = (): string => {
      const path = fresh();
      writeFileSync(path, `${JSON.stringify(record(1))}\n${JSON.stringify(record(2))}\n`);
      appendFileSync(path, JSON.stringify(record(3)).slice(0, 80));
      return path;
    };

    it('is reported by its line number', () => {
      const path = torn();
      const error = errorOf(() => readDecisionRecords(path));
      expect(error).toMatchObject({ code: 'decision_record_bad_line', line: 3 });
      expect(error.message).toContain(`${path}:3: not valid JSON`);
      expect(error.message).toContain('ignore the torn tail (--ignore-torn-tail)');
      expect(errorOf(() => JsonlDecisionStore.open(path, { mode: 'append' }))).toMatchObject({ code: 'decision_record_torn_tail', line: 3 });
    });

    it('is skipped with ignoreTornTail, leaving the file as it was', () => {
      const path = torn();
      const before = readFileSync(path, 'utf8');
      const store = JsonlDecisionStore.open(path, { mode: 'read', ignoreTornTail: true });
      expect(store.all().map((r) => r.key)).toEqual(['key-1', 'key-2']);
      expect(store.tornTail?.line).toBe(3);
      expect(readFileSync(path, 'utf8')).toBe(before);
    });

    it('is cut off with repairTornTail in append mode, and appends continue after the last complete record', () => {
      const path = torn();
      const store = JsonlDecisionStore.open(path, { mode: 'append', repairTornTail: true });
      expect(store.tornTail?.text).toBe(JSON.stringify(record(3)).slice(0, 80));
      store.append(record(4));
      store.close();
      expect(readDecisionRecords(path).map((r) => r.key)).toEqual(['key-1', 'key-2', 'key-4']);
      expect(errorOf(() => JsonlDecisionStore.open(path, { mode: 'read', repairTornTail: true })).message).toContain('opened read-only');
    });
  });

  it('ends a complete last record that lacks its newline before appending the next', () => {
    const path = fresh();
    writeFileSync(path, JSON.stringify(record(1)));
    const store = JsonlDecisionStore.open(path, { mode: 'append' });
    store.append(record(2));
    store.close();
    expect(readDecisionRecords(path).map((r) => r.key)).toEqual(['key-1', 'key-2']);
  });
});
