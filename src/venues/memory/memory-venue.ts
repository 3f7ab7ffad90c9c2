import type { Clock } from '../../core/clock.js';
import { Fixed } from '../../core/fixed.js';
import { tradeId, venueOrderId, type ClientOrderId, type InstrumentId } from '../../core/ids.js';
import type { VenueOrderReport, VenueReport } from '../../domain/events.js';
import type { CurrencyScales, Instrument } from '../../domain/instrument.js';
import type { OrderSpec } from '../../domain/order.js';
import type { ModifyRequest, ReconciliationSnapshot, VenueOrderStatusView, VenuePort } from '../../execution/venue-port.js';

interface Resting {
  spec: OrderSpec;
  filled: Fixed;
  triggered: boolean;
}

/**
 * A minimal in-memory venue: it accepts orders, fills marketable ones at the current price (taker fee) and
 * resting limits when the price reaches them (maker fee), triggers stops and take-profits, and reports
 * everything synchronously. Duplicate client order ids are ignored. It exists for scenarios and tests of the
 * core; the simulated matching engine (bars, ticks, L2 books) is the venue for backtests.
 */
export class MemoryVenue implements VenuePort {
  readonly name = 'memory';
  private listener: ((report: VenueReport) => void) | undefined;
  private readonly prices = new Map<InstrumentId, Fixed>();
  private readonly resting = new Map<ClientOrderId, Resting>();
  private readonly known = new Map<ClientOrderId, VenueOrderStatusView>();
  private readonly positions = new Map<InstrumentId, Fixed>();
  private sequence = 0;
  /** When set, fills are split into parts of at most this quantity. */
  maxFillQuantity: Fixed | undefined;

  constructor(
    private readonly instruments: ReadonlyMap<InstrumentId, Instrument>,
    private readonly scales: CurrencyScales,
    private readonly clock: Clock,
  ) {}

  onReport(listener: (report: VenueReport) => void): void {
    this.listener = listener;
  }

  /** Number of distinct orders this venue has received. */
  get ordersReceived(): number {
    return this.known.size;
  }

  setPrice(instrumentId: InstrumentId, price: Fixed): void {
    this.prices.set(instrumentId, price);
    for (const [id, order] of [...this.resting]) {
      if (order.spec.instrumentId !== instrumentId || !this.resting.has(id)) continue;
      if (!order.triggered && triggerHit(order.spec, price)) {
        order.triggered = true;
        this.emit({ type: 'OrderTriggered', clientOrderId: id });
      }
      if (order.triggered && limitReached(order.spec, price)) this.fill(order, price, order.spec.price === undefined ? 'taker' : 'maker');
    }
  }

  submit(order: OrderSpec): void {
    if (this.known.has(order.clientOrderId)) return;
    this.known.set(order.clientOrderId, {
      clientOrderId: order.clientOrderId,
      venueOrderId: venueOrderId(order.clientOrderId),
      status: 'open',
      quantity: order.quantity,
      filled: Fixed.zero(),
      reason: undefined,
    });
    const instrument = this.instruments.get(order.instrumentId);
    if (instrument === undefined) {
      this.emit({ type: 'OrderRejected', clientOrderId: order.clientOrderId, reason: `unknown instrument ${order.instrumentId}` });
      return;
    }
    this.sequence += 1;
    this.emit({ type: 'OrderAccepted', clientOrderId: order.clientOrderId, venueOrderId: venueOrderId(`m${this.sequence}`) });
    const resting: Resting = { spec: order, filled: Fixed.zero(order.quantity.scale), triggered: !hasTrigger(order) };
    const price = this.prices.get(order.instrumentId);
    const marketable = price !== undefined && resting.triggered && limitReached(order, price);
    if (order.postOnly && marketable) {
      this.emit({ type: 'OrderCanceled', clientOrderId: order.clientOrderId, reason: 'post-only order would take liquidity' });
      return;
    }
    this.resting.set(order.clientOrderId, resting);
    if (marketable) this.fill(resting, price, 'taker');
    if (this.resting.has(order.clientOrderId) && (order.timeInForce === 'IOC' || order.timeInForce === 'FOK') && resting.triggered) {
      this.resting.delete(order.clientOrderId);
      this.emit({ type: 'OrderCanceled', clientOrderId: order.clientOrderId, reason: `${order.timeInForce} remainder canceled` });
    }
  }

  cancel(clientOrderId: ClientOrderId): void {
    if (!this.resting.delete(clientOrderId)) {
      this.emit({ type: 'OrderCancelRejected', clientOrderId, reason: 'order is not open at the venue' });
      return;
    }
    this.emit({ type: 'OrderCanceled', clientOrderId, reason: 'canceled on request' });
  }

