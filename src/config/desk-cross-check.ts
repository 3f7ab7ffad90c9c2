/** The desk configuration's rules across sections: references, uniqueness, strategy parameters, weights. */
import { ConclaveError } from '../core/errors.js';
import type { InstrumentId } from '../core/ids.js';
import { defineInstrument } from '../domain/instrument.js';
import { Fixed } from '../core/fixed.js';
import { defineSleeves, WEIGHT_SCALE } from '../portfolio/sleeves.js';
import { parameterProblems } from '../strategies/parameters.js';
import { createStrategy, strategyFactories } from '../strategies/registry.js';
import { parseIndicatorSpec } from '../indicators/registry.js';
import type { DeskShape } from './desk-sections.js';
import { decimalValue } from './fields.js';

export type Issue = { readonly path: (string | number)[]; readonly message: string };

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
  // The sim venues share one account, funded with the desk's cash: an account has one margin mode.
  const firstSim = config.venues.find((venue) => venue.kind === 'sim');
  const marginModeOf = (venue: typeof firstSim): string => (venue?.kind === 'sim' ? (venue.marginMode ?? 'isolated') : '');
  config.venues.forEach((venue, i) => {
    if (venue.kind === 'sim') {
      for (const id of Object.keys(venue.leverage ?? {})) {
        knownInstrument(['venues', i, 'leverage', id], id);
        const listedOn = id.split(':')[0];
        if (instrumentIds.has(id) && listedOn !== venue.id) add(['venues', i, 'leverage', id], `${id} trades on venue ${listedOn}, not ${venue.id}: give its leverage there`);
        // The venue would cap the leverage at the instrument's maximum, so orders the gate passed at the configured
        // leverage would need more margin than it reserved for them and be rejected.
        const index = config.instruments.findIndex((instrument) => instrument.id === id);
        const wanted = venue.leverage?.[id];
        const maximum = config.instruments[index]?.maxLeverage ?? '1';
        if (index >= 0 && wanted !== undefined && decimalValue(wanted).gt(decimalValue(maximum))) {
          add(['venues', i, 'leverage', id], `${wanted} is above the instrument's maxLeverage (instruments[${index}].maxLeverage: ${maximum}${config.instruments[index]?.maxLeverage === undefined ? ', the default' : ''}): raise instruments[${index}].maxLeverage to at least ${wanted}, or lower the leverage`);
        }
      }
      if (marginModeOf(venue) !== marginModeOf(firstSim)) {
        add(['venues', i, 'marginMode'], `the sim venues share one account (the desk's cash), so one margin mode: ${firstSim?.id} is ${marginModeOf(firstSim)}, ${venue.id} ${marginModeOf(venue)}`);
      }
    } else {
      if (!venue.testnet && config.desk.mode !== 'live') add(['venues', i, 'testnet'], 'testnet: false trades real money: it needs desk mode live with `live: { confirm: true }`');
      if (config.desk.mode !== 'backtest') {
        if (venue.apiKeyEnv === undefined) add(['venues', i, 'apiKeyEnv'], `${config.desk.mode} trading on ${venue.exchange} needs apiKeyEnv`);
        if (venue.secretEnv === undefined) add(['venues', i, 'secretEnv'], `${config.desk.mode} trading on ${venue.exchange} needs secretEnv`);
      }
      if (config.desk.mode === 'backtest') add(['venues', i, 'kind'], 'a ccxt venue cannot be backtested; use a sim venue (mode paper or live for ccxt)');
    }
  });

  const takeProfit = config.execution.takeProfit;
  const shorts = config.instruments.find((instrument) => instrument.kind === 'perpetual' || (instrument.kind === undefined && instrument.id.split(':').length > 2));
  if (takeProfit !== undefined && shorts !== undefined && !decimalValue(takeProfit).lt(decimalValue('1'))) {
    add(['execution', 'takeProfit'], `must be below 1 on a desk that can short (${shorts.id}): a short's take-profit sits that fraction under its entry, at a price of zero or less`);
  }

  for (const id of Object.keys(config.data)) knownInstrument(['data', id], id);
  if (config.desk.mode === 'backtest') {
    config.instruments.forEach((instrument, i) => {
      if (config.data[instrument.id] === undefined) add(['data'], `backtest needs data for ${instrument.id} (instruments[${i}])`);
    });
  }

  // One currency. Equity, the gate's limits and the risk watch add amounts up as they are, with no exchange rates
  // between currencies: an instrument paid in another currency (ETH/BTC on a USDT desk), or cash or a sleeve kept in
  // one, would be counted at the wrong scale or not at all. Such a desk is refused rather than measured wrongly.
  const valuation = config.desk.valuationCurrency;
  config.instruments.forEach((spec, i) => {
    const instrument = defineInstrument(spec);
    // The venue books a perpetual's PnL as price move x quantity in its settle currency: true of a linear contract
    // only. An inverse or quanto one (BTC/USD:BTC) would be priced as if it were linear.
    if (instrument.kind === 'perpetual' && instrument.settle !== instrument.quote) {
      add(['instruments', i, 'id'], `${instrument.id} settles in ${instrument.settle}, not in its quote ${instrument.quote} (an inverse or quanto contract), which the desk cannot price; only linear perpetuals, settled in their quote, are supported`);
      return;
    }
    const paidIn = instrument.kind === 'spot' ? instrument.quote : instrument.settle;
    if (paidIn === valuation) return;
    const what = instrument.kind === 'spot' ? `is quoted in ${paidIn}` : `settles in ${paidIn}`;
    add(['instruments', i, 'id'], `${instrument.id} ${what}, but the desk is valued in ${valuation} and does not convert between currencies: its exposure, equity and risk would be mixed with ${valuation} amounts; trade instruments paid in ${valuation}, or value the desk in ${paidIn}`);
  });
  for (const currency of Object.keys(config.capital.cash)) {
    if (currency === valuation) continue;
    add(['capital', 'cash', currency], `the desk is valued in ${valuation} and does not convert between currencies: ${currency} cash would be left out of its equity and limits; hold the cash in ${valuation}`);
  }
  config.capital.sleeves.forEach((sleeve, i) => {
    if (sleeve.currency !== undefined && sleeve.currency !== valuation) {
      add(['capital', 'sleeves', i, 'currency'], `the desk is valued in ${valuation} and does not convert between currencies: a sleeve kept in ${sleeve.currency} would be measured in the wrong currency`);
    }
  });
  // capital
  duplicates(config.capital.sleeves, (s) => s.id, (i, id) => add(['capital', 'sleeves', i, 'id'], `sleeve ${id} is declared twice`));
  const allocation = config.capital.allocation;
  if (allocation?.kind === 'fixed') {
    let sum = decimalValue('0');
    let exact = true;
    const bounds = new Map(config.capital.sleeves.map((s) => [s.id, s]));
    for (const [sleeve, weight] of Object.entries(allocation.weights)) {
      const path = ['capital', 'allocation', 'weights', sleeve];
      if (!sleeveIds.has(sleeve)) add(path, `unknown sleeve ${sleeve}; declared: ${[...sleeveIds].join(', ')}`);
      // Weights are kept at the allocation's scale: a finer one would be refused when the desk allocates.
      let value: Fixed;
      try {
        value = Fixed.parse(weight, WEIGHT_SCALE);
      } catch (error) {
        add(path, error instanceof Error ? error.message : String(error));
        exact = false;
        continue;
      }
      sum = sum.add(value);
      const declared = bounds.get(sleeve);
      const low = declared?.minWeight === undefined ? undefined : decimalValue(declared.minWeight);
      const high = declared?.maxWeight === undefined ? undefined : decimalValue(declared.maxWeight);
      if ((low !== undefined && value.lt(low)) || (high !== undefined && value.gt(high))) {
        add(path, `${weight} is outside the sleeve's bounds [${declared?.minWeight ?? '0'}, ${declared?.maxWeight ?? '1'}]`);
      }
    }
    for (const sleeve of sleeveIds) if (allocation.weights[sleeve] === undefined) add(['capital', 'allocation', 'weights'], `no weight for sleeve ${sleeve}`);
    if (exact && !sum.eq(decimalValue('1'))) add(['capital', 'allocation', 'weights'], `weights must sum to 1, they sum to ${sum.toPlainString()}`);
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
  for (const role of ['manager', 'judge', 'optimizer', 'notifier'] as const) {
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
    if (agent.brain.kind === 'llm') {
      if (agent.strategy !== undefined) add(['agents', index, 'strategy'], 'an analyst with an llm brain takes no strategy: the model is its brain');
      continue;
    }
    if (agent.strategy === undefined) {
      add(['agents', index, 'strategy'], 'an analyst with a rules brain needs a strategy');
      continue;
    }
    if (!strategyFactories.has(agent.strategy)) {
      add(['agents', index, 'strategy'], `unknown strategy "${agent.strategy}"; known: ${[...strategyFactories.keys()].join(', ')}`);
      continue;
    }
    const problems = parameterProblems(agent.strategy, strategyFactories.get(agent.strategy)?.parameters ?? [], agent.params);
    for (const problem of problems) add(['agents', index, 'params', problem.name], problem.message);
    if (!instrumentsKnown || problems.length > 0) continue;
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
    if (agent.brain.kind === 'llm') {
      for (const issue of modelBrainIssues(agent.role, agent.brain, config)) add(['agents', i, 'brain', ...issue.path], issue.message);
    }
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
    else {
      // A quorum is counted among the analysts watching an instrument: one watched by fewer than k is never traded.
      const watchers = new Map<string, number>();
      for (const { agent } of analysts) {
        if (agent.role !== 'analyst') continue;
        for (const id of agent.instruments ?? [...instrumentIds]) watchers.set(id, (watchers.get(id) ?? 0) + 1);
      }
      const short = [...watchers].filter(([, count]) => count < manager.k);
      if (short.length > 0) {
        add(['manager', 'k'], `k is ${manager.k} but ${short.map(([id, count]) => `${id} is watched by ${count} analyst(s)`).join(', ')}: a quorum is counted among an instrument's own analysts, so it could never be traded`);
      }
    }
  } else if (manager.mode === 'hierarchical') {
    manager.vetoInstruments?.forEach((id, j) => knownInstrument(['manager', 'vetoInstruments', j], id));
    for (const id of Object.keys(manager.maxTargetQuantity ?? {})) knownInstrument(['manager', 'maxTargetQuantity', id], id);
  }

  // risk
  const monitoring = config.risk.monitoring;
  if (monitoring !== undefined) {
    const stressLimits = (['maxStressLoss', 'haltStressLoss'] as const).filter((name) => monitoring[name] !== undefined);
    if (monitoring.shocks.length === 0 && stressLimits.length > 0) {
      const named = stressLimits.map((name) => `${name} (${monitoring[name]})`).join(' and ');
      add(['risk', 'monitoring', 'shocks'], `no price shocks: ${named} would never be checked; give shocks, or drop ${stressLimits.join(' and ')}`);
    }
    // At or below its reduce level, a halt level fires first and the limit that should reduce never acts.
    for (const [halt, max, measure] of [['haltVar', 'maxVar', 'VaR'], ['haltStressLoss', 'maxStressLoss', 'stress']] as const) {
      const haltAt = monitoring[halt];
      const maxAt = monitoring[max];
      if (haltAt !== undefined && maxAt !== undefined && !decimalValue(haltAt).gt(decimalValue(maxAt))) {
        add(['risk', 'monitoring', halt], `${haltAt} is not above ${max} (${maxAt}): the desk would halt before the ${measure} limit ever reduced it`);
      }
    }
  }
  const limits = config.risk.limits;
  limits.allowedInstruments?.forEach((id, j) => knownInstrument(['risk', 'limits', 'allowedInstruments', j], id));
  for (const id of Object.keys(limits.maxPositionNotionalByInstrument ?? {})) knownInstrument(['risk', 'limits', 'maxPositionNotionalByInstrument', id], id);

  if (config.llm?.mode === 'replay' && config.llm.records === undefined) add(['llm', 'records'], 'replay reads the decision records: name the file');

  // notifications
  duplicates(config.notifications.channels, (c) => c.name, (i, name) => add(['notifications', 'channels', i, 'name'], `channel name ${name} is used twice`));

  return issues;
}

