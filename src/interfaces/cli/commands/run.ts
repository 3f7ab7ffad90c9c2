import { dirname, resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { monotonicNs, WallClock } from '../../../core/clock.js';
import { FixRequestError } from '../../../core/errors.js';
import { SeededRandom } from '../../../core/random.js';
import { formatUnixMs, HOUR_MS } from '../../../core/time.js';
import { buildResult } from '../../../backtest/build-result.js';
import { buildDesk, deskRun, trackTrades } from '../../../backtest/desk-backtest.js';
import { createDeskParameterSearch } from '../../../backtest/optimizer/desk-parameter-search.js';
import { renderDeskSummary, summariseDesk } from '../../../backtest/desk-summary.js';
import { renderTerminalSummary } from '../../../backtest/report/terminal-summary.js';
import type { DeskConfig } from '../../../config/desk-schema.js';
import { EXAMPLE_DESK_YAML } from '../../../config/example-desk.js';
import { parseDeskConfig } from '../../../config/parse-desk.js';
import { syntheticDeskData, type DeskData } from '../../../engine/desk/desk-data.js';
import type { AgentStatus } from '../../../engine/desk/desk-setup.js';
import { notifierBooks } from '../../../engine/notifier-books.js';
import { PaperRun, wallPacer, type PaperEnd, type PaperSummary } from '../../../live/paper-run.js';
import { Dispatcher } from '../../../notify/dispatcher.js';
import { drainNotifications } from '../../../notify/drain.js';
import { loadDeskData } from '../../../adapters/config/load-desk-data.js';
import { loadDesk, type DeskSecrets } from '../../../adapters/config/load-desk.js';
import { JsonlJournal } from '../../../adapters/journal/jsonl-journal.js';
import { AlertBoard } from '../../../adapters/notify/alert-board.js';
import { ControlInbox } from '../../../adapters/operator/control-inbox.js';
import { DeskStatusWatch } from '../../../adapters/operator/desk-status.js';
import { deskControls } from './control.js';
import { ProposalBoard } from '../../../adapters/operator/proposal-board.js';
import { assertNoLiveRun, runFiles } from '../../../adapters/operator/run-files.js';
import { FileKillSwitch } from '../../../adapters/kill-switch/file-kill-switch.js';
import { SearchThread } from '../../../adapters/workers/search-thread.js';
import { addModelOptions, openModels, type ModelOptions } from '../model-options.js';
import { assertOutputFiles, assertOutputPath, deskInputFiles, writeOutput } from '../output-files.js';
import { assertChannelPaths, channelsFor, notifierStatus } from '../run-channels.js';
import { paperKillSwitchWarning } from '../kill-switch-at-start.js';
import type { TextSink } from '../../../adapters/notify/console-channel.js';

export interface RunCommandOptions extends ModelOptions {
  desk?: string;
  example?: boolean;
  mode: string;
  feed: string;
  speed: number;
  journal?: string;
  json?: string;
  quiet?: boolean;
}

const FEEDS = ['replay', 'synthetic'] as const;
/** How long the end of a run waits for the channels to deliver what they still hold. */
const DRAIN_SECONDS = 60;

/** `--speed 60` (market seconds per wall second), or `max` / 0 for as fast as it goes. */
function speedOption(value: string): number {
  if (value === 'max') return 0;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`--speed must be a number of market seconds per wall second, or max; got "${value}"`);
  return n;
}

export function registerRun(program: Command): void {
  const command = program
    .command('run')
    .description('Run a desk in paper mode on replayed data at a wall-clock pace, with live progress and notifications')
    .option('--desk <file>', 'desk file (conclave init writes one)')
    .option('--example', 'run the built-in example desk instead of a file')
    .option('--mode <mode>', 'paper (live trading needs a ccxt venue and is not available yet)', 'paper')
    .option('--feed <feed>', 'market data: replay (the desk file\'s data: files or synthetic) or synthetic', 'replay')
    .option('--speed <x>', 'market seconds per wall second (60: an hourly bar a minute), or max (0 is max too)', speedOption, 60)
    .option('--journal <file>', 'append every desk event to a new JSONL journal')
    .option('--json <file>', 'write the final result as JSON ("-" for standard output)')
    .option('--quiet', 'print nothing but errors (notification channels other than the console still send)');
  addModelOptions(command).action(async (options: RunCommandOptions) => {
      await runCommand(options);
    });
}

