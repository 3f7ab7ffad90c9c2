import type { Clock } from '../core/clock.js';
import type { FixRequestError } from '../core/errors.js';
import type { ClientOrderId } from '../core/ids.js';
import type { Result } from '../core/result.js';
import type { DeskEvent, VenueReport } from '../domain/events.js';
import type { OrderSpec } from '../domain/order.js';
import type { ModifyRequest, VenuePort } from '../execution/venue-port.js';
import type { Topic } from '../kernel/message-bus.js';
import type { Anomaly } from './trading-core-types.js';

/** The venue the requests go to (none in a replay), and where its refusals are applied and reported. */
interface VenueRequestParts {
  readonly venue: VenuePort | undefined;
  /** See `TradingCoreConfig.ownersShareVenueAccount`. */
  readonly ownersShareVenueAccount: boolean;
  readonly clock: Clock;
  readonly anomalies: Topic<Anomaly>;
  readonly applyVenueReport: (report: VenueReport) => Result<readonly DeskEvent[], FixRequestError>;
}

type Request = 'submit' | 'cancel' | 'modify';

/**
 * The requests the core sends the venue once the books hold them (a submission, a cancel, a change). A venue that
 * refuses one by throwing (or by a promise that fails) is answered as if it had reported the refusal: a rejection of
 * the order, or of the cancel or the change; one the books cannot apply any more is published as an anomaly.
 */
export class VenueRequests {
  constructor(private readonly parts: VenueRequestParts) {}

  submit(order: OrderSpec): void {
    const toVenue = this.forVenue(order);
    this.call(order.clientOrderId, () => this.parts.venue?.submit(toVenue), 'submit');
  }

  cancel(clientOrderId: ClientOrderId): void {
    this.call(clientOrderId, () => this.parts.venue?.cancel(clientOrderId), 'cancel');
  }

  modify(change: ModifyRequest): void {
    this.call(change.clientOrderId, () => this.parts.venue?.modify(change), 'modify');
  }

  /**
   * A reduce-only order as the venue should see it. Where owners share the venue account (see
   * `ownersShareVenueAccount`) the venue's reduce-only would be judged against the net of every owner — at
   * submission and again whenever a resting stop triggers, after other owners' orders have moved that net — so it
   * could cancel or cut one owner's stop. The order goes out plain; the gate already held it to its owner's position.
   */
  private forVenue(order: OrderSpec): OrderSpec {
    return order.reduceOnly && this.parts.ownersShareVenueAccount ? { ...order, reduceOnly: false } : order;
  }

  private call(clientOrderId: ClientOrderId, call: () => void | Promise<void> | undefined, request: Request): void {
    try {
      const pending = call();
      if (pending !== undefined && typeof (pending as Promise<void>).then === 'function') {
        (pending as Promise<void>).catch((error: unknown) => this.refused(clientOrderId, request, error));
      }
    } catch (error) {
      this.refused(clientOrderId, request, error);
    }
  }

  /** A method, not a closure made on every venue call. */
  private refused(clientOrderId: ClientOrderId, request: Request, error: unknown): void {
    const { clock, anomalies, applyVenueReport } = this.parts;
    const reason = `venue refused: ${error instanceof Error ? error.message : String(error)}`;
    const tsEvent = clock.now();
    const result = applyVenueReport(
      request === 'submit'
        ? { type: 'OrderRejected', clientOrderId, reason, tsEvent }
        : request === 'cancel'
          ? { type: 'OrderCancelRejected', clientOrderId, reason, tsEvent }
          : { type: 'OrderModifyRejected', clientOrderId, reason, tsEvent },
    );
    if (!result.ok) anomalies.publish({ ts: clock.now(), source: 'venue', problem: reason });
  }
}
