#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { ConclaveError } from '../../core/errors.js';
import { conclaveExitCode, describeSystemError } from './system-errors.js';

function packageVersion(): string {
  const text = readFileSync(new URL('../../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}

type Register = (program: Command) => void;

/** Each command module with the command names it registers, in the order of the help. */
const COMMANDS: readonly { readonly names: readonly string[]; readonly load: () => Promise<Register> }[] = [
  { names: ['demo'], load: async () => (await import('./commands/demo.js')).registerDemo },
  { names: ['backtest'], load: async () => (await import('./commands/backtest.js')).registerBacktest },
  { names: ['indicators'], load: async () => (await import('./commands/indicators.js')).registerIndicators },
  { names: ['optimize'], load: async () => (await import('./commands/optimize.js')).registerOptimize },
  { names: ['data'], load: async () => (await import('./commands/data.js')).registerData },
  { names: ['init', 'check'], load: async () => (await import('./commands/desk-config.js')).registerDeskConfig },
  { names: ['explain'], load: async () => (await import('./commands/explain.js')).registerExplain },
  { names: ['decisions'], load: async () => (await import('./commands/decisions.js')).registerDecisions },
  { names: ['evaluate'], load: async () => (await import('./commands/evaluate.js')).registerEvaluate },
  { names: ['run'], load: async () => (await import('./commands/run.js')).registerRun },
  { names: ['alerts'], load: async () => (await import('./commands/alerts.js')).registerAlerts },
  { names: ['proposals'], load: async () => (await import('./commands/proposals.js')).registerProposals },
  { names: ['status'], load: async () => (await import('./commands/status.js')).registerStatus },
  { names: ['halt', 'resume', 'restart'], load: async () => (await import('./commands/control.js')).registerControl },
];

/**
 * The program with the command `argv` names, or with every command (for the help, or when no known command is
 * named). Commands are loaded on demand: together they pull in the config schemas, parsers and adapters of the
 * whole desk, a noticeable part of a second before a backtest could even start.
 */
export async function buildProgram(argv: readonly string[] = process.argv): Promise<Command> {
  const program = new Command();
  program
    .name('conclave')
    .description('An autonomous multi-agent crypto trading desk: backtest, paper and live on one deterministic core.')
    .version(packageVersion())
    .showHelpAfterError()
    // A subcommand's options belong to it: `alerts ack --all` is ack's --all, not the alerts listing's.
    .enablePositionalOptions()
    // Before the commands are added, which copy it: commander would otherwise end the process itself (exit 1).
    .exitOverride();
  const named = COMMANDS.filter((command) => command.names.includes(argv[2] ?? ''));
  for (const command of named.length > 0 ? named : COMMANDS) (await command.load())(program);
  return program;
}

async function main(): Promise<void> {
  // Output piped into a reader that stops early (`| head`): there is no one left to tell, so stop quietly.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  const program = await buildProgram();
  try {
    await program.parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version end with 0; an unknown or missing option or a bad option value is a request to fix (2).
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    if (error instanceof ConclaveError) {
      console.error(`conclave: ${error.message}`);
      process.exitCode = conclaveExitCode(error);
      return;
    }
    const system = describeSystemError(error);
    if (system !== undefined) {
      console.error(`conclave: ${system.message}`);
      process.exitCode = system.exitCode;
      return;
    }
    throw error;
  }
}

await main();
