import { Command } from 'commander';
import { afterEach, beforeEach, vi } from 'vitest';

/**
 * Runs `conclave <args>` in the test's own process: the given commands are registered on a fresh program each time,
 * and what they print to the console is captured (since the last `clear()`) and returned.
 */
export function inProcessCli(...commands: ((program: Command) => void)[]): { run: (...args: string[]) => Promise<string>; clear: () => void } {
  let out: string[] = [];
  beforeEach(() => {
    out = [];
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void out.push(args.join(' ')));
  });
  afterEach(() => vi.restoreAllMocks());
  return {
    run: async (...args) => {
      const program = new Command();
      program.exitOverride();
      for (const register of commands) register(program);
      await program.parseAsync(args, { from: 'user' });
      return out.join('\n');
    },
    clear: () => {
      out = [];
    },
  };
}
