import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { example, paths, problems, type Desk } from '../../test/support/desk-problems.js';
import { EXAMPLE_DESK_YAML } from './example-desk.js';
import { parseDuration } from './fields.js';
import { parseDeskConfig } from './parse-desk.js';

describe('the example desk', () => {
  it('parses cleanly', () => {
    const { config } = parseDeskConfig(EXAMPLE_DESK_YAML, 'desk.yaml');
    expect(config.desk.mode).toBe('backtest');
    expect(config.agents.filter((a) => a.role === 'analyst').map((a) => (a.role === 'analyst' ? a.strategy : ''))).toEqual(['sma-cross', 'bb-rsi', 'donchian']);
    expect(config.manager.mode).toBe('independent');
    expect(config.capital.allocation).toEqual({ kind: 'equal' });
    expect(config.capital.rebalance).toEqual({ kind: 'weekly', weekday: 1, hourUtc: 0 });
    expect(config.capital.profitSweep?.share).toBe('0.2');
    expect(config.agents.find((a) => a.role === 'judge')?.every).toBe(86_400_000);
    expect(config.notifications.channels).toEqual([{ kind: 'console', name: 'console', minSeverity: 'warning' }]);
    expect(config.venues[0]).toMatchObject({ kind: 'sim', latency: 50 });
    expect(config.risk.limits.orderRate).toEqual({ maxOrders: 30, window: 60_000 });
  });

  it('round-trips through the mutation helper', () => {
    expect(problems(() => undefined)).toEqual([]);
  });
});

describe('fields', () => {
  it('parses durations', () => {
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('5m')).toBe(300_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('1d')).toBe(86_400_000);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('1 hour')).toBeUndefined();
  });

  it('refuses a zero duration saying so, and a malformed one by its form', () => {
    expect(problems((d) => ((d.venues[0] as { latency?: string }).latency = '0ms'))).toEqual([
      "venues[0].latency: must be longer than 0, got '0ms'",
    ]);
    expect(problems((d) => ((d.venues[0] as { latency?: string }).latency = '5 min'))).toEqual([
      "venues[0].latency: must be a duration like '30s', '5m', '1h' or '1d' (units ms, s, m, h, d, w)",
    ]);
  });

  it('refuses a date that is not on the calendar, naming it, rather than rolling it into the next month', () => {
    const goals = (d: Desk): Record<string, unknown> => d.capital.goals as Record<string, unknown>;
    expect(problems((d) => (goals(d).deadline = '2024-02-31'))).toEqual(["capital.goals.deadline: '2024-02-31' is not a real date or time"]);
    expect(problems((d) => (d.data['SYNTH:BTC/USDT']!.start = '2023-02-29'))).toEqual(['data["SYNTH:BTC/USDT"].start: \'2023-02-29\' is not a real date or time']);
    expect(problems((d) => (goals(d).start = '2024-01-01T24:00:00Z'))).toEqual(["capital.goals.start: '2024-01-01T24:00:00Z' is not a real date or time"]);
    expect(problems((d) => (goals(d).start = '2024-01-01T10:00+25:00'))).toEqual(["capital.goals.start: '2024-01-01T10:00+25:00' is not a real date or time"]);
    expect(parseDeskConfig(stringify({ ...example(), capital: { ...example().capital, goals: { ...(example().capital.goals as object), deadline: '2024-02-29T12:30:00+02:00' } } }), 'desk.yaml').config.capital.goals?.deadline).toBe(
      Date.UTC(2024, 1, 29, 10, 30),
    );
  });
});

describe('desk section', () => {
  it('defaults mode and seed', () => {
    const desk = example();
    desk.desk = { name: 'x', valuationCurrency: 'USDT' };
    const { config } = parseDeskConfig(stringify(desk), 'd');
    expect(config.desk).toEqual({ name: 'x', valuationCurrency: 'USDT', mode: 'backtest', seed: 1 });
  });
  it('rejects a bad mode, a missing name and live without confirmation', () => {
    expect(paths((d) => (d.desk.mode = 'yolo'))).toEqual(['desk.mode']);
    expect(problems((d) => delete d.desk.name)).toEqual(['desk.name: is required']);
    expect(paths((d) => (d.desk.mode = 'live'))).toEqual(['desk.live']);
    expect(paths((d) => (d.desk.live = { confirm: false }))).toEqual(['desk.live.confirm']);
  });
});

