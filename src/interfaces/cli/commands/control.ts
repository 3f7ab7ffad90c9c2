import { resolve } from 'node:path';
import type { Command } from 'commander';
import { FixRequestError } from '../../../core/errors.js';
import { readAlertState } from '../../../adapters/notify/alert-files.js';
import type { ControlCommand, ControlRequest } from '../../../adapters/operator/control-inbox.js';
import { appendRequest } from '../../../adapters/operator/json-lines-inbox.js';
import { runFiles } from '../../../adapters/operator/run-files.js';
import { runIsLive } from '../../../adapters/operator/state-file.js';
import { addRunFileOptions, operatorName, requestTime, type RunFileOptions } from '../operator.js';

interface ControlOptions extends RunFileOptions {
  reason: string;
  by?: string;
}

export function registerControl(program: Command): void {
  for (const command of ['halt', 'resume'] as const) {
    addRunFileOptions(
      program
        .command(command)
        .description(
          command === 'halt'
            ? 'Halt a running desk (conclave run): no new orders, and every open order is canceled but the protective stop-losses and take-profits'
            : 'Resume a running desk that is halted or reducing (refused while its kill switch file is there)',
        )
        .requiredOption('--reason <text>', `why, for the journal (TradingStateChanged)`)
        .option('--by <name>', 'who (default: $USER)'),
    ).action((options: ControlOptions) => {
        console.log(sendControl(command, options));
      });
  }
}

/** Appends the request for the run to apply, once the run's alerts file says it is alive. */
export function sendControl(command: ControlCommand, options: ControlOptions): string {
  const by = operatorName(options.by, 'asks');
  if (options.reason.trim() === '') throw new FixRequestError('invalid_arguments', '--reason must say why');
  const files = runFiles(resolve(options.dir ?? '.'), options.file);
  const state = readAlertState(files.alerts.state);
  if (!runIsLive(state)) throw new FixRequestError('run_ended', `the run of ${state.desk} (pid ${state.pid}) has ended: there is nothing to ${command}`);
  appendRequest(files.control, { command, reason: options.reason.trim(), by, at: requestTime() } satisfies ControlRequest);
  return `Asked ${state.desk} (pid ${state.pid}) to ${command}: ${options.reason.trim()} (by ${by}); the run applies it within a second and says so.`;
}
