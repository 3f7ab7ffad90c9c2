/**
 * Indicators by spec string (`sma:30`, `bb:20:2`, `macd:12:26:9`, `vwap`, ...), fed one OHLCV bar at a time and
 * answering named columns. This is what `conclave indicators --ind SPEC` runs.
 *
 * A spec is `name[:arg...]`; omitted trailing arguments take their defaults. Column names are the name followed by
 * the periods (defaults included) joined by `_`, and a real-valued argument only when it is not its default
 * (`sma:30` -> `sma30`; `rsi` -> `rsi14`; `bb:20` and `bb:20:2` -> `bb20_upper`, `bb20_middle`, `bb20_lower`;
 * `bb:20:2.5` -> `bb20_2.5_upper`, ...; `macd:12:26:9` -> `macd12_26_9`, `macd12_26_9_signal`,
 * `macd12_26_9_histogram`). Single-series
 * indicators read the close; `highest` reads the high and `lowest` the low. A column is `undefined` (NaN in
 * `computeIndicatorColumns`) until its indicator has warmed up. Two-series indicators (correlation, beta) are
 * not here: use their classes.
 */
import { FixRequestError } from '../core/errors.js';
import { BollingerBands } from './bollinger.js';
import { rejectBar } from './indicator.js';
import { CCI } from './cci.js';
import { DMI } from './dmi.js';
import { DonchianChannels, Highest, Lowest } from './extremes.js';
import { MACD } from './macd.js';
import { EMA, RMA, SMA, WMA } from './moving-averages.js';
import { ROC } from './roc.js';
import { RSI } from './rsi.js';
import { StandardDeviation, ZScore } from './statistics.js';
import { Stochastic } from './stochastic.js';
import { ATR, TrueRange } from './true-range.js';
import { VWAP } from './vwap.js';
import { parseDecimalNumber } from '../core/number-text.js';

