import { resolve } from 'node:path';
import type { Command } from 'commander';
import { FixRequestError } from '../../core/errors.js';
import type { DeskConfig } from '../../config/desk-schema.js';
import { CALL_MODES, type CallMode } from '../../llm/model-gateway.js';
import type { OpenedModels } from '../../adapters/llm/desk-models.js';

/** The options of every command that runs a desk with model-driven brains. */
export interface ModelOptions {
  llmMode?: string;
  records?: string;
}

/** Declares `--llm-mode` and `--records` (`scope` says which runs they apply to, e.g. "with --desk: "). */
export function addModelOptions(command: Command, scope = ''): Command {
  return command
    .option('--llm-mode <mode>', `${scope}model calls: live, record (answer repeated calls from the records) or replay (records only, no calls); overrides llm.mode`)
    .option('--records <file>', `${scope}the decision records file (JSONL) of the model-driven brains; overrides llm.records`);
}

/** The --llm-mode value, checked. */
export function callMode(text: string): CallMode {
  if (!(CALL_MODES as readonly string[]).includes(text)) throw new FixRequestError('invalid_option', `--llm-mode must be live, record or replay, got "${text}"`);
  return text as CallMode;
}

/**
 * Wires a desk's model-driven brains for a run from the command's options (undefined without model brains). The
 * model adapters load only for a desk run.
 */
export async function openModels(config: DeskConfig, base: string, options: ModelOptions): Promise<OpenedModels | undefined> {
  const { openDeskModels } = await import('../../adapters/llm/desk-models.js');
  return openDeskModels(config, {
    resolvePath: (path) => resolve(base, path),
    env: process.env,
    ...(options.llmMode === undefined ? {} : { mode: callMode(options.llmMode) }),
    ...(options.records === undefined ? {} : { records: resolve(options.records) }),
  });
}
