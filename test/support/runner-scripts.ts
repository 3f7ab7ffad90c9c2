import { currency, instrumentId, type InstrumentId } from '../../src/core/ids.js';
import { BarSeriesBuilder } from '../../src/data/bar-series.js';
import { defineInstrument } from '../../src/domain/instrument.js';
import type { BarView, Strategy, StrategyContext } from '../../src/strategies/strategy.js';

/** Scripted strategies and one-minute series for the backtest runner's tests. */
export const ID = instrumentId('TEST:BTC/USDT');
export const SPOT = defineInstrument({ id: ID, tickSize: '0.01', lotSize: '0.0001', takerFee: '0.001', makerFee: '0.001' });
export const USDT = currency('USDT');

export function series(closes: number[]) {
  const b = new BarSeriesBuilder();
  closes.forEach((c, i) => b.push(i * 60_000, c - 0.5, c + 1, c - 1, c, 100));
  return b.build(ID, 60_000);
}

/** Goes long on the given bar indexes and flat on others listed. */
export function scripted(longAt: number[], flatAt: number[], warmup = 0): Strategy {
  return {
    name: 'scripted',
    instruments: [ID],
    warmup,
    onBar(bar: BarView, ctx: StrategyContext) {
      if (longAt.includes(bar.index)) ctx.emit({ instrumentId: ID, direction: 'long', conviction: 1, reason: 'scripted long' });
      if (flatAt.includes(bar.index)) ctx.emit({ instrumentId: ID, direction: 'flat', conviction: 1, reason: 'scripted flat' });
    },
  };
}

/** Emits the given direction on the given bar indexes of one instrument. */
export function callsAt(id: InstrumentId, calls: Readonly<Record<number, 'long' | 'short' | 'flat'>>): Strategy {
  return {
    name: 'scripted',
    instruments: [id],
    warmup: 0,
    onBar(bar: BarView, ctx: StrategyContext) {
      const direction = calls[bar.index];
      if (direction !== undefined) ctx.emit({ instrumentId: id, direction, conviction: 1, reason: `scripted ${direction}` });
    },
  };
}