export interface OhlcvBar {
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/** Bars as columns (a BarSeries fits). */
export interface OhlcvColumns {
  readonly length: number;
  readonly open: ArrayLike<number>;
  readonly high: ArrayLike<number>;
  readonly low: ArrayLike<number>;
  readonly close: ArrayLike<number>;
  readonly volume: ArrayLike<number>;
}

export interface IndicatorSpec {
  /** The spec as given. */
  readonly text: string;
  readonly name: string;
  /** Every argument, defaults filled in. */
  readonly args: readonly number[];
  /** Column prefix: the name, the periods and any non-default real-valued argument. */
  readonly label: string;
}

/** One spec's indicator: `update` writes one value per column into `out` from `offset`. */
export interface ColumnIndicator {
  readonly spec: IndicatorSpec;
  readonly columns: readonly string[];
  /** Bars before the last of its columns has a value. */
  readonly warmup: number;
  /** Refuses a bar that is not all numbers (FixRequestError naming the field) before the indicator moves. */
  update(bar: OhlcvBar, out: (number | undefined)[], offset: number): void;
}

interface Parameter {
  readonly name: string;
  readonly integer: boolean;
  readonly default?: number;
}

interface Built {
  readonly warmup: number;
  write(bar: OhlcvBar, out: (number | undefined)[], offset: number): void;
}

interface Definition {
  readonly summary: string;
  readonly parameters: readonly Parameter[];
  /** Column suffixes; '' is the label alone. */
  readonly outputs: readonly string[];
  build(args: readonly number[]): Built;
}

const period = (name = 'period', fallback?: number): Parameter =>
  fallback === undefined ? { name, integer: true } : { name, integer: true, default: fallback };

/** A single-output indicator of the close. */
function ofClose(make: (args: readonly number[]) => { readonly warmup: number; update(x: number): number | undefined }) {
  return (args: readonly number[]): Built => {
    const indicator = make(args);
    return { warmup: indicator.warmup, write: (bar, out, offset) => void (out[offset] = indicator.update(bar.close)) };
  };
}

const DEFINITIONS: Readonly<Record<string, Definition>> = {
  sma: { summary: 'simple moving average of the close (exact window sum)', parameters: [period()], outputs: [''], build: ofClose(([n]) => new SMA(n as number)) },
  ema: { summary: 'exponential moving average, SMA-seeded', parameters: [period()], outputs: [''], build: ofClose(([n]) => new EMA(n as number)) },
  wma: { summary: 'linearly weighted moving average', parameters: [period()], outputs: [''], build: ofClose(([n]) => new WMA(n as number)) },
  rma: { summary: "Wilder's moving average (SMMA)", parameters: [period()], outputs: [''], build: ofClose(([n]) => new RMA(n as number)) },
  smma: { summary: 'same as rma', parameters: [period()], outputs: [''], build: ofClose(([n]) => new RMA(n as number)) },
  rsi: { summary: "Wilder's RSI", parameters: [period('period', 14)], outputs: [''], build: ofClose(([n]) => new RSI(n as number)) },
  roc: { summary: 'rate of change, percent', parameters: [period()], outputs: [''], build: ofClose(([n]) => new ROC(n as number)) },
  stddev: { summary: 'rolling population standard deviation of the close', parameters: [period()], outputs: [''], build: ofClose(([n]) => new StandardDeviation(n as number)) },
  zscore: { summary: 'z-score of the close in its rolling window', parameters: [period()], outputs: [''], build: ofClose(([n]) => new ZScore(n as number)) },
  highest: {
    summary: 'highest high of the last n bars',
    parameters: [period()],
    outputs: [''],
    build: ([n]) => {
      const indicator = new Highest(n as number);
      return { warmup: indicator.warmup, write: (bar, out, offset) => void (out[offset] = indicator.update(bar.high)) };
    },
  },
  lowest: {
    summary: 'lowest low of the last n bars',
    parameters: [period()],
    outputs: [''],
    build: ([n]) => {
      const indicator = new Lowest(n as number);
      return { warmup: indicator.warmup, write: (bar, out, offset) => void (out[offset] = indicator.update(bar.low)) };
    },
  },
  tr: {
    summary: 'true range',
    parameters: [],
    outputs: [''],
    build: () => {
      const indicator = new TrueRange();
      return { warmup: 1, write: (bar, out, offset) => void (out[offset] = indicator.update(bar.high, bar.low, bar.close)) };
    },
  },
  atr: {
    summary: 'average true range (Wilder)',
    parameters: [period('period', 14)],
    outputs: [''],
    build: ([n]) => {
      const indicator = new ATR(n as number);
      return { warmup: indicator.warmup, write: (bar, out, offset) => void (out[offset] = indicator.update(bar.high, bar.low, bar.close)) };
    },
  },
  cci: {
    summary: 'commodity channel index',
    parameters: [period('period', 20)],
    outputs: [''],
    build: ([n]) => {
      const indicator = new CCI(n as number);
      return { warmup: indicator.warmup, write: (bar, out, offset) => void (out[offset] = indicator.update(bar.high, bar.low, bar.close)) };
    },
  },
  vwap: {
    summary: 'volume-weighted average price since the first bar',
    parameters: [],
    outputs: [''],
    build: () => {
      const indicator = new VWAP();
      return { warmup: 1, write: (bar, out, offset) => void (out[offset] = indicator.update(bar.high, bar.low, bar.close, bar.volume)) };
    },
  },
  bb: {
    summary: 'Bollinger Bands (period, standard deviations)',
    parameters: [period('period', 20), { name: 'multiplier', integer: false, default: 2 }],
    outputs: ['upper', 'middle', 'lower'],
    build: ([n, k]) => {
      const indicator = new BollingerBands(n as number, k as number);
      return {
        warmup: indicator.warmup,
        write: (bar, out, offset) => {
          const r = indicator.update(bar.close);
          out[offset] = r?.upper;
          out[offset + 1] = r?.middle;
          out[offset + 2] = r?.lower;
        },
      };
    },
  },
  donchian: {
    summary: 'Donchian channels (highest high, middle, lowest low)',
    parameters: [period('period', 20)],
    outputs: ['upper', 'middle', 'lower'],
    build: ([n]) => {
      const indicator = new DonchianChannels(n as number);
      return {
        warmup: indicator.warmup,
        write: (bar, out, offset) => {
          const r = indicator.update(bar.high, bar.low);
          out[offset] = r?.upper;
          out[offset + 1] = r?.middle;
          out[offset + 2] = r?.lower;
        },
      };
    },
  },
  macd: {
    summary: 'MACD line, signal and histogram (fast, slow, signal)',
    parameters: [period('fast', 12), period('slow', 26), period('signal', 9)],
    outputs: ['', 'signal', 'histogram'],
    build: ([fast, slow, signal]) => {
      const indicator = new MACD(fast, slow, signal);
      return {
        warmup: indicator.warmup,
        write: (bar, out, offset) => {
          const r = indicator.update(bar.close);
          out[offset] = r?.line;
          out[offset + 1] = r?.signal;
          out[offset + 2] = r?.histogram;
        },
      };
    },
  },
  stoch: {
    summary: 'slow stochastic %K and %D (k period, k smoothing, d period)',
    parameters: [period('k', 14), period('smoothing', 3), period('d', 3)],
    outputs: ['k', 'd'],
    build: ([k, smoothing, d]) => {
      const indicator = new Stochastic(k, smoothing, d);
      return {
        warmup: indicator.warmup,
        write: (bar, out, offset) => {
          const r = indicator.update(bar.high, bar.low, bar.close);
          out[offset] = r?.k;
          out[offset + 1] = r?.d;
        },
      };
    },
  },
  adx: {
    summary: 'ADX with +DI, -DI and DX (Wilder)',
    parameters: [period('period', 14)],
    outputs: ['', 'plus_di', 'minus_di', 'dx'],
    build: ([n]) => {
      const indicator = new DMI(n as number);
      return {
        warmup: indicator.warmup,
        write: (bar, out, offset) => {
          indicator.update(bar.high, bar.low, bar.close);
          out[offset] = indicator.adx;
          out[offset + 1] = indicator.plusDI;
          out[offset + 2] = indicator.minusDI;
          out[offset + 3] = indicator.dx;
        },
      };
    },
  },
};

/** Every indicator name the registry knows, with its usage and a line about it. */
export const indicatorCatalog: readonly { readonly name: string; readonly usage: string; readonly summary: string }[] = Object.entries(DEFINITIONS).map(
  ([name, definition]) => ({
    name,
    usage: [name, ...definition.parameters.map((p) => (p.default === undefined ? p.name : `${p.name}=${p.default}`))].join(':'),
    summary: definition.summary,
  }),
);

function specError(text: string, problem: string): FixRequestError {
  return new FixRequestError('invalid_indicator_spec', `indicator spec "${text}": ${problem}`);
}

/** Parses and checks `name[:arg...]`; throws FixRequestError naming the spec and what is wrong with it. */
export function parseIndicatorSpec(text: string): IndicatorSpec {
  const parts = text.trim().split(':');
  const name = (parts[0] ?? '').toLowerCase();
  const definition = Object.hasOwn(DEFINITIONS, name) ? DEFINITIONS[name] : undefined;
  if (definition === undefined) {
    throw specError(text, `unknown indicator "${name}"; known: ${Object.keys(DEFINITIONS).join(', ')}`);
  }
  const given = parts.slice(1);
  const parameters = definition.parameters;
  const required = parameters.filter((p) => p.default === undefined).length;
  if (given.length < required || given.length > parameters.length) {
    const expected = required === parameters.length ? `${required}` : `${required} to ${parameters.length}`;
    const names = parameters.map((p) => p.name).join(', ') || 'none';
    throw specError(text, `${name} takes ${expected} argument(s) (${names}), got ${given.length}`);
  }
  const args = parameters.map((parameter, i) => {
    const raw = given[i];
    if (raw === undefined) return parameter.default as number;
    const value = parseDecimalNumber(raw) ?? Number.NaN;
    if (parameter.integer && !(Number.isInteger(value) && value > 0)) {
      throw specError(text, `${parameter.name} must be a positive integer, got "${raw}"`);
    }
    if (!parameter.integer && !(Number.isFinite(value) && value > 0)) {
      throw specError(text, `${parameter.name} must be a positive number, got "${raw}"`);
    }
    return value;
  });
  // Periods always show; a real-valued argument (the band width) only when it is not its default.
  const shown = args.filter((value, i) => parameters[i]?.integer === true || value !== parameters[i]?.default);
  const label = name + shown.map(String).join('_');
  return { text, name, args, label };
}

/**
 * Refuses a bar unless all of open, high, low, close and volume are numbers. The whole bar is checked once, before
 * any indicator moves: each indicator refuses what it reads, but one refusing halfway through a set would leave
 * those before it a bar ahead of the rest.
 */
function requireBar(call: string, bar: OhlcvBar): void {
  const fields = bar as Partial<OhlcvBar> | null | undefined;
  if (typeof fields?.open !== 'number' || typeof fields.high !== 'number' || typeof fields.low !== 'number' || typeof fields.close !== 'number' || typeof fields.volume !== 'number') {
    rejectBar(call, bar);
  }
}

/** A spec's indicator, writing without checking the bar (its caller has). */
function build(text: string): { spec: IndicatorSpec; columns: readonly string[]; built: Built } {
  const spec = parseIndicatorSpec(text);
  const definition = DEFINITIONS[spec.name] as Definition;
  let built: Built;
  try {
    built = definition.build(spec.args);
  } catch (error) {
    if (error instanceof FixRequestError) throw specError(text, error.message);
    throw error;
  }
  return { spec, columns: definition.outputs.map((suffix) => (suffix === '' ? spec.label : `${spec.label}_${suffix}`)), built };
}

/** Builds the indicator a spec names; throws FixRequestError for a bad spec, and for a bar that is not all numbers. */
export function createIndicator(text: string): ColumnIndicator {
  const { spec, columns, built } = build(text);
  const call = `indicator "${spec.text}" update`;
  return {
    spec,
    columns,
    warmup: built.warmup,
    update(bar, out, offset) {
      requireBar(call, bar);
      built.write(bar, out, offset);
    },
  };
}

/** Several specs side by side, with one row of values per bar. */
export interface IndicatorSet {
  readonly columns: readonly string[];
  /** Bars before every column has a value. */
  readonly warmup: number;
  /**
   * Updates every indicator with the bar; returns the row (one array, overwritten on each update). A bar that is not
   * all numbers is refused (FixRequestError naming the field) before any indicator moves.
   */
  update(bar: OhlcvBar): readonly (number | undefined)[];
}

export function createIndicatorSet(specs: readonly string[]): IndicatorSet {
  const indicators = specs.map(build);
  const columns = indicators.flatMap((indicator) => indicator.columns);
  const seen = new Set<string>();
  for (const column of columns) {
    if (seen.has(column)) throw new FixRequestError('invalid_indicator_spec', `indicator column "${column}" is asked for twice`);
    seen.add(column);
  }
  const row: (number | undefined)[] = new Array<number | undefined>(columns.length).fill(undefined);
  const offsets = indicators.map((_, i) => indicators.slice(0, i).reduce((n, indicator) => n + indicator.columns.length, 0));
  const writers = indicators.map((indicator) => indicator.built);
  return {
    columns,
    warmup: writers.reduce((n, built) => Math.max(n, built.warmup), 0),
    update(bar) {
      requireBar('IndicatorSet.update', bar);
      for (let i = 0; i < writers.length; i++) (writers[i] as Built).write(bar, row, offsets[i] as number);
      return row;
    },
  };
}

/** Runs specs over a whole series: one Float64Array per column, NaN where the column has no value yet. */
export function computeIndicatorColumns(specs: readonly string[], bars: OhlcvColumns): { columns: readonly string[]; values: Float64Array[] } {
  const set = createIndicatorSet(specs);
  const values = set.columns.map(() => new Float64Array(bars.length));
  const bar = { open: 0, high: 0, low: 0, close: 0, volume: 0 };
  for (let i = 0; i < bars.length; i++) {
    bar.open = bars.open[i] as number;
    bar.high = bars.high[i] as number;
    bar.low = bars.low[i] as number;
    bar.close = bars.close[i] as number;
    bar.volume = bars.volume[i] as number;
    const row = set.update(bar);
    for (let c = 0; c < row.length; c++) (values[c] as Float64Array)[i] = row[c] ?? Number.NaN;
  }
  return { columns: set.columns, values };
}
