import type { Fixed } from '../../core/fixed.js';
import type { AgentId, InstrumentId } from '../../core/ids.js';
import type { UnixMs } from '../../core/time.js';
import type { DeskEvent } from '../../domain/events.js';
import type { Instrument } from '../../domain/instrument.js';
import type { OrderIntent } from '../../domain/intent.js';
import { isProtectiveExit } from '../../domain/order.js';
import type { TradingCore } from '../trading-core.js';
import { isSpotDust } from './spot-dust.js';
import type { PairedExits } from './paired-exits.js';
import type { TakeProfitWatch } from './take-profit-watch.js';

/** The exits a reduction took from a position (canceled so the reducing order could have the position). */
export interface TakenExits {
  readonly stopLoss?: Fixed;
  readonly takeProfit?: Fixed;
  readonly agentId: AgentId;
  /** The position was long when they were taken: a reduction that flipped it leaves nothing of theirs to protect. */
  readonly long: boolean;
}

interface Waiting extends TakenExits {
  readonly reduction: OrderIntent;
  readonly instrument: Instrument;
  /** What ended the reduction short of closing the position, when it was refused: the event and its words. */
  refusal?: { readonly eventId: string; readonly words: string };
}

/**
 * Puts a position's protective exits back once a reduction that did not close it is over. Reducing a position
 * cancels its stop-loss and take-profit first (they hold it, and would outlive it); a partial cut, or a reduction
 * refused or cut short, would otherwise leave what remains with no exits at all. When the reduction's orders are done
 * and the position is still on its side, the remainder gets a stop-loss (and take-profit) at the triggers it had,
 * reduce-only and one-cancels-the-other (intents `<reduction>.sl` / `<reduction>.tp`, caused by the reduction),
 * journaled first with why (ExitsRestored). On spot the target goes back to the executor's watch beside the stop, as a
 * bracket's does. A reduction given up because the venue refused to cancel one of them leaves that one standing: only
 * what it lost goes back beside it. A halt does not hold them back (the gate lets a position's protection through a
 * halt); a desk the kill switch stopped waits, since the gate refuses every order until it trades again.
 */
export class RemainderProtection {
  private readonly waiting = new Map<string, Waiting>();

  constructor(
    private readonly core: TradingCore,
    private readonly targets: TakeProfitWatch,
    /** Links an exit put back beside one that stayed, one-cancels-the-other. */
    private readonly pairs: PairedExits,
    /** True while an order (or an algorithm, or a wait for cancels) is still reducing the book. */
    private readonly reducing: (owner: string, instrumentId: InstrumentId) => boolean,
  ) {}

  get pending(): boolean {
    return this.waiting.size > 0;
  }

  /**
   * The exits resting beside the owner's position, read before a reduction cancels them: the first stop-loss and
   * take-profit (a spot stop's watched target counts as its take-profit). Undefined when there are none.
   */
  exitsOf(owner: string, instrumentId: InstrumentId): TakenExits | undefined {
    const held = this.core.ledger.position(owner, instrumentId)?.quantity;
    if (held === undefined || held.isZero()) return undefined;
    let stopLoss: Fixed | undefined;
    let takeProfit: Fixed | undefined;
    let agentId: AgentId | undefined;
    for (const order of this.core.oms.openOrders({ owner, instrumentId })) {
      const trigger = order.spec.triggerPrice;
      if (!isProtectiveExit(order.spec) || trigger === undefined || order.status === 'pending-cancel') continue;
      if (order.spec.linkage?.role === 'stop-loss') {
        stopLoss ??= trigger;
        takeProfit ??= this.targets.targetOf(order.spec.clientOrderId)?.trigger;
      } else takeProfit ??= trigger;
      agentId ??= order.spec.agentId;
    }
    if (agentId === undefined || (stopLoss === undefined && takeProfit === undefined)) return undefined;
    return { ...(stopLoss === undefined ? {} : { stopLoss }), ...(takeProfit === undefined ? {} : { takeProfit }), agentId, long: held.isPositive() };
  }

  /**
   * Watches a reduction that took `exits`, to put them back for what it leaves once it is over. Called before the
   * reduction is sent, so a refusal that comes back at once is known.
   */
  watch(reduction: OrderIntent, instrument: Instrument, exits: TakenExits): void {
    this.waiting.set(`${reduction.owner}|${reduction.instrumentId}`, { ...exits, reduction, instrument });
  }