describe('instruments section', () => {
  it('requires decimal strings and reports instrument rules', () => {
    expect(paths((d) => (d.instruments[0]!.tickSize = 0.01))).toEqual(['instruments[0].tickSize']);
    expect(paths((d) => (d.instruments[0]!.lotSize = 'abc'))).toEqual(['instruments[0].lotSize']);
    expect(paths((d) => (d.instruments[0]!.id = 'btc'))).toEqual(['instruments[0].id']);
    const lines = problems((d) => (d.instruments[0]!.maxLeverage = '5'));
    expect(lines).toEqual([expect.stringMatching(/^instruments\[0\]: .*maxLeverage must be 1 for spot/)]);
  });
  it('rejects duplicates and instruments on undeclared venues', () => {
    expect(paths((d) => d.instruments.push({ ...d.instruments[0] }))).toEqual(['instruments[1].id']);
    expect(problems((d) => d.instruments.push({ id: 'OTHER:ETH/USDT', tickSize: '0.01', lotSize: '0.001' }))).toContain('instruments[1].id: venue OTHER is not declared under venues');
  });
});

describe('venues section', () => {
  it('accepts a ccxt testnet venue for paper trading with named secrets', () => {
    const desk = example();
    desk.desk.mode = 'paper';
    desk.venues.push({ kind: 'ccxt', id: 'BINANCE', exchange: 'binance', apiKeyEnv: 'BINANCE_KEY', secretEnv: 'BINANCE_SECRET' });
    const { config } = parseDeskConfig(stringify(desk), 'd');
    expect(config.venues[1]).toMatchObject({ kind: 'ccxt', testnet: true });
  });
  it('makes real-money ccxt opt-in and requires named secrets', () => {
    expect(
      problems((d) => {
        d.desk.mode = 'paper';
        d.venues.push({ kind: 'ccxt', id: 'BINANCE', exchange: 'binance', testnet: false });
      }),
    ).toEqual([
      expect.stringMatching(/^venues\[1\]\.testnet: testnet: false trades real money/),
      'venues[1].apiKeyEnv: paper trading on binance needs apiKeyEnv',
      'venues[1].secretEnv: paper trading on binance needs secretEnv',
    ]);
  });
  it('rejects an unknown kind, a bad slippage and a secret written as an env name', () => {
    expect(problems((d) => (d.venues[0]!.kind = 'magic'))).toEqual(['venues[0].kind: must be sim or ccxt']);
    expect(paths((d) => (d.venues[0]!.slippage = { kind: 'fixed-bps', bps: 'x' }))).toEqual(['venues[0].slippage.bps']);
    expect(paths((d) => (d.venues[0]!.latency = '50 millis'))).toEqual(['venues[0].latency']);
  });
  it('refuses starting balances on a sim venue: the sim venues hold the desk cash, capital.cash', () => {
    expect(problems((d) => (d.venues[0]!.balances = { USDT: '10' }))).toEqual([
      'venues[0].balances: unknown key (check the spelling; secrets go in environment variables named by *Env fields)',
    ]);
  });
});

describe('data section', () => {
  it('accepts a file source and rejects data for unknown instruments', () => {
    expect(problems((d) => (d.data['SYNTH:BTC/USDT'] = { source: 'file', path: 'btc.csv' }))).toEqual([]);
    expect(problems((d) => (d.data['SYNTH:ETH/USDT'] = { source: 'file', path: 'eth.csv' }))).toEqual([
      expect.stringMatching(/^data\["SYNTH:ETH\/USDT"\]: unknown instrument SYNTH:ETH\/USDT/),
    ]);
  });
  it('needs data for every instrument in a backtest, and well-formed generator settings', () => {
    expect(problems((d) => (d.data = {}))).toEqual(['data: backtest needs data for SYNTH:BTC/USDT (instruments[0])']);
    expect(paths((d) => (d.data['SYNTH:BTC/USDT']!.bars = 1))).toEqual(['data["SYNTH:BTC/USDT"].bars']);
    expect(paths((d) => (d.data['SYNTH:BTC/USDT']!.start = 'yesterday'))).toEqual(['data["SYNTH:BTC/USDT"].start']);
  });
});

