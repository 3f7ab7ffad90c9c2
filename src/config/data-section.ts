/** The desk file's `data` section: per instrument, a file (with its CSV layout, funding and marks) or the generator. */
import { z } from 'zod';
import { duration, instrumentRef, isoDate } from './fields.js';

/** A CSV column: its header name, or its 0-based position. */
const COLUMN = 'must be a header name or a 0-based column number';
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
});

export const dataSection = z.record(instrumentRef, z.discriminatedUnion('source', [fileData, syntheticData], { error: 'must be file or synthetic' }));

