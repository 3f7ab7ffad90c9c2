/** The desk file's `data` section: per instrument, a file (with its CSV layout, funding and marks) or the generator. */
import { z } from 'zod';
import { FixRequestError } from '../core/errors.js';
import { choleskyFactor } from '../data/synthetic/correlation.js';
import { duration, instrumentRef, isoDate } from './fields.js';

/** A CSV column: its header name, or its 0-based position. */
const COLUMN = 'must be a header name or a 0-based column number';
const CORRELATION = 'must be between -1 and 1';
const csvColumn = z.union([z.string().min(1, { error: COLUMN }), z.number({ error: COLUMN }).int({ error: COLUMN }).min(0, { error: COLUMN })], { error: COLUMN });

const fileData = z.strictObject({
  source: z.literal('file'),
  path: z.string().min(1, { error: 'must not be empty' }),
  format: z.enum(['auto', 'csv', 'freqtrade-json', 'feather'], { error: 'must be auto, csv, freqtrade-json or feather' }).default('auto'),
  timeframe: duration().optional(),
  /** CSV layout, for files the header detection does not read (as the CLI's --columns, --adj-close and friends). */
  columns: z
    .strictObject({
      timestamp: csvColumn.optional(),
      date: csvColumn.optional(),
      time: csvColumn.optional(),
      open: csvColumn.optional(),
      high: csvColumn.optional(),
      low: csvColumn.optional(),
      close: csvColumn.optional(),
      volume: csvColumn.optional(),
      adjClose: csvColumn.optional(),
    })
    .optional(),
  adjClose: z.boolean({ error: 'must be true or false' }).optional(),
  header: z.boolean({ error: 'must be true or false' }).optional(),
  delimiter: z.string().length(1, { error: 'must be one character' }).optional(),
  epochUnit: z.enum(['s', 'ms', 'us', 'ns'], { error: 'must be s, ms, us or ns' }).optional(),
  /** Perpetuals: funding rates (freqtrade's layout, the rate in the open column) and mark-price candles. */
  funding: z.string().min(1, { error: 'must not be empty' }).optional(),
  marks: z.string().min(1, { error: 'must not be empty' }).optional(),
});

const syntheticData = z.strictObject({
  source: z.literal('synthetic'),
  startPrice: z.number({ error: 'must be a number' }).positive({ error: 'must be positive' }),
  annualVol: z.number({ error: 'must be a number' }).positive({ error: 'must be positive' }).optional(),
  drift: z.number({ error: 'must be a number' }).optional(),
  start: isoDate(),
  timeframe: duration(),
  bars: z.number({ error: 'must be an integer' }).int({ error: 'must be an integer' }).min(2, { error: 'must be at least 2' }),
  regimes: z.boolean({ error: 'must be true or false' }).default(true),
  garch: z.boolean({ error: 'must be true or false' }).default(true),
  /** Correlation of this instrument's price shocks with other synthetic instruments of its market (default 0). */
  correlation: z.record(instrumentRef, z.number({ error: 'must be a number' }).min(-1, { error: CORRELATION }).max(1, { error: CORRELATION })).optional(),
});

export type SyntheticSource = z.output<typeof syntheticData>;
type DataEntry = z.output<typeof fileData> | SyntheticSource;

