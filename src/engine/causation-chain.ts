import { legOfIntent, type ClientOrderId, type IntentId } from '../core/ids.js';
import type { DecisionMade, DeskEvent, IntentApproved, OrderEvent, OrderFilled, OrderSubmitted, SignalEmitted, StrategyErrored } from '../domain/events.js';
import type { CycleStepTaken, ExitsRestored, RiskAssessed, TakeProfitTriggered } from '../domain/agent-events.js';
import { buildIndex, type Index, type VerdictEvent } from './causation-index.js';
import type { OrderStatus } from '../domain/order-lifecycle.js';
import { statusOf, summarize, type FillSummary } from './order-trail-status.js';

/**
 * Why an order exists and what became of it, walked back through the journal: the signals, the portfolio
 * manager's decision, the risk verdict, the order and its venue events and fills, and any bracket children.
 * A link the journal does not hold is reported as missing rather than failing the walk, because journals are
 * often partial (a manual intent has no signal; a live order may not be acknowledged yet).
 */

export type { VerdictEvent };

export type MissingLinkKind = 'signal' | 'decision' | 'risk-verdict' | 'order' | 'venue-response';

export interface MissingLink {
  readonly link: MissingLinkKind;
  readonly detail: string;
}

export type { FillSummary };

/** One order (or an intent that never became one) with everything the venue said about it. */
export interface OrderTrail {
  readonly clientOrderId?: ClientOrderId;
  readonly intentId?: IntentId;
  /** Every risk verdict on the intent, in order (an intent denied once may be approved on a retry). */
  readonly verdicts: readonly VerdictEvent[];
  readonly submitted?: OrderSubmitted;
  /**
   * Venue and lifecycle events other than fills, in journal order, then the exits a reduction gave back to what it
   * left (ExitsRestored): a target watched again beside a stop that stays has no order of its own to show it.
   */
  readonly updates: readonly (Exclude<OrderEvent, OrderSubmitted | OrderFilled> | ExitsRestored)[];
  readonly fills: readonly OrderFilled[];
  readonly summary: FillSummary;
  /** Where the lifecycle ended; `denied` when the gate refused the intent, absent when nothing was decided. */
  readonly status?: OrderStatus;
  /**
   * Bracket children (stop-loss, take-profit) released by this order, or the exits of what an algorithm filled; on
   * spot, the exit a watched take-profit sent when a close reached it.
   */
  readonly children: readonly OrderTrail[];
  /** For the exit a watched spot take-profit sent: the close that reached the target. */
  readonly trigger?: TakeProfitTriggered;
  /** The journal's events its updates name as their cause, other than order events (a cancel's trigger, a halt). */
  readonly causes?: readonly DeskEvent[];
  /**
   * For an intent an execution algorithm (TWAP, chase) worked: its child orders `<intent>.<leg>`, in leg order, and
   * what they filled in all. Absent for an intent that went out as one order.
   */
  readonly legs?: readonly OrderTrail[];
  readonly legsSummary?: FillSummary;
}

export interface CausationChain {
  readonly found: true;
  readonly query: string;
  readonly matchedBy: 'client-order-id' | 'venue-order-id' | 'intent-id';
  readonly signals: readonly SignalEmitted[];
  readonly decision?: DecisionMade;
  /** For an order the position cycle asked for: its step (open or close), in place of signals. */
  readonly cycleStep?: CycleStepTaken;
  /** For a desk book netted again when an analyst failed: the failure that dropped its view. */
  readonly failure?: StrategyErrored;
  /** For a risk watch's cut: the assessment that decided it, in place of signals. */
  readonly assessment?: RiskAssessed;
  /** For a bracket child: the entry whose fill released it (signals and decision are the entry's). */
  readonly parentClientOrderId?: ClientOrderId;
  /** For a child of an algorithm (`<parent>.<leg>`) or its exits: the parent intent (signals and decision are its). */
  readonly parentIntentId?: IntentId;
  readonly order: OrderTrail;
  /**
   * For a decision that reverses a position (a flip): its opening part, intent `<intent>.open`, sent once the
   * closing part (this order, or its legs) was done: one order, or the legs an algorithm worked it as.
   */
  readonly opening?: OrderTrail;
  readonly missing: readonly MissingLink[];
}

