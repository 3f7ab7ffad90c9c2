/**
 * Parses a desk YAML text and validates it, reporting every problem at once, one per line, as
 * `source: path.to.field: message (line N)`. YAML is parsed in memory (no I/O); values are never echoed.
 */
import { LineCounter, isNode, parseDocument } from 'yaml';
import type { z } from 'zod';
import { FixRequestError } from '../core/errors.js';
import { deskSchema, type DeskConfig } from './desk-schema.js';
import { deskWarnings } from './desk-warnings.js';
import { scheduleWarnings } from './schedule-warnings.js';

export interface ParsedDesk {
  readonly config: DeskConfig;
  /** Settings that are valid but will not act as written (desk-warnings.ts, schedule-warnings.ts), as `source: path: message (line N)`. */
  readonly warnings: readonly string[];
}

/** `agents[1].params.fast`; keys that are not plain words are quoted: `data["SYNTH:BTC/USDT"].path`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else {
      const name = String(key);
      if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name)) text += text === '' ? name : `.${name}`;
      else text += `[${JSON.stringify(name)}]`;
    }
  }
  return text === '' ? '(top level)' : text;
}

function issueLines(issue: z.core.$ZodIssue, present: (path: readonly PropertyKey[]) => boolean): { path: PropertyKey[]; message: string }[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ path: [...issue.path, key], message: 'unknown key (check the spelling; secrets go in environment variables named by *Env fields)' }));
  }
  if (issue.code === 'invalid_type' && !present(issue.path)) {
    return [{ path: issue.path, message: 'is required' }];
  }
  return [{ path: issue.path, message: issue.message }];
}

/** Parses and validates; throws FixRequestError('invalid_config') listing every problem. */
export function parseDeskConfig(text: string, source: string): ParsedDesk {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    const lines = document.errors.map((error) => {
      const position = lineCounter.linePos(error.pos[0]);
      const where = `${position.line}:${position.col}: `;
      const message = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
      return `${source}:${where}YAML: ${message}`;
    });
    throw new FixRequestError('invalid_config', lines.join('\n'));
  }
  const value: unknown = document.toJS({ maxAliasCount: 100 });
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new FixRequestError('invalid_config', `${source}: (top level): must be a mapping of sections (desk, instruments, venues, ...)`);
  }
  const result = deskSchema.safeParse(value);
  const located = ({ path, message }: { path: readonly PropertyKey[]; message: string }): string => {
    const line = lineOf(document, lineCounter, path);
    return `${source}: ${formatPath(path)}: ${message}${line === undefined ? '' : ` (line ${line})`}`;
  };
  if (result.success) return { config: result.data, warnings: [...deskWarnings(result.data), ...scheduleWarnings(result.data)].map(located) };
  const lines = result.error.issues.flatMap((issue) => issueLines(issue, (path) => document.hasIn(path))).map(located);
  throw new FixRequestError('invalid_config', [...new Set(lines)].join('\n'));
}

/** The line of the deepest node of `path` present in the document. */
function lineOf(document: ReturnType<typeof parseDocument>, lineCounter: LineCounter, path: readonly PropertyKey[]): number | undefined {
  for (let depth = path.length; depth > 0; depth--) {
    const node: unknown = document.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range !== undefined && node.range !== null) return lineCounter.linePos(node.range[0]).line;
  }
  return undefined;
}