  /** True while a reduced position of this book waits for its exits (the book is not free for new decisions yet). */
  waits(owner: string, instrumentId: InstrumentId): boolean {
    return this.waiting.has(`${owner}|${instrumentId}`);
  }

  /** A fill in the book: a position it closed (or turned to the other side) has nothing left to protect. */
  onFilled(owner: string, instrumentId: InstrumentId): void {
    const key = `${owner}|${instrumentId}`;
    const waiting = this.waiting.get(key);
    if (waiting === undefined) return;
    const held = this.core.ledger.position(owner, instrumentId)?.quantity;
    if (held === undefined || held.isZero() || held.isPositive() !== waiting.long) this.waiting.delete(key);
  }

  /** Notes the gate's denial or the venue's rejection of a watched reduction (or of one of its algorithm's legs). */
  onRefused(event: DeskEvent): void {
    if (this.waiting.size === 0) return;
    let refused: { readonly intentId: string | undefined; readonly words: string };
    if (event.type === 'IntentDenied') refused = { intentId: event.intentId, words: `was denied (${event.code}: ${event.detail})` };
    else if (event.type === 'OrderRejected') refused = { intentId: this.core.oms.get(event.clientOrderId)?.spec.intentId, words: `was rejected by the venue (${event.reason})` };
    else return;
    const intentId = refused.intentId;
    if (intentId === undefined) return;
    for (const waiting of this.waiting.values()) {
      const id = waiting.reduction.id;
      const leg = intentId.startsWith(`${id}.`) && /^\d+$/.test(intentId.slice(id.length + 1));
      if (intentId === id || leg) waiting.refusal = { eventId: event.id, words: `${intentId} ${refused.words}` };
    }
  }

  private stoppedByKillSwitch(owner: string): boolean {
    return this.core.risk.stateFor(owner) === 'HALTED' && this.core.risk.stateTrigger === 'kill-switch';
  }

  /** Each bar: the remainder of every position whose reduction is over gets its exits back (not while the kill switch stands). */
  settle(now: UnixMs): void {
    for (const [key, waiting] of [...this.waiting]) {
      const { owner, instrumentId } = waiting.reduction;
      if (this.reducing(owner, instrumentId) || this.stoppedByKillSwitch(owner)) continue;
      this.waiting.delete(key);
      const held = this.core.ledger.position(owner, instrumentId)?.quantity;
      if (held === undefined || held.isZero() || held.isPositive() !== waiting.long) continue;
      // A reduction given up before its exits were canceled (the venue refused the cancel) left them standing.
      if (this.core.oms.hasOpen(owner, instrumentId, (order) => isProtectiveExit(order.spec))) {
        if (waiting.instrument.kind === 'spot') this.watchTargetAgain(waiting, held.abs());
        else this.restoreBeside(waiting, held.abs(), now);
        continue;
      }
      // Spot dust no order can sell gets no exit either (the gate would refuse it below the minimums).
      const trigger = waiting.stopLoss ?? waiting.takeProfit;
      if (trigger !== undefined && isSpotDust(waiting.instrument, held.abs(), trigger)) continue;
      this.protect(waiting, held.abs(), now);
    }
  }

  /**
   * A spot target taken off the watch when it was reached, whose exit was then given up because the venue refused to
   * cancel the stop: the stop stays, and the target goes back beside it (journaled), else the position would have lost
   * its take-profit for good. A target still watched beside the stop (a decision's reduction given up) is left alone.
   */
  private watchTargetAgain(waiting: Waiting, quantity: Fixed): void {
    const { reduction, takeProfit } = waiting;
    if (takeProfit === undefined) return;
    const stop = this.core.oms
      .openOrders({ owner: reduction.owner, instrumentId: reduction.instrumentId })
      .find((order) => order.spec.linkage?.role === 'stop-loss' && order.status !== 'pending-cancel' && isProtectiveExit(order.spec));
    if (stop === undefined || this.targets.targetOf(stop.spec.clientOrderId) !== undefined) return;
    this.journal(waiting, quantity, { takeProfit }, `its stop-loss ${stop.spec.clientOrderId} stays and its watched take-profit ${takeProfit.toPlainString()} goes back beside it`);
    this.targets.watchAgain(stop, reduction.id, waiting.agentId, takeProfit);
  }

