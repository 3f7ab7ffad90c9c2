/**
 * The files a command writes, checked before any work is done: each can be created where it is named, none is a
 * file the command reads, no two are the same file. A long run must not end in an error about the file it was to
 * write, nor quietly write its result over its own data.
 */
import { existsSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { DeskConfig } from '../../config/desk-schema.js';
import { FixRequestError } from '../../core/errors.js';
import { asOutputFileError } from './system-errors.js';

/** A file an option names; `undefined` when the option was not given. */
export interface NamedFile {
  readonly flag: string;
  readonly path: string | undefined;
}

/** An output file; `stdout: true` when `-` means standard output for it (else `-` is refused, not made a file). */
export interface OutputFile extends NamedFile {
  readonly stdout?: boolean;
}

/**
 * Checks that an output file can be created where it is named (relative to `base`): its folder exists and is a
 * folder, and it is not itself a folder. `-` passes where it means standard output and is refused elsewhere.
 */
export function assertOutputPath(flag: string, path: string | undefined, base = process.cwd(), options: { readonly stdout?: boolean } = {}): void {
  if (path === undefined) return;
  if (path === '-') {
    if (options.stdout === true) return;
    throw new FixRequestError('invalid_option', `${flag} -: this output cannot go to standard output; name a file`);
  }
  const full = resolve(base, path);
  const folder = dirname(full);
  if (!existsSync(folder)) {
    throw new FixRequestError('output_folder_missing', `${flag} ${path}: the folder ${folder} does not exist; create it or choose another path`);
  }
  if (!statSync(folder).isDirectory()) {
    throw new FixRequestError('output_folder_missing', `${flag} ${path}: ${folder} is a file, not a folder; choose another path`);
  }
  if (existsSync(full) && statSync(full).isDirectory()) throw new FixRequestError('output_is_folder', `${flag} ${path}: is a folder; name a file`);
}

/**
 * Checks every output (see assertOutputPath), then that no output is one of the inputs and no two outputs are one
 * file (or both standard output). Paths are compared as the files they resolve to, links followed: `out.json` and
 * its absolute spelling are one file.
 */
export function assertOutputFiles(outputs: readonly OutputFile[], inputs: readonly NamedFile[] = [], base = process.cwd()): void {
  const given = outputs.filter((o): o is OutputFile & { path: string } => o.path !== undefined);
  for (const output of given) assertOutputPath(output.flag, output.path, base, output.stdout === true ? { stdout: true } : {});
  const toStdout = given.filter((o) => o.path === '-');
  if (toStdout.length > 1) {
    const both = toStdout.length === 2;
    throw new FixRequestError('invalid_option', `${toStdout.map((o) => `${o.flag} -`).join(' and ')} ${both ? 'both' : 'all'} name standard output; send ${both ? 'one of them' : 'all but one'} to a file`);
  }
  const files = given.filter((o) => o.path !== '-').map((o) => ({ ...o, identity: fileIdentity(o.path, base) }));
  for (const [index, output] of files.entries()) {
    const input = inputs.find((i) => i.path !== undefined && i.path !== '-' && fileIdentity(i.path, base) === output.identity);
    if (input !== undefined) {
      throw new FixRequestError('output_is_input', `${output.flag} ${output.path} is the same file as ${input.flag} ${String(input.path)}: writing it would replace the input; name another file`);
    }
    const other = files.slice(0, index).find((earlier) => earlier.identity === output.identity);
    if (other !== undefined) {
      throw new FixRequestError('output_clash', `${other.flag} ${other.path} and ${output.flag} ${output.path} are the same file: one would replace the other; name two different files`);
    }
  }
}

/** Writes an output checked by assertOutputFiles: to standard output for `-`, else to its file (a failure names both). */
export function writeOutput(flag: string, path: string, text: string): void {
  if (path === '-') {
    process.stdout.write(text);
    return;
  }
  try {
    writeFileSync(path, text);
  } catch (error) {
    throw asOutputFileError(flag, path, error);
  }
}

/** The files a desk file's data section reads, each named by its key in the config (relative to the desk's folder). */
export function deskInputFiles(config: DeskConfig, deskBase: string): NamedFile[] {
  return Object.entries(config.data).flatMap(([id, source]) =>
    source.source !== 'file' ? [] : (['path', 'funding', 'marks'] as const).flatMap((key) => (source[key] === undefined ? [] : [{ flag: `data.${id}.${key}`, path: resolve(deskBase, source[key]) }])),
  );
}

/** The real path a name stands for: links resolved for the file or, for a file yet to be made, its folder. */
function fileIdentity(path: string, base: string): string {
  const full = resolve(base, path);
  try {
    return realpathSync(full);
  } catch {
    try {
      return join(realpathSync(dirname(full)), basename(full));
    } catch {
      return full;
    }
  }
}
