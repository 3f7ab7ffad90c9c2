import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { FixRequestError } from '../../core/errors.js';

/** What every file a running desk shows itself through starts with. */
export interface RunStamp {
  readonly desk: string;
  /** The process that writes the file; `running` turns false when it ends (a crash leaves it true, hence the pid). */
  readonly pid: number;
  readonly running: boolean;
  readonly updatedAt: string;
}

/** Written whole to a temporary file and renamed over the old one, so a reader never sees half a file. */
export function writeStateFile(path: string, state: RunStamp): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`, 'utf8');
  renameSync(temporary, path);
}

/**
 * What a field of a state file holds: text, a number, a number or null (a score JSON could not write: NaN,
 * Infinity), or an object; `?` marks one that may be missing.
 */
export type FieldKind = 'text' | 'number' | 'number-or-null' | 'object' | 'text?';

/** The fields every entry of a list holds. */
export type EntryShape = Readonly<Record<string, FieldKind>>;

const KIND_NAMES: Record<FieldKind, string> = { text: 'text', 'text?': 'text', number: 'a number', 'number-or-null': 'a number', object: 'an object' };

const STAMP: EntryShape = { desk: 'text', updatedAt: 'text' };

/**
 * What a state file may hold besides its lists: fields of its own, and lists that may be missing (a file written
 * before the run published them).
 */
export interface OptionalParts {
  readonly fields?: EntryShape;
  readonly lists?: Readonly<Record<string, EntryShape>>;
}

/**
 * The parsed file, checked to be a run's state file: its stamp, and each list named in `lists` with every entry of
 * the shape given, so a command never trips over a hand-edited or half-written file; `what`: "alerts", "proposals".
 */
export function readStateFile<State extends RunStamp>(path: string, what: string, lists: Readonly<Record<string, EntryShape>>, optional: OptionalParts = {}): State {
  if (!existsSync(path)) throw new FixRequestError('no_state_file', `there is no ${path}: no desk run (conclave run) has written its ${what} in this directory`);
  // A directory, or a file that cannot be read (no permission), is not a file that is not JSON: it is said to be what
  // it is (the system's error for a file it cannot open names the file).
  if (!statSync(path).isFile()) throw new FixRequestError('invalid_state_file', `${path} is not a file: a run writes its ${what} there`);
  const text = readFileSync(path, 'utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new FixRequestError('invalid_state_file', `${path} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const problem = stateProblem(parsed, lists, optional);
  if (problem !== undefined) throw new FixRequestError('invalid_state_file', `${path} is not the ${what} file of a conclave run: ${problem}`);
  return parsed as State;
}

function stateProblem(parsed: unknown, lists: Readonly<Record<string, EntryShape>>, optional: OptionalParts): string | undefined {
  if (!isObject(parsed)) return 'it is not a JSON object';
  const { pid, running } = parsed;
  if (!isProcessId(pid)) return `"pid" must be a positive whole number (the run's process), got ${JSON.stringify(pid)}`;
  if (typeof running !== 'boolean') return '"running" must be true or false';
  const stamp = fieldProblem(parsed, STAMP);
  if (stamp !== undefined) return `it ${stamp}`;
  const own = fieldProblem(parsed, optional.fields ?? {});
  if (own !== undefined) return own;
  const maybe = Object.entries(optional.lists ?? {}).filter(([list]) => parsed[list] !== undefined);
  for (const [list, shape] of [...Object.entries(lists), ...maybe]) {
    const entries = parsed[list];
    if (!Array.isArray(entries)) return `"${list}" must be a list`;
    for (const [index, entry] of entries.entries()) {
      const wrong = isObject(entry) ? fieldProblem(entry, shape) : 'is not an object';
      if (wrong !== undefined) return `${list}[${index}] ${wrong}`;
    }
  }
  return undefined;
}

function fieldProblem(entry: Readonly<Record<string, unknown>>, shape: EntryShape): string | undefined {
  for (const [field, kind] of Object.entries(shape)) {
    const value = entry[field];
    if (kind === 'text?') {
      if (value !== undefined && typeof value !== 'string') return `"${field}" must be text when given`;
      continue;
    }
    const fits =
      kind === 'text' ? typeof value === 'string' : kind === 'object' ? isObject(value) : typeof value === 'number' || (kind === 'number-or-null' && value === null);
    if (!fits) return `has no "${field}" (${KIND_NAMES[kind]})`;
  }
  return undefined;
}

function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A process id a signal can be sent to alone: 0 and negative ids name process groups, -1 every process. */
function isProcessId(pid: unknown): pid is number {
  return typeof pid === 'number' && Number.isInteger(pid) && pid > 0;
}

/** The file says running and its process is still there (a crashed run never wrote `running: false`). */
export function runIsLive(state: RunStamp): boolean {
  if (!state.running || !isProcessId(state.pid)) return false;
  try {
    process.kill(state.pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