/** A model-driven brain: only where a model may sit, with a price for its model and settings that fit its provider. */
function modelBrainIssues(role: string, brain: Extract<DeskShape['agents'][number]['brain'], { kind: 'llm' }>, config: DeskShape): { path: (string | number)[]; message: string }[] {
  const issues: { path: (string | number)[]; message: string }[] = [];
  if (role !== 'analyst' && role !== 'manager' && role !== 'judge') {
    issues.push({ path: ['kind'], message: `${/^[aeiou]/.test(role) ? 'an' : 'a'} ${role} cannot have a model brain: only analysts, the manager and the judge can (the risk gate never is one)` });
  }
  if (config.llm?.prices[brain.model] === undefined) {
    issues.push({ path: ['model'], message: `no price for ${brain.model}: add llm.prices.${brain.model} (inputPerMillion, outputPerMillion; 0 for a local model)` });
  }
  if (brain.authTokenEnv !== undefined && brain.provider !== 'anthropic') issues.push({ path: ['authTokenEnv'], message: 'only the anthropic provider takes a bearer auth token' });
  if (brain.authTokenEnv !== undefined && brain.apiKeyEnv !== undefined) issues.push({ path: ['authTokenEnv'], message: 'give apiKeyEnv or authTokenEnv, not both' });
  brain.features.forEach((spec, j) => {
    try {
      parseIndicatorSpec(spec);
    } catch (error) {
      issues.push({ path: ['features', j], message: error instanceof Error ? error.message : String(error) });
    }
  });
  return issues;
}