interface Loaded {
  readonly config: DeskConfig;
  readonly secrets?: DeskSecrets;
  readonly base: string;
  readonly warnings: readonly string[];
}

async function loadConfig(options: RunCommandOptions): Promise<Loaded> {
  if (options.example === true && options.desk !== undefined) throw new FixRequestError('invalid_arguments', 'give either --desk FILE or --example, not both');
  if (options.example === true) return { ...parseDeskConfig(EXAMPLE_DESK_YAML, 'example-desk'), base: process.cwd() };
  if (options.desk === undefined) throw new FixRequestError('invalid_arguments', 'conclave run needs --desk FILE (or --example for the built-in example desk)');
  const loaded = await loadDesk(options.desk);
  return { config: loaded.config, secrets: loaded.secrets, base: dirname(resolve(options.desk)), warnings: loaded.warnings };
}

async function feedData(feed: string, loaded: Loaded): Promise<DeskData> {
  if (feed === 'replay') return loadDeskData(loaded.config, (path) => resolve(loaded.base, path));
  const fileBacked = loaded.config.instruments.filter((i) => loaded.config.data[i.id]?.source !== 'synthetic').map((i) => i.id);
  if (fileBacked.length > 0) {
    throw new FixRequestError('invalid_feed', `--feed synthetic needs a synthetic data source for every instrument; ${fileBacked.join(', ')} ${fileBacked.length === 1 ? 'has' : 'have'} none (use --feed replay)`);
  }
  return syntheticDeskData(loaded.config);
}