export interface NoSuchOrder {
  readonly found: false;
  readonly query: string;
  readonly reason: string;
}



function trailFor(index: Index, clientOrderId: ClientOrderId | undefined, intentId: IntentId | undefined, depth: number): OrderTrail {
  const approval = clientOrderId === undefined ? undefined : index.approvalByClientId.get(clientOrderId);
  const submitted = clientOrderId === undefined ? undefined : index.submitted.get(clientOrderId);
  const resolvedIntent = intentId ?? approval?.intent.id ?? submitted?.order.intentId;
  const verdicts = resolvedIntent === undefined ? (approval === undefined ? [] : [approval]) : (index.verdictsByIntent.get(resolvedIntent) ?? []);
  const all = clientOrderId === undefined ? [] : (index.orderEvents.get(clientOrderId) ?? []);
  const fills = all.filter((event): event is OrderFilled => event.type === 'OrderFilled');
  const restored = resolvedIntent === undefined ? [] : (index.restoredByIntent.get(resolvedIntent) ?? []);
  const updates = [...all.filter((event): event is Exclude<OrderEvent, OrderSubmitted | OrderFilled> => event.type !== 'OrderFilled'), ...restored];
  const status = submitted !== undefined ? statusOf(submitted, all) : verdicts.at(-1)?.type === 'IntentDenied' ? 'denied' : undefined;
  const cause = approval?.intent.causationId ?? verdicts[0]?.causationId;
  const trigger = cause === undefined ? undefined : index.takeProfits.get(cause);
  const causes = [...new Set(updates.flatMap((event) => (event.causationId === undefined ? [] : [event.causationId])))].flatMap((id) => {
    const event = index.byId.get(id);
    return event === undefined || event.type.startsWith('Order') ? [] : [event];
  });
  return {
    ...(clientOrderId === undefined ? {} : { clientOrderId }),
    ...(resolvedIntent === undefined ? {} : { intentId: resolvedIntent }),
    verdicts,
    ...(submitted === undefined ? {} : { submitted }),
    updates,
    fills,
    summary: summarize(fills),
    ...(status === undefined ? {} : { status }),
    ...(trigger === undefined ? {} : { trigger }),
    ...(causes.length === 0 ? {} : { causes }),
    // The depth cap keeps a malformed journal from looping.
    children: depth > 2 ? [] : [...childrenOf(index, verdicts, depth), ...restoredExitsOf(index, resolvedIntent, depth)],
  };
}

/** An intent an algorithm worked: no order of its own, its legs and the exits of what they filled instead. */
function parentTrail(index: Index, intentId: IntentId, depth: number): OrderTrail | undefined {
  const legIds = index.legsByParent.get(intentId);
  if (legIds === undefined) return undefined;
  const legNumber = (id: string): number => legOfIntent(id)?.leg ?? 0;
  const legs = [...legIds].sort((a, b) => legNumber(a) - legNumber(b)).map((id) => trailOfIntent(index, id, depth + 1));
  const exits = (index.exitsByParent.get(intentId) ?? []).map((id) => trailOfIntent(index, id, depth + 1));
  return {
    intentId,
    verdicts: [],
    updates: [],
    fills: [],
    summary: summarize([]),
    children: exits,
    legs,
    legsSummary: summarize(legs.flatMap((leg) => leg.fills)),
  };
}

function trailOfIntent(index: Index, intentId: IntentId, depth: number): OrderTrail {
  const approval = index.verdictsByIntent.get(intentId)?.find((verdict): verdict is IntentApproved => verdict.type === 'IntentApproved');
  return trailFor(index, approval?.clientOrderId, intentId, depth);
}

/** The intent an algorithm's child (`<parent>.<leg>`) or exit (`<parent>.sl`) belongs to, when it has a decision. */
function parentIntentOf(index: Index, intentId: string | undefined): IntentId | undefined {
  let id = intentId;
  for (let step = 0; id !== undefined && step < 3; step++) {
    const cut = id.lastIndexOf('.');
    if (cut <= 0) return undefined;
    id = id.slice(0, cut);
    if (index.decisionByIntent.has(id)) return id as IntentId;
  }
  return undefined;
}

