import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assertOutputFiles, assertOutputPath, writeOutput } from './output-files.js';
import { describeSystemError } from './system-errors.js';

const work = mkdtempSync(join(tmpdir(), 'conclave-output-paths-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
writeFileSync(join(work, 'bars.csv'), 'timestamp,open,high,low,close\n');
mkdirSync(join(work, 'out'));
symlinkSync(join(work, 'bars.csv'), join(work, 'out', 'link.csv'));
symlinkSync(join(work, 'out'), join(work, 'out-link'));

const refusal = (check: () => void): string => {
  try {
    check();
    return 'accepted';
  } catch (error) {
    return (error as Error).message;
  }
};

describe('assertOutputPath', () => {
  it('says a parent that is a file is a file, not a missing folder', () => {
    expect(refusal(() => assertOutputPath('--json', 'bars.csv/out.json', work))).toBe(`--json bars.csv/out.json: ${join(work, 'bars.csv')} is a file, not a folder; choose another path`);
    expect(refusal(() => assertOutputPath('--json', 'nowhere/out.json', work))).toBe(`--json nowhere/out.json: the folder ${join(work, 'nowhere')} does not exist; create it or choose another path`);
  });

  it('takes "-" only where it means standard output', () => {
    expect(refusal(() => assertOutputPath('--json', '-', work, { stdout: true }))).toBe('accepted');
    expect(refusal(() => assertOutputPath('--journal', '-', work))).toBe('--journal -: this output cannot go to standard output; name a file');
  });
});

describe('assertOutputFiles', () => {
  it('finds an input behind a link, or through a linked folder, and two outputs spelt differently', () => {
    const inputs = [{ flag: '--data', path: 'bars.csv' }];
    expect(refusal(() => assertOutputFiles([{ flag: '--json', path: 'out/link.csv' }], inputs, work))).toBe('--json out/link.csv is the same file as --data bars.csv: writing it would replace the input; name another file');
    expect(refusal(() => assertOutputFiles([{ flag: '--json', path: 'out/r.json' }, { flag: '--report', path: 'out-link/r.json' }], inputs, work))).toBe(
      '--json out/r.json and --report out-link/r.json are the same file: one would replace the other; name two different files',
    );
  });

  it('lets distinct files, options not given and one standard output pass', () => {
    const check = (): void =>
      assertOutputFiles(
        [
          { flag: '--json', path: '-', stdout: true },
          { flag: '--report', path: 'out/report.html' },
          { flag: '--journal', path: undefined },
        ],
        [
          { flag: '--data', path: 'bars.csv' },
          { flag: '--params', path: undefined },
        ],
        work,
      );
    expect(refusal(check)).toBe('accepted');
  });
});

describe('writeOutput', () => {
  it('names the option and the file when the write fails (a full device)', () => {
    let thrown: unknown;
    try {
      writeOutput('--report', '/dev/full', '<!DOCTYPE html>');
    } catch (error) {
      thrown = error;
    }
    expect(describeSystemError(thrown)).toEqual({ message: 'cannot write --report /dev/full: no space left on the device (ENOSPC)', exitCode: 1 });
  });
});
