import { resolve } from 'node:path';
import { FixRequestError } from '../../core/errors.js';
import { agentId } from '../../core/ids.js';
import type { AgentStatus } from '../../engine/desk/desk.js';
import type { DeskConfig } from '../../config/desk-schema.js';
import type { ChannelPort } from '../../notify/channel.js';
import type { Notification, Severity } from '../../notify/notification.js';
import type { DeskSecrets } from '../../adapters/config/load-desk.js';
import { ConsoleChannel, type TextSink } from '../../adapters/notify/console-channel.js';
import { DiscordChannel } from '../../adapters/notify/discord-channel.js';
import { JsonlFileChannel } from '../../adapters/notify/jsonl-file-channel.js';
import { SlackChannel } from '../../adapters/notify/slack-channel.js';
import { TelegramChannel } from '../../adapters/notify/telegram-channel.js';
import { WebhookChannel } from '../../adapters/notify/webhook-channel.js';
import { assertOutputPath } from './output-files.js';

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

/**
 * Checks, before the run, that every JSONL channel's file can be written where the desk file names it (from the desk
 * file's folder): a run must not find out hours in that its notifications had nowhere to go.
 */
export function assertChannelPaths(config: DeskConfig, base: string): void {
  for (const channel of config.notifications.channels) {
    if (channel.kind === 'jsonl') assertOutputPath(`notifications channel ${channel.name}, path`, channel.path, base);
  }
}

/** A channel that takes notifications at or above a severity (the dispatcher asks `accepts` before queueing). */
class SeverityFilter implements ChannelPort {
  readonly name: string;
  readonly local: boolean;

  constructor(
    private readonly inner: ChannelPort,
    private readonly min: Severity,
  ) {
    this.name = inner.name;
    this.local = inner.local === true;
  }

  accepts(notification: Notification): boolean {
    return SEVERITY_RANK[notification.severity] >= SEVERITY_RANK[this.min];
  }

  /** The dispatcher asks `accepts` before queueing: what reaches here is wanted. */
  send(notification: Notification, signal?: AbortSignal): Promise<void> {
    return this.inner.send(notification, signal);
  }
}

/**
 * The desk file's channels the notifier delivers to (those its `channels` lists; every one when it lists none), each
 * filtered by its minSeverity; a JSONL file's path is read from `base`, the desk file's folder, as its data paths are.
 * Without a console channel in the file the console still shows warnings and above (denials, halts, liquidations):
 * a paper run should never fail silently.
 */
export function channelsFor(config: DeskConfig, secrets: DeskSecrets | undefined, console: TextSink | undefined, base: string): ChannelPort[] {
  const secret = (variable: string): string => {
    if (secrets === undefined) throw new FixRequestError('missing_secret', `secret ${variable} is not available for this desk`);
    return secrets.get(variable);
  };
  const channels: ChannelPort[] = [];
  let consoleSeen = false;
  const listed = notifierChannels(config);
  for (const c of config.notifications.channels) {
    if (c.kind === 'console') consoleSeen = true;
    if (listed !== undefined && !listed.has(c.name)) continue;
    const timeoutMs = c.timeout;
    let port: ChannelPort | undefined;
    switch (c.kind) {
      case 'console':
        port = console === undefined ? undefined : new ConsoleChannel(console, c.name);
        break;
      case 'jsonl':
        port = new JsonlFileChannel(resolve(base, c.path), c.name);
        break;
      case 'webhook':
        port = new WebhookChannel({ url: secret(c.urlEnv), name: c.name, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
        break;
      case 'slack':
        port = new SlackChannel({ webhookUrl: secret(c.webhookUrlEnv), name: c.name, ...(c.blocks === undefined ? {} : { blocks: c.blocks }), ...(timeoutMs === undefined ? {} : { timeoutMs }) });
        break;
      case 'discord':
        port = new DiscordChannel({ webhookUrl: secret(c.webhookUrlEnv), name: c.name, ...(c.embeds === undefined ? {} : { embeds: c.embeds }), ...(timeoutMs === undefined ? {} : { timeoutMs }) });
        break;
      case 'telegram':
        port = new TelegramChannel({ botToken: secret(c.botTokenEnv), chatId: secret(c.chatIdEnv), name: c.name, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
        break;
    }
    if (port !== undefined) channels.push(new SeverityFilter(port, c.minSeverity));
  }
  if (!consoleSeen && console !== undefined) channels.push(new SeverityFilter(new ConsoleChannel(console), 'warning'));
  return channels;
}

/** The names of the channels the notifier lists, or undefined when it lists none (it then delivers to all). */
function notifierChannels(config: DeskConfig): ReadonlySet<string> | undefined {
  for (const agent of config.agents) if (agent.role === 'notifier' && agent.channels !== undefined) return new Set(agent.channels);
  return undefined;
}

/**
 * The notifier's health in a run: it is the dispatcher, so it is failing while a channel's latest delivery was
 * given up on (the people it should reach hear nothing), and healthy again once that channel delivers.
 */
export function notifierStatus(config: DeskConfig, outcomes: readonly { readonly kind: string; readonly channel?: string; readonly detail?: string }[]): AgentStatus[] {
  const last = new Map<string, { readonly kind: string; readonly detail?: string }>();
  for (const outcome of outcomes) if (outcome.channel !== undefined && (outcome.kind === 'sent' || outcome.kind === 'gave-up')) last.set(outcome.channel, outcome);
  const failing = [...last].filter(([, outcome]) => outcome.kind === 'gave-up').map(([channel, outcome]) => `${channel}${outcome.detail === undefined ? '' : ` (${outcome.detail})`}`);
  return config.agents
    .filter((agent) => agent.role === 'notifier')
    .map((agent) => ({ id: agentId(agent.id), role: 'notifier', health: failing.length === 0 ? 'healthy' : 'failing', ...(failing.length === 0 ? {} : { problem: `gave up delivering to ${failing.join(', ')}` }) }));
}