function childrenOf(index: Index, verdicts: readonly VerdictEvent[], depth: number): OrderTrail[] {
  const children: OrderTrail[] = [];
  for (const verdict of verdicts) {
    if (verdict.type !== 'IntentApproved') continue;
    for (const child of index.verdictsByCause.get(verdict.id) ?? []) {
      if (child.type === 'IntentApproved') children.push(trailFor(index, child.clientOrderId, child.intent.id, depth + 1));
      else children.push(trailFor(index, undefined, child.intentId, depth + 1));
    }
  }
  return children;
}

/**
 * The exits a reduction put back for what it left of the position (`<intent>.sl` / `.tp`, caused by the intent): a
 * take-profit's exit the gate refused, say, shows the stop the position got back.
 */
function restoredExitsOf(index: Index, intentId: IntentId | undefined, depth: number): OrderTrail[] {
  const exits = intentId === undefined ? undefined : index.exitsByParent.get(intentId);
  return exits === undefined ? [] : exits.map((id) => trailOfIntent(index, id, depth + 1));
}

interface Origin {
  readonly signals: SignalEmitted[];
  readonly decision?: DecisionMade;
  readonly cycleStep?: CycleStepTaken;
  readonly failure?: StrategyErrored;
  readonly assessment?: RiskAssessed;
  readonly parentClientOrderId?: ClientOrderId;
  readonly parentIntentId?: IntentId;
  readonly missing: MissingLink[];
}

/** Walks from the intent back to its decision and signals (or, for a bracket child, to its entry's). */
function originOf(index: Index, trail: OrderTrail, depth: number): Origin {
  const missing: MissingLink[] = [];
  const approval = trail.verdicts.find((verdict): verdict is IntentApproved => verdict.type === 'IntentApproved');
  const cause = approval?.intent.causationId ?? trail.verdicts[0]?.causationId;
  // A watched take-profit's exit walks back through its trigger to the entry that was given the target.
  const watched = cause === undefined ? undefined : index.takeProfits.get(cause)?.causationId;
  const entry = watched === undefined ? undefined : index.verdictsByIntent.get(watched)?.find((verdict): verdict is IntentApproved => verdict.type === 'IntentApproved');
  const parentApproval = entry ?? (cause === undefined ? undefined : index.approvalById.get(cause));
  if (parentApproval !== undefined && depth < 3) {
    const parent = originOf(index, trailFor(index, parentApproval.clientOrderId, parentApproval.intent.id, depth + 1), depth + 1);
    return { ...parent, parentClientOrderId: parentApproval.clientOrderId };
  }
  const own = (trail.intentId === undefined ? undefined : index.decisionByIntent.get(trail.intentId)) ?? (cause === undefined ? undefined : index.decisionById.get(cause));
  const parentIntentId = own === undefined ? parentIntentOf(index, trail.intentId) : undefined;
  const decision = own ?? (parentIntentId === undefined ? undefined : index.decisionByIntent.get(parentIntentId));
  if (decision === undefined) missing.push({ link: 'decision', detail: 'no DecisionMade event produced this intent' });
  const signalIds = (decision === undefined ? cause : decision.causationId)?.split(',').map((id) => id.trim()).filter((id) => id !== '') ?? [];
  const signals: SignalEmitted[] = [];
  // The position cycle's own steps are a cause in place of signals (a timed close has no signal behind it).
  let cycleStep = cause === undefined ? undefined : index.cycleSteps.get(cause);
  let failure: StrategyErrored | undefined;
  let assessment: RiskAssessed | undefined;
  for (const id of signalIds) {
    const signal = index.signals.get(id);
    const step = index.cycleSteps.get(id);
    if (step !== undefined) {
      cycleStep = step;
    } else if (index.assessments.has(id)) {
      assessment = index.assessments.get(id);
    } else if (index.failures.has(id)) {
      failure = index.failures.get(id);
    } else if (signal !== undefined) {
      if (!signals.includes(signal)) signals.push(signal);
    } else {
      const namer = decision === undefined ? 'the intent' : `decision ${decision.id}`;
      missing.push({ link: 'signal', detail: `${namer} names ${id} as a cause, which is not in the journal` });
    }
  }
  if (signalIds.length === 0 && cycleStep === undefined && assessment === undefined) missing.push({ link: 'signal', detail: 'no SignalEmitted event is named as a cause' });
  return {
    signals,
    ...(decision === undefined ? {} : { decision }),
    ...(cycleStep === undefined ? {} : { cycleStep }),
    ...(failure === undefined ? {} : { failure }),
    ...(assessment === undefined ? {} : { assessment }),
    ...(parentIntentId === undefined ? {} : { parentIntentId }),
    missing,
  };
}

