import type { ClientOrderId } from '../../core/ids.js';
import type { DeskEvent } from '../../domain/events.js';
import { isOpen } from '../../domain/order-lifecycle.js';
import type { TradingCore } from '../trading-core.js';

/**
 * One-cancels-the-other between an exit put back and the one that stayed beside it. The core links a stop-loss and a
 * take-profit sent together; when a reduction is given up because the venue refused to cancel one of them, the other
 * (already canceled) is sent again on its own, so the link is kept here: the first fill of either cancels its partner,
 * which would otherwise outlive the position it closed.
 */
export class PairedExits {
  private readonly partners = new Map<ClientOrderId, ClientOrderId>();

  constructor(private readonly core: TradingCore) {}

  get size(): number {
    return this.partners.size;
  }

  pair(restored: ClientOrderId, standing: ClientOrderId): void {
    this.partners.set(restored, standing);
    this.partners.set(standing, restored);
  }

  /** The exit `id` is paired with, while neither has ended. */
  partnerOf(id: ClientOrderId): ClientOrderId | undefined {
    return this.partners.get(id);
  }

  onEvent(event: DeskEvent): void {
    let id: ClientOrderId;
    if (event.type === 'OrderFilled') id = event.fill.clientOrderId;
    else if (event.type === 'OrderCanceled' || event.type === 'OrderExpired' || event.type === 'OrderRejected') id = event.clientOrderId;
    else return;
    const partner = this.partners.get(id);
    if (partner === undefined) return;
    this.partners.delete(id);
    this.partners.delete(partner);
    if (event.type !== 'OrderFilled') return;
    const other = this.core.oms.get(partner);
    if (other !== undefined && isOpen(other.status) && other.status !== 'pending-cancel') this.core.cancelOrder(partner, event.id);
  }
}
