/**
 * The desk configuration's sections (DESIGN §7): one YAML file, validated here. Every object is strict (unknown keys are
 * errors), money, prices and fractions are decimal strings, durations are `30s`/`5m`/`1h`/`1d` strings parsed to
 * ms, and secrets are only ever named (`*Env` fields), never written in the file. Cross-field rules (references
 * between sections, strategy parameters) run after the sections themselves are well formed.
 */
import { z } from 'zod';
import { Fixed } from '../core/fixed.js';
import { defineInstrument } from '../domain/instrument.js';
import { currencyCode, decimal, duration, envName, identifier, instrumentRef, isoDate } from './fields.js';
import { dataSection } from './data-section.js';
import { llmBrain, llmSection } from './llm-sections.js';

const ONE = Fixed.fromInt(1);
const MAX_SEED = Math.floor(Number.MAX_SAFE_INTEGER / 1000) - 1000;

// ---------------------------------------------------------------- desk

const deskSection = z
  .strictObject({
    name: z.string({ error: 'must be text' }).min(1, { error: 'must not be empty' }),
    valuationCurrency: currencyCode,
    mode: z.enum(['backtest', 'paper', 'live'], { error: 'must be backtest, paper or live' }).default('backtest'),
    // Each synthetic market's stream is seeded seed x 1000 + the position of its first instrument: that must stay an exact integer.
    seed: z
      .number({ error: 'must be an integer' })
      .int({ error: 'must be an integer' })
      .nonnegative({ error: 'must be zero or more' })
      .max(MAX_SEED, { error: `must be at most ${MAX_SEED}` })
      .default(1),
    /** Live trading is opt-in: `live: { confirm: true }`. */
    live: z.strictObject({ confirm: z.literal(true, { error: 'must be true to trade live with real money' }) }).optional(),
  })
  .superRefine((desk, ctx) => {
    if (desk.mode === 'live' && desk.live?.confirm !== true) {
      ctx.addIssue({ code: 'custom', path: ['live'], message: 'mode live needs `live: { confirm: true }` (real orders, real money)' });
    }
  });

// ---------------------------------------------------------------- instruments

const instrumentSchema = z
  .strictObject({
    id: instrumentRef,
    kind: z.enum(['spot', 'perpetual'], { error: 'must be spot or perpetual' }).optional(),
    tickSize: decimal('positive'),
    lotSize: decimal('positive'),
    minQuantity: decimal('non-negative').optional(),
    minNotional: decimal('non-negative').optional(),
    makerFee: decimal('any').optional(),
    takerFee: decimal('non-negative').optional(),
    contractSize: decimal('positive').optional(),
    maxLeverage: decimal('positive').optional(),
    marginTiers: z
      .array(
        z.strictObject({
          maxNotional: decimal('positive').nullable(),
          maintenanceRate: decimal('positive-fraction'),
          maxLeverage: decimal('positive'),
        }),
      )
      .optional(),
  })
  .superRefine((spec, ctx) => {
    if (ctx.issues.length > 0) return;
    try {
      defineInstrument(spec);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
    }
  });

const instrumentsSection = z.array(instrumentSchema).min(1, { error: 'declare at least one instrument' });

// ---------------------------------------------------------------- venues

const slippageSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('none') }),
    z.strictObject({ kind: z.literal('fixed-bps'), bps: decimal('non-negative') }),
    z.strictObject({ kind: z.literal('volume-share'), impact: decimal('non-negative') }),
  ],
  { error: 'must be none, fixed-bps or volume-share' },
);

const simVenue = z.strictObject({
  kind: z.literal('sim'),
  /** The venue part of instrument ids it lists (`SYNTH` for `SYNTH:BTC/USDT`). */
  id: z.string().regex(/^[A-Z0-9_-]+$/, { error: 'must be a venue id in capitals, e.g. SYNTH' }),
  fillModel: z.enum(['bar'], { error: 'must be bar: a desk feeds its venue bars (l1 and l2 need quotes, trades or order books)' }).default('bar'),
  barExecution: z.enum(['next-open', 'close'], { error: 'must be next-open or close' }).optional(),
  volumeShare: decimal('positive-fraction').optional(),
  slippage: slippageSchema.optional(),
  latency: duration().optional(),
  marginMode: z.enum(['isolated', 'cross'], { error: 'must be isolated or cross' }).optional(),
  leverage: z.record(instrumentRef, decimal('positive')).optional(),
  liquidationFeeRate: decimal('fraction').optional(),
});

