import { z } from 'zod';
import type { ReadTool } from './ask-model.js';
import type { PointInTimeMarket } from './point-in-time-market.js';

const MAX_TOOL_BARS = 200;

/**
 * The read-only tools a model may call. None takes a date or a time: every answer is as of the current simulated
 * bar, from what the harness has already shown the brain, so a tool cannot look ahead.
 */
export function marketTools(market: PointInTimeMarket, positionOf: (instrumentId: string) => number): ReadTool[] {
  const instrument = z.string().refine((id) => market.instruments.includes(id), { error: `must be one of ${market.instruments.join(', ')}` });
  return [
    {
      name: 'recent_bars',
      description: `The most recent bars of an instrument up to now (oldest first): time, open, high, low, close, volume. At most ${MAX_TOOL_BARS}.`,
      parameters: {
        type: 'object',
        properties: { instrument: { type: 'string' }, count: { type: 'integer', minimum: 1, maximum: MAX_TOOL_BARS } },
        required: ['instrument', 'count'],
        additionalProperties: false,
      },
      run: (json) =>
        withArguments(json, z.strictObject({ instrument, count: z.number().int().min(1).max(MAX_TOOL_BARS) }), (a) =>
          market
            .bars(a.instrument, a.count)
            .map((b) => market.line(b, num))
            .join('\n'),
        ),
    },
    {
      name: 'indicator',
      description: 'An indicator over the bars up to now, by spec: sma:20, ema:50, rsi:14, atr:14, bb:20:2, macd:12:26:9, adx:14, zscore:20 ... Returns its latest value(s).',
      parameters: {
        type: 'object',
        properties: { instrument: { type: 'string' }, spec: { type: 'string' } },
        required: ['instrument', 'spec'],
        additionalProperties: false,
      },
      run: (json) =>
        withArguments(json, z.strictObject({ instrument, spec: z.string().min(1).max(40) }), (a) => {
          try {
            return market
              .indicator(a.instrument, a.spec)
              .map((v) => `${v.name}=${v.value === undefined ? 'not enough bars yet' : num(v.value)}`)
              .join(' ');
          } catch (error) {
            return `error: ${(error as Error).message}`;
          }
        }),
    },
    {
      name: 'position',
      description: 'The desk position this analyst trades in an instrument now (base units; negative when short).',
      parameters: { type: 'object', properties: { instrument: { type: 'string' } }, required: ['instrument'], additionalProperties: false },
      run: (json) => withArguments(json, z.strictObject({ instrument }), (a) => `${a.instrument} position ${num(positionOf(a.instrument))}`),
    },
  ];
}

function withArguments<T>(json: string, schema: z.ZodType<T>, run: (args: T) => string): string {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return 'error: the arguments are not a JSON object';
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) return `error: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).join('; ')}`;
  return run(parsed.data);
}

/** Numbers as the model reads them: up to 8 significant digits, no exponent for ordinary prices. */
export function num(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Number(value.toPrecision(8)).toString();
}
