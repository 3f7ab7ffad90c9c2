import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface CliOutcome {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The `conclave` command from source (through tsx), run to its end in `cwd`: as a user runs it, in its own process. */
export function cliRunner(cwd: string, timeoutMs = 60_000): (...args: string[]) => CliOutcome {
  return (...args) => {
    const run = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), join(root, 'src/interfaces/cli/main.ts'), ...args], { cwd, encoding: 'utf8', timeout: timeoutMs });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
  };
}