describe('capital section', () => {
  it('checks fixed weights against the sleeves', () => {
    expect(problems((d) => (d.capital.allocation = { kind: 'fixed', weights: { 'trend-sma': '0.5', 'meanrev-bb': '0.25', 'breakout-donchian': '0.25' } }))).toEqual([]);
    expect(problems((d) => (d.capital.allocation = { kind: 'fixed', weights: { 'trend-sma': '0.5', 'meanrev-bb': '0.25', nope: '0.25' } }))).toEqual([
      expect.stringMatching(/^capital\.allocation\.weights\.nope: unknown sleeve nope/),
      'capital.allocation.weights: no weight for sleeve breakout-donchian',
    ]);
    expect(problems((d) => (d.capital.allocation = { kind: 'fixed', weights: { 'trend-sma': '0.5', 'meanrev-bb': '0.25', 'breakout-donchian': '0.5' } }))).toEqual([
      'capital.allocation.weights: weights must sum to 1, they sum to 1.25',
    ]);
    expect(
      problems((d) => {
        d.capital.sleeves[0]!.maxWeight = '0.4';
        d.capital.allocation = { kind: 'fixed', weights: { 'trend-sma': '0.5', 'meanrev-bb': '0.25', 'breakout-donchian': '0.25' } };
      }),
    ).toEqual(["capital.allocation.weights.trend-sma: 0.5 is outside the sleeve's bounds [0, 0.4]"]);
  });
  it('takes the performance policy\'s shrink and step as decimal fractions, naming a bad one by path', () => {
    expect(problems((d) => (d.capital.allocation = { kind: 'performance', lookback: 30, shrink: '0.25', maxStep: '0.05' }))).toEqual([]);
    expect(problems((d) => (d.capital.allocation = { kind: 'performance', lookback: 30, shrink: '1.5', maxStep: '0' }))).toEqual([
      "capital.allocation.shrink: must be a decimal fraction from 0 to 1 (e.g. '0.01')",
      "capital.allocation.maxStep: must be a decimal fraction above 0, at most 1 (e.g. '0.01')",
    ]);
    expect(paths((d) => (d.capital.allocation = { kind: 'performance', lookback: 30, smoothing: '0.5' }))).toEqual(['capital.allocation.smoothing']);
  });
  it('rejects bad sleeves, schedules, sweep shares and goals', () => {
    expect(paths((d) => (d.capital.sleeves[1]!.maxDrawdown = '1.5'))).toEqual(['capital.sleeves[1].maxDrawdown']);
    expect(paths((d) => (d.capital.rebalance = { kind: 'weekly', weekday: 7 }))).toEqual(['capital.rebalance.weekday']);
    expect(paths((d) => (d.capital.profitSweep = { share: '1.2' }))).toEqual(['capital.profitSweep.share']);
    expect(paths((d) => ((d.capital.goals as Record<string, unknown>).deadline = '2023-01-01'))).toEqual(['capital.goals.deadline']);
    expect(problems((d) => d.capital.sleeves.push({ id: 'spare', maxGrossExposure: '1', maxDrawdown: '0.1' }))).toEqual([
      'capital.sleeves[3].id: sleeve spare is not traded by any analyst',
    ]);
    expect(problems((d) => (d.capital.sleeves = d.capital.sleeves.map((s) => ({ ...s, minWeight: '0.5' }))))).toEqual([
      expect.stringMatching(/^capital\.sleeves: .*minimum weights sum to 1\.5/),
    ]);
  });
});

