import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
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

export interface RunningCli {
  readonly child: ChildProcessWithoutNullStreams;
  readonly output: () => string;
  readonly finished: Promise<CliOutcome>;
  /** Resolves once standard output contains `text`; rejects if the process ends first. */
  readonly waitFor: (text: string) => Promise<void>;
}

/**
 * The `conclave` command from source, started in `cwd` and left running: for a long command a test talks to. It is
 * ended after `timeoutMs` whatever happens, so a test that fails half-way leaves no process behind.
 */
export function startCli(cwd: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env, timeoutMs = 180_000): RunningCli {
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), join(root, 'src/interfaces/cli/main.ts'), ...args], { cwd, env, timeout: timeoutMs, killSignal: 'SIGKILL' });
  let stdout = '';
  let stderr = '';
  const waiters: { text: string; resolve: () => void; reject: (error: Error) => void }[] = [];
  const check = (): void => {
    for (const waiter of [...waiters]) {
      if (!stdout.includes(waiter.text)) continue;
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  };
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    check();
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const finished = new Promise<CliOutcome>((resolvePromise) => {
    child.on('close', (status) => {
      for (const waiter of waiters.splice(0)) waiter.reject(new Error(`the command ended before printing "${waiter.text}":\n${stdout}\n${stderr}`));
      resolvePromise({ status, stdout, stderr });
    });
  });
  return {
    child,
    output: () => stdout,
    finished,
    waitFor: (text) =>
      new Promise<void>((resolveWait, rejectWait) => {
        waiters.push({ text, resolve: resolveWait, reject: rejectWait });
        check();
      }),
  };
}
