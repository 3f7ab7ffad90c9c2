import { access, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { FixRequestError } from '../../../core/errors.js';
import { loadDesk } from '../../../adapters/config/load-desk.js';
import { missingDataFiles } from '../../../adapters/config/load-desk-data.js';
import type { DeskConfig } from '../../../config/desk-schema.js';
import { formatTimeframe } from '../../../data/timeframe.js';
import { EXAMPLE_DESK_YAML } from '../../../config/example-desk.js';
import { assertOutputPath } from '../output-files.js';
import { asOutputFileError } from '../system-errors.js';
import { assertChannelPaths } from '../run-channels.js';

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** A few lines saying what the desk is. */
export function describeDesk(config: DeskConfig): string[] {
  const lines = [`Desk ${config.desk.name}: mode ${config.desk.mode}, valued in ${config.desk.valuationCurrency}, seed ${config.desk.seed}`];
  lines.push(`  instruments (${config.instruments.length}): ${config.instruments.map((i) => i.id).join(', ')}`);
  lines.push(`  venues (${config.venues.length}): ${config.venues.map((v) => (v.kind === 'sim' ? `${v.id} (sim)` : `${v.id} (ccxt ${v.exchange}${v.testnet ? ' testnet' : ' LIVE'})`)).join(', ')}`);
  lines.push(`  agents (${config.agents.length}):`);
  for (const agent of config.agents) {
    const detail = agent.role === 'analyst' ? ` ${agent.strategy} -> sleeve ${agent.sleeve}` : '';
    const every = agent.every === undefined ? '' : `, every ${formatTimeframe(agent.every)}`;
    lines.push(`    ${agent.id}: ${agent.role} (${agent.brain.kind})${detail}${every}`);
  }
  lines.push(`  sleeves (${config.capital.sleeves.length}): ${config.capital.sleeves.map((s) => s.id).join(', ')}; allocation ${config.capital.allocation?.kind ?? 'equal'}`);
  lines.push(`  decision mode: ${config.manager.mode}`);
  lines.push(`  notification channels: ${config.notifications.channels.map((c) => `${c.name} (${c.kind})`).join(', ') || 'none'}`);
  return lines;
}

export function registerDeskConfig(program: Command): void {
  program
    .command('init')
    .description('Write a commented example desk configuration that runs out of the box')
    .option('--out <file>', 'where to write it', 'desk.yaml')
    .option('--force', 'overwrite an existing file')
    .action(async (options: { out: string; force?: boolean }) => {
      assertOutputPath('--out', options.out);
      const path = resolve(options.out);
      if (options.force !== true && (await exists(path))) {
        throw new FixRequestError('file_exists', `${options.out} already exists; use --force to overwrite it`);
      }
      await writeFile(path, EXAMPLE_DESK_YAML, 'utf8').catch((error: unknown) => {
        throw asOutputFileError('--out', options.out, error);
      });
      console.log(`Wrote ${options.out}. Check it with: conclave check --desk ${options.out}`);
    });

  program
    .command('check')
    .description('Validate a desk configuration and summarise it (every problem is listed by its path)')
    .requiredOption('--desk <file>', 'the desk YAML file')
    .action(async (options: { desk: string }) => {
      const { config, warnings } = await loadDesk(options.desk);
      const base = dirname(resolve(options.desk));
      const missing = missingDataFiles(config, (path) => resolve(base, path));
      if (missing.length > 0) throw new FixRequestError('desk_data_missing', missing.map((line) => `${options.desk}: ${line}`).join('\n'));
      // What `conclave run` would refuse at its start, refused here first.
      assertChannelPaths(config, base);
      console.log(`${options.desk} is valid.`);
      for (const line of describeDesk(config)) console.log(line);
      if (warnings.length > 0) console.log(['', 'Warnings:', ...warnings.map((line) => `  ${line}`)].join('\n'));
    });
}