describe('agents section', () => {
  it('reports a bad strategy parameter at its path with the factory message', () => {
    expect(problems((d) => ((d.agents[0]!.params as Record<string, unknown>).fast = 0))).toEqual([
      'agents[0].params.fast: sma-cross: parameter fast must be from 1 to 500, got 0',
    ]);
    expect(problems((d) => ((d.agents[0]!.params as Record<string, unknown>).speed = 3))).toEqual([
      expect.stringMatching(/^agents\[0\]\.params\.speed: sma-cross: unknown parameter "speed"/),
    ]);
  });
  it('reports every bad parameter of an analyst, also when its instruments are wrong', () => {
    expect(
      problems((d) => {
        d.agents[0]!.params = { fast: 0, slow: 10000, bogus: 3 };
        d.agents[0]!.instruments = ['SYNTH:ETH/USDT'];
      }),
    ).toEqual([
      expect.stringMatching(/^agents\[0\]\.instruments\[0\]: /),
      'agents[0].params.fast: sma-cross: parameter fast must be from 1 to 500, got 0',
      'agents[0].params.slow: sma-cross: parameter slow must be from 2 to 2000, got 10000',
      expect.stringMatching(/^agents\[0\]\.params\.bogus: sma-cross: unknown parameter "bogus"/),
    ]);
  });
  it('rejects unknown strategies, sleeves, instruments, duplicate ids and roles', () => {
    expect(problems((d) => (d.agents[0]!.strategy = 'moon'))).toEqual([expect.stringMatching(/^agents\[0\]\.strategy: unknown strategy "moon"; known: .*sma-cross/)]);
    expect(problems((d) => (d.agents[1]!.sleeve = 'trend-sma'))).toEqual([
      'agents[1].sleeve: sleeve trend-sma already belongs to sma',
      'capital.sleeves[1].id: sleeve meanrev-bb is not traded by any analyst',
    ]);
    expect(paths((d) => (d.agents[0]!.instruments = ['SYNTH:ETH/USDT']))).toEqual(['agents[0].instruments[0]']);
    expect(paths((d) => (d.agents[2]!.id = 'sma'))).toEqual(['agents[2].id']);
    expect(problems((d) => (d.agents[3]!.role = 'ceo'))).toEqual(['agents[3].role: must be analyst, manager, judge, optimizer or notifier']);
    expect(paths((d) => (d.agents[6]!.channels = ['pager']))).toEqual(['agents[6].channels[0]']);
  });
  it('accepts an llm brain naming its key variable, and rejects a key in the file', () => {
    const llmAnalyst = (d: Desk, brain: Record<string, unknown>): void => {
      d.agents[0] = { id: 'sma', role: 'analyst', sleeve: 'trend-sma', brain };
      d.llm = { prices: { 'claude-x': { inputPerMillion: 3, outputPerMillion: 15 } } };
    };
    expect(problems((d) => llmAnalyst(d, { kind: 'llm', provider: 'anthropic', model: 'claude-x', apiKeyEnv: 'ANTHROPIC_API_KEY' }))).toEqual([]);
    expect(problems((d) => (d.agents[0]!.brain = { kind: 'llm', provider: 'anthropic', model: 'claude-y' }))).toEqual([
      'agents[0].strategy: an analyst with an llm brain takes no strategy: the model is its brain',
      'agents[0].brain.model: no price for claude-y: add llm.prices.claude-y (inputPerMillion, outputPerMillion; 0 for a local model)',
    ]);
    expect(problems((d) => llmAnalyst(d, { kind: 'llm', provider: 'openai', model: 'claude-x', baseUrl: 'notaurl' }))).toEqual(['agents[0].brain.baseUrl: must be an http or https URL']);
    expect(problems((d) => llmAnalyst(d, { kind: 'llm', provider: 'openai', model: 'claude-x', baseUrl: 'file:///v1' }))).toEqual(['agents[0].brain.baseUrl: must be an http or https URL']);
    expect(problems((d) => llmAnalyst(d, { kind: 'llm', provider: 'openai', model: 'claude-x', baseUrl: 'http://127.0.0.1:11434/v1' }))).toEqual([]);
    expect(problems((d) => llmAnalyst(d, { kind: 'llm', provider: 'openai', model: 'claude-x', authTokenEnv: 'T', features: ['sma:20', 'wobble:3'] }))).toEqual([
      'agents[0].brain.authTokenEnv: only the anthropic provider takes a bearer auth token',
      'agents[0].brain.features[1]: indicator spec "wobble:3": unknown indicator "wobble"; known: sma, ema, wma, rma, smma, rsi, roc, stddev, zscore, highest, lowest, tr, atr, cci, vwap, bb, donchian, macd, stoch, adx',
    ]);
    expect(problems((d) => (d.agents[6]!.brain = { kind: 'llm', provider: 'anthropic', model: 'claude-x' }))).toContain(
      'agents[6].brain.kind: a notifier cannot have a model brain: only analysts, the manager and the judge can (the risk gate never is one)',
    );
    expect(problems((d) => (d.agents[5]!.brain = { kind: 'llm', provider: 'anthropic', model: 'claude-x' }))).toContain(
      'agents[5].brain.kind: an optimizer cannot have a model brain: only analysts, the manager and the judge can (the risk gate never is one)',
    );
    expect(problems((d) => (d.llm = { mode: 'replay' }))).toEqual(['llm.records: replay reads the decision records: name the file']);
    expect(paths((d) => (d.agents[0]!.brain = { kind: 'llm', provider: 'acme', model: 'm', apiKeyEnv: 'K' }))).toEqual(['agents[0].brain.provider']);
    expect(paths((d) => (d.agents[0]!.brain = { kind: 'llm', provider: 'openai', model: 'm', apiKeyEnv: 'K', apiKey: 'x' }))).toEqual(['agents[0].brain.apiKey']);
  });
});

