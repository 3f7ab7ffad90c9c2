import { describe, expect, it } from 'vitest';
import { InvariantViolation } from '../core/errors.js';
import {
  ORDER_TRANSITIONS,
  TERMINAL_STATUSES,
  canTransition,
  isOpen,
  isTerminal,
  nextLifecycle,
} from './order-lifecycle.js';
import type { LifecyclePosition, OrderStatus, OrderTransition } from './order-lifecycle.js';

const STATUSES: readonly OrderStatus[] = [
  'initialized',
  'denied',
  'submitted',
  'accepted',
  'rejected',
  'canceled',
  'expired',
  'triggered',
  'pending-update',
  'pending-cancel',
  'partially-filled',
  'filled',
];
const TRANSITIONS = [
  'denied',
  'submitted',
  'accepted',
  'rejected',
  'canceled',
  'expired',
  'triggered',
  'pending-update',
  'pending-cancel',
  'updated',
  'modify-rejected',
  'cancel-rejected',
  'partially-filled',
  'filled',
] as const satisfies readonly OrderTransition[];

// Compile-time: the list above names every transition (adding one to the union without listing it fails tsc).
type Unlisted = Exclude<OrderTransition, (typeof TRANSITIONS)[number]>;
const everyTransitionListed: [Unlisted] extends [never] ? true : false = true;

const TERMINAL: readonly OrderStatus[] = ['denied', 'rejected', 'canceled', 'expired', 'filled'];

const at = (status: OrderStatus, resumeStatus?: OrderStatus): LifecyclePosition => ({ status, resumeStatus });

/** Runs a path of transitions from `start`, returning every position along the way. */
function walk(start: LifecyclePosition, transitions: readonly OrderTransition[]): LifecyclePosition[] {
  const out: LifecyclePosition[] = [];
  let position = start;
  for (const transition of transitions) {
    position = nextLifecycle(position, transition);
    out.push(position);
  }
  return out;
}

const statusesOf = (positions: readonly LifecyclePosition[]): OrderStatus[] => positions.map((p) => p.status);

describe('ORDER_TRANSITIONS, exhaustively', () => {
  it('has a row for every status and no others', () => {
    expect(everyTransitionListed).toBe(true);
    expect(Object.keys(ORDER_TRANSITIONS).sort()).toEqual([...STATUSES].sort());
    for (const status of STATUSES) {
      for (const key of Object.keys(ORDER_TRANSITIONS[status])) expect(TRANSITIONS).toContain(key);
    }
  });

  const cases = STATUSES.flatMap((status) => TRANSITIONS.map((transition) => [status, transition] as const));

  it.each(cases)('%s + %s: nextLifecycle throws InvariantViolation iff the table has no entry', (status, transition) => {
    const target = ORDER_TRANSITIONS[status][transition];
    const pending = status === 'pending-cancel' || status === 'pending-update';
    const from = at(status, pending ? 'accepted' : undefined);
    expect(canTransition(status, transition)).toBe(target !== undefined);
    if (target === undefined) {
      expect(() => nextLifecycle(from, transition)).toThrow(InvariantViolation);
      expect(() => nextLifecycle(from, transition)).toThrow(`illegal order transition: ${transition} while ${status}`);
      return;
    }
    const next = nextLifecycle(from, transition);
    expect(STATUSES).toContain(next.status);
    if (target === 'previous') expect(next).toEqual({ status: 'accepted', resumeStatus: undefined });
    else expect(next.status).toBe(target);
    // Only a pending status remembers where to resume.
    if (next.status !== 'pending-cancel' && next.status !== 'pending-update') expect(next.resumeStatus).toBeUndefined();
  });

  it('counts the legal moves (a table edit must be deliberate)', () => {
    const counts = Object.fromEntries(STATUSES.map((s) => [s, TRANSITIONS.filter((t) => canTransition(s, t)).length]));
    expect(counts).toEqual({
      initialized: 3,
      denied: 0,
      submitted: 9,
      accepted: 10,
      rejected: 0,
      canceled: 0,
      expired: 0,
      triggered: 9,
      'pending-update': 11,
      'pending-cancel': 11,
      'partially-filled': 9,
      filled: 0,
    });
  });
});

describe('a modify answered while a cancel is pending', () => {
  it('keeps the order pending-cancel, and a refused cancel resumes where the order was before both requests', () => {
    const updating = nextLifecycle(at('accepted'), 'pending-update');
    const canceling = nextLifecycle(updating, 'pending-cancel');
    expect(canceling).toEqual({ status: 'pending-cancel', resumeStatus: 'accepted' });
    const updated = nextLifecycle(canceling, 'updated');
    expect(updated).toEqual({ status: 'pending-cancel', resumeStatus: 'accepted' });
    expect(nextLifecycle(updated, 'cancel-rejected')).toEqual({ status: 'accepted', resumeStatus: undefined });
    expect(nextLifecycle(nextLifecycle(canceling, 'modify-rejected'), 'canceled').status).toBe('canceled');
  });
});

