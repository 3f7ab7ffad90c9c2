import type { Command } from 'commander';
import { FixRequestError } from '../../../core/errors.js';
import { formatUnixMs, unixMs } from '../../../core/time.js';
import type { DecisionMade, DeskEvent, OrderSubmitted, SignalEmitted } from '../../../domain/events.js';
import { causationChain, type VerdictEvent } from '../../../engine/causation-chain.js';
import type { DecisionRecord, RecordValidation } from '../../../llm/decision-record.js';
import type { LlmMessage, ToolCall } from '../../../llm/provider.js';
import { renderUsage, summarizeUsage } from '../../../llm/usage-report.js';
import { readJournal } from '../../../adapters/journal/jsonl-journal.js';
import { readDecisionRecords } from '../../../adapters/llm/jsonl-decision-store.js';
import { describeEvent } from '../format-event.js';

const OUTCOMES: readonly RecordValidation['outcome'][] = ['intent', 'abstain', 'invalid', 'tool-calls', 'failed'];

interface DecisionsOptions {
  records: string;
  agent?: string;
  outcome?: string;
  id?: string;
  journal?: string;
  json?: boolean;
  ignoreTornTail?: boolean;
}

/** What the journal holds downstream of one model call. */
export interface FollowedEvents {
  readonly signals: readonly SignalEmitted[];
  readonly decisions: readonly DecisionMade[];
  readonly verdicts: readonly VerdictEvent[];
  readonly orders: readonly OrderSubmitted[];
}

export function registerDecisions(program: Command): void {
  program
    .command('decisions')
    .description('List the model calls behind LLM-driven agents (tokens, cost, outcome), or show one call in full and what followed it')
    .requiredOption('--records <file>', 'the JSONL decision record file to read')
    .option('--agent <id>', 'only the records of this agent')
    .option('--outcome <outcome>', `only records with this validation outcome (${OUTCOMES.join(', ')})`)
    .option('--id <record-id>', 'show one record in full: request, response and validation')
    .option('--journal <file>', 'with --id: the event journal, to show the signals, decisions, verdicts and orders that followed')
    .option('--json', 'print JSON')
    .option('--ignore-torn-tail', 'skip a final line a crash cut short instead of refusing the file')
    .action((options: DecisionsOptions) => {
      const ignoreTornTail = options.ignoreTornTail === true;
      const outcome = options.outcome;
      if (outcome !== undefined && !OUTCOMES.some((known) => known === outcome)) {
        throw new FixRequestError('unknown_outcome', `--outcome must be one of ${OUTCOMES.join(', ')}; got "${outcome}"`);
      }
      if (options.journal !== undefined && options.id === undefined) {
        throw new FixRequestError('journal_needs_record', '--journal shows what followed one model call: give its --id too');
      }
      const records = readDecisionRecords(options.records, { ignoreTornTail });
      if (options.id !== undefined) {
        const record = records.find((candidate) => candidate.recordId === options.id);
        if (record === undefined) throw new FixRequestError('unknown_record', `no decision record with id "${options.id}" among ${records.length} records (${options.records})`);
        const followed = options.journal === undefined ? undefined : eventsFollowing(readJournal(options.journal, { ignoreTornTail }), record.recordId);
        if (options.json === true) console.log(toJson(followed === undefined ? { record } : { record, followed }));
        else console.log([...renderRecord(record), ...(followed === undefined ? [] : renderFollowed(followed, options.journal ?? ''))].join('\n'));
        return;
      }
      const shown = records.filter((record) => (options.agent === undefined || record.agentId === options.agent) && (outcome === undefined || record.validation.outcome === outcome));
      if (options.json === true) {
        console.log(toJson(shown));
        return;
      }
      const lines = shown.length === 0 ? [`(no decision record matches among ${records.length})`] : shown.map(describeRecord);
      // The file holds what the provider was paid for; a replay's cache hits are never written to it.
      console.log([...lines, '', ...renderUsage(summarizeUsage(shown.map((record) => ({ record, cached: false }))))].join('\n'));
    });
}

function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? item.toString() : item), 2);
}

function isoTime(ts: number): string {
  return formatUnixMs(unixMs(ts)).replace('.000Z', 'Z');
}

/** The validation outcome with what it says: the intent's summary, the abstention's reason, the first problem. */
export function describeValidation(validation: RecordValidation): string {
  switch (validation.outcome) {
    case 'intent':
      return `intent: ${validation.summary}`;
    case 'abstain':
      return `abstain: ${validation.reason}`;
    case 'tool-calls':
      return `tool-calls: ${validation.tools.join(', ')}`;
    case 'invalid': {
      const more = validation.problems.length > 1 ? ` (+${validation.problems.length - 1} more)` : '';
      return `invalid: ${validation.problems[0] ?? '(no problem given)'}${more}`;
    }
    case 'failed':
      return `failed: ${validation.reason}`;
  }
}