  /**
   * Off spot: a reduction given up because the venue refused to cancel one of the position's exits had the other one
   * canceled already. The one that stayed is kept, and the one canceled is sent again beside it (journaled), linked
   * one-cancels-the-other with it, else the position would go on without its stop-loss, or its take-profit.
   */
  private restoreBeside(waiting: Waiting, quantity: Fixed, now: UnixMs): void {
    const { reduction } = waiting;
    const open = this.core.oms.openOrders({ owner: reduction.owner, instrumentId: reduction.instrumentId }).filter((order) => isProtectiveExit(order.spec));
    const stop = open.find((order) => order.spec.linkage?.role === 'stop-loss');
    const take = open.find((order) => order.spec.linkage?.role === 'take-profit');
    const standing = stop ?? take;
    const stopLoss = stop === undefined ? waiting.stopLoss : undefined;
    const takeProfit = take === undefined ? waiting.takeProfit : undefined;
    if (standing === undefined || (stopLoss === undefined && takeProfit === undefined)) return;
    const role = standing.spec.linkage?.role ?? 'exit';
    const back = stopLoss === undefined ? `take-profit ${takeProfit?.toPlainString() ?? ''}` : `stop-loss ${stopLoss.toPlainString()}`;
    const exits = stopLoss === undefined ? { ...(takeProfit === undefined ? {} : { takeProfit }) } : { stopLoss };
    this.journal(waiting, quantity, exits, `its ${role} ${standing.spec.clientOrderId} stays and its ${back} goes back beside it, one-cancels-the-other`);
    for (const outcome of this.core.submitExits(this.parentOf(waiting, quantity, now), quantity, exits)) if (outcome.status === 'submitted') this.pairs.pair(outcome.clientOrderId, standing.spec.clientOrderId);
  }

  private protect(waiting: Waiting, quantity: Fixed, now: UnixMs): void {
    const { instrument } = waiting;
    const parent = this.parentOf(waiting, quantity, now);
    // The coins are held once, by the stop: on spot the target is watched beside it rather than sent.
    const watched = instrument.kind === 'spot' && waiting.stopLoss !== undefined && waiting.takeProfit !== undefined;
    const exits = [
      waiting.stopLoss === undefined ? undefined : `stop-loss ${waiting.stopLoss.toPlainString()}`,
      waiting.takeProfit === undefined ? undefined : `${watched ? 'watched ' : ''}take-profit ${waiting.takeProfit.toPlainString()}`,
    ].filter((exit) => exit !== undefined);
    this.journal(waiting, quantity, waiting, `its ${exits.join(' and ')} go back`);
    if (watched && waiting.takeProfit !== undefined) this.targets.plan(parent.id, { price: waiting.takeProfit, instrument });
    this.core.submitExits(parent, quantity, {
      ...(waiting.stopLoss === undefined ? {} : { stopLoss: waiting.stopLoss }),
      ...(waiting.takeProfit === undefined || watched ? {} : { takeProfit: waiting.takeProfit }),
    });
  }

  /** The entry the restored exits hang from: the reduction's id, on the position's side, for what is left. */
  private parentOf(waiting: Waiting, quantity: Fixed, now: UnixMs): OrderIntent {
    const { reduction } = waiting;
    return { id: reduction.id, agentId: waiting.agentId, owner: reduction.owner, instrumentId: reduction.instrumentId, side: waiting.long ? 'buy' : 'sell', type: 'market', quantity, tsEvent: now };
  }

  /**
   * Journals exits given back (ExitsRestored), caused by the refusal that ended the reduction when there was one —
   * the reduction itself, or one of its algorithm's legs — and saying what goes back.
   */
  private journal(waiting: Waiting, quantity: Fixed, exits: { readonly stopLoss?: Fixed | undefined; readonly takeProfit?: Fixed | undefined }, what: string): void {
    const { reduction, instrument } = waiting;
    this.core.recordAgentEvent({
      type: 'ExitsRestored',
      agentId: waiting.agentId,
      owner: reduction.owner,
      instrumentId: reduction.instrumentId,
      intentId: reduction.id,
      quantity,
      ...(exits.stopLoss === undefined ? {} : { stopLoss: exits.stopLoss }),
      ...(exits.takeProfit === undefined ? {} : { takeProfit: exits.takeProfit }),
      reason: `${waiting.refusal?.words ?? `${reduction.id} is over`} and left ${quantity.toPlainString()} ${instrument.base} of ${instrument.id}: ${what}`,
      causationId: waiting.refusal?.eventId ?? reduction.id,
    });
  }
}
