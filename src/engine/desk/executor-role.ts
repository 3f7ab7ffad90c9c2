import { Fixed } from '../../core/fixed.js';
import { intentId, type ClientOrderId, type InstrumentId, type IntentId } from '../../core/ids.js';
import type { UnixMs } from '../../core/time.js';
import type { DeskEvent } from '../../domain/events.js';
import { quantizePrice, quantizeQuantity, type Instrument } from '../../domain/instrument.js';
import { isOpen } from '../../domain/order-lifecycle.js';
import type { OrderIntent } from '../../domain/intent.js';
import type { TradingCore } from '../trading-core.js';
import { minimumSlice } from '../../execution/algorithms/twap.js';
import { RemainderProtection } from './remainder-protection.js';
import { PairedExits } from './paired-exits.js';
import { DEFAULT_REDUCING_LIMIT_LIFE_MS } from '../../execution/algorithms/limit-life.js';
import { TakeProfitWatch, type WatchedTarget } from './take-profit-watch.js';
import { LimitExits } from './limit-exits.js';
import { heldUpTo, PendingReductions } from './pending-reductions.js';
import { ExitPlanner, withExits, type BrainExits } from './exit-planner.js';
import { DustBooks, isSpotDust } from './spot-dust.js';
import { WorkingAlgorithms } from './working-algorithms.js';

/** How approved intents are worked at the venue. */
export type { BrainExits } from './exit-planner.js';

export type ExecutionAlgorithm =
  | { readonly kind: 'market' }
  | { readonly kind: 'limit'; readonly offsetBps: Fixed; readonly expireAfterMs?: number }
  | { readonly kind: 'twap'; readonly slices: number; readonly overMs: number }
  | { readonly kind: 'post-only-chase'; readonly maxReprices: number; readonly fallback: 'market' | 'cancel' };

/** How a caller wants one intent worked, beside the policy. */
export interface ExecuteOptions {
  /** At market whatever the configured algorithm: for exits that must not wait on a schedule (an isolated sleeve's). */
  readonly atMarket?: boolean;
}

export interface ExecutionPolicy {
  readonly algorithm: ExecutionAlgorithm;
  /** The gate's price band: a market buy reserves at the reference price moved up by it. */
  readonly priceBand?: Fixed;
  /** Protective exits for opening orders, as fractions of the reference price. */
  readonly stopLoss?: Fixed;
  readonly takeProfit?: Fixed;
}

const BPS = Fixed.fromInt(10_000);

/** An open order that is being worked, not a protective exit resting beside a position. */
function isWorkingOrder(order: { readonly spec: { readonly linkage?: { readonly role: string } } }): boolean {
  const role = order.spec.linkage?.role;
  return role !== 'stop-loss' && role !== 'take-profit';
}

/**
 * The trade executor: turns intents the manager decided into venue orders through the gate, by the configured
 * algorithm. Market and limit orders go out at once (with a stop-loss/take-profit bracket when configured); a TWAP
 * sends equal slices on the clock; a post-only chase rests at the touch and reprices each bar (both worked by
 * WorkingAlgorithms).
 */
export class ExecutorRole {
  /** The TWAPs and chases at work. */
  private readonly algorithms: WorkingAlgorithms;
  /** Orders that reduce a position wait there until its protective orders are canceled (they hold the position). */
  private readonly reductions: PendingReductions;
  /**
   * The opening part of a flip (long to short or back), by `owner|instrument`: it goes out once the closing part is
   * done, as an opening order of its own (sized to what the book can pay, with its protective exits).
   */
  private readonly reopening = new Map<string, { readonly intent: OrderIntent; readonly instrument: Instrument; readonly exits: BrainExits | undefined }>();
  /** Spot take-profits, watched here beside the stop-loss that holds the coins. */
  private readonly targets = new TakeProfitWatch((id) => this.core.oms.get(id));
  /** The protective exits opening orders get (on spot, the target goes to the watch above). */
  private readonly exits: ExitPlanner;
  /** A halted book keeps its stop: its target waits, as the market exit it would send would be refused. */
  private readonly canExit = (owner: string): boolean => this.core.risk.stateFor(owner) !== 'HALTED';

  /** Positions a reduction took the exits of, to protect again once it is over. */
  private readonly remainders: RemainderProtection;
  /** Exits put back beside one that stayed, one-cancels-the-other with it. */
  private readonly pairs: PairedExits;
  /** Limit orders that reduce a position: what one leaves when it expires goes out at market. */
  private readonly limitExits = new LimitExits((id) => this.core.oms.get(id));
  /** Spot holdings below the minimums: their reductions are refused once, then left alone. */
  private readonly dust = new DustBooks();

