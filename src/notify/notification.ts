import type { Fixed } from '../core/fixed.js';
import type { UnixMs } from '../core/time.js';
import type { AgentHealthChanged, RiskAssessed, SleeveStateChanged } from '../domain/agent-events.js';
import type { BrainAbstained, DeskEvent, IntentDenied, OrderFilled, OrderRejected, PositionLiquidated, StrategyErrored, TradingStateChanged } from '../domain/events.js';
import type { DeskBooks } from './desk-books.js';

export type Severity = 'info' | 'warning' | 'critical';

export type NotificationKind =
  | 'fill'
  | 'denial'
  | 'rejection'
  | 'halt'
  | 'state'
  | 'liquidation'
  | 'error'
  | 'summary'
  | 'overflow'
  | 'reminder';

/** What a channel sends: a readable title and line, plus named values (all numbers as decimal strings). */
export interface Notification {
  readonly id: string;
  readonly ts: UnixMs;
  readonly severity: Severity;
  readonly kind: NotificationKind;
  readonly title: string;
  readonly text: string;
  readonly fields: Readonly<Record<string, string>>;
  /** Notifications with the same key inside the dispatcher's window are sent once (critical ones always go out). */
  readonly dedupKey: string;
  readonly causationId?: string;
}

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

export function moreSevere(a: Severity, b: Severity): Severity {
  return SEVERITY_RANK[a] >= SEVERITY_RANK[b] ? a : b;
}

export function isAlert(notification: Notification): boolean {
  return notification.severity !== 'info';
}

/** The notification a desk event deserves, or undefined when it is routine bookkeeping. */
export function notificationFor(event: DeskEvent, books: Pick<DeskBooks, 'contractSize'>): Notification | undefined {
  switch (event.type) {
    case 'OrderFilled':
      return fillNotification(event, books.contractSize(event.fill.instrumentId));
    case 'IntentDenied':
      return denialNotification(event);
    case 'OrderRejected':
      return rejectionNotification(event);
    case 'TradingStateChanged':
      return stateNotification(event);
    case 'PositionLiquidated':
      return liquidationNotification(event);
    case 'BrainAbstained':
      return event.cause === 'budget' || event.cause === 'provider-error' ? brainNotification(event) : undefined;
    case 'StrategyErrored':
      return strategyErrorNotification(event);
    case 'AgentHealthChanged':
      return event.to === 'healthy' ? undefined : healthNotification(event);
    case 'SleeveStateChanged':
      return sleeveNotification(event);
    case 'RiskAssessed':
      return event.action === 'none' ? undefined : riskNotification(event);
    default:
      return undefined;
  }
}

/** A model-driven brain out of budget or cut off from its provider: the desk trades on without its views. */
function brainNotification(event: BrainAbstained): Notification {
  const budget = event.cause === 'budget';
  return {
    id: `notification-${event.id}`,
    ts: event.tsEvent,
    severity: 'warning',
    kind: 'error',
    title: budget ? `Model budget exhausted: ${event.agentId}` : `Model call failed: ${event.agentId}`,
    text: `${event.role} ${event.agentId} abstains: ${event.detail}`,
    fields: { agent: event.agentId, role: event.role, cause: event.cause, detail: event.detail, ...(event.recordId === undefined ? {} : { record: event.recordId }) },
    // One alert per agent and cause (per day for budgets), not one per bar it stays silent.
    dedupKey: `brain:${event.agentId}:${event.cause}${budget ? `:${Math.floor(event.tsEvent / 86_400_000)}` : ''}`,
    causationId: event.id,
  };
}

function fillNotification(event: OrderFilled, contractSize: Fixed): Notification {
  const fill = event.fill;
  const notional = fill.quantity.mul(contractSize).mul(fill.price);
  const verb = fill.side === 'buy' ? 'Bought' : 'Sold';
  return {
    id: `notification-${event.id}`,
    ts: event.tsEvent,
    severity: 'info',
    kind: 'fill',
    title: `Fill: ${fill.side} ${fill.quantity.toPlainString()} ${fill.instrumentId} @ ${fill.price.toPlainString()}`,
    text:
      `${verb} ${fill.quantity.toPlainString()} ${fill.instrumentId} at ${fill.price.toPlainString()} ` +
      `(notional ${notional.toPlainString()}, fee ${fill.fee.toPlainString()} ${fill.feeCurrency}, ${fill.liquidity}), ` +
      `order ${fill.clientOrderId}`,
    fields: {
      instrument: fill.instrumentId,
      side: fill.side,
      quantity: fill.quantity.toPlainString(),
      price: fill.price.toPlainString(),
      notional: notional.toPlainString(),
      fee: fill.fee.toPlainString(),
      feeCurrency: fill.feeCurrency,
      liquidity: fill.liquidity,
      clientOrderId: fill.clientOrderId,
      tradeId: fill.tradeId,
    },
    dedupKey: `fill:${fill.instrumentId}:${fill.tradeId}`,
    causationId: event.causationId ?? event.id,
  };
}

function denialNotification(event: IntentDenied): Notification {
  return {
    id: `notification-${event.id}`,
    ts: event.tsEvent,
    severity: 'warning',
    kind: 'denial',
    title: `Denied: ${event.code} on ${event.instrumentId}`,
    text: `Risk denied intent ${event.intentId} from ${event.agentId} on ${event.instrumentId}: ${event.code} (${event.detail})`,
    fields: {
      instrument: event.instrumentId,
      agent: event.agentId,
      intent: event.intentId,
      code: event.code,
      detail: event.detail,
    },
    // The same agent hitting the same limit again and again is one alert, not a flood.
    dedupKey: `denial:${event.agentId}:${event.instrumentId}:${event.code}`,
    causationId: event.causationId ?? event.id,
  };
}

