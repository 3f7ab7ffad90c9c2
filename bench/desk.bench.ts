/**
 * The full desk on 1M one-minute bars with rules brains: three analysts (sma-cross, bb-rsi, donchian) in their own
 * sleeves, the manager (independent mode), the risk gate and an hourly VaR/stress watch, the executor (market
 * orders with stop-loss brackets) and a daily judge (grades, modes, profit sweep, weekly rebalancing).
 * `node --import tsx bench/desk.bench.ts`.
 */
import { runDeskBacktest } from '../src/backtest/desk-backtest.js';
import { EXAMPLE_DESK_YAML } from '../src/config/example-desk.js';
import { parseDeskConfig } from '../src/config/parse-desk.js';
import { monotonicNs } from '../src/core/clock.js';
import { syntheticDeskData } from '../src/engine/desk/desk-data.js';
import { report } from './harness.js';

const BARS = 1_000_000;

const yaml = EXAMPLE_DESK_YAML
  // one-minute bars, a million of them
  .replace('timeframe: 1h\n    bars: 2000', `timeframe: 1m\n    bars: ${BARS}`)
  // the optimizer and the position cycle are not part of this figure (the issue names the roles it counts)
  .replace(/ {2}- id: tuner[\s\S]*?approval: manual[^\n]*\n/, '')
  .replace(/ {2}positionCycle:[^\n]*\n/, '')
  // breakers that would halt the desk part-way would make the rest of the run idle: keep it trading
  .replace(/ {2}breakers:\n[^\n]*\n[^\n]*\n/, '')
  // nor sleeves stopped by their drawdown budget
  .replaceAll("maxDrawdown: '0.2' }", "maxDrawdown: '1' }");
const { config } = parseDeskConfig(yaml, 'bench-desk');
const data = syntheticDeskData(config);

let best = Infinity;
let fills = 0;
let events = 0;
for (let round = 0; round < 3; round++) {
  const start = monotonicNs();
  const { desk, run } = runDeskBacktest({ config, data });
  const seconds = Number(monotonicNs() - start) / 1e9;
  if (seconds < best) best = seconds;
  fills = run.fills.length;
  events = desk.core.store.length;
}
console.log(`full desk, 3 analysts + manager + risk + executor + judge: ${BARS.toLocaleString('en-US')} bars, ${fills} fills, ${events} events`);
report('desk-bars-per-second', Math.round(BARS / best), 'bars/s', `best of 3 (target >= 1,000,000)`);