describe('terminal and open statuses', () => {
  it.each(TERMINAL)('%s is terminal and rejects every transition', (status) => {
    expect(isTerminal(status)).toBe(true);
    expect(isOpen(status)).toBe(false);
    for (const transition of TRANSITIONS) {
      expect(() => nextLifecycle(at(status), transition)).toThrow(InvariantViolation);
    }
  });

  it('the rest are not terminal; all but initialized are open', () => {
    expect([...TERMINAL_STATUSES].sort()).toEqual([...TERMINAL].sort());
    const live = STATUSES.filter((s) => !TERMINAL.includes(s));
    for (const status of live) expect(isTerminal(status)).toBe(false);
    expect(live.filter(isOpen)).toEqual(live.filter((s) => s !== 'initialized'));
  });
});

describe('legal paths', () => {
  it('initialized -> submitted, or denied by the risk gate', () => {
    expect(nextLifecycle(at('initialized'), 'submitted')).toEqual(at('submitted'));
    expect(nextLifecycle(at('initialized'), 'denied')).toEqual(at('denied'));
    expect(() => nextLifecycle(at('initialized'), 'accepted')).toThrow(InvariantViolation);
  });

  it('submitted -> accepted -> partially-filled -> filled', () => {
    expect(statusesOf(walk(at('submitted'), ['accepted', 'partially-filled', 'partially-filled', 'filled']))).toEqual([
      'accepted',
      'partially-filled',
      'partially-filled',
      'filled',
    ]);
  });

  it('a fill before the acknowledgement: submitted -> filled, or partially-filled', () => {
    expect(nextLifecycle(at('submitted'), 'filled')).toEqual(at('filled'));
    expect(nextLifecycle(at('submitted'), 'partially-filled')).toEqual(at('partially-filled'));
  });

  it('a fill racing a cancel request stays pending-cancel, then resumes to partially-filled when the cancel is rejected', () => {
    const path = walk(at('accepted'), ['pending-cancel', 'partially-filled', 'cancel-rejected', 'filled']);
    expect(path).toEqual([
      at('pending-cancel', 'accepted'),
      at('pending-cancel', 'partially-filled'),
      at('partially-filled'),
      at('filled'),
    ]);
  });

  it('the remainder filling while the cancel is pending ends filled', () => {
    expect(statusesOf(walk(at('accepted'), ['pending-cancel', 'partially-filled', 'filled']))).toEqual([
      'pending-cancel',
      'pending-cancel',
      'filled',
    ]);
  });

  it('an order the venue rejects while a cancel or modify request is on its way ends rejected', () => {
    expect(walk(at('accepted'), ['pending-cancel', 'rejected'])).toEqual([at('pending-cancel', 'accepted'), at('rejected')]);
    expect(walk(at('submitted'), ['pending-update', 'rejected'])).toEqual([at('pending-update', 'submitted'), at('rejected')]);
    expect(isTerminal(nextLifecycle(at('pending-cancel', 'accepted'), 'rejected').status)).toBe(true);
  });

  it('pending-cancel -> cancel-rejected returns to accepted; -> canceled ends it', () => {
    expect(walk(at('accepted'), ['pending-cancel', 'cancel-rejected'])).toEqual([at('pending-cancel', 'accepted'), at('accepted')]);
    expect(statusesOf(walk(at('partially-filled'), ['pending-cancel', 'canceled']))).toEqual(['pending-cancel', 'canceled']);
  });

  it('a cancel requested before the acknowledgement resumes to submitted, or to accepted once the ack arrives', () => {
    expect(walk(at('submitted'), ['pending-cancel', 'cancel-rejected'])).toEqual([at('pending-cancel', 'submitted'), at('submitted')]);
    expect(walk(at('submitted'), ['pending-cancel', 'accepted', 'cancel-rejected'])).toEqual([
      at('pending-cancel', 'submitted'),
      at('pending-cancel', 'accepted'),
      at('accepted'),
    ]);
  });

  it('a late acknowledgement while pending does not forget a fill that already happened', () => {
    expect(walk(at('submitted'), ['pending-cancel', 'partially-filled', 'accepted', 'cancel-rejected'])).toEqual([
      at('pending-cancel', 'submitted'),
      at('pending-cancel', 'partially-filled'),
      at('pending-cancel', 'partially-filled'),
      at('partially-filled'),
    ]);
    expect(walk(at('submitted'), ['pending-update', 'partially-filled', 'accepted', 'updated'])).toEqual([
      at('pending-update', 'submitted'),
      at('pending-update', 'partially-filled'),
      at('pending-update', 'partially-filled'),
      at('partially-filled'),
    ]);
  });

  it('pending-update -> updated or modify-rejected returns to the prior status', () => {
    for (const prior of ['accepted', 'partially-filled', 'triggered'] as const) {
      expect(walk(at(prior), ['pending-update', 'updated'])).toEqual([at('pending-update', prior), at(prior)]);
      expect(walk(at(prior), ['pending-update', 'modify-rejected'])).toEqual([at('pending-update', prior), at(prior)]);
    }
  });

  it('a second modify in flight answered after the first resumed the order leaves it where it is, made or refused', () => {
    for (const prior of ['accepted', 'partially-filled', 'triggered'] as const) {
      for (const second of ['updated', 'modify-rejected'] as const) {
        expect(walk(at(prior), ['pending-update', 'pending-update', 'updated', second])).toEqual([at('pending-update', prior), at('pending-update', prior), at(prior), at(prior)]);
      }
    }
  });

  it('a fill during a pending update moves the resume status to partially-filled', () => {
    expect(walk(at('accepted'), ['pending-update', 'partially-filled', 'updated'])).toEqual([
      at('pending-update', 'accepted'),
      at('pending-update', 'partially-filled'),
      at('partially-filled'),
    ]);
    expect(nextLifecycle(at('pending-update', 'accepted'), 'filled')).toEqual(at('filled'));
  });

  it('a cancel requested during a pending update keeps the original resume status', () => {
    expect(walk(at('partially-filled'), ['pending-update', 'pending-cancel', 'cancel-rejected'])).toEqual([
      at('pending-update', 'partially-filled'),
      at('pending-cancel', 'partially-filled'),
      at('partially-filled'),
    ]);
  });

  it('a trigger while pending resumes to triggered, unless the order already has fills', () => {
    expect(nextLifecycle(at('pending-cancel', 'accepted'), 'triggered')).toEqual(at('pending-cancel', 'triggered'));
    expect(nextLifecycle(at('pending-update', 'accepted'), 'triggered')).toEqual(at('pending-update', 'triggered'));
    expect(nextLifecycle(at('pending-cancel', 'partially-filled'), 'triggered')).toEqual(at('pending-cancel', 'partially-filled'));
  });

  it('a resolved request with no remembered status falls back to accepted', () => {
    expect(nextLifecycle(at('pending-cancel'), 'cancel-rejected')).toEqual(at('accepted'));
    expect(nextLifecycle(at('pending-update'), 'updated')).toEqual(at('accepted'));
  });

  it('a stop order: accepted -> triggered -> partially-filled -> filled; an update keeps it triggered', () => {
    expect(statusesOf(walk(at('accepted'), ['triggered', 'updated', 'partially-filled', 'triggered', 'filled']))).toEqual([
      'triggered',
      'triggered',
      'partially-filled',
      'partially-filled',
      'filled',
    ]);
  });

  it('GTD expiry: accepted -> expired; a partially filled order can expire too', () => {
    expect(nextLifecycle(at('accepted'), 'expired')).toEqual(at('expired'));
    expect(nextLifecycle(at('partially-filled'), 'expired')).toEqual(at('expired'));
    expect(nextLifecycle(at('pending-cancel', 'accepted'), 'expired')).toEqual(at('expired'));
  });

  it('venue-side cancel of an IOC remainder: partially-filled -> canceled', () => {
    expect(nextLifecycle(at('partially-filled'), 'canceled')).toEqual(at('canceled'));
  });

  it('rejections: submitted -> rejected; accepted and triggered orders can still be rejected', () => {
    expect(nextLifecycle(at('submitted'), 'rejected')).toEqual(at('rejected'));
    expect(nextLifecycle(at('accepted'), 'rejected')).toEqual(at('rejected'));
    expect(nextLifecycle(at('triggered'), 'rejected')).toEqual(at('rejected'));
    expect(() => nextLifecycle(at('partially-filled'), 'rejected')).toThrow(InvariantViolation);
  });

  it('illegal moves on live orders throw', () => {
    expect(() => nextLifecycle(at('accepted'), 'cancel-rejected')).toThrow(InvariantViolation);
    expect(() => nextLifecycle(at('accepted'), 'submitted')).toThrow(InvariantViolation);
    expect(() => nextLifecycle(at('partially-filled'), 'accepted')).toThrow(InvariantViolation);
    expect(() => nextLifecycle(at('pending-cancel', 'accepted'), 'pending-update')).toThrow(InvariantViolation);
    expect(() => nextLifecycle(at('pending-cancel', 'accepted'), 'submitted')).toThrow(InvariantViolation);
  });
});
