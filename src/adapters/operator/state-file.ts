import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { FixRequestError } from '../../core/errors.js';

/** What every file a running desk shows itself through starts with. */
export interface RunStamp {
  readonly desk: string;
  /** The process that writes the file; `running` turns false when it ends (a crash leaves it true, hence the pid). */
  readonly pid: number;
  readonly running: boolean;
  readonly updatedAt: string;
}

/** Written whole to a temporary file and renamed over the old one, so a reader never sees half a file. */
export function writeStateFile(path: string, state: RunStamp): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`, 'utf8');
  renameSync(temporary, path);
}

/** The parsed file, checked to be a run's state file that has every array field named; `what`: "alerts", "proposals". */
export function readStateFile(path: string, what: string, arrays: readonly string[]): RunStamp & Readonly<Record<string, unknown>> {
  if (!existsSync(path)) throw new FixRequestError('no_state_file', `there is no ${path}: no desk run (conclave run) has written its ${what} in this directory`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new FixRequestError('invalid_state_file', `${path} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const state = parsed as RunStamp & Record<string, unknown>;
  if (state === null || typeof state !== 'object' || typeof state.pid !== 'number' || typeof state.running !== 'boolean' || arrays.some((key) => !Array.isArray(state[key]))) {
    throw new FixRequestError('invalid_state_file', `${path} is not the ${what} file of a conclave run`);
  }
  return state;
}

/** The file says running and its process is still there (a crashed run never wrote `running: false`). */
export function runIsLive(state: RunStamp): boolean {
  if (!state.running) return false;
  try {
    process.kill(state.pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
