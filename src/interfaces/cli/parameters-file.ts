/**
 * `conclave backtest --params FILE`: the best parameters `conclave optimize --export` wrote, run again. Only what
 * to run is read (the strategy, every parameter, and how many configurations were compared to choose them); the
 * rest of the file (scores, windows, warnings) is the optimizer's evidence. An explicit `--param` wins over the
 * file's value of that parameter, and `--trials` over its count.
 */
import { readFileSync } from 'node:fs';
import { FixRequestError } from '../../core/errors.js';
import type { StrategyParameters } from '../../strategies/strategy.js';

const SCHEMA = 'conclave.best-parameters/1';

export interface StrategyChoice {
  readonly strategy: string;
  readonly parameters: StrategyParameters;
  /** Configurations tried to arrive at these parameters, for the deflated Sharpe. */
  readonly trials: number;
}

export interface StrategyChoiceOptions {
  readonly strategy?: string;
  readonly param?: Readonly<Record<string, string>>;
  /** Path of an exported best-parameters file. */
  readonly params?: string;
  readonly trials?: number;
}

/** The strategy, parameters and trial count a backtest runs with, from the options and the --params file. */
export function strategyChoice(options: StrategyChoiceOptions): StrategyChoice {
  const explicit = options.param ?? {};
  if (options.params === undefined) {
    if (options.strategy === undefined) throw new FixRequestError('invalid_option', 'give --strategy, or --params FILE');
    return { strategy: options.strategy, parameters: explicit, trials: options.trials ?? 1 };
  }
  const file = readBestParameters(options.params);
  if (options.strategy !== undefined && options.strategy !== file.strategy) {
    throw new FixRequestError('invalid_option', `--params ${options.params} holds parameters for ${file.strategy}, not for --strategy ${options.strategy}`);
  }
  return { strategy: file.strategy, parameters: { ...file.parameters, ...explicit }, trials: options.trials ?? file.trials };
}

function readBestParameters(path: string): StrategyChoice {
  const problem = (what: string): FixRequestError => new FixRequestError('invalid_params_file', `--params ${path}: ${what}`);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    if (error instanceof SyntaxError) throw problem(`not JSON (${error.message})`);
    if ((error as NodeJS.ErrnoException).code === 'EISDIR') throw problem('is a folder; name the file optimize --export wrote');
    throw error;
  }
  if (!isRecord(data)) throw problem(`expected an object with schema "${SCHEMA}", as optimize --export writes`);
  const { schema, strategy, params, trials } = data;
  if (schema !== SCHEMA) {
    const hint = schema === 'conclave.optimization/1' ? ': pass the file optimize writes with --export, not its --json report' : ' (optimize --export writes it)';
    throw problem(`schema is ${JSON.stringify(schema)}, not "${SCHEMA}"${hint}`);
  }
  if (typeof strategy !== 'string' || strategy === '') throw problem(`strategy must be a strategy name, got ${JSON.stringify(strategy)}`);
  if (!isRecord(params)) throw problem(`params must be an object of parameter values, got ${JSON.stringify(params)}`);
  for (const [name, value] of Object.entries(params)) {
    if (!(typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)))) {
      throw problem(`params.${name} must be a number or a string, got ${JSON.stringify(value)}`);
    }
  }
  if (!(typeof trials === 'number' && Number.isInteger(trials) && trials >= 1)) throw problem(`trials must be a whole number >= 1, got ${JSON.stringify(trials)}`);
  return { strategy, parameters: params as StrategyParameters, trials };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
