import type { Command } from 'commander';
import { FixRequestError } from '../../../core/errors.js';
import { Fixed } from '../../../core/fixed.js';
import { causationChain, type CausationChain, type OrderTrail } from '../../../engine/causation-chain.js';
import { findLiquidations, liquidationsOfOrders, type LiquidationTrail } from '../../../engine/liquidation-trail.js';
import type { SignalEmitted } from '../../../domain/events.js';
import { DESK_OWNER } from '../../../engine/desk/manager-role.js';
import type { DecisionRecord } from '../../../llm/decision-record.js';
import { readJournal } from '../../../adapters/journal/jsonl-journal.js';
import { readDecisionRecords } from '../../../adapters/llm/jsonl-decision-store.js';
import { describeEvent } from '../format-event.js';
import { describeRecord } from './decisions.js';

interface ExplainOptions {
  journal: string;
  records?: string;
  json?: boolean;
  ignoreTornTail?: boolean;
}

export function registerExplain(program: Command): void {
  program
    .command('explain')
    .description('Explain why an order exists and what became of it: signals -> decision -> risk verdict -> order -> fills')
    .argument('<order-id>', 'client order id, venue order id, the id of the intent behind the order, or a liquidation (its event id, or the instrument)')
    .requiredOption('--journal <file>', 'the JSONL event journal to read')
    .option('--records <file>', 'the JSONL decision record file: show the model call behind each signal')
    .option('--json', 'print the chain as JSON')
    .option('--ignore-torn-tail', 'skip a final line a crash cut short instead of refusing the journal')
    .action((orderId: string, options: ExplainOptions) => {
      const events = readJournal(options.journal, { ignoreTornTail: options.ignoreTornTail === true });
      const chain = causationChain(events, orderId);
      const json = (value: unknown): string => JSON.stringify(value, (_key, field: unknown) => (typeof field === 'bigint' ? field.toString() : field), 2);
      if (!chain.found) {
        const liquidations = findLiquidations(events, orderId);
        if (liquidations === undefined) throw new FixRequestError('unknown_order', `${chain.reason} (${options.journal}); no liquidation has that id or instrument either`);
        console.log(options.json === true ? json({ found: true, query: orderId, matchedBy: 'liquidation', liquidations }) : renderLiquidations(liquidations).join('\n'));
        return;
      }
      const liquidations = liquidationsOfOrders(events, ordersOf(chain));
      const records = options.records === undefined ? undefined : readDecisionRecords(options.records, { ignoreTornTail: options.ignoreTornTail === true });
      const output = { ...chain, ...(liquidations.length === 0 ? {} : { liquidations }), ...(records === undefined ? {} : { records: records.filter((record) => chain.signals.some((signal) => signal.recordId === record.recordId)) }) };
      if (options.json === true) console.log(json(output));
      else console.log([...renderChain(chain, records), ...(liquidations.length === 0 ? [] : ['', ...renderLiquidations(liquidations, 'The position these fills helped build was liquidated')])].join('\n'));
    });
}