describe('judge section', () => {
  it('takes a recovery fraction above 0, at most 1, and names a bad one by its path', () => {
    expect(problems((d) => (d.agents[4]!.recoveryFraction = '0.6'))).toEqual([]);
    expect(problems((d) => (d.agents[4]!.recoveryFraction = '1.5'))).toEqual(["agents[4].recoveryFraction: must be a decimal fraction above 0, at most 1 (e.g. '0.01')"]);
    expect(problems((d) => (d.agents[4]!.recoveryFraction = '0'))).toEqual(["agents[4].recoveryFraction: must be a decimal fraction above 0, at most 1 (e.g. '0.01')"]);
    expect(paths((d) => (d.agents[4]!.recoveryFraction = 0.8))).toEqual(['agents[4].recoveryFraction']);
  });
});

describe('manager section', () => {
  it('checks weights against analysts and consensus k against their number', () => {
    expect(problems((d) => (d.manager = { mode: 'weighted', weights: { sma: '1', judge: '1' } }))).toEqual([expect.stringMatching(/^manager\.weights\.judge: judge is not an analyst/)]);
    expect(problems((d) => (d.manager = { mode: 'consensus', k: 2, size: { kind: 'quantity', perConviction: '0.1' } }))).toEqual([]);
    expect(problems((d) => (d.manager = { mode: 'consensus', k: 4, size: { kind: 'quantity', perConviction: '0.1' } }))).toEqual([
      'manager.k: k is 4 but the desk has only 3 analyst(s)',
    ]);
    // The quorum counts an instrument's own analysts: with two instruments, one watched by a single analyst never trades.
    const split = problems((d) => {
      d.instruments.push({ ...d.instruments[0], id: 'SYNTH:ETH/USDT' });
      d.data['SYNTH:ETH/USDT'] = { ...d.data['SYNTH:BTC/USDT'] };
      d.agents[0]!.instruments = ['SYNTH:ETH/USDT'];
      d.agents[1]!.instruments = ['SYNTH:BTC/USDT'];
      d.agents[2]!.instruments = ['SYNTH:BTC/USDT'];
      d.manager = { mode: 'consensus', k: 2, size: { kind: 'quantity', perConviction: '0.1' } };
    });
    expect(split).toContainEqual(
      'manager.k: k is 2 but SYNTH:ETH/USDT is watched by 1 analyst(s): a quorum is counted among an instrument\'s own analysts, so it could never be traded',
    );
    expect(problems((d) => (d.manager = { mode: 'hierarchical', vetoInstruments: ['SYNTH:BTC/USDT'], maxTargetNotional: '5000' }))).toEqual([]);
    expect(problems((d) => (d.manager = { mode: 'dictator' }))).toEqual(['manager.mode: must be independent, weighted, consensus or hierarchical']);
  });
});