  constructor(
    private readonly core: TradingCore,
    private readonly policy: ExecutionPolicy,
  ) {
    this.reductions = new PendingReductions(core);
    this.exits = new ExitPlanner(policy, this.targets);
    this.algorithms = new WorkingAlgorithms(core, this.exits);
    this.pairs = new PairedExits(core);
    this.remainders = new RemainderProtection(core, this.targets, this.pairs, (owner, id) => this.ordersWorking(owner, id));
  }

  /**
   * True while an algorithm (TWAP, chase) or the opening part of a flip has work to do on the clock, or a reduced
   * position waits for its exits back.
   */
  get busy(): boolean {
    return this.algorithms.size > 0 || this.reopening.size > 0 || this.reductions.pending || this.remainders.pending;
  }

  /** True while spot take-profits wait for a close to reach them (see `checkTargets`). */
  get watching(): boolean {
    return this.targets.watching;
  }

  /** The spot take-profits being watched. */
  watchedTargets(): readonly WatchedTarget[] {
    return this.targets.targets();
  }

  /**
   * A close of `instrumentId`: each watched take-profit it reaches is journaled (TakeProfitTriggered), its stop-loss
   * is canceled, and once that cancel is confirmed the position goes out at market, reduce-only (intent
   * `<list>.tp`) — what a venue's take-profit-market would have done, one bar later. A target whose position a
   * decision is already closing, or whose stop is already on its way out, is dropped; one of a halted book waits.
   */
  checkTargets(instrumentId: InstrumentId, price: Fixed, instrument: Instrument, now: UnixMs): void {
    for (const target of this.targets.reached(instrumentId, price, this.canExit)) {
      const key = `${target.owner}|${instrumentId}`;
      const stop = this.core.oms.get(target.stop);
      if (this.reductions.isWaiting(key) || stop === undefined || stop.status === 'pending-cancel' || !isOpen(stop.status)) continue;
      const held = this.core.ledger.position(target.owner, instrumentId)?.quantity.abs();
      if (held === undefined || held.isZero()) continue;
      const id = intentId(`${target.listId}.tp`);
      const trigger = this.core.recordAgentEvent({
        type: 'TakeProfitTriggered',
        agentId: target.agentId,
        owner: target.owner,
        instrumentId,
        stopClientOrderId: target.stop,
        triggerPrice: target.trigger,
        price,
        intentId: id,
        causationId: target.listId,
      });
      const exit: OrderIntent = { id, agentId: target.agentId, owner: target.owner, instrumentId, side: target.exitSide, quantity: held, type: 'market', reduceOnly: true, causationId: trigger.id, tsEvent: now };
      // An exit the gate refuses or the venue rejects leaves the position with neither: its stop (and target) go back.
      const stopLoss = stop.spec.triggerPrice;
      this.remainders.watch(exit, instrument, { ...(stopLoss === undefined ? {} : { stopLoss }), takeProfit: target.trigger, agentId: target.agentId, long: target.exitSide === 'sell' });
      const waitingFor = this.reductions.cancelProtection(target.owner, instrumentId, trigger.id);
      if (waitingFor.size > 0) this.reductions.wait(key, { intent: exit, instrument, reference: price, waitingFor, atMarket: true });
      else this.core.submitIntent(exit);
    }
  }

  /**
   * True while an algorithm works an order for this owner and instrument, one of its orders is open, a flip waits to
   * open, or a reduced position waits for its exits back.
   */
  isWorking(owner: string, instrumentId: InstrumentId): boolean {
    if (this.reopening.size > 0 && this.reopening.has(`${owner}|${instrumentId}`)) return true;
    if (this.remainders.pending && this.remainders.waits(owner, instrumentId)) return true;
    return this.ordersWorking(owner, instrumentId);
  }

  /** An order (or an algorithm, or a reduction waiting for its cancels) is under way for this book. */
  private ordersWorking(owner: string, instrumentId: InstrumentId): boolean {
    if (this.reductions.has(`${owner}|${instrumentId}`)) return true;
    if (this.algorithms.works(owner, instrumentId)) return true;
    return this.core.oms.hasOpen(owner, instrumentId, isWorkingOrder);
  }