/** A real exchange through ccxt. Testnet unless `testnet: false`, which also needs desk mode live (opt-in). */
const ccxtVenue = z.strictObject({
  kind: z.literal('ccxt'),
  id: z.string().regex(/^[A-Z0-9_-]+$/, { error: 'must be a venue id in capitals, e.g. BINANCE' }),
  exchange: z.string().regex(/^[a-z0-9]+$/, { error: 'must be a ccxt exchange id such as binance' }),
  testnet: z.boolean({ error: 'must be true or false' }).default(true),
  apiKeyEnv: envName.optional(),
  secretEnv: envName.optional(),
  passwordEnv: envName.optional(),
});

const venueSchema = z.discriminatedUnion('kind', [simVenue, ccxtVenue], { error: 'must be sim or ccxt' });

// ---------------------------------------------------------------- capital

const sleeveSchema = z.strictObject({
  id: identifier,
  currency: currencyCode.optional(),
  maxGrossExposure: decimal('positive'),
  maxDrawdown: decimal('positive-fraction'),
  minWeight: decimal('fraction').optional(),
  maxWeight: decimal('fraction').optional(),
});

const allocationSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('equal') }),
    z.strictObject({ kind: z.literal('fixed'), weights: z.record(identifier, decimal('fraction')) }),
    z.strictObject({
      kind: z.literal('performance'),
      lookback: z.number({ error: 'must be an integer' }).int({ error: 'must be an integer' }).min(2, { error: 'must be at least 2' }),
      /** Share of each weight that is the equal share rather than the Sharpe share (0.5 when not given). */
      shrink: decimal('fraction').optional(),
      /** Most a target weight moves per rebalance (0.1 when not given; 1 is no limit). */
      maxStep: decimal('positive-fraction').optional(),
    }),
  ],
  { error: 'must be equal, fixed or performance' },
);

const hourUtc = z.number({ error: 'must be an hour 0-23' }).int({ error: 'must be an hour 0-23' }).min(0, { error: 'must be an hour 0-23' }).max(23, { error: 'must be an hour 0-23' });

const rebalanceSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('daily'), hourUtc: hourUtc.optional() }),
    z.strictObject({
      kind: z.literal('weekly'),
      weekday: z.number({ error: 'must be a weekday 0-6 (0 = Sunday)' }).int({ error: 'must be a weekday 0-6 (0 = Sunday)' }).min(0, { error: 'must be a weekday 0-6 (0 = Sunday)' }).max(6, { error: 'must be a weekday 0-6 (0 = Sunday)' }),
      hourUtc: hourUtc.optional(),
    }),
    z.strictObject({ kind: z.literal('every'), hours: z.number({ error: 'must be a whole number of hours' }).int({ error: 'must be a whole number of hours' }).positive({ error: 'must be positive' }) }),
  ],
  { error: 'must be daily, weekly or every' },
);

const capitalSection = z.strictObject({
  /** Master account cash by currency. */
  cash: z.record(currencyCode, decimal('non-negative')),
  sleeves: z.array(sleeveSchema).min(1, { error: 'declare at least one sleeve' }),
  /** Equal weights when not given. */
  allocation: allocationSchema.optional(),
  rebalance: rebalanceSchema.optional(),
  profitSweep: z.strictObject({ share: decimal('fraction') }).optional(),
  goals: z
    .strictObject({
      targetReturn: decimal('any'),
      drawdownCeiling: decimal('positive-fraction'),
      start: isoDate(),
      deadline: isoDate(),
    })
    .superRefine((goals, ctx) => {
      if (goals.deadline <= goals.start) ctx.addIssue({ code: 'custom', path: ['deadline'], message: 'must be after start' });
    })
    .optional(),
});

// ---------------------------------------------------------------- agents

const rulesBrain = z.strictObject({ kind: z.literal('rules') });
const brainSchema = z.preprocess(
  (value) => (value === 'rules' || value === 'llm' ? { kind: value } : value),
  z.discriminatedUnion('kind', [rulesBrain, llmBrain], { error: 'must be rules or llm' }),
);

