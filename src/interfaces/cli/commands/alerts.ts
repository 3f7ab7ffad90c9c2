import type { Command } from 'commander';
import { FixRequestError } from '../../../core/errors.js';
import { readAlertState, type AlertEntry, type AlertState } from '../../../adapters/notify/alert-files.js';
import { appendRequest } from '../../../adapters/operator/json-lines-inbox.js';
import { runIsLive } from '../../../adapters/operator/state-file.js';
import { addRunFileOptions, operatorName, requestTime, runCondition, runFilesOf, type RunFileOptions } from '../operator.js';

interface ListOptions extends RunFileOptions {
  all?: boolean;
  json?: boolean;
}

interface AckOptions extends RunFileOptions {
  all?: boolean;
  by?: string;
}

export function registerAlerts(program: Command): void {
  const alerts = addRunFileOptions(
    program
      .command('alerts')
      .description("Show a running desk's alerts (conclave run keeps them in ALERTS.json, or NAME.json for its alertsFile, in the directory it started from)")
      .enablePositionalOptions(),
  )
    .option('--all', 'also show the latest acknowledged alerts')
    .option('--json', 'print JSON')
    .action((options: ListOptions) => {
      const state = readAlertState(runFilesOf(options).alerts.state);
      if (options.json === true) {
        console.log(JSON.stringify({ ...state, live: runIsLive(state), acknowledged: options.all === true ? state.acknowledged : [] }, null, 2));
        return;
      }
      console.log(renderAlerts(state, options.all === true, runIsLive(state)));
    });
  addRunFileOptions(
    alerts
      .command('ack')
      .description('Acknowledge alerts of a running desk (critical alerts are re-sent until acknowledged)')
      .argument('[ids...]', 'alert ids, as conclave alerts lists them')
      .option('--all', 'every open alert')
      .option('--by <name>', 'who acknowledges (default: $USER)'),
  ).action((ids: string[], options: AckOptions) => {
      console.log(acknowledge(ids, options));
    });
}

/** Appends the acknowledgements to the run's inbox, after checking every id against its alerts (all or none go). */
export function acknowledge(ids: readonly string[], options: AckOptions): string {
  if (options.all === true && ids.length > 0) throw new FixRequestError('invalid_arguments', 'give alert ids or --all, not both');
  if (options.all !== true && ids.length === 0) throw new FixRequestError('invalid_arguments', 'name the alerts to acknowledge (conclave alerts lists them), or give --all');
  const by = operatorName(options.by, 'acknowledges');
  const paths = runFilesOf(options).alerts;
  const state = readAlertState(paths.state);
  if (!runIsLive(state)) {
    throw new FixRequestError('run_ended', `the run of ${state.desk} that wrote ${paths.state} (pid ${state.pid}) has ended: its alerts can no longer be acknowledged`);
  }
  const open = new Map(state.open.map((alert) => [alert.id, alert]));
  const done = new Map(state.acknowledged.map((alert) => [alert.id, alert]));
  const chosen = options.all === true ? [...open.keys()] : [...new Set(ids)];
  if (chosen.length === 0) return `${state.desk} has no open alerts.`;
  const notes: string[] = [];
  const toSend: string[] = [];
  for (const id of chosen) {
    const earlier = done.get(id);
    if (open.has(id)) toSend.push(id);
    else if (earlier !== undefined) notes.push(`${id} was already acknowledged by ${earlier.acknowledgedBy ?? 'someone'} at ${earlier.acknowledgedAt ?? '?'}`);
    else {
      const known = state.open.length === 0 ? 'it has no open alerts' : `open: ${state.open.map((alert) => alert.id).join(', ')}`;
      throw new FixRequestError('unknown_alert', `${state.desk} has no alert "${id}" (${known})`);
    }
  }
  const at = requestTime();
  for (const id of toSend) appendRequest(paths.inbox, { alert: id, by, at });
  const sent = toSend.length === 0 ? [] : [`Acknowledged ${toSend.length} alert${toSend.length === 1 ? '' : 's'} of ${state.desk} as ${by}: ${toSend.join(', ')} (the run applies it within a second; conclave alerts shows it).`];
  return [...sent, ...notes].join('\n');
}

export function renderAlerts(state: AlertState, all: boolean, live: boolean): string {
  const how = runCondition(state, live);
  const lines = [`Desk ${state.desk} (pid ${state.pid}, ${how}), alerts as of ${state.updatedAt}:`];
  if (state.open.length === 0) lines.push('  No open alerts.');
  else {
    lines.push(`  ${state.open.length} open:`);
    for (const alert of state.open) lines.push(...describe(alert));
  }
  if (all && state.acknowledged.length > 0) {
    lines.push(`  ${state.acknowledged.length} acknowledged (latest last):`);
    for (const alert of state.acknowledged) lines.push(...describe(alert));
  }
  if (live && state.open.length > 0) lines.push('  Acknowledge with: conclave alerts ack ID (or --all)');
  return lines.join('\n');
}

function describe(alert: AlertEntry): string[] {
  const acknowledged = alert.acknowledgedAt === undefined ? '' : `, acknowledged by ${alert.acknowledgedBy ?? '?'} at ${alert.acknowledgedAt}`;
  const reminders = alert.reminders > 0 ? `, ${alert.reminders} reminder${alert.reminders === 1 ? '' : 's'}` : '';
  return [`    ${alert.severity.toUpperCase().padEnd(8)} ${alert.id}  ${alert.title}`, `             raised ${alert.raisedAt}${reminders}${acknowledged}`, `             ${alert.text}`];
}