/** One line per record: when, who, which model and prompt, what it cost, what came of it. */
export function describeRecord(record: DecisionRecord): string {
  const { inputTokens, outputTokens } = record.response.usage;
  return [
    isoTime(record.ts),
    record.recordId,
    record.agentId,
    record.role,
    `${record.provider}/${record.model}`,
    `prompt ${record.promptVersion}`,
    `attempt ${record.attempt}`,
    `tokens ${inputTokens} in / ${outputTokens} out`,
    `$${record.costUsd.toFixed(4)}`,
    `${record.latencyMs.toFixed(0)} ms`,
    `— ${describeValidation(record.validation)}`,
  ].join(' ');
}

function indent(text: string, prefix: string): string[] {
  return text.split('\n').map((line) => `${prefix}${line}`);
}

function toolCallLines(calls: readonly ToolCall[], prefix: string): string[] {
  return calls.map((call) => `${prefix}tool call ${call.id}: ${call.name}(${call.arguments})`);
}

function messageLines(message: LlmMessage, n: number): string[] {
  if (message.role === 'tool') return [`  [${n}] tool result for ${message.toolCallId} (${message.name}):`, ...indent(message.content, '      ')];
  const lines = [`  [${n}] ${message.role}:`, ...(message.content === '' ? [] : indent(message.content, '      '))];
  if (message.role === 'assistant') lines.push(...toolCallLines(message.toolCalls ?? [], '      '));
  return lines;
}

/** The whole record: parameters, the prompt and every message, the response and what validation made of it. */
export function renderRecord(record: DecisionRecord): string[] {
  const { request, response, validation } = record;
  const lines = [
    `Record ${record.recordId}`,
    `  time        ${isoTime(record.ts)} (simulated)`,
    `  agent       ${record.agentId} (${record.role})`,
    `  model       ${record.provider}/${record.model}${response.model === record.model ? '' : ` (answered as ${response.model})`}`,
    `  prompt      ${record.promptVersion}, attempt ${record.attempt}`,
    `  parameters  temperature ${record.parameters.temperature}, max tokens ${record.parameters.maxTokens}`,
    `  output      "${request.answer.name}" via ${request.structuredOutput}; tools: ${request.tools.length === 0 ? 'none' : request.tools.map((tool) => tool.name).join(', ')}`,
    `  usage       ${response.usage.inputTokens} input tokens, ${response.usage.outputTokens} output tokens, $${record.costUsd.toFixed(4)}, ${record.latencyMs.toFixed(0)} ms`,
    `  cache key   ${record.key}`,
    '',
    'System prompt:',
    ...indent(request.system, '  '),
    '',
    `Messages (${request.messages.length}):`,
    ...request.messages.flatMap((message, i) => messageLines(message, i + 1)),
    '',
    `Response (stop reason ${response.stopReason}):`,
    `  answer: ${response.answer ?? '(none: the model only called tools)'}`,
    ...toolCallLines(response.toolCalls, '  '),
    '',
  ];
  if (validation.outcome !== 'invalid') return [...lines, `Validation: ${describeValidation(validation)}`];
  return [...lines, `Validation: invalid (${validation.problems.length} problems)`, ...validation.problems.map((problem) => `  - ${problem}`)];
}

/**
 * Walks forward from a model call: the signals carrying its record id, the decisions that name any of them as a
 * cause, then each decision's intent through the causation chain (its risk verdicts and its order).
 */
export function eventsFollowing(events: readonly DeskEvent[], recordId: string): FollowedEvents {
  const signals = events.filter((event): event is SignalEmitted => event.type === 'SignalEmitted' && event.recordId === recordId);
  // A decision's causationId lists its signals, comma-separated, by signal id or by event id.
  const causes = new Set(signals.flatMap((signal) => [signal.signalId, signal.id]));
  const decisions = events.filter(
    (event): event is DecisionMade => event.type === 'DecisionMade' && (event.causationId ?? '').split(',').some((id) => causes.has(id.trim())),
  );
  const verdicts: VerdictEvent[] = [];
  const orders: OrderSubmitted[] = [];
  for (const decision of decisions) {
    if (decision.intentId === undefined) continue;
    const chain = causationChain(events, decision.intentId);
    if (!chain.found) continue;
    verdicts.push(...chain.order.verdicts.filter((verdict) => !verdicts.includes(verdict)));
    if (chain.order.submitted !== undefined && !orders.includes(chain.order.submitted)) orders.push(chain.order.submitted);
  }
  return { signals, decisions, verdicts, orders };
}

function renderFollowed(followed: FollowedEvents, journal: string): string[] {
  const lines = ['', `What followed (${journal}):`];
  const block = (title: string, events: readonly DeskEvent[], empty: string): void => {
    lines.push(`  ${title}:`);
    if (events.length === 0) lines.push(`    (${empty})`);
    for (const event of events) lines.push(`    ${describeEvent(event)}`);
  };
  block('Signals', followed.signals, 'no signal carries this record id');
  block('Decisions', followed.decisions, 'no decision names these signals');
  block('Risk verdicts', followed.verdicts, 'no verdict on these decisions\' intents');
  block('Orders', followed.orders, 'no order was submitted');
  return lines;
}
