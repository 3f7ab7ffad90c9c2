import { resolve } from 'node:path';
import type { Command } from 'commander';
import { FixRequestError } from '../../../core/errors.js';
import { alertFilePaths, ALERTS_FILE, readAlertState } from '../../../adapters/notify/alert-files.js';
import { controlInboxPath, type ControlCommand, type ControlRequest } from '../../../adapters/operator/control-inbox.js';
import { appendRequest } from '../../../adapters/operator/json-lines-inbox.js';
import { runIsLive } from '../../../adapters/operator/state-file.js';
import { operatorName, requestTime } from '../operator.js';

interface ControlOptions {
  reason: string;
  by?: string;
  dir?: string;
  file: string;
}

export function registerControl(program: Command): void {
  for (const command of ['halt', 'resume'] as const) {
    program
      .command(command)
      .description(
        command === 'halt'
          ? 'Halt a running desk (conclave run): no new orders, and every open order is canceled'
          : 'Resume a running desk that is halted or reducing (refused while its kill switch file is there)',
      )
      .requiredOption('--reason <text>', `why, for the journal (TradingStateChanged)`)
      .option('--by <name>', 'who (default: $USER)')
      .option('--dir <dir>', 'the directory the run started from (default: this one)')
      .option('--file <name>', "the desk's notifications.alertsFile, which tells whether the run is alive", ALERTS_FILE)
      .action((options: ControlOptions) => {
        console.log(sendControl(command, options));
      });
  }
}

/** Appends the request for the run to apply, once the run's alerts file says it is alive. */
export function sendControl(command: ControlCommand, options: ControlOptions): string {
  const by = operatorName(options.by, 'asks');
  if (options.reason.trim() === '') throw new FixRequestError('invalid_arguments', '--reason must say why');
  const dir = resolve(options.dir ?? '.');
  const state = readAlertState(alertFilePaths(dir, options.file).state);
  if (!runIsLive(state)) throw new FixRequestError('run_ended', `the run of ${state.desk} (pid ${state.pid}) has ended: there is nothing to ${command}`);
  appendRequest(controlInboxPath(dir), { command, reason: options.reason.trim(), by, at: requestTime() } satisfies ControlRequest);
  return `Asked ${state.desk} (pid ${state.pid}) to ${command}: ${options.reason.trim()} (by ${by}); the run applies it within a second and says so.`;
}
