import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FixRequestError } from '../../core/errors.js';
import { readStateFile, runIsLive, type RunStamp } from './state-file.js';

/** The default of the desk's `notifications.alertsFile`, and so of every operator command's `--file`. */
export const RUN_FILES_NAME = 'ALERTS';

export interface StateAndInbox {
  /** Written by the run, whole, for people and commands to read. */
  readonly state: string;
  /** Appended to by commands (one JSON request a line), read by the run. */
  readonly inbox: string;
}

/**
 * The files through which a person reaches a running desk, in the directory the run started from. Every one is
 * named after the desk's `notifications.alertsFile` (`NAME`), so desks run side by side in one directory under
 * different names never read each other's requests:
 * `NAME.json` / `NAME.ack` (alerts and their acknowledgements), `NAME.control` (halt and resume requests) and
 * `NAME.proposals.json` / `NAME.proposals.ack` (the optimizer's proposals waiting for approval, and approvals).
 */
export interface RunFiles {
  readonly alerts: StateAndInbox;
  readonly proposals: StateAndInbox;
  readonly control: string;
}

export function runFiles(dir: string, name: string = RUN_FILES_NAME): RunFiles {
  if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new FixRequestError('invalid_alerts_file', `the alerts file must be a plain file name, got "${name}"`);
  const file = (suffix: string): string => join(dir, `${name}${suffix}`);
  return {
    alerts: { state: file('.json'), inbox: file('.ack') },
    proposals: { state: file('.proposals.json'), inbox: file('.proposals.ack') },
    control: file('.control'),
  };
}

/**
 * Refuses to start a run whose files belong to a run that is still going: the two would rewrite each other's alerts
 * and both apply every halt. A file no run could have written is left to be rewritten.
 */
export function assertNoLiveRun(files: RunFiles): void {
  const path = files.alerts.state;
  if (!existsSync(path)) return;
  let stamp: RunStamp;
  try {
    stamp = readStateFile(path, 'alerts', {});
  } catch (error) {
    if (error instanceof FixRequestError) return;
    throw error;
  }
  if (runIsLive(stamp)) {
    throw new FixRequestError(
      'run_in_progress',
      `${path} belongs to the run of ${stamp.desk} that is still going (pid ${stamp.pid}): stop that run first, or give this desk its own notifications.alertsFile`,
    );
  }
}
