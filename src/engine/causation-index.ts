/** The journal indexed for walking causation chains: events by the ids and intents that link them. */
import { legOfIntent, type ClientOrderId, type IntentId } from '../core/ids.js';
import type { DecisionMade, DeskEvent, IntentApproved, IntentDenied, OrderEvent, OrderSubmitted, SignalEmitted, StrategyErrored } from '../domain/events.js';
import type { CycleStepTaken, ExitsRestored, RiskAssessed, TakeProfitTriggered } from '../domain/agent-events.js';

export type VerdictEvent = IntentApproved | IntentDenied;

export interface Index {
  readonly submitted: Map<string, OrderSubmitted>;
  readonly orderEvents: Map<string, Exclude<OrderEvent, OrderSubmitted>[]>;
  readonly clientIdByVenueId: Map<string, ClientOrderId>;
  readonly verdictsByIntent: Map<string, VerdictEvent[]>;
  readonly approvalByClientId: Map<string, IntentApproved>;
  readonly approvalById: Map<string, IntentApproved>;
  /** Verdicts caused by an approval event: the bracket children of the approved entry. */
  readonly verdictsByCause: Map<string, VerdictEvent[]>;
  readonly decisionByIntent: Map<string, DecisionMade>;
  readonly decisionById: Map<string, DecisionMade>;
  /** Signals by `signalId` and by event id: causation ids may name either. */
  readonly signals: Map<string, SignalEmitted>;
  readonly cycleSteps: Map<string, CycleStepTaken>;
  readonly failures: Map<string, StrategyErrored>;
  readonly assessments: Map<string, RiskAssessed>;
  /** Intent ids of an algorithm's children (`<parent>.<leg>`) and of its exits, by parent intent id. */
  readonly legsByParent: Map<string, IntentId[]>;
  readonly exitsByParent: Map<string, IntentId[]>;
  readonly restoredByIntent: Map<string, ExitsRestored[]>;
  readonly takeProfits: Map<string, TakeProfitTriggered>;
  /** Every event by id: what an update names as its cause. */
  readonly byId: Map<string, DeskEvent>;
}

const EXIT = /^(.+)\.(sl|tp)$/;
/** The parents of exits a reduction gave back beside others (`<reduction>.rest`, `<reduction>.beside-2`): its own. */
const GIVEN_BACK = /^(.+)\.(rest|beside-\d+)$/;

/** Remembers an algorithm's child or exit intent under its parent (once per intent id). */
function noteChildIntent(index: Index, id: IntentId, causationId: string | undefined): void {
  const parent = legOfIntent(id)?.parent;
  if (parent !== undefined) {
    pushOnce(index.legsByParent, parent, id);
    return;
  }
  const exit = EXIT.exec(id);
  // A bracket's own children are caused by the entry's approval; an algorithm's exits by the parent intent.
  if (exit?.[1] !== undefined && causationId === exit[1]) pushOnce(index.exitsByParent, GIVEN_BACK.exec(exit[1])?.[1] ?? exit[1], id);
}

function pushOnce(map: Map<string, IntentId[]>, key: string, id: IntentId): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [id]);
  else if (!list.includes(id)) list.push(id);
}

function push<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

export function buildIndex(events: readonly DeskEvent[]): Index {
  const index: Index = {
    submitted: new Map(),
    orderEvents: new Map(),
    clientIdByVenueId: new Map(),
    verdictsByIntent: new Map(),
    approvalByClientId: new Map(),
    approvalById: new Map(),
    verdictsByCause: new Map(),
    decisionByIntent: new Map(),
    decisionById: new Map(),
    signals: new Map(),
    cycleSteps: new Map(),
    failures: new Map(),
    assessments: new Map(),
    legsByParent: new Map(),
    exitsByParent: new Map(),
    restoredByIntent: new Map(),
    takeProfits: new Map(),
    byId: new Map(),
  };
  for (const event of events) {
    index.byId.set(event.id, event);
    switch (event.type) {
      case 'SignalEmitted':
        index.signals.set(event.signalId, event);
        index.signals.set(event.id, event);
        break;
      case 'CycleStepTaken':
        index.cycleSteps.set(event.id, event);
        break;
      case 'StrategyErrored':
        index.failures.set(event.id, event);
        break;
      case 'RiskAssessed':
        index.assessments.set(event.id, event);
        break;
      case 'DecisionMade':
        index.decisionById.set(event.id, event);
        if (event.intentId !== undefined) index.decisionByIntent.set(event.intentId, event);
        break;
      case 'IntentApproved':
        push(index.verdictsByIntent, event.intent.id, event);
        index.approvalByClientId.set(event.clientOrderId, event);
        index.approvalById.set(event.id, event);
        if (event.causationId !== undefined) push(index.verdictsByCause, event.causationId, event);
        noteChildIntent(index, event.intent.id, event.intent.causationId);
        break;
      case 'IntentDenied':
        push(index.verdictsByIntent, event.intentId, event);
        if (event.causationId !== undefined) push(index.verdictsByCause, event.causationId, event);
        noteChildIntent(index, event.intentId, event.causationId);
        break;
      case 'ExitsRestored':
        push(index.restoredByIntent, event.intentId, event);
        break;
      case 'TakeProfitTriggered':
        index.takeProfits.set(event.id, event);
        // The exit a watched target sent is its bracket's child, as a take-profit resting at the venue would be.
        if (event.causationId !== undefined) pushOnce(index.exitsByParent, event.causationId, event.intentId);
        break;
      case 'OrderSubmitted':
        index.submitted.set(event.order.clientOrderId, event);
        break;
      case 'OrderAccepted':
        index.clientIdByVenueId.set(event.venueOrderId, event.clientOrderId);
        push(index.orderEvents, event.clientOrderId, event);
        break;
      case 'OrderFilled':
        if (event.fill.venueOrderId !== undefined) index.clientIdByVenueId.set(event.fill.venueOrderId, event.fill.clientOrderId);
        push(index.orderEvents, event.fill.clientOrderId, event);
        break;
      case 'OrderRejected':
      case 'OrderPendingCancel':
      case 'OrderCancelRejected':
      case 'OrderCanceled':
      case 'OrderExpired':
      case 'OrderTriggered':
      case 'OrderPendingUpdate':
      case 'OrderUpdated':
      case 'OrderModifyRejected':
        push(index.orderEvents, event.clientOrderId, event);
        break;
      default:
        break;
    }
  }
  return index;
}