function orderGaps(trail: OrderTrail): MissingLink[] {
  // An algorithm's parent has no verdict or order of its own: each leg has its own, shown with it.
  if (trail.legs !== undefined) return [];
  const missing: MissingLink[] = [];
  if (trail.verdicts.length === 0) missing.push({ link: 'risk-verdict', detail: 'no IntentApproved or IntentDenied event for this order' });
  const approved = trail.verdicts.some((verdict) => verdict.type === 'IntentApproved');
  if (approved && trail.submitted === undefined) missing.push({ link: 'order', detail: `the intent was approved but no OrderSubmitted for ${trail.clientOrderId ?? '?'} follows` });
  const answered = trail.fills.length > 0 || trail.updates.some((event) => event.type !== 'OrderPendingCancel' && event.type !== 'OrderPendingUpdate');
  if (trail.submitted !== undefined && !answered) missing.push({ link: 'venue-response', detail: 'the venue has not acknowledged, rejected or filled the order' });
  return missing;
}

/**
 * The causation chain of an order, found by its client order id, a venue order id, or the id of the intent
 * behind it, in that order of preference.
 */
export function causationChain(events: readonly DeskEvent[], orderId: string): CausationChain | NoSuchOrder {
  const index = buildIndex(events);
  let trail: OrderTrail;
  let matchedBy: CausationChain['matchedBy'];
  const byVenue = index.clientIdByVenueId.get(orderId);
  if (index.submitted.has(orderId) || index.approvalByClientId.has(orderId) || index.orderEvents.has(orderId)) {
    matchedBy = 'client-order-id';
    trail = trailFor(index, orderId as ClientOrderId, undefined, 0);
  } else if (byVenue !== undefined) {
    matchedBy = 'venue-order-id';
    trail = trailFor(index, byVenue, undefined, 0);
  } else {
    const verdicts = index.verdictsByIntent.get(orderId);
    const submitted = [...index.submitted.values()].find((event) => event.order.intentId === orderId);
    if (verdicts === undefined && submitted === undefined && !index.decisionByIntent.has(orderId) && !index.legsByParent.has(orderId)) {
      return { found: false, query: orderId, reason: `no order, venue order or intent with id "${orderId}" in ${events.length} journal events` };
    }
    matchedBy = 'intent-id';
    const approval = verdicts?.find((verdict): verdict is IntentApproved => verdict.type === 'IntentApproved');
    trail =
      (verdicts === undefined && submitted === undefined ? parentTrail(index, orderId as IntentId, 0) : undefined) ??
      trailFor(index, approval?.clientOrderId ?? submitted?.order.clientOrderId, orderId as IntentId, 0);
  }
  const origin = originOf(index, trail, 0);
  const opening = trail.intentId === undefined ? undefined : openingOf(index, trail.intentId);
  return {
    found: true,
    query: orderId,
    matchedBy,
    signals: origin.signals,
    ...(origin.decision === undefined ? {} : { decision: origin.decision }),
    ...(origin.cycleStep === undefined ? {} : { cycleStep: origin.cycleStep }),
    ...(origin.failure === undefined ? {} : { failure: origin.failure }),
    ...(origin.assessment === undefined ? {} : { assessment: origin.assessment }),
    ...(origin.parentClientOrderId === undefined ? {} : { parentClientOrderId: origin.parentClientOrderId }),
    ...(origin.parentIntentId === undefined ? {} : { parentIntentId: origin.parentIntentId }),
    order: trail,
    ...(opening === undefined ? {} : { opening }),
    missing: [...origin.missing, ...orderGaps(trail)],
  };
}

/** The opening part of a flip decided as `intentId`, when the journal holds one (one order, or an algorithm's legs). */
function openingOf(index: Index, intentId: IntentId): OrderTrail | undefined {
  const id = `${intentId}.open` as IntentId;
  if (index.verdictsByIntent.has(id)) return trailOfIntent(index, id, 1);
  return parentTrail(index, id, 1);
}
