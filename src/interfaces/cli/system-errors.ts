/**
 * Operating-system errors (a file that is missing, a directory where a file was expected, no permission) as one
 * line for the person at the terminal, instead of a stack trace. Anything else is left alone: an error we did not
 * foresee is a bug, and its trace is what fixes it.
 */
import { RetryLaterError, type ConclaveError } from '../../core/errors.js';

export interface SystemErrorReport {
  readonly message: string;
  /** 2: fix the request (a path the user gave); 1: the machine (disk full, I/O). */
  readonly exitCode: number;
}

const REASONS: Readonly<Record<string, { readonly reason: string; readonly exitCode: number }>> = {
  ENOENT: { reason: 'no such file or directory', exitCode: 2 },
  EISDIR: { reason: 'it is a directory, not a file', exitCode: 2 },
  ENOTDIR: { reason: 'a part of the path is not a directory', exitCode: 2 },
  EACCES: { reason: 'permission denied', exitCode: 2 },
  EPERM: { reason: 'operation not permitted', exitCode: 2 },
  EEXIST: { reason: 'it already exists', exitCode: 2 },
  EROFS: { reason: 'the file system is read-only', exitCode: 2 },
  ENAMETOOLONG: { reason: 'the name is too long', exitCode: 2 },
  ENOSPC: { reason: 'no space left on the device', exitCode: 1 },
  EDQUOT: { reason: 'disk quota exceeded', exitCode: 1 },
  EMFILE: { reason: 'too many open files', exitCode: 1 },
  EIO: { reason: 'an input/output error', exitCode: 1 },
};

const ACTIONS: Readonly<Record<string, string>> = {
  open: 'cannot open',
  read: 'cannot read',
  write: 'cannot write',
  mkdir: 'cannot create the directory',
  scandir: 'cannot list',
  stat: 'cannot read',
  rename: 'cannot rename',
  unlink: 'cannot remove',
};

/**
 * An operating-system error met writing the file an option named. A failed write (a full disk) does not carry the
 * path, and a temporary file's path is not the one the person gave: this names the option and the file.
 */
export class OutputFileError extends Error {
  constructor(
    readonly flag: string,
    readonly path: string,
    override readonly cause: NodeJS.ErrnoException,
  ) {
    super(`${flag} ${path}: ${cause.message}`, { cause });
    this.name = 'OutputFileError';
  }
}

/** `error` as an OutputFileError of `flag` and `path` when the operating system raised it; anything else as it is. */
export function asOutputFileError(flag: string, path: string, error: unknown): unknown {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' ? new OutputFileError(flag, path, error as NodeJS.ErrnoException) : error;
}

export function describeSystemError(error: unknown): SystemErrorReport | undefined {
  if (!(error instanceof Error)) return undefined;
  const output = error instanceof OutputFileError ? error : undefined;
  const cause = output?.cause ?? error;
  const { code, syscall, path } = cause as NodeJS.ErrnoException;
  if (typeof code !== 'string' || typeof syscall !== 'string') return undefined;
  const known = REASONS[code];
  const action = ACTIONS[syscall] ?? `${syscall} failed for`;
  const target = output !== undefined ? `${output.flag} ${output.path}` : typeof path === 'string' ? path : 'a file';
  return { message: `${action} ${target}: ${known?.reason ?? cause.message} (${code})`, exitCode: known?.exitCode ?? 1 };
}

/** A request to fix is 2; a failure to try again later (the network, an exchange's limits) is the machine's: 1. */
export function conclaveExitCode(error: ConclaveError): 1 | 2 {
  return error instanceof RetryLaterError ? 1 : 2;
}
