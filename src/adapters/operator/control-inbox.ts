import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConclaveError } from '../../core/errors.js';
import { JsonLinesInbox } from './json-lines-inbox.js';

/**
 * Halting and resuming a running desk by hand: `conclave halt` and `conclave resume` append a request to
 * `CONTROL.ack` in the directory the run started from, and the run applies it on its next tick. (The kill switch
 * file halts too; only a person resumes, and never while that file is there.)
 */
export const CONTROL_FILE = 'CONTROL.ack';

export type ControlCommand = 'halt' | 'resume';

export interface ControlRequest {
  readonly command: ControlCommand;
  readonly reason: string;
  readonly by: string;
  readonly at: string;
}

export function controlInboxPath(dir: string): string {
  return join(dir, CONTROL_FILE);
}

export function appendControl(path: string, request: ControlRequest): void {
  appendFileSync(path, `${JSON.stringify(request)}\n`, 'utf8');
}

/** What the desk does with each request. */
export interface ControlTarget {
  halt(reason: string): void;
  resume(reason: string): void;
}

export class ControlInbox {
  private readonly inbox: JsonLinesInbox;

  constructor(
    path: string,
    private readonly target: ControlTarget,
  ) {
    this.inbox = new JsonLinesInbox(path);
  }

  /** Skips the requests an earlier run left in the file. */
  start(): void {
    this.inbox.start();
  }

  /** Applies the requests appended since the last poll; returns what to tell the operator. */
  poll(): string[] {
    const messages: string[] = [];
    for (const { line, text } of this.inbox.read()) {
      let request: Partial<ControlRequest>;
      try {
        request = JSON.parse(text) as Partial<ControlRequest>;
      } catch {
        messages.push(`Control inbox ${this.inbox.path}, line ${line}: not JSON; ignored`);
        continue;
      }
      const { command, reason, by } = request ?? {};
      if ((command !== 'halt' && command !== 'resume') || typeof reason !== 'string' || reason.trim() === '' || typeof by !== 'string' || by.trim() === '') {
        messages.push(`Control inbox ${this.inbox.path}, line ${line}: needs "command" (halt or resume), "reason" and "by"; ignored`);
        continue;
      }
      const said = `${reason.trim().slice(0, 200)} (by ${by.trim().slice(0, 100)})`;
      try {
        if (command === 'halt') this.target.halt(said);
        else this.target.resume(said);
        messages.push(`${command === 'halt' ? 'Halted' : 'Resumed'}: ${said}`);
      } catch (error) {
        if (!(error instanceof ConclaveError)) throw error;
        messages.push(`Could not ${command}: ${error.message}`);
      }
    }
    return messages;
  }
}
