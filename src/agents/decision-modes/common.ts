import { FixRequestError } from '../../core/errors.js';
import { Fixed } from '../../core/fixed.js';
import { intentId } from '../../core/ids.js';
import type { AgentId, InstrumentId, IntentId } from '../../core/ids.js';
import type { UnixMs } from '../../core/time.js';
import type { Instrument } from '../../domain/instrument.js';
import type { OrderIntent } from '../../domain/intent.js';
import type { AnalystSignal, Deadband, DecisionInput, DecisionMode, DecisionResult, Sizing } from './types.js';

/** Convictions are read as decimals with this many places (half-even), after clamping to 0..1. */
export const CONVICTION_SCALE = 6;
/** Scale of targets that need a division (notional sizing, means); truncated toward zero. */
export const TARGET_SCALE = 12;

/** Conviction as an exact decimal: NaN counts 0, values are clamped to 0..1. */
export function convictionOf(value: number): Fixed {
  if (!Number.isFinite(value) || value <= 0) return Fixed.zero(CONVICTION_SCALE);
  if (value >= 1) return Fixed.fromInt(1, CONVICTION_SCALE);
  return Fixed.fromNumberApprox(value, CONVICTION_SCALE, 'half-even');
}

export function directionSign(direction: 'long' | 'short' | 'flat'): -1 | 0 | 1 {
  return direction === 'long' ? 1 : direction === 'short' ? -1 : 0;
}

/** The unsigned quantity for `conviction` under `sizing`, or a reason why it cannot be computed. */
export function sizedQuantity(
  sizing: Sizing,
  conviction: Fixed,
  instrument: Instrument,
  price: Fixed | undefined,
): { quantity: Fixed } | { problem: string } {
  if (sizing.kind === 'quantity') return { quantity: sizing.perConviction.mul(conviction) };
  if (price === undefined || !price.isPositive()) return { problem: `no reference price for ${instrument.id} to size a notional` };
  const notional = sizing.perConviction.mul(conviction);
  return { quantity: notional.div(price.mul(instrument.contractSize), TARGET_SCALE, 'down') };
}

export function signedBy(quantity: Fixed, sign: -1 | 0 | 1): Fixed {
  return sign === 0 ? Fixed.zero() : sign === 1 ? quantity : quantity.neg();
}

const positionKey = (owner: string, instrument: InstrumentId): string => `${owner}\u0000${instrument}`;

export function positionLookup(input: DecisionInput): (owner: string, instrument: InstrumentId) => Fixed {
  const table = new Map<string, Fixed>();
  for (const entry of input.positions) {
    const key = positionKey(entry.owner, entry.instrumentId);
    table.set(key, (table.get(key) ?? Fixed.zero()).add(entry.quantity));
  }
  return (owner, instrument) => table.get(positionKey(owner, instrument)) ?? Fixed.zero();
}

/** One signal per (analyst, instrument): the last one in input order wins. Order of first appearance is kept. */
export function latestSignals(signals: readonly AnalystSignal[]): AnalystSignal[] {
  const latest = new Map<string, AnalystSignal>();
  for (const entry of signals) {
    const key = `${entry.analystId}\u0000${entry.signal.instrumentId}`;
    if (latest.has(key)) latest.delete(key);
    latest.set(key, entry);
  }
  const order = new Map<string, number>();
  signals.forEach((entry, i) => {
    const key = `${entry.analystId}\u0000${entry.signal.instrumentId}`;
    if (!order.has(key)) order.set(key, i);
  });
  return [...latest.entries()]
    .sort((a, b) => (order.get(a[0]) ?? 0) - (order.get(b[0]) ?? 0))
    .map(([, entry]) => entry);
}

/** Signals grouped by instrument, in order of first appearance. */
export function byInstrument(signals: readonly AnalystSignal[]): Map<InstrumentId, AnalystSignal[]> {
  const groups = new Map<InstrumentId, AnalystSignal[]>();
  for (const entry of signals) {
    const group = groups.get(entry.signal.instrumentId);
    if (group === undefined) groups.set(entry.signal.instrumentId, [entry]);
    else group.push(entry);
  }
  return groups;
}

export function signalCausation(entry: AnalystSignal): string {
  return `signal:${entry.analystId}:${entry.signal.instrumentId}:${entry.ts}`;
}

export function signalsCausation(entries: readonly AnalystSignal[]): string {
  return entries.map(signalCausation).join(',');
}

/**
 * FNV-1a 64 of the text, base 36. The hash is kept as two 32-bit halves (a bigint per character was the desk's
 * costliest step in deciding): the prime is 2^40 + 0x1b3, so hash × prime = hash × 0x1b3 + (low << 40).
 */
