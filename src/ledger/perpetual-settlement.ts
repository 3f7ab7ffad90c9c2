/**
 * What only perpetuals see on the books: funding payments, and liquidations, which close every owner's position
 * in the instrument. Each has its check (why it cannot be applied) and its entry.
 */
import { Fixed } from '../core/fixed.js';
import type { InstrumentId } from '../core/ids.js';
import type { FundingApplied, PositionLiquidated } from '../domain/events.js';
import { applyFillToPosition, type PositionState } from '../domain/position.js';
import type { Posting } from './accounts.js';
import type { Journal } from './journal.js';
import { knownInstrument, toUnits, type LedgerConfig } from './ledger-config.js';
import { ownerOfKey } from './position-keys.js';
import { feeLegs, perpetualTradeLegs } from './trade-postings.js';

export function fundingProblem(config: LedgerConfig, event: FundingApplied): string | undefined {
  const instrument = config.instruments.get(event.instrumentId);
  if (instrument === undefined) return `funding for unknown instrument ${event.instrumentId}`;
  if (instrument.kind !== 'perpetual') return `funding applies to perpetuals, not ${event.instrumentId}`;
  return undefined;
}

export function postFunding(config: LedgerConfig, journal: Journal, event: FundingApplied): void {
  const instrument = knownInstrument(config, event.instrumentId);
  const amount = toUnits(config.scales, instrument.settle, event.amount);
  if (amount === 0n) return;
  journal.post(event.tsEvent, event.id, `funding ${event.instrumentId}`, [
    { owner: event.owner, currency: instrument.settle, kind: 'cash', amount: -amount },
    { owner: event.owner, currency: instrument.settle, kind: 'funding', amount },
  ]);
}

/** The venue liquidates its netted position: every owner's position in the instrument. */
function liquidatedPositions(
  positions: ReadonlyMap<string, PositionState>,
  instrumentId: InstrumentId,
): { key: string; owner: string; position: PositionState }[] {
  const out: { key: string; owner: string; position: PositionState }[] = [];
  for (const [key, position] of positions) {
    if (position.instrumentId !== instrumentId || position.quantity.isZero()) continue;
    out.push({ key, owner: ownerOfKey(key), position });
  }
  return out.sort((a, b) => (a.key < b.key ? -1 : 1));
}

export function liquidationProblem(config: LedgerConfig, positions: ReadonlyMap<string, PositionState>, event: PositionLiquidated): string | undefined {
  const instrument = config.instruments.get(event.instrumentId);
  if (instrument === undefined || instrument.kind !== 'perpetual') return `liquidation of ${event.instrumentId}, which is not a known perpetual`;
  if (!event.price.isPositive() || !event.quantity.isPositive()) return 'a liquidation needs a positive price and quantity';
  if (event.fee.isNegative()) return 'a liquidation fee cannot be negative';
  const held = liquidatedPositions(positions, event.instrumentId);
  if (held.length === 0) return `liquidation of ${event.instrumentId}, but the books hold no position in it`;
  // The venue liquidates the net position: sleeves may hold either side of it, and each one is closed.
  const net = held.reduce((sum, { position }) => sum.add(position.quantity), Fixed.zero());
  const closing = event.side === 'sell' ? net.isPositive() : net.isNegative();
  if (!closing) return `a ${event.side} liquidation does not close the net position held in ${event.instrumentId}`;
  return undefined;
}

/**
 * Closes every owner's position in the instrument at the liquidation price: realised PnL into cash, posted margin
 * released, and the liquidation fee split by position size (half-even; the last owner takes the remainder).
 */
export function postLiquidation(
  config: LedgerConfig,
  journal: Journal,
  positions: Map<string, PositionState>,
  postedMargin: Map<string, bigint>,
  event: PositionLiquidated,
): void {
  const instrument = knownInstrument(config, event.instrumentId);
  const settle = instrument.settle;
  const scale = config.scales.of(settle);
  const held = liquidatedPositions(positions, event.instrumentId);
  const total = held.reduce((sum, h) => sum.add(h.position.quantity.abs()), Fixed.zero());
  const feeTotal = toUnits(config.scales, settle, event.fee);
  let feeLeft = feeTotal;
  const postings: Posting[] = [];
  const closed: [string, PositionState][] = [];
  held.forEach(({ key, owner, position }, index) => {
    // Each owner's own side of the close: a sleeve short against a net long is bought back.
    const side = position.quantity.isPositive() ? 'sell' : 'buy';
    const change = applyFillToPosition(position, instrument, side, position.quantity.abs(), event.price, scale);
    perpetualTradeLegs(postings, owner, settle, change.realisedPnl.units, postedMargin.get(key) ?? 0n, 0n);
    const fee =
      index === held.length - 1
        ? feeLeft
        : Fixed.fromUnits(feeTotal, scale).mul(position.quantity.abs()).div(total, scale, 'half-even').units;
    feeLeft -= fee;
    feeLegs(postings, owner, settle, fee);
    closed.push([key, plainPosition(change.next)]);
  });
  if (postings.length > 0) journal.post(event.tsEvent, event.id, `liquidation ${event.instrumentId} @${event.price.toPlainString()}`, postings);
  for (const [key, position] of closed) {
    positions.set(key, position);
    postedMargin.set(key, 0n);
  }
}

/**
 * The position as an object of one literal shape. `applyFillToPosition` builds each next position by spreading the
 * previous one; V8 copies a literal-shaped object far faster than one that was itself made by a spread with
 * overrides, and storing this shape measured a third faster per fill. (Every field is listed: the compiler insists
 * on required ones, and an optional field added to PositionState must be added here.)
 */
function plainPosition(p: PositionState): PositionState {
  return { instrumentId: p.instrumentId, quantity: p.quantity, costBasis: p.costBasis, realisedPnl: p.realisedPnl };
}
