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