  /** True while a reduction of this book is under way: a reducing order or algorithm, or one waiting for its cancels. */
  isReducing(owner: string, instrumentId: InstrumentId): boolean {
    if (this.reductions.isWaiting(`${owner}|${instrumentId}`)) return true;
    if (this.algorithms.works(owner, instrumentId, true)) return true;
    return this.core.oms.hasOpen(owner, instrumentId, (order) => isWorkingOrder(order) && order.spec.reduceOnly === true);
  }

  /**
   * Stops what opens or adds to this book: a flip's opening part is dropped, an algorithm ends (what its legs filled
   * gets its exits, as when it is done) and its open legs are canceled, as are the book's other open entries. A risk
   * cut comes first: an entry worked on would grow what the cut shrinks.
   */
  stopOpening(owner: string, instrumentId: InstrumentId, causationId?: string): void {
    this.reopening.delete(`${owner}|${instrumentId}`);
    this.algorithms.stopOpening(owner, instrumentId, (leg) => this.cancelOpen(leg, causationId));
    for (const order of this.core.oms.openOrders({ owner, instrumentId })) {
      if (isWorkingOrder(order) && order.spec.reduceOnly !== true) this.cancelOpen(order.spec.clientOrderId, causationId);
    }
  }

  private cancelOpen(id: ClientOrderId, causationId: string | undefined): void {
    const order = this.core.oms.get(id);
    if (order !== undefined && isOpen(order.status) && order.status !== 'pending-cancel') this.core.cancelOrder(id, causationId);
  }

  /**
   * `exits`: the stop and target prices a brain asked for; on an opening order they replace the configured ones.
   * `options.atMarket`: a reduction (a risk cut, an isolation flatten) goes out as one market order whatever the
   * configured algorithm, so it neither rests unfilled nor is sliced over hours.
   */
  execute(intent: OrderIntent, instrument: Instrument, reference: Fixed, now: UnixMs, exits?: BrainExits, options: ExecuteOptions = {}): void {
    const atMarket = options.atMarket === true;
    if (this.reduces(intent)) {
      const held = this.core.ledger.position(intent.owner, intent.instrumentId)?.quantity.abs();
      if (held !== undefined && isSpotDust(instrument, held, reference)) {
        this.refuseDust(intent, instrument, held, reference);
        return;
      }
      if (intent.reduceOnly !== true && held !== undefined && intent.quantity.gt(held)) {
        // A flip: close what is held now (reduce-only), open the rest once the close is done.
        this.reopening.set(`${intent.owner}|${intent.instrumentId}`, { intent: { ...intent, id: `${intent.id}.open` as IntentId, quantity: intent.quantity.sub(held) }, instrument, exits });
        intent = { ...intent, quantity: held };
      }
      // A reducing order never gets protective exits of its own; what it leaves of the position gets back the ones
      // it takes (once it is over: see RemainderProtection).
      const reducing: OrderIntent = { ...intent, reduceOnly: true };
      const taken = this.remainders.exitsOf(intent.owner, intent.instrumentId);
      if (taken !== undefined) this.remainders.watch(reducing, instrument, taken);
      const waitingFor = this.reductions.cancelProtection(intent.owner, intent.instrumentId, intent.id);
      if (waitingFor.size > 0) this.reductions.wait(`${intent.owner}|${intent.instrumentId}`, { intent: atMarket ? { ...reducing, type: 'market' } : reducing, instrument, reference, waitingFor, atMarket });
      else if (atMarket) this.core.submitIntent({ ...reducing, type: 'market' });
      else this.send(reducing, instrument, reference, now);
      return;
    }
    const opening = exits === undefined ? intent : withExits(intent, instrument, exits);
    const affordable = this.affordable(opening, instrument, reference);
    if (typeof affordable === 'string') this.core.denyIntent(opening, 'insufficient_funds', affordable);
    else if (atMarket) this.core.submitIntent(this.exits.protect({ ...affordable, type: 'market' }, instrument, reference));
    else this.send(affordable, instrument, reference, now);
  }

  /** True while `owner` holds a spot remainder too small to sell, which the desk was told about (see `execute`). */
  holdsDust(owner: string, instrumentId: InstrumentId): boolean {
    return this.dust.holds(owner, instrumentId, this.core.ledger.position(owner, instrumentId)?.quantity);
  }

