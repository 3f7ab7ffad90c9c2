import { InvariantViolation } from '../core/errors.js';
import type { OrderEvent } from './events.js';

export type OrderStatus =
  | 'initialized'
  | 'denied'
  | 'submitted'
  | 'accepted'
  | 'rejected'
  | 'canceled'
  | 'expired'
  | 'triggered'
  | 'pending-update'
  | 'pending-cancel'
  | 'partially-filled'
  | 'filled';

/** What happened to an order. A fill is `partially-filled` or `filled` by what it leaves open. */
export type OrderTransition =
  | 'denied'
  | 'submitted'
  | 'accepted'
  | 'rejected'
  | 'canceled'
  | 'expired'
  | 'triggered'
  | 'pending-update'
  | 'pending-cancel'
  | 'updated'
  | 'modify-rejected'
  | 'cancel-rejected'
  | 'partially-filled'
  | 'filled';

/** `previous` returns to the status before the pending request (updated, modify or cancel rejected). */
type Target = OrderStatus | 'previous';

const FILLS = { 'partially-filled': 'partially-filled', filled: 'filled' } as const;
const WORKING: Partial<Record<OrderTransition, Target>> = {
  'pending-update': 'pending-update',
  'pending-cancel': 'pending-cancel',
  canceled: 'canceled',
  expired: 'expired',
  updated: 'accepted',
  ...FILLS,
};

/**
 * The order lifecycle as a transition table (state, event) -> state. Anything not listed is illegal and throws.
 * It covers what venues really do: fills racing a cancel request, fills before the acknowledgement, venue-side
 * cancels of IOC remainders, expiry of GTD orders, rejections of modify and cancel requests, and an order rejected
 * while a cancel or modify request for it is still on its way.
 */
export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, Partial<Record<OrderTransition, Target>>>> = {
  initialized: { denied: 'denied', submitted: 'submitted', canceled: 'canceled' },
  denied: {},
  submitted: {
    accepted: 'accepted',
    rejected: 'rejected',
    canceled: 'canceled',
    expired: 'expired',
    triggered: 'triggered',
    'pending-cancel': 'pending-cancel',
    'pending-update': 'pending-update',
    ...FILLS,
  },
  // A second modify in flight is answered after the first one's answer has resumed the order: made or refused, the
  // order stays as it is (`updated` / `modify-rejected` onto itself).
  accepted: { ...WORKING, rejected: 'rejected', triggered: 'triggered', 'modify-rejected': 'accepted' },
  triggered: { ...WORKING, rejected: 'rejected', updated: 'triggered', 'modify-rejected': 'triggered' },
  'partially-filled': { ...WORKING, updated: 'partially-filled', triggered: 'partially-filled', 'modify-rejected': 'partially-filled' },
  'pending-update': {
    updated: 'previous',
    'modify-rejected': 'previous',
    'pending-cancel': 'pending-cancel',
    'pending-update': 'pending-update',
    canceled: 'canceled',
    expired: 'expired',
    triggered: 'pending-update',
    accepted: 'pending-update',
    'partially-filled': 'pending-update',
    filled: 'filled',
    // The venue refused the order itself (post-only that would take, say) before it saw the request.
    rejected: 'rejected',
  },
  'pending-cancel': {
    canceled: 'canceled',
    'cancel-rejected': 'previous',
    // A modify sent before the cancel is answered first: it changes the order, which is still being canceled.
    updated: 'pending-cancel',
    'modify-rejected': 'pending-cancel',
    'pending-cancel': 'pending-cancel',
    expired: 'expired',
    accepted: 'pending-cancel',
    triggered: 'pending-cancel',
    // A fill that raced the cancel request: the cancel is still pending for the remainder.
    'partially-filled': 'pending-cancel',
    filled: 'filled',
    // The venue refused the order itself before the cancel reached it: the order is over all the same.
    rejected: 'rejected',
  },
  rejected: {},
  canceled: {},
  expired: {},
  filled: {},
};

export const TERMINAL_STATUSES: ReadonlySet<OrderStatus> = new Set(['denied', 'rejected', 'canceled', 'expired', 'filled']);

export function isTerminal(status: OrderStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}

/** Open: the venue may still fill it. */
export function isOpen(status: OrderStatus): boolean {
  return !TERMINAL_STATUSES.has(status) && status !== 'initialized';
}

export interface LifecyclePosition {
  readonly status: OrderStatus;
  /** The status to return to when a pending update or cancel is resolved. */
  readonly resumeStatus: OrderStatus | undefined;
}

export function canTransition(status: OrderStatus, transition: OrderTransition): boolean {
  return ORDER_TRANSITIONS[status][transition] !== undefined;
}

/** The next lifecycle position, or throws InvariantViolation for an illegal transition. */
export function nextLifecycle(from: LifecyclePosition, transition: OrderTransition): LifecyclePosition {
  const target = ORDER_TRANSITIONS[from.status][transition];
  if (target === undefined) {
    throw new InvariantViolation(`illegal order transition: ${transition} while ${from.status}`);
  }
  if (target === 'previous') {
    return { status: from.resumeStatus ?? 'accepted', resumeStatus: undefined };
  }
  const entersPending = (target === 'pending-cancel' || target === 'pending-update') && target !== from.status;
  if (entersPending) {
    const resume = from.status === 'pending-update' || from.status === 'pending-cancel' ? from.resumeStatus : from.status;
    return { status: target, resumeStatus: resume };
  }
  if (target === from.status && (target === 'pending-cancel' || target === 'pending-update')) {
    // Fills and acknowledgements while a request is pending change where the order resumes to.
    const resume =
      transition === 'partially-filled'
        ? 'partially-filled'
        : transition === 'accepted'
          ? from.resumeStatus === 'partially-filled'
            ? 'partially-filled'
            : 'accepted'
          : transition === 'triggered'
            ? from.resumeStatus === 'partially-filled'
              ? 'partially-filled'
              : 'triggered'
            : from.resumeStatus;
    return { status: target, resumeStatus: resume };
  }
  return { status: target, resumeStatus: undefined };
}

/** The transition each order event stands for; a fill's depends on what it leaves open, so it is not listed. */
export const EVENT_TRANSITIONS: Readonly<Record<Exclude<OrderEvent['type'], 'OrderFilled'>, OrderTransition>> = {
  OrderSubmitted: 'submitted',
  OrderAccepted: 'accepted',
  OrderRejected: 'rejected',
  OrderPendingCancel: 'pending-cancel',
  OrderCancelRejected: 'cancel-rejected',
  OrderCanceled: 'canceled',
  OrderExpired: 'expired',
  OrderTriggered: 'triggered',
  OrderPendingUpdate: 'pending-update',
  OrderUpdated: 'updated',
  OrderModifyRejected: 'modify-rejected',
};
