/**
 * What a model-driven brain must answer, and how the answer is checked (DESIGN §6). The answer is one JSON object —
 * never prose, never a JSON object fished out of prose — validated first by shape (zod, strict), then by meaning
 * against the moment's facts: the instrument is in the universe, the conviction's sign agrees with the action, stops
 * and targets sit on the right side of the mark and within a band of it. Anything else is invalid with reasons the
 * brain can show the model once (one repair), after which it abstains. Nothing ever defaults to a trading action.
 */
import { z } from 'zod';

/** Longest answer read at all: anything bigger is refused before parsing. */
export const MAX_ANSWER_CHARS = 16_384;

const level = z.union(
  [
    z.strictObject({ price: z.number({ error: 'must be a number' }).positive({ error: 'must be positive' }).finite({ error: 'must be finite' }) }),
    z.strictObject({
      percentOfMark: z
        .number({ error: 'must be a number' })
        .gt(0, { error: 'must be above 0' })
        .lt(100, { error: 'must be below 100' }),
    }),
  ],
  { error: 'must be { "price": number } or { "percentOfMark": number }' },
);

const thesis = z.string({ error: 'must be text' }).trim().min(1, { error: 'must not be empty' }).max(2000, { error: 'must be at most 2000 characters' });

const trade = z.strictObject({
  action: z.enum(['long', 'short', 'flat'], { error: 'must be long, short, flat or abstain' }),
  instrument: z.string({ error: 'must be an instrument id' }).min(1, { error: 'must be an instrument id' }).max(100, { error: 'must be an instrument id' }),
  /** -1..1: sign is the direction (long > 0, short < 0), size is how sure. */
  conviction: z.number({ error: 'must be a number from -1 to 1' }).min(-1, { error: 'must be from -1 to 1' }).max(1, { error: 'must be from -1 to 1' }),
  horizonBars: z.number({ error: 'must be a whole number of bars' }).int({ error: 'must be a whole number of bars' }).min(1, { error: 'must be at least 1' }).max(100_000, { error: 'must be at most 100000' }),
  thesis,
  stop: level.optional(),
  target: level.optional(),
});

const abstain = z.strictObject({ action: z.literal('abstain'), reason: thesis });

/** The JSON shape a model is asked for (also given to providers that take a schema). */
export const modelAnswerSchema = z.discriminatedUnion('action', [trade.extend({ action: z.literal('long') }), trade.extend({ action: z.literal('short') }), trade.extend({ action: z.literal('flat') }), abstain], {
  error: 'action must be long, short, flat or abstain',
});

export type ModelAnswer = z.output<typeof modelAnswerSchema>;

/** The facts an answer is checked against, at the decision's simulated time. */
export interface AnswerContext {
  /** Instruments the brain may speak about, with their mark price now. */
  readonly marks: ReadonlyMap<string, number>;
  /** Stops and targets must lie within this fraction of the mark (0.25: ±25%). */
  readonly band: number;
}

export interface CheckedIntent {
  readonly direction: 'long' | 'short' | 'flat';
  readonly instrumentId: string;
  /** 0..1. */
  readonly conviction: number;
  readonly horizonBars: number;
  readonly thesis: string;
  /** Resolved prices (percent of mark turned into a price on the right side). */
  readonly stopPrice?: number;
  readonly targetPrice?: number;
}

export type CheckedAnswer =
  | { readonly kind: 'intent'; readonly intent: CheckedIntent }
  | { readonly kind: 'abstain'; readonly reason: string }
  | { readonly kind: 'invalid'; readonly problems: readonly string[] };

/**
 * Reads one JSON object of a model's answer and checks its shape by `schema`, naming every problem. Any role's
 * answer is read this way (analyst here, manager and judge in llm-reviewers.ts). Never throws.
 */
export function parseJsonAnswer<S extends z.ZodType>(text: unknown, schema: S): { ok: true; value: z.output<S> } | { ok: false; problems: string[] } {
  if (typeof text !== 'string') return { ok: false, problems: ['the answer is not text'] };
  if (text.length > MAX_ANSWER_CHARS) return { ok: false, problems: [`the answer is ${text.length} characters; at most ${MAX_ANSWER_CHARS} are read`] };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, problems: ['the answer is not a JSON object: reply with exactly one JSON object and nothing else'] };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: false, problems: ['the answer must be one JSON object'] };
  const parsed = schema.safeParse(value);
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.map((issue) => `${issue.path.length === 0 ? 'answer' : issue.path.join('.')}: ${issue.message}`) };
  return { ok: true, value: parsed.data };
}

/** Reads and checks a model's answer. Never throws; every refusal says why. */
export function checkModelAnswer(text: unknown, context: AnswerContext): CheckedAnswer {
  const parsed = parseJsonAnswer(text, modelAnswerSchema);
  if (!parsed.ok) return { kind: 'invalid', problems: parsed.problems };
  const answer = parsed.value;
  if (answer.action === 'abstain') return { kind: 'abstain', reason: answer.reason };
  return checkMeaning(answer, context);
}

function checkMeaning(answer: Exclude<ModelAnswer, { action: 'abstain' }>, context: AnswerContext): CheckedAnswer {
  const problems: string[] = [];
  const mark = context.marks.get(answer.instrument);
  if (mark === undefined || !(mark > 0)) {
    const known = [...context.marks.keys()].slice(0, 20).join(', ');
    return invalid(`instrument: ${answer.instrument.slice(0, 100)} is not in the universe (${known})`);
  }
  const { action, conviction } = answer;
  if (action === 'long' && !(conviction > 0)) problems.push(`conviction: a long needs a conviction above 0, got ${conviction}`);
  if (action === 'short' && !(conviction < 0)) problems.push(`conviction: a short needs a conviction below 0, got ${conviction}`);
  if (action === 'flat' && (answer.stop !== undefined || answer.target !== undefined)) problems.push('stop/target: a flat answer takes no stop or target');
  const resolve = (name: 'stop' | 'target', given: { price: number } | { percentOfMark: number } | undefined): number | undefined => {
    if (given === undefined || action === 'flat') return undefined;
    const below = (name === 'stop') === (action === 'long');
    const price = 'price' in given ? given.price : mark * (1 + (below ? -1 : 1) * (given.percentOfMark / 100));
    const distance = Math.abs(price / mark - 1);
    if (below && !(price < mark)) problems.push(`${name}: ${price} must be below the mark ${mark} for a ${action}`);
    if (!below && !(price > mark)) problems.push(`${name}: ${price} must be above the mark ${mark} for a ${action}`);
    if (distance > context.band) problems.push(`${name}: ${price} is ${(distance * 100).toFixed(2)}% from the mark ${mark}; at most ${(context.band * 100).toFixed(2)}% is allowed`);
    return price;
  };
  const stopPrice = resolve('stop', answer.stop);
  const targetPrice = resolve('target', answer.target);
  if (problems.length > 0) return { kind: 'invalid', problems };
  return {
    kind: 'intent',
    intent: {
      direction: action,
      instrumentId: answer.instrument,
      conviction: Math.abs(conviction),
      horizonBars: answer.horizonBars,
      thesis: answer.thesis,
      ...(stopPrice === undefined ? {} : { stopPrice }),
      ...(targetPrice === undefined ? {} : { targetPrice }),
    },
  };
}

function invalid(problem: string): CheckedAnswer {
  return { kind: 'invalid', problems: [problem] };
}