  /** A reduction of spot dust cannot be sent: it is denied once, saying so, and not tried again while the dust stays. */
  private refuseDust(intent: OrderIntent, instrument: Instrument, held: Fixed, reference: Fixed): void {
    if (!this.dust.note(intent.owner, intent.instrumentId, held)) return;
    const minimums = `the minimum quantity ${instrument.minQuantity.max(instrument.lotSize).toPlainString()} and notional ${instrument.minNotional.toPlainString()} at ${reference.toPlainString()}`;
    const code = quantizeQuantity(instrument, held).lt(instrument.minQuantity.max(instrument.lotSize)) ? 'below_min_quantity' : 'below_min_notional';
    this.core.denyIntent(intent, code, `${intent.owner} holds ${held.toPlainString()} ${instrument.base} of ${instrument.id}, dust below ${minimums}: no order can sell it, so it is left and not tried again`);
  }

  /**
   * An opening order is sized down to what its book can pay for (the reservation the gate will ask, fee included),
   * rounded down to the lot. Sizing by notional would otherwise ask a sleeve that lost money for more than it has,
   * and be denied bar after bar. When what it can pay for is below one lot or the instrument's minimums, nothing can
   * be sent: the answer is then why (its cash, and what the smallest order would need), for the denial.
   */
  private affordable(intent: OrderIntent, instrument: Instrument, reference: Fixed): OrderIntent | string {
    const spotBuy = instrument.kind === 'spot' && intent.side === 'buy';
    if (!spotBuy && instrument.kind === 'spot') return intent;
    const price = reference.mul(Fixed.fromInt(1).add(this.policy.priceBand ?? Fixed.zero()));
    const leverage = instrument.kind === 'spot' ? Fixed.fromInt(1) : this.core.ledger.leverageOf(instrument);
    const perUnit = price.mul(instrument.contractSize).div(leverage, price.scale + 8, 'up').add(price.mul(instrument.contractSize).mul(instrument.takerFee));
    if (!perUnit.isPositive()) return intent;
    const currency = instrument.kind === 'spot' ? instrument.quote : instrument.settle;
    const cash = this.core.ledger.balance(intent.owner, 'cash', currency);
    const most = cash.div(perUnit, instrument.lotSize.scale + 4, 'down').quantize(instrument.lotSize, 'down');
    if (most.gte(intent.quantity)) return intent;
    if (most.isZero() || most.lt(instrument.minQuantity) || most.mul(price).mul(instrument.contractSize).lt(instrument.minNotional)) {
      const byNotional = instrument.minNotional.div(price.mul(instrument.contractSize), instrument.lotSize.scale + 4, 'up').quantize(instrument.lotSize, 'up');
      const smallest = instrument.lotSize.max(instrument.minQuantity).max(byNotional);
      const minimums = [
        `lot ${instrument.lotSize.toPlainString()}`,
        ...(instrument.minQuantity.gt(instrument.lotSize) ? [`minimum quantity ${instrument.minQuantity.toPlainString()}`] : []),
        ...(instrument.minNotional.isPositive() ? [`minimum notional ${instrument.minNotional.toPlainString()} at ${price.toPlainString()}`] : []),
      ];
      const needs = smallest.mul(perUnit).rescale(cash.scale, 'up');
      return `${intent.owner} has ${cash.toPlainString()} ${currency} free; the smallest order ${instrument.id} takes is ${smallest.toPlainString()} (${minimums.join(', ')}), which needs ${needs.toPlainString()} ${currency} with the taker fee`;
    }
    return { ...intent, quantity: most };
  }

  private send(intent: OrderIntent, instrument: Instrument, reference: Fixed, now: UnixMs): void {
    const algorithm = this.policy.algorithm;
    switch (algorithm.kind) {
      case 'market':
        this.core.submitIntent(this.exits.protect(intent, instrument, reference));
        return;
      case 'limit': {
        const offset = reference.mul(algorithm.offsetBps).div(BPS, reference.scale + 4, 'down');
        const price = quantizePrice(instrument, intent.side === 'buy' ? reference.sub(offset) : reference.add(offset), intent.side === 'buy' ? 'down' : 'up');
        // A reduction rests beside a position whose stop was canceled for it: it always has a bounded life.
        const reducing = intent.reduceOnly === true;
        const life = algorithm.expireAfterMs ?? (reducing ? DEFAULT_REDUCING_LIMIT_LIFE_MS : undefined);
        const expireAt = life === undefined ? undefined : ((now + life) as UnixMs);
        const order = this.exits.protect({ ...intent, type: 'limit', price, ...(expireAt === undefined ? {} : { timeInForce: 'GTD' as const, expireAt }) }, instrument, reference);
        if (this.core.submitIntent(order).status === 'submitted' && reducing) this.limitExits.track(order);
        return;
      }
      case 'twap': {
        if (!this.belowOneSlice(intent, instrument, reference)) this.algorithms.startTwap(intent, instrument, reference, now, algorithm);
        return;
      }
      case 'post-only-chase': {
        if (!this.belowOneSlice(intent, instrument, reference)) this.algorithms.startChase(intent, instrument, reference, algorithm);
        return;
      }
    }
  }

