import { Fixed } from '../../core/fixed.js';
import { intentId, type AgentId, type ClientOrderId, type InstrumentId } from '../../core/ids.js';
import type { UnixMs } from '../../core/time.js';
import type { DeskEvent } from '../../domain/events.js';
import type { Instrument } from '../../domain/instrument.js';
import type { OrderIntent } from '../../domain/intent.js';
import { isProtectiveExit } from '../../domain/order.js';
import type { OrderRecord } from '../../execution/oms.js';
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

/** Exit triggers going back (either may be missing). */
type Exits = { readonly stopLoss?: Fixed | undefined; readonly takeProfit?: Fixed | undefined };

/** " for 6" when `quantity` is part of `held`; nothing when it is all of it. */
function part(quantity: Fixed, held: Fixed): string {
  return quantity.eq(held) ? '' : ` for ${quantity.toPlainString()}`;
}

/** The triggers of every exit sent: what an ExitsRestored names. */
function merged(sent: readonly Exits[]): Exits {
  const stopLoss = sent.find((exits) => exits.stopLoss !== undefined)?.stopLoss;
  const takeProfit = sent.find((exits) => exits.takeProfit !== undefined)?.takeProfit;
  return { ...(stopLoss === undefined ? {} : { stopLoss }), ...(takeProfit === undefined ? {} : { takeProfit }) };
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
 * bracket's does. A reduction given up because the venue refused to cancel one of them leaves that one standing: it
 * keeps covering what it holds, with what it lost beside it, and what no exit that stayed covers (a position built by
 * several entries, whose other exits were canceled) gets exits of its own, so that what goes back covers what is held.
 * A halt does not hold them back (the gate lets a position's protection through a
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
        if (waiting.instrument.kind === 'spot') this.restoreOnSpot(waiting, held.abs(), now);
        else this.restoreBeside(waiting, held.abs(), now);
        continue;
      }
      this.protect(waiting, held.abs(), now);
    }
  }

  /** A remainder whose exits were all canceled gets them back for all it holds, at the triggers they had. */
  private protect(waiting: Waiting, held: Fixed, now: UnixMs): void {
    if (this.isDust(waiting, held)) return;
    this.journal(waiting, held, waiting, `its ${this.named(waiting, '', waiting.instrument.kind === 'spot')} go back`);
    this.send(waiting, this.parentOf(waiting, waiting.reduction.id, held, now), held);
  }

  /**
   * On spot, a reduction given up because the venue refused to cancel a stop-loss: the stops that stayed keep the
   * coins they hold, and one whose target left the watch (it was reached, and its exit is what was given up) gets it
   * watched again beside it, else the position would have lost its take-profit for good. A target still watched beside
   * its stop (a decision's reduction given up) is left alone. What no stop that stayed holds (another entry's, canceled
   * before the refusal) gets a stop-loss and a watched take-profit of its own (intents `<reduction>.rest.sl` / `.tp`).
   */
  private restoreOnSpot(waiting: Waiting, held: Fixed, now: UnixMs): void {
    const { reduction, takeProfit } = waiting;
    const stays: string[] = [];
    const lost: Readonly<OrderRecord>[] = [];
    let covered = Fixed.zero();
    for (const stop of this.standingExits(waiting)) {
      if (stop.spec.linkage?.role !== 'stop-loss') continue;
      const left = stop.spec.quantity.sub(stop.filledQuantity);
      covered = covered.add(left);
      const id = stop.spec.clientOrderId;
      const target = this.targets.targetOf(id)?.trigger;
      if (target !== undefined) {
        stays.push(`its stop-loss ${id} and the take-profit ${target.toPlainString()} watched beside it stay${part(left, held)}`);
        continue;
      }
      if (takeProfit === undefined || stop.status === 'pending-cancel') {
        stays.push(`its stop-loss ${id} stays${part(left, held)}`);
        continue;
      }
      lost.push(stop);
      const its = left.eq(held) ? 'its' : 'a';
      stays.push(`its stop-loss ${id} stays${part(left, held)} and ${its} watched take-profit ${takeProfit.toPlainString()}${part(left, held)} goes back beside it`);
    }
    const rest = this.uncovered(waiting, held, covered);
    if (lost.length === 0 && rest === undefined) return;
    const sent = [...(lost.length > 0 ? [{ takeProfit }] : []), ...(rest === undefined ? [] : [waiting])];
    this.journal(waiting, held, merged(sent), [...stays, ...this.restWords(waiting, rest)].join('; '));
    for (const stop of lost) if (takeProfit !== undefined) this.targets.watchAgain(stop, reduction.id, waiting.agentId, takeProfit);
    if (rest !== undefined) this.send(waiting, this.parentOf(waiting, `${reduction.id}.rest`, rest, now), rest);
  }

  /**
   * Off spot, a reduction given up because the venue refused to cancel one of the position's exits had others
   * canceled already. Each exit that stayed keeps covering what it holds: one left without its partner gets the other
   * exit again beside it, for its quantity, linked one-cancels-the-other with it (else its fill would leave the position
   * with the other exit alone, or none). What the exits that stayed do not cover (another entry's, canceled before the
   * refusal) gets a stop-loss and take-profit of its own (intents `<reduction>.rest.sl` / `.tp`).
   */
  private restoreBeside(waiting: Waiting, held: Fixed, now: UnixMs): void {
    const { reduction } = waiting;
    const open = this.standingExits(waiting);
    const ids = new Set(open.map((order) => order.spec.clientOrderId));
    // Stops first: a stop-loss and a take-profit standing together cover the same quantity once.
    const ordered = [...open.filter((order) => order.spec.linkage?.role === 'stop-loss'), ...open.filter((order) => order.spec.linkage?.role !== 'stop-loss')];
    const counted = new Set<ClientOrderId>();
    const beside: { readonly standing: ClientOrderId; readonly quantity: Fixed; readonly exits: Exits }[] = [];
    const stays: string[] = [];
    let covered = Fixed.zero();
    for (const order of ordered) {
      const id = order.spec.clientOrderId;
      if (counted.has(id)) continue;
      const partners = [...(order.spec.linkage?.ocoWith ?? []), this.pairs.partnerOf(id)].filter((other): other is ClientOrderId => other !== undefined && ids.has(other));
      for (const partner of partners) counted.add(partner);
      const left = order.spec.quantity.sub(order.filledQuantity);
      covered = covered.add(left);
      const role = order.spec.linkage?.role ?? 'exit';
      const missing = role === 'stop-loss' ? { takeProfit: waiting.takeProfit } : { stopLoss: waiting.stopLoss };
      if (partners.length > 0 || (missing.stopLoss ?? missing.takeProfit) === undefined) {
        const others = partners.map((partner) => ` and its ${this.core.oms.get(partner)?.spec.linkage?.role ?? 'exit'} ${partner}`).join('');
        stays.push(`its ${role} ${id}${others} ${partners.length > 0 ? 'stay' : 'stays'}${part(left, held)}`);
        continue;
      }
      beside.push({ standing: id, quantity: left, exits: missing });
      const its = left.eq(held) ? 'its' : 'a';
      stays.push(`its ${role} ${id} stays${part(left, held)} and ${its} ${this.named(missing, '', false)}${part(left, held)} goes back beside it, one-cancels-the-other`);
    }
    const rest = this.uncovered(waiting, held, covered);
    if (beside.length === 0 && rest === undefined) return;
    const sent = [...beside.map((one) => one.exits), ...(rest === undefined ? [] : [waiting])];
    this.journal(waiting, held, merged(sent), [...stays, ...this.restWords(waiting, rest)].join('; '));
    beside.forEach(({ standing, quantity, exits }, n) => {
      const parent = this.parentOf(waiting, n === 0 ? reduction.id : `${reduction.id}.beside-${n + 1}`, quantity, now);
      for (const outcome of this.core.submitExits(parent, quantity, exits)) if (outcome.status === 'submitted') this.pairs.pair(outcome.clientOrderId, standing);
    });
    if (rest !== undefined) this.send(waiting, this.parentOf(waiting, `${reduction.id}.rest`, rest, now), rest);
  }

  /** The position's protective exits a reduction given up left open. */
  private standingExits(waiting: Waiting): Readonly<OrderRecord>[] {
    const { owner, instrumentId } = waiting.reduction;
    return this.core.oms.openOrders({ owner, instrumentId }).filter((order) => isProtectiveExit(order.spec));
  }

  /** What of `held` the exits that stayed do not cover, when an exit can be sent for it. */
  private uncovered(waiting: Waiting, held: Fixed, covered: Fixed): Fixed | undefined {
    const rest = held.sub(covered);
    return rest.isPositive() && !this.isDust(waiting, rest) ? rest : undefined;
  }

  /** Spot dust no order can sell gets no exit (the gate would refuse it below the minimums). */
  private isDust(waiting: Waiting, quantity: Fixed): boolean {
    const trigger = waiting.stopLoss ?? waiting.takeProfit;
    return trigger !== undefined && isSpotDust(waiting.instrument, quantity, trigger);
  }

  private restWords(waiting: Waiting, rest: Fixed | undefined): string[] {
    if (rest === undefined) return [];
    const both = waiting.stopLoss !== undefined && waiting.takeProfit !== undefined;
    const spot = waiting.instrument.kind === 'spot';
    return [`${this.named(waiting, 'a ', spot)} go${both ? '' : 'es'} back for the other ${rest.toPlainString()}${both && !spot ? ', one-cancels-the-other' : ''}`];
  }

  /** "stop-loss 95 and watched take-profit 110": exits going back, as the reason names them (on spot a pair's target is watched). */
  private named(exits: Exits, article: string, spot: boolean): string {
    const watched = spot && exits.stopLoss !== undefined && exits.takeProfit !== undefined ? 'watched ' : '';
    return [
      exits.stopLoss === undefined ? undefined : `${article}stop-loss ${exits.stopLoss.toPlainString()}`,
      exits.takeProfit === undefined ? undefined : `${article}${watched}take-profit ${exits.takeProfit.toPlainString()}`,
    ]
      .filter((exit) => exit !== undefined)
      .join(' and ');
  }

  /**
   * Sends a remainder's stop-loss and take-profit for `quantity`, one-cancels-the-other. The coins are held once, by
   * the stop: on spot the target is watched beside it rather than sent.
   */
  private send(waiting: Waiting, parent: OrderIntent, quantity: Fixed): void {
    const watched = waiting.instrument.kind === 'spot' && waiting.stopLoss !== undefined && waiting.takeProfit !== undefined;
    if (watched && waiting.takeProfit !== undefined) this.targets.plan(parent.id, { price: waiting.takeProfit, instrument: waiting.instrument });
    this.core.submitExits(parent, quantity, { stopLoss: waiting.stopLoss, ...(watched ? {} : { takeProfit: waiting.takeProfit }) });
  }

  /** The entry restored exits hang from (the reduction's id, or one beside it): on the position's side, for `quantity`. */
  private parentOf(waiting: Waiting, id: string, quantity: Fixed, now: UnixMs): OrderIntent {
    const { reduction } = waiting;
    return { id: intentId(id), agentId: waiting.agentId, owner: reduction.owner, instrumentId: reduction.instrumentId, side: waiting.long ? 'buy' : 'sell', type: 'market', quantity, tsEvent: now };
  }

  /**
   * Journals exits given back (ExitsRestored), caused by the refusal that ended the reduction when there was one —
   * the reduction itself, or one of its algorithm's legs — and saying what goes back.
   */
  private journal(waiting: Waiting, quantity: Fixed, exits: Exits, what: string): void {
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