const sizingSchema = z.strictObject({
  kind: z.enum(['quantity', 'notional'], { error: 'must be quantity or notional' }),
  /** The size of a conviction-1 position: instrument quantity units, or settle-currency notional. */
  perConviction: decimal('positive'),
});

const agentBase = {
  id: identifier,
  brain: brainSchema.default({ kind: 'rules' }),
  every: duration().optional(),
};

const analystAgent = z.strictObject({
  ...agentBase,
  role: z.literal('analyst'),
  /** The rules brain's strategy (an llm analyst takes none). */
  strategy: z.string({ error: 'must name a strategy' }).optional(),
  params: z.record(z.string(), z.union([z.number(), z.string()], { error: 'must be a number or text' })).default({}),
  /** Instruments the analyst watches (default: every instrument of the desk). */
  instruments: z.array(instrumentRef).min(1, { error: 'list at least one instrument' }).optional(),
  sleeve: identifier,
  sizing: sizingSchema.optional(),
});

const managerAgent = z.strictObject({ ...agentBase, role: z.literal('manager') });
const judgeAgent = z.strictObject({
  ...agentBase,
  role: z.literal('judge'),
  /** Periods of equity the allocation inputs look back over. */
  allocationLookback: z.number({ error: 'must be an integer' }).int({ error: 'must be an integer' }).min(2, { error: 'must be at least 2' }).optional(),
  /** Minimum time an agent stays in a mode before a score-driven switch. */
  minDwell: duration().optional(),
  /** Conservative is left only once the sleeve's drawdown is below this fraction of its budget (default 0.8). */
  recoveryFraction: decimal('positive-fraction').optional(),
});
const optimizerAgent = z.strictObject({
  ...agentBase,
  role: z.literal('optimizer'),
  /** How many recent bars (of each analyst's first instrument) the walk-forward search looks at. */
  lookbackBars: z.number({ error: 'must be an integer' }).int({ error: 'must be an integer' }).min(100, { error: 'must be at least 100' }).default(1000),
  /** automatic: proposals are applied at once; manual: they wait for an operator's approval. */
  approval: z.enum(['automatic', 'manual'], { error: 'must be automatic or manual' }).default('manual'),
});
const notifierAgent = z.strictObject({ ...agentBase, role: z.literal('notifier'), channels: z.array(z.string()).optional() });

const agentSchema = z.discriminatedUnion('role', [analystAgent, managerAgent, judgeAgent, optimizerAgent, notifierAgent], {
  error: 'must be analyst, manager, judge, optimizer or notifier',
});

const agentsSection = z.array(agentSchema).min(1, { error: 'declare at least one agent' });

// ---------------------------------------------------------------- manager (decision mode)

const managerSection = z.discriminatedUnion(
  'mode',
  [
    z.strictObject({ mode: z.literal('independent') }),
    z.strictObject({
      mode: z.literal('weighted'),
      /** Multiplier per analyst (not normalised); an analyst without a weight counts 0. */
      weights: z.record(identifier, decimal('non-negative')),
      deadband: z.strictObject({ quantity: decimal('non-negative').optional(), notional: decimal('non-negative').optional() }).optional(),
    }),
    z.strictObject({
      mode: z.literal('consensus'),
      k: z.number({ error: 'must be an integer' }).int({ error: 'must be an integer' }).min(1, { error: 'must be at least 1' }),
      size: sizingSchema,
    }),
    z.strictObject({
      mode: z.literal('hierarchical'),
      vetoInstruments: z.array(instrumentRef).optional(),
      maxTargetQuantity: z.record(instrumentRef, decimal('positive')).optional(),
      maxTargetNotional: decimal('positive').optional(),
      vetoOnDisagreement: z.boolean({ error: 'must be true or false' }).default(true),
    }),
  ],
  { error: 'must be independent, weighted, consensus or hierarchical' },
);

// ---------------------------------------------------------------- execution

const algorithmSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('market') }),
    /**
     * A limit at the reference price moved by offsetBps in the order's favour (0: at the price), good for `expireAfter`;
     * without it an opening limit rests until it fills and one that reduces a position lives 4h, then its rest goes at market.
     */
    z.strictObject({ kind: z.literal('limit'), offsetBps: decimal('non-negative').default('0'), expireAfter: duration().optional() }),
    /** Equal slices, one every duration/slices, as market orders. */
    z.strictObject({
      kind: z.literal('twap'),
      slices: z.number({ error: 'must be an integer' }).int({ error: 'must be an integer' }).min(2, { error: 'must be at least 2' }).max(1000, { error: 'must be at most 1000' }),
      over: duration(),
    }),
    /** A post-only limit at the touch, repriced each bar up to maxReprices times, then market (or cancel). */
    z.strictObject({
      kind: z.literal('post-only-chase'),
      maxReprices: z.number({ error: 'must be an integer' }).int({ error: 'must be an integer' }).min(0, { error: 'must be zero or more' }).max(100, { error: 'must be at most 100' }),
      fallback: z.enum(['market', 'cancel'], { error: 'must be market or cancel' }).default('market'),
    }),
  ],
  { error: 'must be market, limit, twap or post-only-chase' },
);

const executionSection = z.strictObject({
  algorithm: algorithmSchema.default({ kind: 'market' }),
  /** Protective exits attached to every opening order (a bracket): fractions of the entry price. */
  stopLoss: decimal('positive-fraction', (value) => (value.lt(ONE) ? undefined : "must be below 1: a long's stop 100% under the entry is a price of zero")).optional(),
  /** Below 1 when the desk can short (a short's take-profit sits this fraction under the entry): see the cross-checks. */
  takeProfit: decimal('positive').optional(),
});

// ---------------------------------------------------------------- risk

const breakerSchema = z.strictObject({
  fraction: decimal('positive-fraction'),
  action: z.enum(['REDUCING', 'HALTED'], { error: 'must be REDUCING or HALTED' }),
});

const riskSection = z.strictObject({
  limits: z
    .strictObject({
      allowedInstruments: z.array(instrumentRef).optional(),
      maxOrderNotional: decimal('positive').optional(),
      maxPositionNotional: decimal('positive').optional(),
      maxPositionNotionalByInstrument: z.record(instrumentRef, decimal('positive')).optional(),
      maxGrossExposure: decimal('positive').optional(),
      maxLeverage: decimal('positive').optional(),
      maxOpenOrders: z.number({ error: 'must be an integer' }).int({ error: 'must be an integer' }).positive({ error: 'must be positive' }).optional(),
      priceBand: decimal('positive-fraction').optional(),
      orderRate: z
        .strictObject({
          maxOrders: z.number({ error: 'must be an integer' }).int({ error: 'must be an integer' }).positive({ error: 'must be positive' }),
          window: duration(),
        })
        .optional(),
      maxDataAge: duration().optional(),
      clampToLimits: z.boolean({ error: 'must be true or false' }).optional(),
    })
    .prefault({}),
  breakers: z.strictObject({ dailyLoss: breakerSchema.optional(), maxDrawdown: breakerSchema.optional() }).prefault({}),
  /** The desk halts while a file of this name exists in its working directory. */
  killSwitchFile: z.string().regex(/^[A-Za-z0-9._-]+$/, { error: 'must be a plain file name' }).default('KILL'),
  /** Portfolio monitoring: VaR/CVaR on recent returns and stress shocks; breaching them reduces or halts the desk. */
  monitoring: z
    .strictObject({
      confidence: z.number({ error: 'must be a number' }).gt(0.5, { error: 'must be above 0.5' }).lt(1, { error: 'must be below 1' }).default(0.99),
      method: z.enum(['historical', 'parametric'], { error: 'must be historical or parametric' }).default('historical'),
      /** Returns (bars) the VaR looks back over. */
      lookbackBars: z.number({ error: 'must be an integer' }).int({ error: 'must be an integer' }).min(30, { error: 'must be at least 30' }).default(250),
      /** VaR as a fraction of equity above which the desk goes REDUCING (haltVar: HALTED); maxCvar likewise for CVaR. */
      maxVar: decimal('positive-fraction').optional(),
      haltVar: decimal('positive-fraction').optional(),
      maxCvar: decimal('positive-fraction').optional(),
      /** Volatility multipliers whose stressed VaR is measured and reported with each assessment. */
      volatilitySpikes: z.array(z.number({ error: 'must be a number' }).positive({ error: 'must be positive' })).default([]),
      /** Price shocks (fractions, e.g. '-0.2') whose loss, as a fraction of equity, must stay under maxStressLoss. */
      shocks: z.array(decimal('any', (value) => (value.lt(ONE.neg()) ? 'must be -1 or more: a price cannot fall more than 100%' : undefined))).default(['-0.1', '-0.2', '0.1']),
      maxStressLoss: decimal('positive-fraction').optional(),
      /** A stress loss above this fraction of equity halts the desk. */
      haltStressLoss: decimal('positive-fraction').optional(),
      /**
       * REDUCING the watch set lifts once every measure is at or below this part of its limit (maxVar, maxCvar,
       * maxStressLoss), and a cut aims there: the band below the limit keeps the desk from flipping at its edge.
       */
      releaseFraction: decimal('positive-fraction').default('0.9'),
    })
    .optional(),
});