/** The chain as readable blocks, one per step, in causal order. */
export function renderChain(chain: CausationChain, records?: readonly DecisionRecord[]): string[] {
  const lines: string[] = [];
  const order = chain.order;
  const subject = order.clientOrderId === undefined ? `Intent ${order.intentId ?? chain.query}` : `Order ${order.clientOrderId}`;
  lines.push(`${subject} (found by ${chain.matchedBy.replaceAll('-', ' ')} ${chain.query})${order.status === undefined ? '' : `: ${order.status}`}`);
  const behind = whoIsBehind(chain);
  if (behind !== undefined) lines.push(behind);
  if (chain.parentClientOrderId !== undefined) lines.push(`A bracket child of ${chain.parentClientOrderId}; the signals and decision below are the entry's.`);
  if (chain.parentIntentId !== undefined) lines.push(`Part of intent ${chain.parentIntentId}, worked by the execution algorithm; the signals and decision below are the parent's.`);
  if (order.legs !== undefined) lines.push(`Worked by the execution algorithm as ${order.legs.length} child order${order.legs.length === 1 ? '' : 's'}; each has its own risk verdict, order and fills.`);

  if (chain.cycleStep !== undefined) block(lines, 'Position cycle', [describeEvent(chain.cycleStep)], 'none recorded');
  if (chain.failure !== undefined) block(lines, 'Analyst failure (its view dropped, the desk book netted again)', [describeEvent(chain.failure)], 'none recorded');
  if (chain.assessment !== undefined) block(lines, 'Risk assessment (the risk watch cut on it)', [describeEvent(chain.assessment)], 'none recorded');
  const noSignal =
    chain.cycleStep !== undefined ? 'none: the position cycle asked for this order' : chain.assessment !== undefined ? 'none: the risk watch asked for this order' : chain.failure === undefined ? 'none recorded' : 'none left on the instrument';
  block(lines, 'Signals', chain.signals.map((signal) => describeEvent(signal)), noSignal);
  if (records !== undefined) block(lines, 'Model calls behind the signals', modelCallLines(chain.signals, records), 'no signal names a decision record');
  block(lines, 'Decision', chain.decision === undefined ? [] : [describeEvent(chain.decision)], 'none recorded');
  pushTrail(lines, order, '');
  if (chain.opening !== undefined) {
    const opening = chain.opening;
    lines.push('', `Opening part ${opening.intentId ?? ''}${opening.status === undefined ? '' : `: ${opening.status}`} (the decision reverses the position: this part opens the new one once the close is done)`);
    pushTrail(lines, opening, '  ');
  }
  if (chain.missing.length > 0) {
    lines.push('', 'Missing links:');
    for (const gap of chain.missing) lines.push(`  - ${gap.link}: ${gap.detail}`);
  }
  return lines;
}

/**
 * Who the order is for, in one line: the analyst whose view it trades (the independent mode decides for each
 * analyst in its own sleeve), or the manager that decided it for the desk book and the analysts' views it netted.
 * The intent names its agent when no decision was journaled (an exit the risk watch or a halt asked for).
 */
export function whoIsBehind(chain: CausationChain): string | undefined {
  const decision = chain.decision;
  const verdict = chain.order.verdicts[0];
  const intent = verdict?.type === 'IntentApproved' ? verdict.intent : undefined;
  const agent = decision?.agentId ?? intent?.agentId ?? (verdict?.type === 'IntentDenied' ? verdict.agentId : undefined);
  if (agent === undefined) return undefined;
  const owner = decision?.owner ?? intent?.owner ?? chain.order.submitted?.order.owner;
  const book = owner === undefined ? '' : owner === DESK_OWNER ? ', for the desk book' : `, for sleeve ${owner}`;
  const analysts = [...new Set(chain.signals.map((signal) => signal.agentId))];
  const own = analysts.length === 0 || (analysts.length === 1 && analysts[0] === agent);
  const why = !own
    ? `, on the views of ${analysts.join(', ')}`
    : chain.cycleStep !== undefined
      ? ', as the position cycle asked'
      : chain.failure !== undefined
        ? `, after ${chain.failure.agentId} failed`
        : '';
  const who = decision === undefined ? agent : decision.mode !== 'independent' ? `the manager ${agent} (${decision.mode} mode)` : own ? `analyst ${agent}` : agent;
  return `Behind it: ${who}${book}${why}.`;
}

/** The client order ids of an order, its algorithm legs and its opening part: the fills a liquidation may have ended. */
function ordersOf(chain: CausationChain): Set<string> {
  const ids = new Set<string>();
  const add = (trail: OrderTrail | undefined): void => {
    if (trail === undefined) return;
    if (trail.clientOrderId !== undefined) ids.add(trail.clientOrderId);
    for (const leg of trail.legs ?? []) add(leg);
  };
  add(chain.order);
  add(chain.opening);
  return ids;
}

