import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KillSwitchProbe } from '../../risk/kill-switch.js';

export const KILL_SWITCH_FILE = '.kill_switch';

/** The kill switch as a file: while `<runDir>/<fileName>` (default `.kill_switch`) exists the desk is halted. Its text is the reason. */
export class FileKillSwitch implements KillSwitchProbe {
  readonly path: string;
  private readonly name: string;

  constructor(runDir: string, fileName: string = KILL_SWITCH_FILE) {
    this.path = join(runDir, fileName);
    this.name = fileName;
  }

  engaged(): { engaged: boolean; detail: string } {
    const text = this.reason();
    if (text === undefined) return { engaged: false, detail: '' };
    return { engaged: true, detail: `${this.name} present${text ? `: ${text}` : ''}` };
  }

  /** The file's text while it is there ('' when it holds none or cannot be read); undefined when it is not. */
  reason(): string | undefined {
    if (!existsSync(this.path)) return undefined;
    try {
      return readFileSync(this.path, 'utf8').trim().slice(0, 200);
    } catch {
      // The file's presence is what counts; an unreadable reason is not a reason to keep trading.
      return '';
    }
  }
}
