/**
 * The desk configuration's model sections: an agent's model-driven brain, and the desk's `llm` section (call mode,
 * decision records, prices, budget, news). Validated like the rest of desk-sections.ts.
 */
import { z } from 'zod';
import { duration, envName } from './fields.js';

const count = (min: number, max: number) =>
  z.number({ error: 'must be a whole number' }).int({ error: 'must be a whole number' }).min(min, { error: `must be at least ${min}` }).max(max, { error: `must be at most ${max}` });
const budgetSchema = z.strictObject({
  runTokens: count(1, 1e12).optional(),
  runUsd: z.number({ error: 'must be a number of dollars' }).positive({ error: 'must be positive' }).optional(),
  dayTokens: count(1, 1e12).optional(),
  dayUsd: z.number({ error: 'must be a number of dollars' }).positive({ error: 'must be positive' }).optional(),
});
/**
 * A model-driven brain. Keys come only from the environment (`apiKeyEnv`, or `authTokenEnv` for a bearer token on
 * Anthropic); an OpenAI-compatible local server (`baseUrl`) may need none.
 */
export const llmBrain = z.strictObject({
  kind: z.literal('llm'),
  provider: z.enum(['anthropic', 'openai'], { error: 'must be anthropic or openai' }),
  model: z.string({ error: 'must name a model' }).min(1, { error: 'must name a model' }),
  apiKeyEnv: envName.optional(),
  authTokenEnv: envName.optional(),
  baseUrl: z.url({ protocol: /^https?$/, error: 'must be an http or https URL' }).optional(),
  temperature: z.number({ error: 'must be a number' }).min(0, { error: 'must be from 0 to 2' }).max(2, { error: 'must be from 0 to 2' }).default(0),
  maxTokens: count(16, 64_000).default(512),
  timeout: duration().default(30_000),
  maxRetries: count(0, 10).default(2),
  /** How the answer's JSON is asked for (auto: from the capability table). */
  structuredOutput: z.enum(['auto', 'json-schema', 'tool', 'json-mode'], { error: 'must be auto, json-schema, tool or json-mode' }).default('auto'),
  /** Offer the read-only market tools (default: when the model can use them). */
  tools: z.boolean({ error: 'must be true or false' }).optional(),
  maxToolRounds: count(0, 5).default(2),
  /** Analysts: ask every this many bars (cost control). */
  everyBars: count(1, 100_000).default(1),
  /** Analysts: bars before the first call. */
  warmup: count(0, 100_000).default(50),
  recentBars: count(1, 200).default(20),
  memoryTokens: count(0, 100_000).default(600),
  /** Stops and targets must lie within this fraction of the mark. */
  band: z.number({ error: 'must be a fraction' }).gt(0, { error: 'must be above 0' }).max(1, { error: 'must be at most 1' }).default(0.25),
  /** Features shown each call (indicator specs of `conclave indicators`). */
  features: z.array(z.string().min(1)).default(['sma:20', 'sma:50', 'rsi:14', 'atr:14']),
  /** The manager's prompt variant. */
  variant: z.enum(['conservative', 'standard', 'aggressive'], { error: 'must be conservative, standard or aggressive' }).optional(),
  budget: budgetSchema.optional(),
});

export const llmSection = z.strictObject({
  /** live: always call; record: answer from the records when the same call was made, else call and store; replay: records only. */
  mode: z.enum(['live', 'record', 'replay'], { error: 'must be live, record or replay' }).default('record'),
  /** The decision records (JSONL): the audit trail and the cache. Without it records stay in memory. */
  records: z.string().min(1, { error: 'must not be empty' }).optional(),
  /** Dollars per million tokens for every model the desk uses. */
  prices: z
    .record(
      z.string().min(1),
      z.strictObject({
        inputPerMillion: z.number({ error: 'must be a number' }).min(0, { error: 'must not be negative' }),
        outputPerMillion: z.number({ error: 'must be a number' }).min(0, { error: 'must not be negative' }),
      }),
    )
    .default({}),
  /** The desk's budget, shared by every model-driven agent. */
  budget: budgetSchema.optional(),
  /** Outside text (JSONL: ts, source, headline, body) shown to analysts as untrusted data at its time. */
  news: z.string().min(1, { error: 'must not be empty' }).optional(),
});