/** Each liquidation: the event, the position it closed, and the fills that built it (each one can be explained). */
export function renderLiquidations(trails: readonly LiquidationTrail[], title = 'Liquidation'): string[] {
  const lines: string[] = [];
  for (const trail of trails) {
    if (lines.length > 0) lines.push('');
    const event = trail.liquidation;
    lines.push(`${title} ${event.id} of ${event.instrumentId}`, `  ${describeEvent(event)}`);
    lines.push(`  the venue's netted position before it: ${trail.positionBefore.toPlainString()}`);
    block(
      lines,
      'Fills that built the position (explain each by its order id)',
      trail.entries.map(({ fill, owner, intentId }) => `${describeEvent(fill)}${owner === undefined ? '' : `, book ${owner}`}${intentId === undefined ? '' : `, intent ${intentId}`}`),
      'none in the journal',
      '  ',
    );
  }
  return lines;
}

function modelCallLines(signals: readonly SignalEmitted[], records: readonly DecisionRecord[]): string[] {
  return signals.flatMap((signal) => {
    if (signal.recordId === undefined) return [];
    const record = records.find((candidate) => candidate.recordId === signal.recordId);
    if (record === undefined) return [`${signal.id}: record ${signal.recordId} is not in the records file`];
    return [`${signal.id}: ${describeRecord(record)}`, `  answer: ${record.response.answer ?? '(none: the model only called tools)'}`];
  });
}

function block(lines: string[], title: string, body: readonly string[], empty: string, indent = ''): void {
  lines.push('', `${indent}${title}:`);
  if (body.length === 0) lines.push(`${indent}  (${empty})`);
  for (const line of body) lines.push(`${indent}  ${line}`);
}

function pushTrail(lines: string[], trail: OrderTrail, indent: string): void {
  if (trail.legs !== undefined) {
    pushLegs(lines, trail.legs, trail.legsSummary, indent);
    pushChildren(lines, trail, indent);
    return;
  }
  if (trail.trigger !== undefined) block(lines, 'Take-profit reached', [describeEvent(trail.trigger)], 'none recorded', indent);
  block(lines, 'Risk verdict', trail.verdicts.map(verdictLines).flat(), 'none recorded', indent);
  const submitted = trail.submitted;
  const orderLines: string[] = [];
  if (submitted !== undefined) {
    const spec = submitted.order;
    orderLines.push(describeEvent(submitted));
    const limits = [
      spec.price === undefined ? undefined : `limit ${spec.price.toPlainString()}`,
      spec.triggerPrice === undefined ? undefined : `trigger ${spec.triggerPrice.toPlainString()}`,
      `reserved at ${submitted.reservePrice.toPlainString()}`,
    ].filter((part) => part !== undefined);
    orderLines.push(`  ${spec.timeInForce}, ${limits.join(', ')}, owner ${spec.owner}${spec.linkage?.parent === undefined ? '' : `, child of ${spec.linkage.parent}`}`);
  }
  // A cancel names what caused it (a halt, the sibling's fill): worth seeing next to it.
  const causeOf = (id: string): string => `${id}${(trail.causes ?? []).find((cause) => cause.id === id)?.type.replace(/^/, ' ') ?? ''}`;
  for (const event of trail.updates) orderLines.push(`${describeEvent(event)}${event.causationId === undefined ? '' : ` (caused by ${causeOf(event.causationId)})`}`);
  block(lines, 'Order', orderLines, trail.clientOrderId === undefined ? 'no order was sent' : 'no OrderSubmitted recorded', indent);

  const summary = trail.summary;
  const fillLines = trail.fills.map((event) => describeEvent(event));
  if (trail.fills.length > 0) {
    const of = submitted === undefined ? '' : ` of ${submitted.order.quantity.toPlainString()}`;
    const fees = summary.fees.map((fee) => `${fee.amount.toPlainString()} ${fee.currency}`).join(' + ');
    fillLines.push(
      `  total ${summary.filledQuantity.toPlainString()}${of} at average ${summary.averagePrice?.toPlainString() ?? '-'}, notional ${summary.notional.toPlainString()}, fees ${fees}`,
    );
  }
  block(lines, 'Fills', fillLines, 'none', indent);
  pushChildren(lines, trail, indent);
}

