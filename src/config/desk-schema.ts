/**
 * The desk configuration (DESIGN §7): one YAML file, validated here. Every object is strict (unknown keys are
 * errors), money, prices and fractions are decimal strings, durations are `30s`/`5m`/`1h`/`1d` strings parsed to
 * ms, and secrets are only ever named (`*Env` fields), never written in the file. Cross-field rules (references
 * between sections, strategy parameters) run after the sections themselves are well formed.
 */
import { z } from 'zod';
import { ConclaveError } from '../core/errors.js';
import type { InstrumentId } from '../core/ids.js';
import { defineInstrument } from '../domain/instrument.js';
import { defineSleeves } from '../portfolio/sleeves.js';
import { createStrategy, strategyFactories } from '../strategies/registry.js';
import { currencyCode, decimal, decimalValue, duration, envName, identifier, instrumentRef, isoDate } from './fields.js';

// ---------------------------------------------------------------- desk

const deskSection = z
  .strictObject({
    name: z.string({ error: 'must be text' }).min(1, { error: 'must not be empty' }),
    valuationCurrency: currencyCode,
    mode: z.enum(['backtest', 'paper', 'live'], { error: 'must be backtest, paper or live' }).default('backtest'),
    seed: z.number({ error: 'must be an integer' }).int({ error: 'must be an integer' }).nonnegative({ error: 'must be zero or more' }).default(1),
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
  fillModel: z.enum(['bar', 'l1', 'l2'], { error: 'must be bar, l1 or l2' }).default('bar'),
  barExecution: z.enum(['next-open', 'close'], { error: 'must be next-open or close' }).optional(),
  volumeShare: decimal('positive-fraction').optional(),
  slippage: slippageSchema.optional(),
  latency: duration().optional(),
  marginMode: z.enum(['isolated', 'cross'], { error: 'must be isolated or cross' }).optional(),
  leverage: z.record(instrumentRef, decimal('positive')).optional(),
  liquidationFeeRate: decimal('fraction').optional(),
  /** Starting balances at the venue; defaults to the master cash. */
  balances: z.record(currencyCode, decimal('non-negative')).optional(),
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

// ---------------------------------------------------------------- data

const fileData = z.strictObject({
  source: z.literal('file'),
  path: z.string().min(1, { error: 'must not be empty' }),
  format: z.enum(['auto', 'csv', 'freqtrade-json', 'feather'], { error: 'must be auto, csv, freqtrade-json or feather' }).default('auto'),
  timeframe: duration().optional(),
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

const dataSection = z.record(instrumentRef, z.discriminatedUnion('source', [fileData, syntheticData], { error: 'must be file or synthetic' }));

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
    z.strictObject({ kind: z.literal('performance'), lookback: z.number({ error: 'must be an integer' }).int({ error: 'must be an integer' }).min(2, { error: 'must be at least 2' }) }),
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
  allocation: allocationSchema.default({ kind: 'equal' }),
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
/** Accepted now, run later: the provider key is read from the environment variable `apiKeyEnv`. */
const llmBrain = z.strictObject({
  kind: z.literal('llm'),
  provider: z.enum(['anthropic', 'openai'], { error: 'must be anthropic or openai' }),
  model: z.string({ error: 'must name a model' }).min(1, { error: 'must name a model' }),
  apiKeyEnv: envName,
  temperature: z.number({ error: 'must be a number' }).min(0, { error: 'must be from 0 to 2' }).max(2, { error: 'must be from 0 to 2' }).optional(),
  maxTokens: z.number({ error: 'must be an integer' }).int({ error: 'must be an integer' }).positive({ error: 'must be positive' }).optional(),
  baseUrl: z.url({ error: 'must be a URL' }).optional(),
  timeout: duration().optional(),
});
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
  strategy: z.string({ error: 'must name a strategy' }),
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
});
const optimizerAgent = z.strictObject({ ...agentBase, role: z.literal('optimizer') });
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

const deskShape = z.strictObject({
  desk: deskSection,
  instruments: instrumentsSection,
  venues: z.array(venueSchema).min(1, { error: 'declare at least one venue' }),
  data: dataSection.default({}),
  capital: capitalSection,
  agents: agentsSection,
  manager: managerSection.default({ mode: 'independent' }),
  sizing: sizingSchema.default({ kind: 'quantity', perConviction: '1' }),
  risk: riskSection.prefault({}),
  notifications: notificationsSection.prefault({}),
  orchestrator: orchestratorSection.prefault({}),
});

type DeskShape = z.output<typeof deskShape>;
type Issue = { readonly path: (string | number)[]; readonly message: string };

function duplicates<T>(items: readonly T[], key: (item: T) => string, report: (index: number, value: string) => void): void {
  const seen = new Set<string>();
  items.forEach((item, index) => {
    const value = key(item);
    if (seen.has(value)) report(index, value);
    seen.add(value);
  });
}

/** The parameter a strategy factory's message names, when it is one of the given parameters. */
function parameterNamed(message: string, params: Readonly<Record<string, unknown>>): string | undefined {
  for (const match of message.matchAll(/parameter "?([A-Za-z_][A-Za-z0-9_]*)"?/g)) {
    const name = match[1];
    if (name !== undefined && Object.hasOwn(params, name)) return name;
  }
  return undefined;
}

/** Rules that span sections. */
export function crossCheck(config: DeskShape): Issue[] {
  const issues: Issue[] = [];
  const add = (path: (string | number)[], message: string): void => void issues.push({ path, message });

  const instrumentIds = new Set(config.instruments.map((i) => i.id));
  const venueIds = new Set(config.venues.map((v) => v.id));
  const sleeveIds = new Set(config.capital.sleeves.map((s) => s.id));
  const analysts = config.agents.flatMap((agent, index) => (agent.role === 'analyst' ? [{ agent, index }] : []));
  const analystIds = new Set(analysts.map((a) => a.agent.id));
  const channelNames = new Set(config.notifications.channels.map((c) => c.name));
  const knownInstrument = (path: (string | number)[], id: string): void => {
    if (!instrumentIds.has(id)) add(path, `unknown instrument ${id}; declared: ${[...instrumentIds].join(', ')}`);
  };

  duplicates(config.instruments, (i) => i.id, (i, id) => add(['instruments', i, 'id'], `instrument ${id} is declared twice`));
  config.instruments.forEach((instrument, i) => {
    const venue = instrument.id.split(':')[0] ?? '';
    if (!venueIds.has(venue)) add(['instruments', i, 'id'], `venue ${venue} is not declared under venues`);
  });

  duplicates(config.venues, (v) => v.id, (i, id) => add(['venues', i, 'id'], `venue ${id} is declared twice`));
  config.venues.forEach((venue, i) => {
    if (venue.kind === 'sim') {
      for (const id of Object.keys(venue.leverage ?? {})) knownInstrument(['venues', i, 'leverage', id], id);
    } else {
      if (!venue.testnet && config.desk.mode !== 'live') add(['venues', i, 'testnet'], 'testnet: false trades real money: it needs desk mode live with `live: { confirm: true }`');
      if (config.desk.mode !== 'backtest') {
        if (venue.apiKeyEnv === undefined) add(['venues', i, 'apiKeyEnv'], `${config.desk.mode} trading on ${venue.exchange} needs apiKeyEnv`);
        if (venue.secretEnv === undefined) add(['venues', i, 'secretEnv'], `${config.desk.mode} trading on ${venue.exchange} needs secretEnv`);
      }
      if (config.desk.mode === 'backtest') add(['venues', i, 'kind'], 'a ccxt venue cannot be backtested; use a sim venue (mode paper or live for ccxt)');
    }
  });

  for (const id of Object.keys(config.data)) knownInstrument(['data', id], id);
  if (config.desk.mode === 'backtest') {
    config.instruments.forEach((instrument, i) => {
      if (config.data[instrument.id] === undefined) add(['data'], `backtest needs data for ${instrument.id} (instruments[${i}])`);
    });
  }

  // capital
  duplicates(config.capital.sleeves, (s) => s.id, (i, id) => add(['capital', 'sleeves', i, 'id'], `sleeve ${id} is declared twice`));
  const allocation = config.capital.allocation;
  if (allocation.kind === 'fixed') {
    let sum = decimalValue('0');
    for (const [sleeve, weight] of Object.entries(allocation.weights)) {
      if (!sleeveIds.has(sleeve)) add(['capital', 'allocation', 'weights', sleeve], `unknown sleeve ${sleeve}; declared: ${[...sleeveIds].join(', ')}`);
      sum = sum.add(decimalValue(weight));
    }
    for (const sleeve of sleeveIds) if (allocation.weights[sleeve] === undefined) add(['capital', 'allocation', 'weights'], `no weight for sleeve ${sleeve}`);
    if (!sum.eq(decimalValue('1'))) add(['capital', 'allocation', 'weights'], `weights must sum to 1, they sum to ${sum.toPlainString()}`);
  }
  const sleeveOwner = new Map<string, string>();
  for (const { agent, index } of analysts) {
    if (agent.role !== 'analyst') continue;
    if (!sleeveIds.has(agent.sleeve)) add(['agents', index, 'sleeve'], `unknown sleeve ${agent.sleeve}; declared: ${[...sleeveIds].join(', ')}`);
    const owner = sleeveOwner.get(agent.sleeve);
    if (owner !== undefined) add(['agents', index, 'sleeve'], `sleeve ${agent.sleeve} already belongs to ${owner}`);
    else sleeveOwner.set(agent.sleeve, agent.id);
  }
  config.capital.sleeves.forEach((sleeve, i) => {
    if (!sleeveOwner.has(sleeve.id)) add(['capital', 'sleeves', i, 'id'], `sleeve ${sleeve.id} is not traded by any analyst`);
  });
  if (issues.every((issue) => issue.path[0] !== 'capital')) {
    try {
      defineSleeves(
        config.capital.sleeves.map((sleeve) => ({
          ...sleeve,
          agentId: sleeveOwner.get(sleeve.id) ?? sleeve.id,
          currency: sleeve.currency ?? config.desk.valuationCurrency,
        })),
      );
    } catch (error) {
      add(['capital', 'sleeves'], error instanceof Error ? error.message : String(error));
    }
  }

  // agents
  duplicates(config.agents, (a) => a.id, (i, id) => add(['agents', i, 'id'], `agent id ${id} is used twice`));
  for (const role of ['manager', 'judge'] as const) {
    const indices = config.agents.flatMap((agent, i) => (agent.role === role ? [i] : []));
    for (const i of indices.slice(1)) add(['agents', i, 'role'], `only one ${role} per desk`);
  }
  if (analysts.length === 0) add(['agents'], 'a desk needs at least one analyst');
  for (const { agent, index } of analysts) {
    if (agent.role !== 'analyst') continue;
    const instruments = agent.instruments ?? [...instrumentIds];
    let instrumentsKnown = true;
    agent.instruments?.forEach((id, j) => {
      if (!instrumentIds.has(id)) {
        instrumentsKnown = false;
        knownInstrument(['agents', index, 'instruments', j], id);
      }
    });
    if (!strategyFactories.has(agent.strategy)) {
      add(['agents', index, 'strategy'], `unknown strategy "${agent.strategy}"; known: ${[...strategyFactories.keys()].join(', ')}`);
      continue;
    }
    if (!instrumentsKnown) continue;
    try {
      createStrategy(agent.strategy, agent.params, instruments as InstrumentId[]);
    } catch (error) {
      if (!(error instanceof ConclaveError)) throw error;
      const param = parameterNamed(error.message, agent.params);
      const path: (string | number)[] = ['agents', index, ...(param !== undefined ? ['params', param] : /instrument/i.test(error.message) ? ['instruments'] : ['params'])];
      add(path, error.message);
    }
  }
  config.agents.forEach((agent, i) => {
    if (agent.role === 'notifier') {
      agent.channels?.forEach((name, j) => {
        if (!channelNames.has(name)) add(['agents', i, 'channels', j], `unknown channel ${name}`);
      });
    }
  });

  // manager
  const manager = config.manager;
  if (manager.mode === 'weighted') {
    for (const id of Object.keys(manager.weights)) {
      if (!analystIds.has(id)) add(['manager', 'weights', id], `${id} is not an analyst; analysts: ${[...analystIds].join(', ')}`);
    }
  } else if (manager.mode === 'consensus') {
    if (manager.k > analysts.length) add(['manager', 'k'], `k is ${manager.k} but the desk has only ${analysts.length} analyst(s)`);
  } else if (manager.mode === 'hierarchical') {
    manager.vetoInstruments?.forEach((id, j) => knownInstrument(['manager', 'vetoInstruments', j], id));
    for (const id of Object.keys(manager.maxTargetQuantity ?? {})) knownInstrument(['manager', 'maxTargetQuantity', id], id);
  }

  // risk
  const limits = config.risk.limits;
  limits.allowedInstruments?.forEach((id, j) => knownInstrument(['risk', 'limits', 'allowedInstruments', j], id));
  for (const id of Object.keys(limits.maxPositionNotionalByInstrument ?? {})) knownInstrument(['risk', 'limits', 'maxPositionNotionalByInstrument', id], id);

  // notifications
  duplicates(config.notifications.channels, (c) => c.name, (i, name) => add(['notifications', 'channels', i, 'name'], `channel name ${name} is used twice`));

  return issues;
}

/** The whole desk file: sections, then the rules across them. */
export const deskSchema = deskShape.superRefine((config, ctx) => {
  // Cross-section rules need well-formed sections: they run once the sections pass.
  if (ctx.issues.length > 0) return;
  for (const issue of crossCheck(config)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
});

/** A validated desk: decimals are exact strings, durations are ms, dates are epoch ms. */
export type DeskConfig = z.output<typeof deskSchema>;
/** The desk as written in YAML. */
export type DeskConfigInput = z.input<typeof deskSchema>;
export type AgentConfig = DeskConfig['agents'][number];
export type AnalystConfig = Extract<AgentConfig, { role: 'analyst' }>;
export type VenueConfig = DeskConfig['venues'][number];
export type ChannelConfig = DeskConfig['notifications']['channels'][number];
export type BrainConfig = AgentConfig['brain'];
