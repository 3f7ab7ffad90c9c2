import { RunStoppingError } from '../../core/errors.js';
import type { InstrumentId } from '../../core/ids.js';
import type { UnixMs } from '../../core/time.js';
import type { AgentHealth } from '../../domain/agent-events.js';
import type { DeskEvent } from '../../domain/events.js';
import type { AnalystSignal, DroppedView } from '../../agents/decision-modes/index.js';
import type { TradingCore } from '../trading-core.js';
import type { AnalystRole } from './analyst-role.js';
import { DESK_OWNER } from './manager-role.js';

export interface IsolationHooks {
  /** The standing views, by `analyst|instrument`: an isolated analyst's are dropped. */
  readonly latest: Map<string, AnalystSignal>;
  readonly instruments: () => Iterable<InstrumentId>;
  readonly isWorking: (owner: string, instrumentId: InstrumentId) => boolean;
  /** Flattens a sleeve's positions now (reduce-only intents through the executor). */
  readonly flatten: (now: UnixMs, sleeve: string) => void;
  /** Netting modes: nets the desk book of the dropped view's instrument again, without it, and trades it there. */
  readonly renet: (now: UnixMs, dropped: DroppedView) => void;
}

/**
 * What happens to an analyst whose brain throws: its error is journaled, it stops being called, its views are
 * dropped and (trading its own sleeve) the sleeve goes REDUCING, its working entries are canceled and its position
 * is flattened — now, and again after fills of orders that were already on their way. In the netting modes its
 * part of the shared desk book goes instead: the book of each instrument it had a view on is netted again from the
 * other analysts' views, once no order is being worked in it. A run-stopping error (a replay without its records) is
 * not an analyst's fault: it stops the run instead.
 */
export class AnalystIsolation {
  private readonly isolated = new Set<string>();
  private readonly toFlatten = new Set<string>();
  /** Netting modes: dropped views whose desk book waits to be netted again, by `analyst|instrument`. */
  private readonly toRenet = new Map<string, DroppedView>();

  constructor(
    private readonly core: TradingCore,
    /** Netting modes: the analysts share the desk book, which an analyst's failure does not stop (it is re-netted). */
    private readonly deskBook: boolean,
    private readonly hooks: IsolationHooks,
  ) {}

  /** True while a sleeve waits to be flattened. */
  get pending(): boolean {
    return this.toFlatten.size > 0 || this.toRenet.size > 0;
  }

  /** A fill that lands in an isolated analyst's sleeve (an order already on its way) is flattened next bar. */
  onEvent(event: DeskEvent): void {
    if (event.type !== 'OrderFilled' || this.isolated.size === 0) return;
    const owner = this.core.oms.get(event.fill.clientOrderId)?.spec.owner;
    if (owner !== undefined && this.isolated.has(owner)) this.toFlatten.add(owner);
  }

  isolate(analyst: AnalystRole, instrumentId: InstrumentId, error: unknown, now: UnixMs): void {
    if (error instanceof RunStoppingError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    analyst.errors += 1;
    const event = this.core.recordStrategyError(analyst.id, instrumentId, message, now);
    this.setHealth(analyst, 'failing', `threw: ${message.slice(0, 200)}`);
    const reason = `${analyst.id} failed and is isolated (threw: ${message.slice(0, 200)})`;
    for (const [key, entry] of this.hooks.latest) {
      if (entry.analystId !== analyst.id) continue;
      this.hooks.latest.delete(key);
      if (this.deskBook) this.toRenet.set(key, { view: entry, reason, causationId: event.id });
    }
    if (this.deskBook) {
      this.flattenPending(now);
      return;
    }
    this.core.setSleeveState(analyst.sleeve, 'REDUCING', `${analyst.id} failed and is isolated: ${message.slice(0, 200)}`, event.id);
    this.isolated.add(analyst.sleeve);
    for (const order of this.core.oms.openOrders({ owner: analyst.sleeve })) {
      const role = order.spec.linkage?.role;
      if (role !== 'stop-loss' && role !== 'take-profit' && order.status !== 'pending-cancel') this.core.cancelOrder(order.spec.clientOrderId, event.id);
    }
    this.toFlatten.add(analyst.sleeve);
    this.flattenPending(now);
  }

  /** Flattens the sleeves (re-nets the desk books) waiting for it whose orders are no longer being worked. */
  flattenPending(now: UnixMs): void {
    for (const [key, dropped] of [...this.toRenet]) {
      if (this.hooks.isWorking(DESK_OWNER, dropped.view.signal.instrumentId)) continue;
      this.toRenet.delete(key);
      this.hooks.renet(now, dropped);
    }
    for (const sleeve of [...this.toFlatten]) {
      let busy = false;
      for (const id of this.hooks.instruments()) busy ||= this.hooks.isWorking(sleeve, id);
      if (busy) continue;
      this.toFlatten.delete(sleeve);
      this.hooks.flatten(now, sleeve);
    }
  }

  /**
   * Brings an isolated analyst back: healthy again, its sleeve ACTIVE. A desk book still waiting to be netted without
   * it is left as it is: the analyst's next views count again.
   */
  restart(analyst: AnalystRole, reason: string): void {
    this.setHealth(analyst, 'healthy', reason);
    this.isolated.delete(analyst.sleeve);
    this.toFlatten.delete(analyst.sleeve);
    for (const [key, dropped] of this.toRenet) if (dropped.view.analystId === analyst.id) this.toRenet.delete(key);
    this.core.setSleeveState(analyst.sleeve, 'ACTIVE', reason);
  }

  private setHealth(analyst: AnalystRole, to: AgentHealth, reason: string): void {
    if (analyst.health === to) return;
    const from = analyst.health;
    analyst.health = to;
    this.core.recordAgentEvent({ type: 'AgentHealthChanged', agentId: analyst.id, from, to, reason });
  }
}
