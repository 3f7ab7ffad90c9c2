import { ConclaveError } from '../../core/errors.js';
import type { TradingState } from '../../domain/events.js';
import { JsonLinesInbox, textField } from './json-lines-inbox.js';

/**
 * Halting, resuming and restarting an isolated analyst of a running desk by hand: `conclave halt`, `conclave resume`
 * and `conclave restart` append a request to the run's control inbox (`NAME.control`, see run-files.ts), and the run
 * applies it on its next tick. (The kill switch file halts too; only a person resumes, and never while that file is
 * there.)
 */

export type ControlCommand = 'halt' | 'resume' | 'restart';

export interface ControlRequest {
  readonly command: ControlCommand;
  /** The analyst to restart (restart only). */
  readonly agent?: string;
  readonly reason: string;
  readonly by: string;
  readonly at: string;
}

/**
 * What the desk does with each request, and the state it is in (a request for the state it is in changes nothing).
 * `restart` refuses (with a ConclaveError) an agent it does not know or that is not isolated.
 */
export interface ControlTarget {
  halt(reason: string): void;
  resume(reason: string): void;
  restart(agent: string, reason: string): void;
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
      if ((command !== 'halt' && command !== 'resume' && command !== 'restart') || reason === undefined || by === undefined) {
        this.inbox.refuse(messages, line, 'needs "command" (halt, resume or restart), "reason" and "by"');
        continue;
      }
      const said = `${reason} (by ${by})`;
      if (command === 'restart') {
        const agent = textField(fields, 'agent', 100);
        if (agent === undefined) this.inbox.refuse(messages, line, 'a restart needs "agent"');
        else messages.push(this.apply(`restart ${agent}`, () => this.target.restart(agent, said), `Restarted ${agent}: ${said}`));
        continue;
      }
      const state = this.target.tradingState();
      if (state === (command === 'halt' ? 'HALTED' : 'ACTIVE')) {
        // The desk journals nothing for it; saying "Halted" would tell the operator something happened.
        messages.push(`The desk is already ${state}; nothing changed: ${said}`);
        continue;
      }
      const act = command === 'halt' ? () => this.target.halt(said) : () => this.target.resume(said);
      messages.push(this.apply(command, act, `${command === 'halt' ? 'Halted' : 'Resumed'}: ${said}`));
    }
    return messages;
  }

  /** Does what was asked; a refusal of the desk (a ConclaveError) is told, anything else is a bug and throws. */
  private apply(what: string, act: () => void, done: string): string {
    try {
      act();
      return done;
    } catch (error) {
      if (!(error instanceof ConclaveError)) throw error;
      return `Could not ${what}: ${error.message}`;
    }
  }
}
