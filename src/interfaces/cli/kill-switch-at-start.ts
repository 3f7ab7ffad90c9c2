/**
 * A kill switch file found where a run starts changes what the run does, so it is said, as a warning, never left to
 * be inferred from a run that traded nothing. A paper run honours it (the desk starts HALTED); a backtest replays
 * history, whose result must follow from the desk file and the data alone, so it does not read the file.
 */
import { FileKillSwitch } from '../../adapters/kill-switch/file-kill-switch.js';

/** The warning for a backtest (also evaluate's runs) started beside a kill switch file, if there is one. */
export function backtestKillSwitchWarning(directory: string, fileName: string): string | undefined {
  const killSwitch = new FileKillSwitch(directory, fileName);
  if (killSwitch.reason() === undefined) return undefined;
  return `the kill switch file ${killSwitch.path} is present: a backtest replays history and does not read it (it halts paper and live runs)`;
}

/** The warning for a paper run whose kill switch is engaged as it starts, if it is. */
export function paperKillSwitchWarning(killSwitch: FileKillSwitch): string | undefined {
  const reason = killSwitch.reason();
  if (reason === undefined) return undefined;
  return `the kill switch file ${killSwitch.path} is present${reason === '' ? '' : ` (${reason})`}: the desk starts HALTED and trades nothing until it is removed`;
}
