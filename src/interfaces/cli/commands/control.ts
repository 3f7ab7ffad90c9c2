import type { Command } from 'commander';
import { FixRequestError } from '../../../core/errors.js';
import { agentId } from '../../../core/ids.js';
import type { Desk } from '../../../engine/desk/desk.js';
import { readAlertState, type AlertState } from '../../../adapters/notify/alert-files.js';
import type { ControlCommand, ControlRequest, ControlTarget } from '../../../adapters/operator/control-inbox.js';
import { appendRequest } from '../../../adapters/operator/json-lines-inbox.js';
import { runIsLive } from '../../../adapters/operator/state-file.js';
import { addRunFileOptions, operatorName, requestTime, runFilesOf, type RunFileOptions } from '../operator.js';

interface ControlOptions extends RunFileOptions {
  reason: string;
  by?: string;
  /** The analyst to restart (restart only). */
  agent?: string;
}

const DESCRIPTIONS: Record<ControlCommand, string> = {
  halt: 'Halt a running desk (conclave run): no new orders, and every open order is canceled but the protective stop-losses and take-profits',
  resume: 'Resume a running desk that is halted or reducing (refused while its kill switch file is there)',
  restart: 'Restart an analyst of a running desk that was isolated after it threw: healthy again, its sleeve ACTIVE',
};

export function registerControl(program: Command): void {
  for (const command of ['halt', 'resume', 'restart'] as const) {
    const registered = program.command(command).description(DESCRIPTIONS[command]);
    if (command === 'restart') registered.requiredOption('--agent <id>', 'the isolated analyst');
    addRunFileOptions(
      registered
        .requiredOption('--reason <text>', `why, for the journal (${command === 'restart' ? 'AgentHealthChanged' : 'TradingStateChanged'})`)
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
  const agent = options.agent?.trim();
  if (command === 'restart' && (agent === undefined || agent === '')) throw new FixRequestError('invalid_arguments', '--agent must name the analyst to restart');
  const files = runFilesOf(options);
  const state = readAlertState(files.alerts.state);
  const what = command === 'restart' ? `restart ${agent}` : command;
  if (!runIsLive(state)) throw new FixRequestError('run_ended', `the run of ${state.desk} (pid ${state.pid}) has ended: there is nothing to ${what}`);
  if (agent !== undefined && command === 'restart') assertRestartable(state, agent);
  const request: ControlRequest = { command, ...(command === 'restart' ? { agent } : {}), reason: options.reason.trim(), by, at: requestTime() };
  appendRequest(files.control, request);
  return `Asked ${state.desk} (pid ${state.pid}) to ${what}: ${options.reason.trim()} (by ${by}); the run applies it within a second and says so.`;
}

/**
 * Refuses at once the restart the run would refuse, by the agents its alerts file lists. The run checks again when
 * it applies the request (the analyst may have changed since the file was written); a file that lists no agents
 * (written before runs published them) leaves the check to the run.
 */
function assertRestartable(state: AlertState, agent: string): void {
  if (state.agents === undefined) return;
  const analysts = `its analysts are ${state.agents.filter((entry) => entry.role === 'analyst').map((entry) => entry.id).join(', ')}`;
  const named = state.agents.find((entry) => entry.id === agent);
  if (named === undefined) throw new FixRequestError('unknown_agent', `${state.desk} has no analyst ${agent}: ${analysts}`);
  if (named.role !== 'analyst') throw new FixRequestError('unknown_agent', `${agent} is the ${named.role} of ${state.desk}, not an analyst: only an analyst is restarted (${analysts})`);
  if (named.health !== 'isolated') {
    const health = named.error === undefined ? named.health : `${named.health}: ${named.error}`;
    throw new FixRequestError('agent_not_isolated', `${agent} is not isolated (it is ${health}): only an analyst isolated after it threw is restarted`);
  }
}

/** What the control requests do to a running desk (`conclave run` polls its inbox with it). */
export function deskControls(desk: Pick<Desk, 'halt' | 'resume' | 'restartAgent' | 'core'>): ControlTarget {
  return {
    halt: (reason) => desk.halt(reason),
    resume: (reason) => desk.resume(reason),
    restart: (agent, reason) => desk.restartAgent(agentId(agent), reason),
    tradingState: () => desk.core.tradingState,
  };
}
