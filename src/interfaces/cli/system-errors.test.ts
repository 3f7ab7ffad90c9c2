import { describe, expect, it } from 'vitest';
import { FixRequestError, RetryLaterError } from '../../core/errors.js';
import { asOutputFileError, conclaveExitCode, describeSystemError } from './system-errors.js';

function systemError(code: string, syscall: string, path?: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: something, ${syscall}`), { code, syscall, ...(path === undefined ? {} : { path }) });
}

describe('describeSystemError', () => {
  it('names the action, the path and the reason, with the code', () => {
    expect(describeSystemError(systemError('ENOENT', 'open', 'out/x.json'))).toEqual({ message: 'cannot open out/x.json: no such file or directory (ENOENT)', exitCode: 2 });
    expect(describeSystemError(systemError('EACCES', 'mkdir', '/root/x'))).toEqual({ message: 'cannot create the directory /root/x: permission denied (EACCES)', exitCode: 2 });
    expect(describeSystemError(systemError('ENOSPC', 'write'))).toEqual({ message: 'cannot write a file: no space left on the device (ENOSPC)', exitCode: 1 });
  });

  it('names the option and the file it named for a failed write of an output, whatever path the error carries', () => {
    expect(describeSystemError(asOutputFileError('--report', '/dev/full', systemError('ENOSPC', 'write')))).toEqual({ message: 'cannot write --report /dev/full: no space left on the device (ENOSPC)', exitCode: 1 });
    expect(describeSystemError(asOutputFileError('--out', 'bars.csv', systemError('EACCES', 'open', 'bars.csv.12-1.tmp')))).toEqual({ message: 'cannot open --out bars.csv: permission denied (EACCES)', exitCode: 2 });
    const bug = new TypeError('x is undefined');
    expect(asOutputFileError('--json', 'out.json', bug)).toBe(bug);
  });

  it('leaves errors that are not from the operating system to surface as they are', () => {
    expect(describeSystemError(new TypeError('x is undefined'))).toBeUndefined();
    expect(describeSystemError('a string')).toBeUndefined();
    expect(describeSystemError(Object.assign(new Error('no syscall'), { code: 'ERR_SOMETHING' }))).toBeUndefined();
  });
});

describe('conclaveExitCode', () => {
  it('is 2 for a request to fix and 1 for what may work later (the network, an exchange refusing for now)', () => {
    expect(conclaveExitCode(new FixRequestError('invalid_option', 'bad'))).toBe(2);
    expect(conclaveExitCode(new RetryLaterError('network_error', 'ECONNREFUSED; gave up after 5 attempts'))).toBe(1);
  });
});
