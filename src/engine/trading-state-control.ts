import { FixRequestError } from '../core/errors.js';
import type { ClientOrderId } from '../core/ids.js';
import type { DeskEvent, StateChangeTrigger, TradingState } from '../domain/events.js';
import { isProtectiveExit } from '../domain/order.js';
import type { OrderManager } from '../execution/oms.js';
import type { KillSwitchProbe } from '../risk/kill-switch.js';
import type { RiskState } from '../risk/risk-state.js';
import type { NewEvent } from './trading-core-types.js';

/** What the trading-state commands read, and how they journal a change and cancel an order. */
interface TradingStateParts {
  readonly risk: RiskState;
  readonly oms: OrderManager;
  readonly killSwitch: KillSwitchProbe | undefined;
  readonly record: (event: NewEvent) => DeskEvent;
  readonly cancelOrder: (clientOrderId: ClientOrderId, causationId?: string) => void;
}

/**
 * The desk's trading state (ACTIVE, REDUCING, HALTED) and each sleeve's own, changed only through these commands:
 * who may move it where (a person, a breaker, the kill switch) and what a halt cancels.
 */
export class TradingStateControl {
  constructor(private readonly parts: TradingStateParts) {}

  /**
   * Halts trading: no new orders, and every open order is canceled but the protective exits resting beside positions
   * (reduce-only stop-losses and take-profits): a halt stops the desk adding risk, and canceling the stops would leave
   * its positions to whatever the market does while it stands still. The kill switch cancels those too.
   */
  halt(reason: string, trigger: StateChangeTrigger): void {
    const { risk, oms, record, cancelOrder } = this.parts;
    const everything = trigger === 'kill-switch';
    // The kill switch takes over a halt already standing, so the gate knows it refuses protective exits too.
    const takeOver = risk.tradingState === 'HALTED' && everything && risk.stateTrigger !== 'kill-switch';
    const halted = risk.tradingState === 'HALTED' && !takeOver ? undefined : record({ type: 'TradingStateChanged', from: risk.tradingState, to: 'HALTED', trigger, reason });
    for (const order of oms.openOrders()) {
      if (order.status === 'pending-cancel' || (!everything && isProtectiveExit(order.spec))) continue;
      cancelOrder(order.spec.clientOrderId, halted?.id);
    }
  }

  /** Moves the desk to REDUCING (only reductions pass the gate); never loosens a HALTED desk. */
  reduce(reason: string, trigger: StateChangeTrigger): void {
    if (this.parts.risk.tradingState !== 'ACTIVE') return;
    this.parts.record({ type: 'TradingStateChanged', from: 'ACTIVE', to: 'REDUCING', trigger, reason });
  }

  /** Moves a REDUCING desk back to ACTIVE when `trigger` put it there: what a person or a breaker set stays. */
  relieve(reason: string, trigger: StateChangeTrigger): void {
    const { risk } = this.parts;
    if (risk.tradingState !== 'REDUCING' || risk.stateTrigger !== trigger) return;
    this.parts.record({ type: 'TradingStateChanged', from: 'REDUCING', to: 'ACTIVE', trigger, reason });
  }

  /** Back to ACTIVE on a person's command; refused while the kill switch is engaged. */
  resume(reason: string): void {
    const { risk } = this.parts;
    if (risk.tradingState === 'ACTIVE') return;
    const engaged = this.parts.killSwitch?.engaged();
    if (engaged?.engaged === true) {
      throw new FixRequestError('kill_switch_engaged', `cannot resume while the kill switch is engaged (${engaged.detail})`);
    }
    this.parts.record({ type: 'TradingStateChanged', from: risk.tradingState, to: 'ACTIVE', trigger: 'command', reason });
  }

  /**
   * Polls the kill switch; when it is engaged the desk halts and cancels every open order — on a desk already halted
   * otherwise, the switch takes the halt over (HALTED -> HALTED, trigger kill-switch) and cancels the protective exits
   * that halt kept.
   */
  checkKillSwitch(): void {
    const { killSwitch, risk, oms } = this.parts;
    if (killSwitch === undefined || (risk.tradingState === 'HALTED' && risk.stateTrigger === 'kill-switch' && oms.openCount() === 0)) return;
    const state = killSwitch.engaged();
    if (state.engaged) this.halt(`kill switch: ${state.detail}`, 'kill-switch');
  }

  /** Sets one sleeve's own trading state (the desk's state still applies: the stricter one wins). */
  setSleeveState(sleeve: string, to: TradingState, reason: string, causationId?: string): DeskEvent | undefined {
    const from = this.parts.risk.ownerState(sleeve);
    if (from === to) return undefined;
    return this.parts.record({ type: 'SleeveStateChanged', sleeve, from, to, reason, ...(causationId ? { causationId } : {}) });
  }
}
