/**
 * Replaying recorded model decisions inside a desk backtest: the overhead of the model-driven machinery (loading
 * the records file, building each prompt and its cache key, serving and checking the recorded answer) over the same
 * desk trading the same signals from a plain playback brain, so both runs place the same orders (checked by their
 * fill fingerprints). The records are made first by a scripted in-process model (not timed).
 * `node --import tsx bench/llm-replay.bench.ts`.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { JsonlDecisionStore } from '../src/adapters/llm/jsonl-decision-store.js';
import { runDeskBacktestAsync, trackTrades, deskRun } from '../src/backtest/desk-backtest.js';
import { deskSetupFrom } from '../src/engine/desk/desk-from-config.js';
import { Desk } from '../src/engine/desk/desk.js';
import { MemoryDecisionStore } from '../src/llm/decision-record.js';
import type { Signal, Strategy } from '../src/strategies/strategy.js';
import { EXAMPLE_DESK_YAML } from '../src/config/example-desk.js';
import type { DeskConfig } from '../src/config/desk-schema.js';
import { parseDeskConfig } from '../src/config/parse-desk.js';
import { monotonicNs } from '../src/core/clock.js';
import { syntheticDeskData } from '../src/engine/desk/desk-data.js';
import type { LlmProvider, LlmRequest, LlmResponse } from '../src/llm/provider.js';
import { report } from './harness.js';

const DECISIONS = 10_000;
const WARMUP = 50;

function desk(): DeskConfig {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a parsed YAML document, validated below
  const doc = parse(EXAMPLE_DESK_YAML) as Record<string, any>;
  doc.data['SYNTH:BTC/USDT'].bars = Math.ceil(DECISIONS * 1.25) + WARMUP;
  doc.agents = doc.agents.filter((a: { role: string }) => a.role !== 'optimizer');
  delete doc.orchestrator.positionCycle;
  delete doc.orchestrator.nudges.analysts;
  doc.agents[0] = { id: 'sma', role: 'analyst', sleeve: 'trend-sma', brain: { kind: 'llm', provider: 'anthropic', model: 'claude-bench', everyBars: 1, warmup: WARMUP } };
  doc.llm = { prices: { 'claude-bench': { inputPerMillion: 3, outputPerMillion: 15 } } };
  return parseDeskConfig(stringify(doc), 'bench-llm').config;
}

/**
 * Emits, at each bar close, the signals the model-driven analyst gave then: the same decisions without a model. It
 * answers through a settled promise, as a model brain does, so its signals reach the manager in the same order.
 */
function playback(signals: ReadonlyMap<number, Signal>, instruments: Strategy['instruments']): Strategy {
  return {
    name: 'playback',
    instruments,
    warmup: WARMUP,
    onBar: (_bar, context): Promise<void> | undefined => {
      const signal = signals.get(context.now?.() ?? -1);
      if (signal === undefined) return undefined;
      context.emit(signal);
      return Promise.resolve();
    },
  };
}

/** Long while the last close is above the one 20 bars back (read from the prompt), else flat. */
class ScriptedModel implements LlmProvider {
  readonly name = 'anthropic';
  calls = 0;
  complete(request: LlmRequest): Promise<LlmResponse> {
    this.calls += 1;
    const last = request.messages[request.messages.length - 1];
    const closes = [...(last?.role === 'user' ? last.content : '').matchAll(/Z [\d.]+ [\d.]+ [\d.]+ ([\d.]+) /g)].map((m) => Number(m[1]));
    const up = closes.length > 1 && (closes[closes.length - 1] as number) > (closes[0] as number);
    const answer = up
      ? { action: 'long', instrument: 'SYNTH:BTC/USDT', conviction: 0.5, horizonBars: 10, thesis: 'closes are rising' }
      : { action: 'flat', instrument: 'SYNTH:BTC/USDT', conviction: 0, horizonBars: 10, thesis: 'closes are not rising' };
    return Promise.resolve({ answer: JSON.stringify(answer), toolCalls: [], usage: { inputTokens: 1200, outputTokens: 40 }, stopReason: 'tool_use', model: request.model });
  }
}