function fnv1a64(text: string): string {
  let high = 0xcbf29ce4;
  let low = 0x84222325;
  for (let i = 0; i < text.length; i++) {
    low = (low ^ text.charCodeAt(i)) >>> 0;
    const product = low * 0x1b3;
    high = (Math.imul(high, 0x1b3) + Math.floor(product / 0x100000000) + (low << 8)) >>> 0;
    low = product >>> 0;
  }
  return ((BigInt(high) << 32n) | BigInt(low)).toString(36);
}

/**
 * Deterministic intent id: `pm.<mode>.<hash>` where hash = FNV-1a 64 of `mode|actor|owner|instrument|now`.
 * A replay of the same decision yields the same id (and so the same client order id).
 */
export function decisionIntentId(mode: DecisionMode, actor: string, owner: string, instrument: InstrumentId, now: UnixMs): IntentId {
  return intentId(`pm.${mode}.${fnv1a64(`${mode}|${actor}|${owner}|${instrument}|${now}`)}`);
}

export interface TradePlan {
  readonly mode: DecisionMode;
  readonly agentId: AgentId;
  readonly owner: string;
  readonly instrument: Instrument;
  readonly target: Fixed;
  readonly current: Fixed;
  readonly now: UnixMs;
  readonly causationId: string;
  readonly reason: string;
  readonly price?: Fixed | undefined;
  readonly deadband?: Deadband | undefined;
  readonly reduceOnly?: boolean;
}

/**
 * Target -> order: quantity = |target - current| rounded down (toward zero) to the lot; a market order on the side
 * that moves current toward target. Spot cannot be short: a negative target on spot becomes flat.
 */
export function planTrade(plan: TradePlan, out: DecisionResult): void {
  let target = plan.target;
  let reason = plan.reason;
  if (plan.instrument.kind === 'spot' && target.isNegative()) {
    target = Fixed.zero();
    reason += '; spot cannot be short: target flat';
  }
  const delta = target.sub(plan.current);
  let quantity = delta.abs().quantize(plan.instrument.lotSize, 'down');
  if (!delta.isZero() && quantity.isZero()) reason += '; change below one lot: no order';
  // The deadband skips small adjustments, never a close: a flat target is always traded, however small the position.
  if (!quantity.isZero() && plan.deadband !== undefined && !target.isZero()) {
    const { quantity: minQuantity, notional: minNotional } = plan.deadband;
    if (minQuantity !== undefined && quantity.lt(minQuantity)) {
      reason += `; ${quantity.toPlainString()} inside the deadband of ${minQuantity.toPlainString()}: no order`;
      quantity = Fixed.zero();
    } else if (minNotional !== undefined) {
      if (plan.price === undefined) {
        reason += '; no reference price to check the notional deadband: no order';
        quantity = Fixed.zero();
      } else {
        const notional = quantity.mul(plan.instrument.contractSize).mul(plan.price);
        if (notional.lt(minNotional)) {
          reason += `; notional ${notional.toPlainString()} inside the deadband of ${minNotional.toPlainString()}: no order`;
          quantity = Fixed.zero();
        }
      }
    }
  }
  if (quantity.isZero()) {
    if (delta.isZero()) reason += '; already at target';
    out.decisions.push({
      instrumentId: plan.instrument.id,
      mode: plan.mode,
      owner: plan.owner,
      agentId: plan.agentId,
      target,
      current: plan.current,
      order: Fixed.zero(),
      causationId: plan.causationId,
      reason,
    });
    return;
  }
  const id = decisionIntentId(plan.mode, plan.agentId, plan.owner, plan.instrument.id, plan.now);
  const side = delta.isPositive() ? 'buy' : 'sell';
  const intent: OrderIntent = {
    id,
    agentId: plan.agentId,
    owner: plan.owner,
    instrumentId: plan.instrument.id,
    side,
    quantity,
    type: 'market',
    ...(plan.reduceOnly === true ? { reduceOnly: true } : {}),
    causationId: plan.causationId,
    tsEvent: plan.now,
  };
  out.intents.push(intent);
  out.decisions.push({
    instrumentId: plan.instrument.id,
    mode: plan.mode,
    owner: plan.owner,
    agentId: plan.agentId,
    target,
    current: plan.current,
    order: side === 'buy' ? quantity : quantity.neg(),
    intentId: id,
    causationId: plan.causationId,
    reason,
  });
}

/** A decision to hold (no order), e.g. an unknown instrument or a missing size. */
export function hold(
  out: DecisionResult,
  fields: { mode: DecisionMode; agentId: AgentId; owner: string; instrumentId: InstrumentId; current: Fixed; causationId: string; reason: string },
): void {
  out.decisions.push({ ...fields, target: fields.current, order: Fixed.zero() });
}

export function emptyResult(): DecisionResult {
  return { intents: [], decisions: [] };
}

export function checkK(k: number): void {
  if (!Number.isSafeInteger(k) || k < 1) {
    throw new FixRequestError('invalid_consensus_k', `consensus k must be an integer of at least 1, got ${k}`);
  }
}
