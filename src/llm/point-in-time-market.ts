import { createIndicator, createIndicatorSet, type IndicatorSet } from '../indicators/registry.js';
import type { BarView } from '../strategies/strategy.js';

export interface RecentBar {
  readonly ts: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

interface Lane {
  readonly bars: RecentBar[];
  readonly features: IndicatorSet;
  row: readonly (number | undefined)[];
}

/**
 * What a model-driven brain knows of the market: the bars it has been shown so far, nothing later. The harness
 * feeds it bar by bar at the simulated time; the context and the read-only tools read only from here, so neither
 * a prompt nor a tool can look ahead.
 */
export class PointInTimeMarket {
  private readonly lanes = new Map<string, Lane>();
  private readonly lines = new WeakMap<RecentBar, string>();

  constructor(
    instruments: readonly string[],
    private readonly featureSpecs: readonly string[],
    /** Bars kept per instrument (tools can read this far back). */
    private readonly capacity = 500,
  ) {
    for (const id of instruments) this.lanes.set(id, { bars: [], features: createIndicatorSet(featureSpecs), row: [] });
  }

  get instruments(): string[] {
    return [...this.lanes.keys()];
  }

  get featureColumns(): readonly string[] {
    return this.lanes.values().next().value?.features.columns ?? [];
  }

  onBar(bar: BarView): void {
    const lane = this.lanes.get(bar.instrumentId);
    if (lane === undefined) return;
    const copy: RecentBar = { ts: bar.ts, open: bar.open, high: bar.high, low: bar.low, close: bar.close, volume: bar.volume };
    lane.bars.push(copy);
    if (lane.bars.length > this.capacity * 2) lane.bars.splice(0, lane.bars.length - this.capacity);
    lane.row = lane.features.update(copy);
  }

  /** The last `count` bars (oldest first), at most the capacity. */
  bars(instrumentId: string, count: number): RecentBar[] {
    const bars = this.lanes.get(instrumentId)?.bars ?? [];
    return bars.slice(Math.max(0, bars.length - Math.min(count, this.capacity)));
  }

  /** The bar as one line of text (time, open, high, low, close, volume), formatted once. */
  line(bar: RecentBar, format: (value: number) => string): string {
    let text = this.lines.get(bar);
    if (text === undefined) {
      text = `${new Date(bar.ts).toISOString()} ${format(bar.open)} ${format(bar.high)} ${format(bar.low)} ${format(bar.close)} ${format(bar.volume)}`;
      this.lines.set(bar, text);
    }
    return text;
  }

  /** The latest close, or undefined before the first bar. */
  mark(instrumentId: string): number | undefined {
    const bars = this.lanes.get(instrumentId)?.bars;
    return bars === undefined || bars.length === 0 ? undefined : (bars[bars.length - 1] as RecentBar).close;
  }

  /** The configured features at the latest bar (undefined while warming up). */
  features(instrumentId: string): { readonly name: string; readonly value: number | undefined }[] {
    const lane = this.lanes.get(instrumentId);
    if (lane === undefined) return [];
    return lane.features.columns.map((name, i) => ({ name, value: lane.row[i] }));
  }

  /** Any indicator of the library (`rsi:14`, `bb:20:2` ...) over the kept bars; throws FixRequestError on a bad spec. */
  indicator(instrumentId: string, spec: string): { readonly name: string; readonly value: number | undefined }[] {
    const indicator = createIndicator(spec);
    const out: (number | undefined)[] = new Array<number | undefined>(indicator.columns.length).fill(undefined);
    for (const bar of this.bars(instrumentId, this.capacity)) indicator.update(bar, out, 0);
    return indicator.columns.map((name, i) => ({ name, value: out[i] }));
  }

  get specs(): readonly string[] {
    return this.featureSpecs;
  }
}
