/**
 * Reads a desk file, validates it (src/config) and resolves the secrets its `*Env` fields name from the
 * environment. Missing secrets are reported by variable name only; values are never printed.
 */
import { readFile } from 'node:fs/promises';
import { inspect } from 'node:util';
import { FixRequestError } from '../../core/errors.js';
import type { DeskConfig } from '../../config/desk-schema.js';
import { formatPath, parseDeskConfig } from '../../config/parse-desk.js';

/** Where a secret is named in the file (`venues[0].apiKeyEnv`) and the variable it names. */
export interface SecretReference {
  readonly path: string;
  readonly variable: string;
}

/** Secret values by environment variable name. Printing or serialising it shows the names only. */
export class DeskSecrets {
  readonly #values: ReadonlyMap<string, string>;
  constructor(values: ReadonlyMap<string, string>) {
    this.#values = values;
  }
  /** The value of a variable the desk file names; throws for a variable it does not. */
  get(variable: string): string {
    const value = this.#values.get(variable);
    if (value === undefined) throw new FixRequestError('missing_secret', `secret ${variable} was not resolved for this desk`);
    return value;
  }
  has(variable: string): boolean {
    return this.#values.has(variable);
  }
  names(): string[] {
    return [...this.#values.keys()];
  }
  toJSON(): { names: string[] } {
    return { names: this.names() };
  }
  toString(): string {
    return `DeskSecrets(${this.names().join(', ')})`;
  }
  [inspect.custom](): string {
    return this.toString();
  }
}

export interface LoadedDesk {
  readonly path: string;
  readonly config: DeskConfig;
  /** Settings the desk will not use, as `path: field: message (line N)`. */
  readonly warnings: readonly string[];
  readonly secrets: DeskSecrets;
}

/** Every `*Env` field of the config, with its path. */
export function secretReferences(config: DeskConfig): SecretReference[] {
  const found: SecretReference[] = [];
  const walk = (value: unknown, path: (string | number)[]): void => {
    if (Array.isArray(value)) value.forEach((item, i) => walk(item, [...path, i]));
    else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        // A model brain's key is read when the model is first called, so a replay needs none (adapters/llm).
        if (key === 'brain') continue;
        if (key.endsWith('Env') && typeof child === 'string') found.push({ path: formatPath([...path, key]), variable: child });
        else walk(child, [...path, key]);
      }
    }
  };
  walk(config, []);
  return found;
}

/** The secret fields that hold a URL: a webhook's, Slack's and Discord's. */
const URL_SECRET = /\.(urlEnv|webhookUrlEnv)$/;

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Looks up every secret the config names; throws naming each missing variable, or each URL that is not one (never a value). */
export function resolveSecrets(config: DeskConfig, env: Readonly<Record<string, string | undefined>>, source = 'desk'): DeskSecrets {
  const values = new Map<string, string>();
  const missing: string[] = [];
  for (const reference of secretReferences(config)) {
    const value = env[reference.variable];
    if (value === undefined || value === '') missing.push(`${source}: ${reference.path}: environment variable ${reference.variable} is not set`);
    else values.set(reference.variable, value);
  }
  if (missing.length > 0) throw new FixRequestError('missing_secret', [...new Set(missing)].join('\n'));
  // A channel's URL is a secret the run only tries at its first notification: refuse a bad one before the run starts.
  const badUrls = secretReferences(config)
    .filter((reference) => URL_SECRET.test(reference.path) && !isHttpUrl(values.get(reference.variable) ?? ''))
    .map((reference) => `${source}: ${reference.path}: environment variable ${reference.variable} does not hold an http or https URL`);
  if (badUrls.length > 0) throw new FixRequestError('invalid_config', [...new Set(badUrls)].join('\n'));
  return new DeskSecrets(values);
}

/** Reads, parses and validates the desk file at `path`, then resolves its secrets from `env`. */
export async function loadDesk(path: string, env: Readonly<Record<string, string | undefined>> = process.env): Promise<LoadedDesk> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new FixRequestError('desk_not_found', `cannot read desk file ${path}${code === undefined ? '' : ` (${code})`}; \`conclave init\` writes an example`);
  }
  const { config, warnings } = parseDeskConfig(text, path);
  return { path, config, warnings, secrets: resolveSecrets(config, env, path) };
}
