/** The example desk `conclave init` writes: every section, commented, runnable as is (a synthetic backtest). */
export const EXAMPLE_DESK_YAML = `# Conclave desk configuration.
# One file declares the whole desk. Every key is checked: a misspelt or unknown key is an error, and
# \`conclave check --desk desk.yaml\` lists every problem by its path.
# Money, prices and fractions are quoted decimal strings ('0.001'), so they stay exact.
# Durations are strings: '30s', '5m', '1h', '1d', '1w'.
# Secrets never go in this file: fields ending in Env name the environment variable that holds them.

desk:
  name: example-desk
  valuationCurrency: USDT     # the currency equity, PnL and limits are measured in
  mode: backtest              # backtest | paper | live (live also needs: live: { confirm: true })
  seed: 42                    # seeds every random source, so runs repeat exactly

# What can be traded. Ids are VENUE:BASE/QUOTE (spot) or VENUE:BASE/QUOTE:SETTLE (perpetual).
instruments:
  - id: SYNTH:BTC/USDT
    tickSize: '0.01'          # smallest price step
    lotSize: '0.0001'         # smallest quantity step
    minNotional: '10'         # smallest order value, in USDT
    makerFee: '0.0002'        # fee rates as fractions of notional
    takerFee: '0.0005'

# Where orders go. The sim venue replays data with modelled fills, fees, slippage and latency.
# A real exchange is { kind: ccxt, id: BINANCE, exchange: binance, testnet: true, apiKeyEnv: ..., secretEnv: ... }.
venues:
  - kind: sim
    id: SYNTH                 # the venue part of the instrument ids it lists
    fillModel: bar            # a desk replays bars, so its venue fills on bars
    barExecution: next-open   # market orders fill at the next bar's open
    slippage: { kind: fixed-bps, bps: '2' }
    latency: 50ms

# Market data per instrument: a file (csv, freqtrade json/feather) or a seeded synthetic market.
data:
  'SYNTH:BTC/USDT':
    source: synthetic
    startPrice: 30000
    annualVol: 0.6
    start: '2024-01-01'
    timeframe: 1h
    bars: 2000
  # 'BINANCE:ETH/USDT': { source: file, path: data/ETH_USDT-1h.feather }
  # A perpetual from files may add its funding rates (freqtrade's layout) and mark-price candles:
  # 'BINANCE:XRP/USDT:USDT': { source: file, path: data/XRP_USDT_USDT-1h-futures.csv,
  #                            funding: data/XRP_USDT_USDT-8h-funding_rate.csv, marks: data/XRP_USDT_USDT-1h-mark.csv }

# The money: master cash, the sleeves agents trade in, and how capital moves between them.
capital:
  cash: { USDT: '100000' }
  sleeves:                    # one per analyst, each with its own risk budget
    - { id: trend-sma, maxGrossExposure: '50000', maxDrawdown: '0.2' }
    - { id: meanrev-bb, maxGrossExposure: '50000', maxDrawdown: '0.2' }
    - { id: breakout-donchian, maxGrossExposure: '50000', maxDrawdown: '0.2' }
  allocation: { kind: equal }               # equal | fixed (weights per sleeve) | performance (lookback, shrink, maxStep)
  rebalance: { kind: weekly, weekday: 1, hourUtc: 0 }   # Mondays 00:00 UTC
  profitSweep: { share: '0.2' }             # 20% of each sleeve's new realised profit goes to its own reserve, never traded
  goals:
    targetReturn: '0.2'                     # +20% by the deadline
    drawdownCeiling: '0.15'
    start: '2024-01-01'
    deadline: '2024-12-31'

# The desk's agents. Analysts run a strategy (brain: rules) on their sleeve. An analyst, the manager or the
# judge may instead have a model brain (then an analyst takes no strategy), e.g.
#   brain: { kind: llm, provider: anthropic, model: claude-sonnet-4-5, apiKeyEnv: ANTHROPIC_API_KEY, everyBars: 4 }
#   brain: { kind: llm, provider: openai, model: llama3.1, baseUrl: 'http://127.0.0.1:11434/v1' }   # Ollama
# and the desk an llm section:
#   llm: { mode: record, records: decisions.jsonl, prices: { claude-sonnet-4-5: { inputPerMillion: 3, outputPerMillion: 15 } },
#          budget: { runUsd: 20 } }
agents:
  - id: sma
    role: analyst
    brain: rules
    strategy: sma-cross
    params: { fast: 10, slow: 30 }
    sleeve: trend-sma
  - id: bb
    role: analyst
    strategy: bb-rsi
    params: { period: 20, mult: 2, rsiPeriod: 14 }
    sleeve: meanrev-bb
  - id: donchian
    role: analyst
    strategy: donchian
    params: { entry: 20, exit: 10 }
    sleeve: breakout-donchian
  - id: pm
    role: manager             # turns the analysts' signals into orders (see manager below)
  - id: judge
    role: judge               # scores the agents, sets their modes, moves capital between sleeves
    every: 1d
  - id: tuner
    role: optimizer           # re-tunes the analysts' parameters walk-forward on recent bars
    every: 30d
    lookbackBars: 1000
    approval: manual          # manual: proposals wait for approval; automatic: applied at once
  - id: notifier
    role: notifier
    channels: [console]

# The decision mode: independent | weighted | consensus | hierarchical.
# independent: each analyst trades its own sleeve. weighted and consensus trade one desk book, e.g.
#   manager: { mode: weighted, weights: { sma: '1', bb: '0.5', donchian: '1' }, deadband: { notional: '50' } }
manager:
  mode: independent

# Default size of a conviction-1 position (an analyst may override with its own sizing).
sizing: { kind: notional, perConviction: '10000' }

# How approved orders are worked: market | limit (offsetBps, expireAfter) | twap (slices, over) | post-only-chase
# (maxReprices, fallback). stopLoss/takeProfit attach protective exits (fractions of the entry price).
execution:
  algorithm: { kind: market }
  stopLoss: '0.08'
  takeProfit: '0.2'

# Hard limits every order is checked against, and the breakers that stop the desk.
risk:
  limits:
    maxOrderNotional: '20000'
    maxPositionNotional: '40000'
    maxGrossExposure: '100000'
    maxLeverage: '1'
    maxOpenOrders: 10           # per book (a sleeve's, or the desk book's); reduce-only exits are never refused
    priceBand: '0.05'
    orderRate: { maxOrders: 30, window: 1m }   # over the whole desk; reduce-only exits are never refused
  breakers:
    dailyLoss: { fraction: '0.05', action: REDUCING }
    maxDrawdown: { fraction: '0.2', action: HALTED }
  killSwitchFile: KILL        # creating this file halts the desk
  monitoring:                 # VaR/CVaR and stress tests on every risk nudge
    confidence: 0.99
    lookbackBars: 250
    maxVar: '0.1'             # one-bar VaR above 10% of equity: REDUCING
    shocks: ['-0.1', '-0.2', '0.1']
    volatilitySpikes: [2, 3]   # stressed VaR at 2x and 3x volatility, reported with each assessment
    maxStressLoss: '0.3'      # a shock losing over 30% of equity: REDUCING
    releaseFraction: '0.9'    # REDUCING lifts once every measure is at or below 90% of its limit; a cut aims there

# Where alerts and summaries go. Webhook, Slack, Discord and Telegram name their secrets by env var,
# e.g. { kind: slack, name: ops, webhookUrlEnv: SLACK_WEBHOOK_URL, minSeverity: warning }.
notifications:
  channels:
    - { kind: console, name: console, minSeverity: warning }
  dailySummaryHourUtc: 0
  alertsFile: ALERTS          # open alerts in ALERTS.json (\`conclave alerts ack ID\`); also ALERTS.control, ALERTS.proposals.json

# How often roles are nudged, and the position cycle (open, review, close).
orchestrator:
  nudges: { analysts: 1h, manager: 1h, risk: 1h }
  positionCycle: { open: true, reviewEvery: 4h, closeAfter: 3d }
`;