describe('sizing, risk, notifications and orchestrator sections', () => {
  it('validates sizing', () => {
    expect(paths((d) => (d.sizing = { kind: 'notional', perConviction: '-1' }))).toEqual(['sizing.perConviction']);
  });
  it('validates risk limits and breakers', () => {
    expect(paths((d) => (d.risk.limits.priceBand = '2'))).toEqual(['risk.limits.priceBand']);
    expect(paths((d) => (d.risk.breakers.dailyLoss = { fraction: '0.05', action: 'ACTIVE' }))).toEqual(['risk.breakers.dailyLoss.action']);
    expect(paths((d) => (d.risk.limits.allowedInstruments = ['SYNTH:ETH/USDT']))).toEqual(['risk.limits.allowedInstruments[0]']);
    expect(paths((d) => (d.risk.killSwitchFile = '../KILL'))).toEqual(['risk.killSwitchFile']);
  });
  it('takes a release fraction above 0 and at most 1 (default 0.9), and names the path of any other', () => {
    type WithMonitoring = Desk & { risk: { monitoring: Record<string, unknown> } };
    const monitoring = (d: Desk): Record<string, unknown> => (d as WithMonitoring).risk.monitoring;
    expect(parseDeskConfig(EXAMPLE_DESK_YAML, 'desk.yaml').config.risk.monitoring?.releaseFraction).toBe('0.9');
    expect(problems((d) => (monitoring(d).releaseFraction = '1'))).toEqual([]);
    for (const bad of ['0', '1.5', '-0.2', 'most']) {
      expect(problems((d) => (monitoring(d).releaseFraction = bad))).toEqual(["risk.monitoring.releaseFraction: must be a decimal fraction above 0, at most 1 (e.g. '0.01')"]);
    }
    expect(problems((d) => (monitoring(d).releaseFraction = 0.9))).toEqual(["risk.monitoring.releaseFraction: must be a decimal fraction above 0, at most 1 written as a quoted string, e.g. '0.01'"]);
  });

  it('refuses monitoring limits that could never act: stress limits without shocks, halt levels not above their reduce level', () => {
    type WithMonitoring = Desk & { risk: { monitoring: Record<string, unknown> } };
    const monitoring = (d: Desk): Record<string, unknown> => (d as WithMonitoring).risk.monitoring;
    expect(problems((d) => (monitoring(d).shocks = []))).toEqual(['risk.monitoring.shocks: no price shocks: maxStressLoss (0.3) would never be checked; give shocks, or drop maxStressLoss']);
    expect(problems((d) => Object.assign(monitoring(d), { maxVar: '0.02', haltVar: '0.01' }))).toEqual([
      'risk.monitoring.haltVar: 0.01 is not above maxVar (0.02): the desk would halt before the VaR limit ever reduced it',
    ]);
    expect(problems((d) => Object.assign(monitoring(d), { haltStressLoss: '0.3' }))).toEqual([
      'risk.monitoring.haltStressLoss: 0.3 is not above maxStressLoss (0.3): the desk would halt before the stress limit ever reduced it',
    ]);
    expect(problems((d) => Object.assign(monitoring(d), { maxVar: '0.01', haltVar: '0.02', haltStressLoss: '0.5' }))).toEqual([]);
  });

  it('refuses exits that put a price at zero or below, and price shocks past -100%', () => {
    type WithExecution = Desk & { execution: Record<string, unknown>; risk: { monitoring: Record<string, unknown> } };
    expect(problems((d) => ((d as WithExecution).execution.stopLoss = '1'))).toEqual(["execution.stopLoss: must be below 1: a long's stop 100% under the entry is a price of zero"]);
    expect(problems((d) => ((d as WithExecution).risk.monitoring.shocks = ['-1.5', '-1', '0.5']))).toEqual(['risk.monitoring.shocks[0]: must be -1 or more: a price cannot fall more than 100%']);
    // A spot desk only goes long: a take-profit 150% above the entry is a price like any other.
    expect(problems((d) => ((d as WithExecution).execution.takeProfit = '1.5'))).toEqual([]);
    const withPerpetual = (d: Desk): void => {
      d.instruments.push({ id: 'SYNTH:ETH/USDT:USDT', tickSize: '0.01', lotSize: '0.001' });
      d.data['SYNTH:ETH/USDT:USDT'] = { ...d.data['SYNTH:BTC/USDT'] };
      for (const agent of d.agents) if (agent.role === 'analyst') agent.instruments = ['SYNTH:BTC/USDT'];
      (d as WithExecution).execution.takeProfit = '1.5';
    };
    expect(problems(withPerpetual)).toEqual([
      "execution.takeProfit: must be below 1 on a desk that can short (SYNTH:ETH/USDT:USDT): a short's take-profit sits that fraction under its entry, at a price of zero or less",
    ]);
  });

  it('keeps the seed within what the synthetic streams can be seeded with exactly', () => {
    expect(problems((d) => (d.desk.seed = 10_000_000_000_000))).toEqual(['desk.seed: must be at most 9007199253740']);
    expect(problems((d) => (d.desk.seed = 9_007_199_253_740))).toEqual([]);
  });

  it('validates channels: secrets by env name only, unique names', () => {
    expect(problems((d) => d.notifications.channels.push({ kind: 'slack', name: 'ops', webhookUrlEnv: 'SLACK_WEBHOOK_URL', minSeverity: 'warning' }))).toEqual([]);
    expect(paths((d) => d.notifications.channels.push({ kind: 'slack', name: 'ops', webhookUrl: 'https://hooks.example/secret' }))).toEqual([
      'notifications.channels[1].webhookUrlEnv',
      'notifications.channels[1].webhookUrl',
    ]);
    expect(paths((d) => d.notifications.channels.push({ kind: 'console', name: 'console' }))).toEqual(['notifications.channels[1].name']);
  });
  it('validates the orchestrator', () => {
    expect(paths((d) => (d.orchestrator.positionCycle = { reviewEvery: '1d', closeAfter: '1h' }))).toEqual(['orchestrator.positionCycle.closeAfter']);
    expect(paths((d) => (d.orchestrator.nudges = { analysts: 'often' }))).toEqual(['orchestrator.nudges.analysts']);
  });
});

