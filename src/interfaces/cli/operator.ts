import { existsSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { WallClock } from '../../core/clock.js';
import { FixRequestError } from '../../core/errors.js';
import { RUN_FILES_NAME, runFiles, type RunFiles } from '../../adapters/operator/run-files.js';
import type { RunStamp } from '../../adapters/operator/state-file.js';

/** Which run a command talks to: the directory it started from, and the desk's alertsFile its files are named after. */
export interface RunFileOptions {
  file: string;
  dir?: string;
}

export function addRunFileOptions(command: Command): Command {
  return command
    .option('--file <name>', "the desk's notifications.alertsFile, which every file of its run is named after", RUN_FILES_NAME)
    .option('--dir <dir>', 'the directory the run started from (default: this one)');
}

/**
 * The run's files the options name. A `--dir` that is not there is named as such: "there is no DIR/ALERTS.json in
 * this directory" would send the person looking for a file in a directory that does not exist.
 */
export function runFilesOf(options: RunFileOptions): RunFiles {
  const dir = resolve(options.dir ?? '.');
  if (!existsSync(dir)) throw new FixRequestError('no_run_directory', `--dir ${dir}: there is no such directory`);
  if (!statSync(dir).isDirectory()) throw new FixRequestError('no_run_directory', `--dir ${dir} is not a directory`);
  return runFiles(dir, options.file);
}

/** Who sends a request to a running desk: `--by`, else the login name; `doing` says what ("acknowledges"). */
export function operatorName(by: string | undefined, doing: string): string {
  const name = (by ?? process.env.USER ?? process.env.LOGNAME ?? accountName()).trim();
  if (name === '') throw new FixRequestError('invalid_arguments', `say who ${doing} with --by NAME`);
  return name;
}

/** The account the command runs as, when the environment names no user (a container's shell often does not). */
function accountName(): string {
  try {
    return userInfo().username;
  } catch {
    return '';
  }
}

/** When a request is sent, for the inbox line (wall time, ISO 8601). */
export function requestTime(): string {
  return new Date(new WallClock().now()).toISOString();
}

/** How a run stands, by its state file and whether its process is still there (`live`, runIsLive). */
export function runCondition(state: RunStamp, live: boolean): string {
  return live ? 'running' : state.running ? 'not running any more (it did not end cleanly)' : 'ended';
}