function pushChildren(lines: string[], trail: OrderTrail, indent: string): void {
  for (const child of trail.children) {
    const role = child.submitted?.order.linkage?.role ?? (child.intentId?.endsWith('.tp') === true ? 'take-profit' : child.intentId?.endsWith('.sl') === true ? 'stop-loss' : 'child');
    lines.push('', `${indent}Bracket ${role} ${child.clientOrderId ?? child.intentId ?? ''}${child.status === undefined ? '' : `: ${child.status}`}`);
    pushTrail(lines, child, `${indent}  `);
  }
}

/** An algorithm's child orders: one line each, the total, then each in full. */
function pushLegs(lines: string[], legs: readonly OrderTrail[], total: OrderTrail['summary'] | undefined, indent: string): void {
  const rows = legs.map((leg) => {
    const spec = leg.submitted?.order;
    const what = spec === undefined ? 'no order' : `${spec.side} ${spec.quantity.toPlainString()} ${spec.type}${spec.price === undefined ? '' : ` at ${spec.price.toPlainString()}`}${spec.postOnly ? ' post-only' : ''}`;
    const filled = leg.summary.filledQuantity.isZero() ? '' : ` (${leg.summary.filledQuantity.toPlainString()} at ${leg.summary.averagePrice?.toPlainString() ?? '-'})`;
    return `${leg.intentId ?? '?'} ${leg.clientOrderId ?? ''}: ${what} — ${leg.status ?? 'undecided'}${filled}`;
  });
  if (total !== undefined && total.filledQuantity.isPositive()) {
    const fees = total.fees.map((fee) => `${fee.amount.toPlainString()} ${fee.currency}`).join(' + ');
    rows.push(`  total filled ${total.filledQuantity.toPlainString()} at average ${total.averagePrice?.toPlainString() ?? '-'}, notional ${total.notional.toPlainString()}, fees ${fees}`);
  }
  block(lines, 'Child orders', rows, 'none', indent);
  for (const leg of legs) {
    lines.push('', `${indent}Child ${leg.intentId ?? ''} ${leg.clientOrderId ?? ''}${leg.status === undefined ? '' : `: ${leg.status}`}`);
    pushTrail(lines, leg, `${indent}  `);
  }
}

function verdictLines(verdict: OrderTrail['verdicts'][number]): string[] {
  if (verdict.type === 'IntentDenied') return [describeEvent(verdict), `  denied: ${verdict.code} — ${verdict.detail}`];
  const intent = verdict.intent;
  const requested = intent.quantity.eq(verdict.approvedQuantity) ? '' : ` (requested ${intent.quantity.toPlainString()})`;
  // describeEvent already lists the clamps.
  const lines = [describeEvent(verdict), `  approved ${verdict.approvedQuantity.toPlainString()}${requested} as ${verdict.clientOrderId}, intent ${intent.id}`];
  if (intent.stopLoss !== undefined || intent.takeProfit !== undefined || intent.watchedTakeProfit !== undefined) {
    const fractions = intent.exitFractions;
    // With fractions the prices here are estimates at the decision's price; the children's triggers follow the fill.
    const away = (fraction: Fixed | undefined): string =>
      fraction === undefined ? '' : ` at the decision's price (set ${fraction.mul(Fixed.fromInt(100)).toPlainString()}% from the entry's fill price once it fills)`;
    // On spot the target is watched by the desk, not sent: it is a price the closes are checked against.
    const watched = intent.watchedTakeProfit;
    const takeProfit =
      watched === undefined
        ? `${intent.takeProfit?.toPlainString() ?? '-'}${away(fractions?.takeProfit)}`
        : `${watched.price.toPlainString()}${away(watched.fraction)}, watched by the desk beside the stop-loss`;
    lines.push(`  bracket: stop-loss ${intent.stopLoss?.toPlainString() ?? '-'}${away(fractions?.stopLoss)}, take-profit ${takeProfit}`);
  }
  return lines;
}