const llmConfig = desk();
const data = syntheticDeskData(llmConfig);
const dir = mkdtempSync(join(tmpdir(), 'conclave-llm-bench-'));
const path = join(dir, 'records.jsonl');
try {
  const model = new ScriptedModel();
  const recording = JsonlDecisionStore.open(path, { mode: 'append' });
  const recorded = await runDeskBacktestAsync({ config: llmConfig, data, models: { providerFor: () => model, mode: 'record', store: recording } });
  recording.close();
  const size = statSync(path).size;

  let bestReplay = Infinity;
  let bestLoad = Infinity;
  let replayedFingerprint = '';
  for (let round = 0; round < 3; round++) {
    const loadStart = monotonicNs();
    const store = JsonlDecisionStore.open(path, { mode: 'read', lazy: true });
    const loaded = Number(monotonicNs() - loadStart) / 1e9;
    const never: LlmProvider = { name: 'anthropic', complete: () => Promise.reject(new Error('a replay must not call the model')) };
    const start = monotonicNs();
    const replayed = await runDeskBacktestAsync({ config: llmConfig, data, models: { providerFor: () => never, mode: 'replay', store } });
    const seconds = Number(monotonicNs() - start) / 1e9;
    bestReplay = Math.min(bestReplay, seconds);
    bestLoad = Math.min(bestLoad, loaded);
    replayedFingerprint = replayed.run.fingerprint;
  }
  const signals = new Map<number, Signal>();
  for (let offset = 0; offset < recorded.desk.core.store.length; offset += 10_000) {
    for (const event of recorded.desk.core.store.read(offset, 10_000)) {
      if (event.type === 'SignalEmitted' && event.agentId === 'sma') {
        signals.set(event.tsEvent, { instrumentId: event.instrumentId, direction: event.direction, conviction: event.conviction, reason: event.reason });
      }
    }
  }
  let bestPlayback = Infinity;
  let playbackFingerprint = '';
  for (let round = 0; round < 3; round++) {
    const unused: LlmProvider = { name: 'anthropic', complete: () => Promise.reject(new Error('not called')) };
    const setup = deskSetupFrom({ config: llmConfig, series: data.series, models: { providerFor: () => unused, mode: 'replay', store: new MemoryDecisionStore() } });
    const analyst = setup.analysts[0];
    if (analyst === undefined) throw new Error('no analyst');
    analyst.brain = playback(signals, analyst.brain.instruments);
    const start = monotonicNs();
    const played = new Desk({ ...setup, gateways: [] });
    const trades = trackTrades(played);
    const initial = played.core.deskEquity().toNumber();
    await played.runToEndAsync();
    bestPlayback = Math.min(bestPlayback, Number(monotonicNs() - start) / 1e9);
    playbackFingerprint = deskRun(played, trades, initial).fingerprint;
  }
  if (replayedFingerprint !== recorded.run.fingerprint) throw new Error('the replay did not reproduce the recorded fills');
  if (playbackFingerprint !== recorded.run.fingerprint) throw new Error('the playback desk did not place the recorded orders');
  const overhead = bestLoad + bestReplay - bestPlayback;
  console.log(
    `${model.calls.toLocaleString('en-US')} recorded decisions (${(size / 1e6).toFixed(1)} MB of records): loading ${(bestLoad * 1000).toFixed(0)} ms, replayed desk ${(bestReplay * 1000).toFixed(0)} ms, the same desk playing the same signals back without a model ${(bestPlayback * 1000).toFixed(0)} ms; fills identical to the recorded run in both`,
  );
  report('llm-replay-overhead', Math.round(overhead * 1000), 'ms', `for ${model.calls} decisions, best of 3 (target < 1000 ms)`);
  report('llm-replay-overhead-per-decision', Math.round((overhead / model.calls) * 1e6), 'us', 'per recorded decision');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