  /**
   * An intent too small for even one child at the instrument's minimums (quantity, and notional at the reference)
   * cannot be worked by an algorithm. It goes to the gate as the single market order the market algorithm would
   * send, so it is judged (and, below the minimums, denied and journaled) like one; nothing is thrown.
   */
  private belowOneSlice(intent: OrderIntent, instrument: Instrument, reference: Fixed): boolean {
    if (!quantizeQuantity(instrument, intent.quantity).lt(minimumSlice(instrument, reference))) return false;
    this.core.submitIntent(this.exits.protect(intent, instrument, reference));
    return true;
  }

  /** Each bar: reduced positions get their exits back, due TWAP slices go out, chases follow the touch. */
  onTick(now: UnixMs, priceOf: (id: InstrumentId) => Fixed | undefined): void {
    this.reductions.retryCancels(now);
    // A reduction released this bar goes out first, priced at the bar's close, so the remainder waits for it rather
    // than taking it as over.
    for (const { intent, instrument, reference } of this.reductions.takeReleased()) this.send(intent, instrument, priceOf(intent.instrumentId) ?? reference, now);
    if (this.remainders.pending) this.remainders.settle(now);
    if (this.reopening.size > 0) this.reopen(now, priceOf);
    if (this.algorithms.size > 0) this.algorithms.onTick(now, priceOf);
  }

  /** Sends the opening part of each flip whose closing part is done (a close that did not fill leaves the rest unsent). */
  private reopen(now: UnixMs, priceOf: (id: InstrumentId) => Fixed | undefined): void {
    for (const [key, { intent, instrument, exits }] of [...this.reopening]) {
      const owner = intent.owner;
      if (this.ordersWorking(owner, intent.instrumentId)) continue;
      this.reopening.delete(key);
      const held = this.core.ledger.position(owner, intent.instrumentId)?.quantity;
      // Still on the old side: the close did not go through (denied, rejected), so the flip stops here.
      if (held !== undefined && !held.isZero() && (held.isPositive() ? intent.side === 'sell' : intent.side === 'buy')) continue;
      const reference = priceOf(intent.instrumentId);
      if (reference !== undefined) this.execute({ ...intent, tsEvent: now }, instrument, reference, now, exits);
    }
  }

  /** Follows fills and order ends of the algorithms' children, and releases orders that waited for protective cancels. */
  onEvent(event: DeskEvent): void {
    this.targets.onEvent(event);
    if (this.remainders.pending) {
      if (event.type === 'OrderFilled') {
        const owner = this.core.oms.get(event.fill.clientOrderId)?.spec.owner;
        if (owner !== undefined) this.remainders.onFilled(owner, event.fill.instrumentId);
      } else this.remainders.onRefused(event);
    }
    this.reductions.onEvent(event);
    if (this.pairs.size > 0) this.pairs.onEvent(event);
    if (this.limitExits.size > 0) this.takeExpiredExit(event);
    this.algorithms.onEvent(event);
  }

  /** What a reducing limit left when it expired goes out at market (never more than is still held; dust is noted). */
  private takeExpiredExit(event: DeskEvent): void {
    const rest = this.limitExits.onEvent(event);
    const quantity = rest === undefined ? undefined : heldUpTo(this.core, rest);
    if (rest === undefined || quantity === undefined) return;
    // A spot remainder too small to sell goes the way of any reduction of dust: refused once, saying so.
    const instrument = this.core.instrument(rest.instrumentId);
    const limit = event.type === 'OrderExpired' ? this.core.oms.get(event.clientOrderId)?.spec.price : undefined;
    if (instrument !== undefined && limit !== undefined && isSpotDust(instrument, quantity, limit)) this.refuseDust(rest, instrument, quantity, limit);
    else this.core.submitIntent({ ...rest, quantity });
  }

  /** True when the intent trades against the owner's position. */
  private reduces(intent: OrderIntent): boolean {
    if (intent.reduceOnly === true) return true;
    const held = this.core.ledger.position(intent.owner, intent.instrumentId)?.quantity;
    if (held === undefined || held.isZero()) return false;
    return held.isPositive() ? intent.side === 'sell' : intent.side === 'buy';
  }
}
