import type { Command } from 'commander';
import { runDemo } from '../demo.js';
import { describeEvent } from '../format-event.js';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('Run the built-in scenario through the core and print what happened')
    .option('--json', 'print the journal and the outcome as JSON')
    .action((options: { json?: boolean }) => {
      const result = runDemo();
      if (options.json === true) {
        console.log(
          JSON.stringify(
            { events: result.events, finalEquity: result.finalEquity, tradingState: result.tradingState, replayIdentical: result.replayIdentical },
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
}
