#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { ConclaveError } from '../../core/errors.js';
import { registerBacktest } from './commands/backtest.js';
import { registerData } from './commands/data.js';
import { registerDecisions } from './commands/decisions.js';
import { registerDemo } from './commands/demo.js';
import { registerDeskConfig } from './commands/desk-config.js';
import { registerEvaluate } from './commands/evaluate.js';
import { registerExplain } from './commands/explain.js';
import { registerIndicators } from './commands/indicators.js';
import { registerOptimize } from './commands/optimize.js';
import { registerRun } from './commands/run.js';

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
  registerDemo(program);
  registerBacktest(program);
  registerIndicators(program);
  registerOptimize(program);
  registerData(program);
  registerDeskConfig(program);
  registerExplain(program);
  registerDecisions(program);
  registerEvaluate(program);
  registerRun(program);
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
      console.error(`conclave: ${error.message}`);
      process.exitCode = 2;
      return;
    }
    throw error;
  }
}

await main();