function rejectionNotification(event: OrderRejected): Notification {
  return {
    id: `notification-${event.id}`,
    ts: event.tsEvent,
    severity: 'warning',
    kind: 'rejection',
    title: `Order rejected: ${event.clientOrderId}`,
    text: `The venue rejected order ${event.clientOrderId}: ${event.reason}`,
    fields: { clientOrderId: event.clientOrderId, reason: event.reason },
    dedupKey: `rejection:${event.clientOrderId}`,
    causationId: event.causationId ?? event.id,
  };
}

function stateNotification(event: TradingStateChanged): Notification {
  const halted = event.to === 'HALTED';
  return {
    id: `notification-${event.id}`,
    ts: event.tsEvent,
    severity: halted ? 'critical' : event.to === 'REDUCING' ? 'warning' : 'info',
    kind: halted ? 'halt' : 'state',
    title: halted ? `Trading HALTED (${event.trigger})` : `Trading ${event.from} -> ${event.to} (${event.trigger})`,
    text: `Trading state changed from ${event.from} to ${event.to} by ${event.trigger}: ${event.reason}`,
    fields: { from: event.from, to: event.to, trigger: event.trigger, reason: event.reason },
    dedupKey: `state:${event.from}:${event.to}:${event.trigger}`,
    causationId: event.causationId ?? event.id,
  };
}

function liquidationNotification(event: PositionLiquidated): Notification {
  return {
    id: `notification-${event.id}`,
    ts: event.tsEvent,
    severity: 'critical',
    kind: 'liquidation',
    title: `LIQUIDATED: ${event.instrumentId}`,
    text:
      `The venue liquidated ${event.quantity.toPlainString()} ${event.instrumentId} (${event.side} to close) ` +
      `at ${event.price.toPlainString()}, fee ${event.fee.toPlainString()}: ${event.reason}`,
    fields: {
      instrument: event.instrumentId,
      side: event.side,
      quantity: event.quantity.toPlainString(),
      price: event.price.toPlainString(),
      fee: event.fee.toPlainString(),
      reason: event.reason,
    },
    dedupKey: `liquidation:${event.id}`,
    causationId: event.causationId ?? event.id,
  };
}

/** An analyst's strategy threw: the desk isolates it, the person watching should know. */
function strategyErrorNotification(event: StrategyErrored): Notification {
  return {
    id: `notification-${event.id}`,
    ts: event.tsEvent,
    severity: 'warning',
    kind: 'error',
    title: `Strategy error: ${event.agentId} on ${event.instrumentId}`,
    text: `${event.agentId}'s strategy threw on ${event.instrumentId}: ${event.message}`,
    fields: { agent: event.agentId, instrument: event.instrumentId, message: event.message },
    dedupKey: `strategy-error:${event.agentId}:${event.instrumentId}`,
    causationId: event.causationId ?? event.id,
  };
}

function healthNotification(event: AgentHealthChanged): Notification {
  return {
    id: `notification-${event.id}`,
    ts: event.tsEvent,
    severity: event.to === 'failing' ? 'warning' : 'info',
    kind: 'error',
    title: `Agent ${event.agentId} ${event.to}`,
    text: `Agent ${event.agentId} went from ${event.from} to ${event.to}: ${event.reason}`,
    fields: { agent: event.agentId, from: event.from, to: event.to, reason: event.reason },
    dedupKey: `health:${event.agentId}:${event.to}`,
    causationId: event.causationId ?? event.id,
  };
}

function sleeveNotification(event: SleeveStateChanged): Notification {
  return {
    id: `notification-${event.id}`,
    ts: event.tsEvent,
    severity: event.to === 'HALTED' ? 'critical' : event.to === 'REDUCING' ? 'warning' : 'info',
    kind: 'state',
    title: `Sleeve ${event.sleeve} ${event.from} -> ${event.to}`,
    text: `Sleeve ${event.sleeve} went from ${event.from} to ${event.to}: ${event.reason}`,
    fields: { sleeve: event.sleeve, from: event.from, to: event.to, reason: event.reason },
    dedupKey: `sleeve:${event.sleeve}:${event.from}:${event.to}`,
    causationId: event.causationId ?? event.id,
  };
}

/** The risk watch acting (reducing or halting), with the figures it acted on. */
function riskNotification(event: RiskAssessed): Notification {
  return {
    id: `notification-${event.id}`,
    ts: event.tsEvent,
    severity: 'warning',
    kind: 'state',
    title: `Risk watch: ${event.action}`,
    text: `The risk watch chose to ${event.action}: ${event.reason}`,
    fields: {
      action: event.action,
      valueAtRisk: event.valueAtRisk === undefined ? 'not measured' : String(event.valueAtRisk),
      conditionalValueAtRisk: event.conditionalValueAtRisk === undefined ? 'not measured' : String(event.conditionalValueAtRisk),
      worstStressLoss: String(event.worstStressLoss),
      equity: String(event.equity),
      reason: event.reason,
    },
    dedupKey: `risk:${event.action}`,
    causationId: event.causationId ?? event.id,
  };
}