  modify(request: ModifyRequest): void {
    const order = this.resting.get(request.clientOrderId);
    if (order === undefined) {
      this.emit({ type: 'OrderModifyRejected', clientOrderId: request.clientOrderId, reason: 'order is not open at the venue' });
      return;
    }
    order.spec = {
      ...order.spec,
      ...(request.quantity === undefined ? {} : { quantity: request.quantity }),
      ...(request.price === undefined ? {} : { price: request.price }),
      ...(request.triggerPrice === undefined ? {} : { triggerPrice: request.triggerPrice }),
    };
    this.emit({ type: 'OrderUpdated', ...request });
  }

  snapshot(): ReconciliationSnapshot {
    return {
      ts: this.clock.now(),
      openOrders: [...this.resting.values()].map((o) => ({
        clientOrderId: o.spec.clientOrderId,
        venueOrderId: venueOrderId(o.spec.clientOrderId),
        instrumentId: o.spec.instrumentId,
        side: o.spec.side,
        quantity: o.spec.quantity,
        filled: o.filled,
      })),
      positions: [...this.positions.entries()].map(([instrumentId, quantity]) => ({ instrumentId, quantity })),
      balances: [],
    };
  }

  private fill(order: Resting, price: Fixed, liquidity: 'maker' | 'taker'): void {
    const instrument = this.instruments.get(order.spec.instrumentId);
    if (instrument === undefined) return;
    const execPrice = order.spec.price !== undefined && liquidity === 'maker' ? order.spec.price : price;
    let leaves = order.spec.quantity.sub(order.filled);
    const id = order.spec.clientOrderId;
    if (order.spec.reduceOnly) {
      const held = this.positions.get(instrument.id) ?? Fixed.zero();
      const reducible = order.spec.side === 'sell' ? held : held.neg();
      if (!reducible.isPositive()) {
        this.resting.delete(id);
        this.emit({ type: 'OrderCanceled', clientOrderId: id, reason: 'reduce-only order would increase the position' });
        return;
      }
      leaves = leaves.min(reducible);
    }
    while (leaves.isPositive()) {
      const part = this.maxFillQuantity === undefined ? leaves : leaves.min(this.maxFillQuantity);
      const rate = liquidity === 'maker' ? instrument.makerFee : instrument.takerFee;
      const fee = part.mul(instrument.contractSize).mul(execPrice).mul(rate, this.scales.of(instrument.settle), 'half-even');
      order.filled = order.filled.add(part);
      leaves = leaves.sub(part);
      this.sequence += 1;
      const signed = order.spec.side === 'buy' ? part : part.neg();
      this.positions.set(instrument.id, (this.positions.get(instrument.id) ?? Fixed.zero()).add(signed));
      if (order.filled.gte(order.spec.quantity)) this.resting.delete(id);
      this.emit({
        type: 'OrderFilled',
        fill: {
          tradeId: tradeId(`t${this.sequence}`),
          clientOrderId: id,
          venueOrderId: undefined,
          instrumentId: instrument.id,
          side: order.spec.side,
          quantity: part,
          price: execPrice,
          fee,
          feeCurrency: instrument.settle,
          liquidity,
        },
      });
    }
  }

  orderStatus(clientOrderId: ClientOrderId): VenueOrderStatusView | undefined {
    return this.known.get(clientOrderId);
  }

  private emit(report: VenueOrderReport): void {
    this.track(report);
    this.listener?.({ ...report, tsEvent: this.clock.now() });
  }

  private track(report: VenueOrderReport): void {
    const id = report.type === 'OrderFilled' ? report.fill.clientOrderId : 'clientOrderId' in report ? report.clientOrderId : undefined;
    const view = id === undefined ? undefined : this.known.get(id);
    if (id === undefined || view === undefined) return;
    const ending: Partial<Record<VenueOrderReport['type'], VenueOrderStatusView['status']>> = {
      OrderRejected: 'rejected',
      OrderCanceled: 'canceled',
      OrderExpired: 'expired',
    };
    const filled = report.type === 'OrderFilled' ? view.filled.add(report.fill.quantity) : view.filled;
    const status = report.type === 'OrderFilled' && filled.gte(view.quantity) ? 'filled' : ending[report.type] ?? view.status;
    const reason = 'reason' in report ? report.reason : view.reason;
    this.known.set(id, { ...view, filled, status, reason });
  }
}

function hasTrigger(order: OrderSpec): boolean {
  return order.triggerPrice !== undefined || order.type === 'trailing-stop';
}

/** Stops trigger when the price moves against the position they protect; take-profits when it moves for it. */
function triggerHit(order: OrderSpec, price: Fixed): boolean {
  const trigger = order.triggerPrice;
  if (trigger === undefined) return false;
  const isStop = order.type === 'stop-market' || order.type === 'stop-limit' || order.type === 'trailing-stop';
  const rising = order.side === 'buy' ? isStop : !isStop;
  return rising ? price.gte(trigger) : price.lte(trigger);
}

function limitReached(order: OrderSpec, price: Fixed): boolean {
  if (order.price === undefined) return true;
  return order.side === 'buy' ? price.lte(order.price) : price.gte(order.price);
}