describe('error reporting', () => {
  it('rejects unknown keys everywhere', () => {
    expect(paths((d) => (d.extra = 1))).toEqual(['extra']);
    expect(paths((d) => (d.desk.nmae = 'x'))).toEqual(['desk.nmae']);
    expect(paths((d) => (d.risk.limits.maxOrderNotionl = '1'))).toEqual(['risk.limits.maxOrderNotionl']);
  });
  it('reports many problems at once, each on its own line with its source and line', () => {
    const desk = example();
    desk.desk.mode = 'yolo';
    desk.instruments[0]!.tickSize = 0.01;
    desk.capital.profitSweep = { share: '2' };
    desk.risk.limits.maxOpenOrders = 1.5;
    desk.orchestrator.bogus = true;
    let message = '';
    try {
      parseDeskConfig(stringify(desk), 'my-desk.yaml');
    } catch (error) {
      message = (error as Error).message;
    }
    const lines = message.split('\n');
    expect(lines).toHaveLength(5);
    for (const line of lines) expect(line).toMatch(/^my-desk\.yaml: [\w.[\]"]+: .+ \(line \d+\)$/);
    expect(lines.map((line) => line.split(': ')[1])).toEqual(['desk.mode', 'instruments[0].tickSize', 'capital.profitSweep.share', 'risk.limits.maxOpenOrders', 'orchestrator.bogus']);
  });
  it('reports YAML syntax errors with line and column', () => {
    expect(() => parseDeskConfig('desk:\n  name: [x\nother: 1\n', 'bad.yaml')).toThrow(/^bad\.yaml:\d+:\d+: YAML: /);
    expect(() => parseDeskConfig('- a\n- b\n', 'list.yaml')).toThrow('list.yaml: (top level): must be a mapping');
  });
  it('never echoes values, so a secret pasted into the file stays out of the errors', () => {
    const secret = 'sk-ant-SECRET-123456';
    const lines = problems((d) => {
      d.agents[0]!.brain = { kind: 'llm', provider: 'anthropic', model: 'm', apiKeyEnv: secret, apiKey: secret };
      d.notifications.channels.push({ kind: 'telegram', name: 'tg', botTokenEnv: secret, chatIdEnv: 'CHAT', token: secret });
    });
    expect(lines.length).toBeGreaterThanOrEqual(4);
    expect(lines.join('\n')).not.toContain(secret);
    expect(lines.join('\n')).not.toContain('SECRET');
  });
});