export const dataSection = z
  .record(instrumentRef, z.discriminatedUnion('source', [fileData, syntheticData], { error: 'must be file or synthetic' }))
  .superRefine((data, ctx) => {
    for (const issue of syntheticMarketIssues(data)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  });

/**
 * The market a synthetic instrument is generated in: the synthetic instruments of one venue with the same start,
 * timeframe, bars, regimes and garch are one market, with one regime chain and correlated price shocks.
 */
export function syntheticMarketKey(id: string, source: SyntheticSource): string {
  return JSON.stringify([id.slice(0, id.indexOf(':')), source.start, source.timeframe, source.bars, source.regimes, source.garch]);
}

/** The price path an instrument trades on: a spot and the perpetuals of its pair (`SYNTH:BTC/USDT[:USDT]`) share one. */
export function pricePathOf(id: string): string {
  const settle = id.indexOf(':', id.indexOf(':') + 1);
  return settle < 0 ? id : id.slice(0, settle);
}

/** The correlation the data section gives the price paths of two instruments: 1 on one path, else as declared (default 0). */
export function pathCorrelation(data: Readonly<Record<string, DataEntry>>, a: string, b: string): number {
  const pathA = pricePathOf(a);
  const pathB = pricePathOf(b);
  if (pathA === pathB) return 1;
  for (const [id, source] of Object.entries(data)) {
    if (source.source !== 'synthetic' || source.correlation === undefined) continue;
    for (const [other, value] of Object.entries(source.correlation)) {
      const pair = [pricePathOf(id), pricePathOf(other)];
      if ((pair[0] === pathA && pair[1] === pathB) || (pair[0] === pathB && pair[1] === pathA)) return value;
    }
  }
  return 0;
}

/**
 * What keeps the synthetic instruments from forming markets: a spot and its perpetual generated apart or from
 * different start prices, volatilities or drifts; correlations with what is not in the same market, with the
 * instrument's own path, given twice differently, or contradicting each other.
 */
function syntheticMarketIssues(data: Readonly<Record<string, DataEntry>>): { path: (string | number)[]; message: string }[] {
  const issues: { path: (string | number)[]; message: string }[] = [];
  const synthetic = Object.entries(data).filter((entry): entry is [string, SyntheticSource] => entry[1].source === 'synthetic');
  const pathLeads = new Map<string, [string, SyntheticSource]>();
  for (const [id, source] of synthetic) {
    const lead = pathLeads.get(pricePathOf(id));
    if (lead === undefined) {
      pathLeads.set(pricePathOf(id), [id, source]);
      continue;
    }
    const [leadId, leadSource] = lead;
    if (syntheticMarketKey(id, source) !== syntheticMarketKey(leadId, leadSource)) {
      issues.push({ path: [id], message: `shares ${leadId}'s price path, so it needs the same start, timeframe, bars, regimes and garch` });
    }
    for (const key of ['startPrice', 'annualVol', 'drift'] as const) {
      if (source[key] !== leadSource[key]) issues.push({ path: [id, key], message: `must be ${leadId}'s (${leadSource[key] ?? 'unset'}): the two share one price path` });
    }
  }
  const declared = new Map<string, { at: string; value: number }>();
  for (const [id, source] of synthetic) {
    for (const [other, value] of Object.entries(source.correlation ?? {})) {
      // A value out of range is reported by the schema itself.
      if (!(Math.abs(value) <= 1)) return issues;
      const path = [id, 'correlation', other];
      const target = data[other];
      if (target?.source !== 'synthetic') issues.push({ path, message: `${other} is not a synthetic instrument of the data section` });
      else if (pricePathOf(other) === pricePathOf(id)) issues.push({ path, message: `${other} trades on ${id}'s price path; their correlation is 1` });
      else if (syntheticMarketKey(other, target) !== syntheticMarketKey(id, source)) {
        issues.push({ path, message: `${other} is generated as another market (another venue, start, timeframe, bars, regimes or garch); correlations hold within one market` });
      } else {
        const key = [pricePathOf(id), pricePathOf(other)].sort().join(' ');
        const earlier = declared.get(key);
        if (earlier === undefined) declared.set(key, { at: `data.${id}.correlation.${other}`, value });
        else if (earlier.value !== value) issues.push({ path, message: `contradicts ${earlier.at} (${earlier.value})` });
      }
    }
  }
  if (issues.length === 0) issues.push(...contradictingCorrelations(data, synthetic));
  return issues;
}

/** Per market, correlations no set of price shocks can have at once (the matrix is not positive definite). */
function contradictingCorrelations(data: Readonly<Record<string, DataEntry>>, synthetic: readonly [string, SyntheticSource][]) {
  const markets = new Map<string, string[]>();
  for (const [id, source] of synthetic) {
    const key = syntheticMarketKey(id, source);
    const paths = markets.get(key) ?? [];
    if (!paths.some((other) => pricePathOf(other) === pricePathOf(id))) paths.push(id);
    markets.set(key, paths);
  }
  const issues: { path: (string | number)[]; message: string }[] = [];
  for (const ids of markets.values()) {
    if (ids.length < 2) continue;
    try {
      choleskyFactor(ids.map((a) => ids.map((b) => pathCorrelation(data, a, b))));
    } catch (error) {
      if (!(error instanceof FixRequestError)) throw error;
      issues.push({
        path: [ids[0] as string, 'correlation'],
        message: `the correlations among ${ids.join(', ')} cannot all hold at once (pairs not given are 0; ±1 between two price paths, or values that contradict each other like A~B 0.9, B~C 0.9, A~C -0.9, are impossible)`,
      });
    }
  }
  return issues;
}

