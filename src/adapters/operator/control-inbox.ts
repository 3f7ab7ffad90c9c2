import { ConclaveError } from '../../core/errors.js';
import type { TradingState } from '../../domain/events.js';
import { JsonLinesInbox, textField } from './json-lines-inbox.js';

/**
 * Halting and resuming a running desk by hand: `conclave halt` and `conclave resume` append a request to the run's
 * control inbox (`NAME.control`, see run-files.ts), and the run applies it on its next tick. (The kill switch file
 * halts too; only a person resumes, and never while that file is there.)
 */

export type ControlCommand = 'halt' | 'resume';

export interface ControlRequest {
  readonly command: ControlCommand;
  readonly reason: string;
  readonly by: string;
  readonly at: string;
}

/** What the desk does with each request, and the state it is in (a request for the state it is in changes nothing). */
export interface ControlTarget {
  halt(reason: string): void;
  resume(reason: string): void;
  tradingState(): TradingState;
}

export class ControlInbox {
  private readonly inbox: JsonLinesInbox;

  constructor(
    path: string,
    private readonly target: ControlTarget,
  ) {
    this.inbox = new JsonLinesInbox(path, 'Control inbox');
  }

  /** Skips the requests an earlier run left in the file. */
  start(): void {
    this.inbox.start();
  }

  /** Applies the requests appended since the last poll; returns what to tell the operator. */
  poll(): string[] {
    const messages: string[] = [];
    for (const { line, fields } of this.inbox.read(messages)) {
      const command = fields.command;
      const reason = textField(fields, 'reason');
      const by = textField(fields, 'by', 100);
      if ((command !== 'halt' && command !== 'resume') || reason === undefined || by === undefined) {
        this.inbox.refuse(messages, line, 'needs "command" (halt or resume), "reason" and "by"');
        continue;
      }
      const said = `${reason} (by ${by})`;
      const state = this.target.tradingState();
      if (state === (command === 'halt' ? 'HALTED' : 'ACTIVE')) {
        // The desk journals nothing for it; saying "Halted" would tell the operator something happened.
        messages.push(`The desk is already ${state}; nothing changed: ${said}`);
        continue;
      }
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
