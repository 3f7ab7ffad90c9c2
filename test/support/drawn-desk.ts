import { buildDesk } from '../../src/backtest/desk-backtest.js';
import { parseDeskConfig } from '../../src/config/parse-desk.js';
import { agentId, type InstrumentId } from '../../src/core/ids.js';
import { BarSeriesBuilder } from '../../src/data/bar-series.js';
import type { DeskEvent } from '../../src/domain/events.js';
import type { Desk } from '../../src/engine/desk/desk.js';

export const HOUR = 3_600_000;
export const T0 = Date.UTC(2024, 0, 1);

/** A bar as [open, high, low, close]. */
export type Row = readonly [number, number, number, number];

/** What a scripted analyst says after the close of bar i (a view repeated is one view; a change is a new signal). */
export type Script = Readonly<Record<number, 'long' | 'short' | 'flat'>>;

/**
 * A desk from a desk file, replaying hourly bars the test draws (one instrument, volume 100 a bar) instead of its
 * data section. With a script, analyst `agent` says what the script says, at the bars it names, instead of running
 * its strategy; `throwAt` makes it throw on that bar. Not run: the test steps it.
 */
export function drawnDesk(yaml: string, instrument: InstrumentId, rows: readonly Row[], options: { agent?: string; script?: Script; throwAt?: number } = {}): Desk {
  const builder = new BarSeriesBuilder(rows.length);
  rows.forEach(([open, high, low, close], i) => builder.push(T0 + i * HOUR, open, high, low, close, 100));
  const { config } = parseDeskConfig(yaml, 'drawn.yaml');
  const desk = buildDesk({ config, data: { series: new Map([[instrument, builder.build(instrument, HOUR)]]), extras: [] } });
  const { script, throwAt } = options;
  if (script !== undefined || throwAt !== undefined) {
    const analyst = desk.analysts.get(agentId(options.agent ?? 'x'));
    if (analyst === undefined) throw new Error(`no analyst ${options.agent ?? 'x'}`);
    const brain = analyst.brain;
    analyst.brain = {
      name: 'scripted',
      instruments: [instrument],
      warmup: 0,
      onBar(bar, context) {
        if (bar.index === throwAt) throw new Error('boom');
        if (script === undefined) return brain.onBar(bar, context);
        const direction = script[bar.index];
        if (direction !== undefined) context.emit({ instrumentId: instrument, direction, conviction: 1, reason: `scripted ${direction} at bar ${bar.index}` });
      },
    };
  }
  return desk;
}

export function eventsOf(desk: Desk): DeskEvent[] {
  return [...desk.core.store.read(0)];
}

export function ofType<T extends DeskEvent['type']>(list: readonly DeskEvent[], type: T): Extract<DeskEvent, { type: T }>[] {
  return list.filter((e): e is Extract<DeskEvent, { type: T }> => e.type === type);
}

/** The bar (index) an event happened at, from its time: fills carry their bar's open time. */
export function barOf(event: DeskEvent): number {
  return (event.tsEvent - T0) / HOUR;
}

/**
 * The desk file most executor scenarios use: one buy-and-hold analyst (`x`, sleeve `a`, 10,000 USDT) on spot
 * `S:BTC/USDT` at venue `venue`, sized 1,000 a view, worked by `algorithm` (YAML flow), with `exits` under execution.
 */
export function spotDeskYaml(name: string, algorithm: string, options: { venue?: string; exits?: string } = {}): string {
  return `
desk: { name: ${name}, valuationCurrency: USDT, seed: 1 }
instruments:
  - { id: 'S:BTC/USDT', tickSize: '0.01', lotSize: '0.001', takerFee: '0.001', makerFee: '0.0005' }
venues:
  - ${options.venue ?? '{ kind: sim, id: S }'}
data:
  'S:BTC/USDT': { source: synthetic, startPrice: 100, annualVol: 0.5, start: '2024-01-01', timeframe: 1h, bars: 10 }
capital:
  cash: { USDT: '10000' }
  sleeves:
    - { id: a, maxGrossExposure: '100000', maxDrawdown: '1' }
agents:
  - { id: x, role: analyst, strategy: buy-and-hold, sleeve: a }
  - { id: pm, role: manager }
sizing: { kind: notional, perConviction: '1000' }
execution:
  algorithm: ${algorithm}
  ${options.exits ?? "stopLoss: '0.05'"}
`;
}