/** `conclave run`: paper trading on replayed data, paced on the wall clock; Ctrl-C stops after the current bar. */
export async function runCommand(options: RunCommandOptions): Promise<PaperEnd> {
  if (options.mode === 'live') {
    throw new FixRequestError('live_not_available', '--mode live is not available yet: live trading needs a ccxt venue adapter, which comes later. Use --mode paper');
  }
  if (options.mode !== 'paper') throw new FixRequestError('invalid_mode', `--mode must be paper (live comes later), got "${options.mode}"`);
  if (!(FEEDS as readonly string[]).includes(options.feed)) throw new FixRequestError('invalid_feed', `--feed must be replay or synthetic, got "${options.feed}"`);
  const loaded = await loadConfig(options);
  const config = loaded.config;
  for (const warning of loaded.warnings) console.error(`Warning: ${warning}`);
  // The files a person steers the run through, all named after the desk's alertsFile, in the directory it starts from.
  const files = runFiles(process.cwd(), config.notifications.alertsFile);
  // Refused before anything runs: a folder where the run keeps a file would only fail at its first write.
  const runFilePaths = [files.alerts.state, files.alerts.inbox, files.proposals.state, files.proposals.inbox, files.control];
  for (const path of runFilePaths) assertOutputPath('notifications.alertsFile', path);
  assertChannelPaths(config, loaded.base);
  assertOutputFiles(
    [
      { flag: '--json', path: options.json, stdout: true },
      { flag: '--journal', path: options.journal },
      // What the desk itself writes as it runs: its JSONL channels and its model decision records.
      ...config.notifications.channels.flatMap((channel, i) => (channel.kind === 'jsonl' ? [{ flag: `notifications.channels[${i}].path`, path: resolve(loaded.base, channel.path) }] : [])),
      ...(config.llm?.records === undefined || options.records !== undefined ? [] : [{ flag: 'llm.records', path: resolve(loaded.base, config.llm.records) }]),
    ],
    [
      { flag: '--desk', path: options.desk },
      { flag: '--records', path: options.records },
      ...deskInputFiles(config, loaded.base),
      ...runFilePaths.map((path) => ({ flag: 'notifications.alertsFile', path })),
    ],
  );
  assertNoLiveRun(files);
  const killSwitch = new FileKillSwitch(process.cwd(), config.risk.killSwitchFile);
  const killedAtStart = paperKillSwitchWarning(killSwitch);
  if (killedAtStart !== undefined) console.error(`Warning: ${killedAtStart}`);
  const loadStart = monotonicNs();
  const data = await feedData(options.feed, loaded);
  const loadMs = Number(monotonicNs() - loadStart) / 1e6;
  const journal = options.journal === undefined ? undefined : JsonlJournal.open(options.journal);
  if (journal !== undefined && journal.length > 0) {
    journal.close();
    throw new FixRequestError('journal_not_empty', `journal ${options.journal} already holds ${journal.length} events; give a new file`);
  }
  const models = await openModels(config, loaded.base, options);
  const quiet = options.quiet === true || options.json === '-';
  const status = new StatusLine(process.stdout, quiet);
  let outcome: { end: PaperEnd; summary: PaperSummary };
  let engineMs = 0;
  // The optimizer searches on a worker thread, so the run stays in the person's hands while it works.
  const searchThread = config.agents.some((agent) => agent.role === 'optimizer') ? SearchThread.start(config.instruments, createDeskParameterSearch()) : undefined;
  let desk: ReturnType<typeof buildDesk>;
  let trades: ReturnType<typeof trackTrades>;
  let initialEquity: number;
  // The notifier's health once delivery is over, for the summary's agents.
  let notifier: AgentStatus[] = [];
  try {
    desk = buildDesk({
      config,
      data,
      ...(journal === undefined ? {} : { store: journal }),
      killSwitch,
      ...(models === undefined ? {} : { models }),
      ...(searchThread === undefined ? {} : { threadedSearch: searchThread.search }),
    });
    trades = trackTrades(desk);
    initialEquity = desk.core.deskEquity().toNumber();
    // The daily summary closes market days on the desk's clock; delivery (dedup windows, rate limits, retries and
    // Retry-After, reminders) runs on the wall clock, as the services and people it reaches do.
    const dispatcher = new Dispatcher({
      clock: desk.clock,
      deliveryClock: new WallClock(),
      random: new SeededRandom(config.desk.seed),
      books: notifierBooks(desk.core),
      channels: channelsFor(config, loaded.secrets, quiet ? undefined : status, loaded.base),
      ...(config.notifications.dailySummaryHourUtc === undefined ? {} : { dailySummaryAtMs: config.notifications.dailySummaryHourUtc * HOUR_MS }),
    });
    desk.core.events.subscribe((event) => {
      dispatcher.onEvent(event);
      // Sent at the runner's next pause (bars are replayed synchronously), so notifications keep up with the desk.
      if (dispatcher.due()) void dispatcher.flush();
    });
    // People see the open alerts in NAME.json and acknowledge them with `conclave alerts ack` (NAME.ack); the file
    // also tells what the desk is doing (`conclave status`, and `conclave restart` checks its agents there).
    const watch = new DeskStatusWatch(desk, () => notifierStatus(config, dispatcher.outcomes()));
    desk.core.events.subscribe((event) => watch.onEvent(event));
    const board = new AlertBoard(files.alerts, dispatcher, config.desk.name, new WallClock(), () => watch.snapshot());
    board.start();
    // An optimizer that waits for approval: its proposals in NAME.proposals.json, approved with `conclave proposals approve`.
    const manual = config.agents.some((agent) => agent.role === 'optimizer' && agent.approval === 'manual');
    const proposals = manual ? new ProposalBoard(files.proposals, (id, by) => desk.approveProposal(id, by), config.desk.name, new WallClock()) : undefined;
    if (proposals !== undefined) {
      desk.core.events.subscribe((event) => proposals.onEvent(event));
      proposals.start();
    }
    // `conclave halt`, `conclave resume` and `conclave restart` reach the run through NAME.control.
    const control = new ControlInbox(files.control, deskControls(desk));
    control.start();
    const tell = (messages: readonly string[]): void => {
      for (const message of messages) status.write(`${message}\n`);
    };
    const speed = options.speed;
    const paper = new PaperRun(desk, {
      pacer: wallPacer,
      speed,
      roles: () => notifierStatus(config, dispatcher.outcomes()),
      onTick: (summary) => {
        // Between bars too: at a slow pace the next bar may be minutes of wall time away.
        desk.core.checkKillSwitch();
        tell(control.poll());
        tell(board.poll());
        if (proposals !== undefined) tell(proposals.poll());
        // The summary was taken before the requests above were applied: the line shows the state they left.
        status.show(summaryLine({ ...summary, tradingState: desk.core.tradingState }, speed, config.desk.name));
        void dispatcher.flush();
      },
    });
    // `once`: a second Ctrl-C falls through to Node's default and ends the process at once.
    const stop = (signal: NodeJS.Signals): void => {
      status.write(`${signal}: stopping after the current bar (again to abort)\n`);
      void paper.stop();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const engineStart = monotonicNs();
    try {
      outcome = await paper.run();
    } finally {
      process.removeListener('SIGINT', stop);
      process.removeListener('SIGTERM', stop);
    }
    engineMs = Number(monotonicNs() - engineStart) / 1e6;
    // A search still working for a stopped run is given up now, not after the notifications are delivered.
    await searchThread?.close();
    // What the channels still hold (waiting for a service's rate limit or a retry) goes out before the run ends.
    const queued = dispatcher.pending().reduce((sum, channel) => sum + channel.count, 0);
    if (queued > 0) status.write(`Delivering ${queued} queued notification${queued === 1 ? '' : 's'} (up to ${DRAIN_SECONDS} s; Ctrl-C to stop)\n`);
    // Ctrl-C here stops the delivery, and the run still ends as it should: journal closed, summaries printed.
    const giveUp = new AbortController();
    const stopDelivery = (): void => giveUp.abort();
    process.once('SIGINT', stopDelivery);
    process.once('SIGTERM', stopDelivery);
    try {
      await drainNotifications(dispatcher, {
        clock: new WallClock(),
        sleep: (ms, signal) => wallPacer.sleep(ms, signal),
        deadlineMs: DRAIN_SECONDS * 1000,
        timeout: (ms) => AbortSignal.timeout(ms),
        stop: giveUp.signal,
      });
    } finally {
      process.removeListener('SIGINT', stopDelivery);
      process.removeListener('SIGTERM', stopDelivery);
    }
    tell(board.close());
    notifier = notifierStatus(config, dispatcher.outcomes());
    if (proposals !== undefined) tell(proposals.close());
    // A channel that failed is a problem to fix, so it goes to standard error, --quiet or not.
    const delivery = deliveryProblems(dispatcher);
    if (delivery !== undefined) {
      status.end();
      process.stderr.write(`${delivery}\n`);
    }
  } finally {
    journal?.close();
    models?.close();
    await searchThread?.close();
  }
  status.show(summaryLine(outcome.summary, options.speed, config.desk.name));
  status.end();
  const built = buildResult(deskRun(desk, trades, initialEquity), { strategy: `desk:${config.desk.name}`, params: {}, series: desk.setup.series, timing: { loadMs, engineMs }, seed: config.desk.seed });
  const result = {
    ...built,
    warnings: [...(killedAtStart === undefined ? [] : [killedAtStart]), ...built.warnings],
    desk: summariseDesk(desk, loaded.warnings, notifier),
    paper: { end: outcome.end, speed: options.speed, feed: options.feed, barsProcessed: outcome.summary.barsProcessed, totalBars: outcome.summary.totalBars },
  };
  if (options.json === '-') process.stdout.write(`${JSON.stringify(result)}\n`);
  else if (options.json !== undefined) writeOutput('--json', options.json, `${JSON.stringify(result, null, 2)}\n`);
  if (!quiet) {
    const how = outcome.end === 'stopped' ? 'Stopped on request after' : 'Reached the end of the data after';
    console.log(`\nPaper run of ${config.desk.name}: ${how} ${outcome.summary.barsProcessed} of ${outcome.summary.totalBars} bars.\n`);
    console.log(renderTerminalSummary(result, { color: process.stdout.isTTY === true }));
    console.log(renderDeskSummary(result.desk));
    if (options.journal !== undefined) console.log(`  Journal written to ${options.journal}: \`conclave explain ORDER_ID --journal ${options.journal}\``);
  }
  return outcome.end;
}

const money = (value: number): string => value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** One line of live progress. */
export function summaryLine(s: PaperSummary, speed: number, name: string): string {
  const pace = speed === 0 ? 'max' : `x${speed}`;
  const when = s.barsProcessed === 0 ? 'waiting for the first bar' : formatUnixMs(s.marketTime).slice(0, 16).replace('T', ' ');
  const pnl = `${s.pnl >= 0 ? '+' : ''}${money(s.pnl)}`;
  const agents = s.agents.unhealthy.length === 0 ? `agents ${s.agents.healthy}/${s.agents.total} healthy` : `agents ${s.agents.healthy}/${s.agents.total} healthy (${s.agents.unhealthy.join(', ')})`;
  const behind = s.behindMs >= HOUR_MS ? ` | behind ${(s.behindMs / HOUR_MS).toFixed(1)}h` : '';
  // A bar held up by a model call (or the optimizer's search) for more than a moment says whose, so a stalled model
  // is not a silent run.
  const waiting = s.waiting !== undefined && s.waiting.ms >= 1000 ? ` | waiting ${Math.floor(s.waiting.ms / 1000)}s for ${s.waiting.agent}'s ${s.waiting.for ?? 'model'}` : '';
  return `[paper ${name} ${pace}] ${s.barsProcessed}/${s.totalBars} bars | ${when} | equity ${money(s.equity)} | PnL ${pnl} | fills ${s.fills} | denials ${s.denials} | ${s.tradingState} | ${agents}${behind}${waiting}`;
}

/**
 * The live summary: rewritten in place on a terminal, one plain line per update otherwise (logs, pipes, tests).
 * Console notifications write through it so they never collide with a half-drawn status line.
 */
class StatusLine implements TextSink {
  private drawn = false;
  private last: string | undefined;
  private readonly tty: boolean;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly quiet: boolean,
  ) {
    this.tty = stream.isTTY === true;
  }

  show(line: string): void {
    if (this.quiet) return;
    if (!this.tty) {
      this.stream.write(`${line}\n`);
      return;
    }
    this.last = line;
    const width = this.stream.columns > 0 ? this.stream.columns - 1 : line.length;
    this.stream.write(`\r\x1b[K${line.slice(0, width)}`);
    this.drawn = true;
  }

  /** A notification: printed above the status line, which is drawn again below it. */
  write(chunk: string): void {
    if (this.quiet) return;
    this.clear();
    this.stream.write(chunk);
    if (this.tty && this.last !== undefined) this.show(this.last);
  }

  end(): void {
    if (this.drawn) this.stream.write('\n');
    this.drawn = false;
    this.last = undefined;
  }

  private clear(): void {
    if (this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
  }
}

/** Channels that failed to deliver or still hold notifications at the end of a run, in one line; undefined when none. */
export function deliveryProblems(dispatcher: Pick<Dispatcher, 'outcomes' | 'pending'>): string | undefined {
  const byChannel = new Map<string, { sent: number; gaveUp: number; lastError?: string }>();
  for (const outcome of dispatcher.outcomes()) {
    if (outcome.channel === undefined) continue;
    const entry = byChannel.get(outcome.channel) ?? { sent: 0, gaveUp: 0 };
    if (outcome.kind === 'sent') entry.sent += 1;
    if (outcome.kind === 'gave-up') {
      entry.gaveUp += 1;
      if (outcome.detail !== undefined) entry.lastError = outcome.detail;
    }
    byChannel.set(outcome.channel, entry);
  }
  const parts: string[] = [];
  const pending = new Map(dispatcher.pending().map((p) => [p.channel, p.count]));
  for (const channel of new Set([...byChannel.keys(), ...pending.keys()])) {
    const entry = byChannel.get(channel) ?? { sent: 0, gaveUp: 0 };
    const queued = pending.get(channel) ?? 0;
    if (entry.gaveUp === 0 && queued === 0) continue;
    const failed = entry.gaveUp > 0 ? `, ${entry.gaveUp} given up${entry.lastError === undefined ? '' : ` (last: ${entry.lastError})`}` : '';
    parts.push(`${channel} ${entry.sent} sent${failed}${queued > 0 ? `, ${queued} still queued` : ''}`);
  }
  return parts.length === 0 ? undefined : `Notification delivery: ${parts.join('; ')}`;
}