// ---------------------------------------------------------------- notifications

const channelBase = {
  name: identifier,
  minSeverity: z.enum(['info', 'warning', 'critical'], { error: 'must be info, warning or critical' }).default('info'),
  timeout: duration().optional(),
};

const channelSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ ...channelBase, kind: z.literal('console') }),
    z.strictObject({ ...channelBase, kind: z.literal('jsonl'), path: z.string().min(1, { error: 'must not be empty' }) }),
    z.strictObject({ ...channelBase, kind: z.literal('webhook'), urlEnv: envName }),
    z.strictObject({ ...channelBase, kind: z.literal('slack'), webhookUrlEnv: envName, blocks: z.boolean().optional() }),
    z.strictObject({ ...channelBase, kind: z.literal('discord'), webhookUrlEnv: envName, embeds: z.boolean().optional() }),
    z.strictObject({ ...channelBase, kind: z.literal('telegram'), botTokenEnv: envName, chatIdEnv: envName }),
  ],
  { error: 'must be console, jsonl, webhook, slack, discord or telegram' },
);

const notificationsSection = z.strictObject({
  channels: z.array(channelSchema).default([]),
  /** Send a daily summary at this UTC hour. */
  dailySummaryHourUtc: hourUtc.optional(),
  /**
   * The name of the files a person steers `conclave run` through, in the directory it starts from: alerts in
   * <alertsFile>.json (acknowledged through <alertsFile>.ack), halt and resume through <alertsFile>.control, the
   * optimizer's proposals in <alertsFile>.proposals.json (approved through <alertsFile>.proposals.ack).
   */
  alertsFile: z.string().regex(/^[A-Za-z0-9._-]+$/, { error: 'must be a plain file name' }).default('ALERTS'),
});

// ---------------------------------------------------------------- orchestrator

const orchestratorSection = z.strictObject({
  /** How often idle roles are nudged to look again. */
  nudges: z.strictObject({ analysts: duration().optional(), manager: duration().optional(), risk: duration().optional() }).prefault({}),
  /** The position cycle: open positions, review them every so often, close them after a time. */
  positionCycle: z
    .strictObject({ open: z.boolean({ error: 'must be true or false' }).default(true), reviewEvery: duration(), closeAfter: duration() })
    .superRefine((cycle, ctx) => {
      if (cycle.closeAfter < cycle.reviewEvery) ctx.addIssue({ code: 'custom', path: ['closeAfter'], message: 'must be at least reviewEvery' });
    })
    .optional(),
});

// ---------------------------------------------------------------- the desk

export const deskShape = z.strictObject({
  desk: deskSection,
  instruments: instrumentsSection,
  venues: z.array(venueSchema).min(1, { error: 'declare at least one venue' }),
  data: dataSection.default({}),
  capital: capitalSection,
  agents: agentsSection,
  manager: managerSection.default({ mode: 'independent' }),
  sizing: sizingSchema.default({ kind: 'quantity', perConviction: '1' }),
  execution: executionSection.prefault({}),
  risk: riskSection.prefault({}),
  notifications: notificationsSection.prefault({}),
  orchestrator: orchestratorSection.prefault({}),
  llm: llmSection.optional(),
});

/** The desk's sections after parsing, before the cross-section rules. */
export type DeskShape = z.output<typeof deskShape>;
