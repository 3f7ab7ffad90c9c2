import { Fixed } from '../core/fixed.js';
import type { Desk } from '../engine/desk/desk.js';
import { isSpotDust } from '../engine/desk/spot-dust.js';

const LISTED = 5;

/**
 * What a run left behind that its figures do not show: orders still working when it ended (TWAP slices, chase
 * legs, limit exits; their funds still held, so cash reads lower than it would once they end), and spot remainders
 * below the instruments' minimums that no order can sell. Resting protective orders are not listed: they belong to
 * their positions.
 */
export function leftAtEnd(desk: Desk): string[] {
  const lines: string[] = [];
  const working = desk.core.oms.openOrders().filter((order) => order.spec.linkage?.role !== 'stop-loss' && order.spec.linkage?.role !== 'take-profit');
  if (working.length > 0) {
    const listed = working.slice(0, LISTED).map((order) => {
      const { spec } = order;
      const price = spec.price === undefined ? '' : ` at ${spec.price.toPlainString()}`;
      return `${spec.intentId} (${spec.owner}: ${spec.type} ${spec.side} ${spec.quantity.sub(order.filledQuantity).toPlainString()} ${spec.instrumentId}${price})`;
    });
    const more = working.length > LISTED ? `, and ${working.length - LISTED} more` : '';
    lines.push(`${working.length} ${working.length === 1 ? 'order was' : 'orders were'} still working when the run ended, holding their funds: ${listed.join(', ')}${more}`);
  }
  for (const { owner, position } of desk.core.ledger.allPositions()) {
    const instrument = desk.setup.instruments.find((i) => i.id === position.instrumentId);
    const close = desk.books.close(position.instrumentId);
    if (instrument === undefined || !Number.isFinite(close)) continue;
    if (isSpotDust(instrument, position.quantity, Fixed.fromNumberApprox(close, instrument.tickSize.scale + 4))) {
      lines.push(`${owner} holds ${position.quantity.toPlainString()} ${instrument.base} of ${instrument.id}: dust below the instrument's minimums, which no order can sell`);
    }
  }
  return lines;
}
