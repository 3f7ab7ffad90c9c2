#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { ConclaveError } from '../../core/errors.js';
import { runDemo } from './demo.js';
import { describeEvent } from './format-event.js';

function packageVersion(): string {
  const text = readFileSync(new URL('../../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('conclave')
    .description('An autonomous multi-agent crypto trading desk: backtest, paper and live on one deterministic core.')
    .version(packageVersion())
    .showHelpAfterError();

  program
    .command('demo')
    .description('Run the built-in scenario through the core and print what happened')
    .option('--json', 'print the journal and the outcome as JSON')
    .action((options: { json?: boolean }) => {
      const result = runDemo();
      if (options.json === true) {
        console.log(
          JSON.stringify(
            {
              events: result.events,
              finalEquity: result.finalEquity,
              tradingState: result.tradingState,
              replayIdentical: result.replayIdentical,
            },
            (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value),
            2,
          ),
        );
      } else {
        console.log('Conclave core scenario\n');
        for (const line of result.narrative) console.log(`  - ${line}`);
        console.log('\nJournal:');
        for (const event of result.events) console.log(`  ${describeEvent(event)}`);
        console.log(`\nDesk equity: ${result.finalEquity} USDT; trading state ${result.tradingState}; replay identical: ${result.replayIdentical}`);
      }
      if (!result.replayIdentical) process.exitCode = 1;
    });
  return program;
}

async function main(): Promise<void> {
  const program = buildProgram();
  program.exitOverride();
  try {
    await program.parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    if (error instanceof ConclaveError) {
      console.error(`conclave: ${error.message} [${error.code}]`);
      process.exitCode = 2;
      return;
    }
    throw error;
  }
}

await main();
