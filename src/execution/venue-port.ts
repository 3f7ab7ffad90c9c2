import type { Fixed } from '../core/fixed.js';
import type { ClientOrderId, Currency, InstrumentId, VenueOrderId } from '../core/ids.js';
import type { UnixMs } from '../core/time.js';
import type { VenueReport } from '../domain/events.js';
import type { OrderSide, OrderSpec } from '../domain/order.js';

/** A venue's view of its open orders, positions and balances, for reconciliation with our books. */
export interface ReconciliationSnapshot {
  readonly ts: UnixMs;
  readonly openOrders: readonly {
    readonly clientOrderId: ClientOrderId;
    readonly venueOrderId: VenueOrderId;
    readonly instrumentId: InstrumentId;
    readonly side: OrderSide;
    readonly quantity: Fixed;
    readonly filled: Fixed;
  }[];
  readonly positions: readonly { readonly instrumentId: InstrumentId; readonly quantity: Fixed }[];
  readonly balances: readonly { readonly currency: Currency; readonly total: Fixed; readonly free: Fixed }[];
}

/** A venue's answer to "what is the state of this order?". */
export interface VenueOrderStatusView {
  readonly clientOrderId: ClientOrderId;
  readonly venueOrderId: VenueOrderId;
  readonly status: 'open' | 'filled' | 'canceled' | 'rejected' | 'expired';
  readonly quantity: Fixed;
  readonly filled: Fixed;
  readonly reason: string | undefined;
}

export interface ModifyRequest {
  readonly clientOrderId: ClientOrderId;
  readonly quantity?: Fixed;
  readonly price?: Fixed;
  readonly triggerPrice?: Fixed;
}

/**
 * What the OMS needs from a venue (simulated or real). Requests are fire-and-report: the venue answers through
 * the report listener (accepted, rejected, filled, canceled ...). Submitting a client order id the venue already
 * knows must not create a second order.
 */
export interface VenuePort {
  readonly name: string;
  submit(order: OrderSpec): void | Promise<void>;
  cancel(clientOrderId: ClientOrderId): void | Promise<void>;
  modify(request: ModifyRequest): void | Promise<void>;
  /** Reports are handed over: the listener owns each report object and may extend it into an event. */
  onReport(listener: (report: VenueReport) => void): void;
  snapshot(): ReconciliationSnapshot | Promise<ReconciliationSnapshot>;
  /** The venue's view of one order; undefined when it never received it. */
  orderStatus(clientOrderId: ClientOrderId): VenueOrderStatusView | undefined | Promise<VenueOrderStatusView | undefined>;
}
