import { Command, Help } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerAlerts } from '../../src/interfaces/cli/commands/alerts.js';
import { registerBacktest } from '../../src/interfaces/cli/commands/backtest.js';
import { registerControl } from '../../src/interfaces/cli/commands/control.js';
import { registerData } from '../../src/interfaces/cli/commands/data.js';
import { registerDecisions } from '../../src/interfaces/cli/commands/decisions.js';
import { registerDemo } from '../../src/interfaces/cli/commands/demo.js';
import { registerDeskConfig } from '../../src/interfaces/cli/commands/desk-config.js';
import { registerEvaluate } from '../../src/interfaces/cli/commands/evaluate.js';
import { registerExplain } from '../../src/interfaces/cli/commands/explain.js';
import { registerIndicators } from '../../src/interfaces/cli/commands/indicators.js';
import { registerOptimize } from '../../src/interfaces/cli/commands/optimize.js';
import { registerProposals } from '../../src/interfaces/cli/commands/proposals.js';
import { registerRun } from '../../src/interfaces/cli/commands/run.js';
import { registerStatus } from '../../src/interfaces/cli/commands/status.js';

const REGISTERS = [registerDemo, registerBacktest, registerIndicators, registerOptimize, registerData, registerDeskConfig, registerExplain, registerDecisions, registerEvaluate, registerRun, registerAlerts, registerProposals, registerStatus, registerControl];

function everyCommand(command: Command, path: string): { path: string; command: Command }[] {
  return [{ path, command }, ...command.commands.flatMap((sub) => everyCommand(sub, `${path} ${sub.name()}`))];
}

describe('--help of every command', () => {
  it('states an option\'s default once: commander adds "(default: ...)" to the description of any option with a default value', () => {
    const program = new Command('conclave');
    for (const register of REGISTERS) register(program);
    const help = new Help();
    const twice = everyCommand(program, 'conclave').flatMap(({ path, command }) =>
      command.options.filter((option) => (help.optionDescription(option).match(/\bdefault\b/gi) ?? []).length > 1).map((option) => `${path} ${option.flags}: ${help.optionDescription(option)}`),
    );
    expect(twice).toEqual([]);
    // The case this was found on, as the help shows it.
    const check = program.commands.find((c) => c.name() === 'data')?.commands.find((c) => c.name() === 'check');
    const max = check?.options.find((o) => o.long === '--max');
    expect(max === undefined ? undefined : help.optionDescription(max)).toBe('issues to print (default: 50)');
  });
});
