import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli, type CliOutcome } from '../support/cli-process.js';

const work = mkdtempSync(join(tmpdir(), 'conclave-run-notifications-'));
let desk: string;
/** A webhook service that refuses every message as malformed. */
let refusing: Server;
let hookUrl: string;

beforeAll(async () => {
  refusing = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(400).end('invalid_payload'));
  });
  await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(refusing.address() as AddressInfo).port}/hook`;
  expect((await startCli(work, ['init', '--out', 'desk.yaml']).finished).status).toBe(0);
  desk = readFileSync(join(work, 'desk.yaml'), 'utf8').replace('    bars: 2000\n', '    bars: 300\n');
  expect(desk).toContain('    - { kind: console, name: console, minSeverity: warning }\n');
});
afterAll(async () => {
  refusing.closeAllConnections();
  await new Promise((resolve) => refusing.close(resolve));
  rmSync(work, { recursive: true, force: true });
});

/** The example desk with `channel` beside its console channel, the notifier delivering to both, written to `path` under the work folder. */
function deskWith(path: string, channel: string): void {
  const console = '    - { kind: console, name: console, minSeverity: warning }\n';
  const name = /name: ([\w.-]+)/.exec(channel)?.[1] ?? '';
  const listed = '    channels: [console]\n';
  expect(desk).toContain(listed);
  writeFileSync(join(work, path), desk.replace(console, `${console}    - ${channel}\n`).replace(listed, `    channels: [console, ${name}]\n`));
}

const run = (args: string[], env: NodeJS.ProcessEnv = process.env): Promise<CliOutcome> => startCli(work, args, env).finished;

describe('conclave run and its notification channels', () => {
  it('names a channel that gave up on standard error, also with --quiet', async () => {
    deskWith('hooked.yaml', '{ kind: webhook, name: hook, urlEnv: HOOK_URL, minSeverity: warning }');
    // The kill switch halts the desk at its first intent: a critical alert the service refuses.
    writeFileSync(join(work, 'KILL'), 'test');
    try {
      const result = await run(['run', '--desk', 'hooked.yaml', '--speed', 'max', '--quiet'], { ...process.env, HOOK_URL: hookUrl });
      expect(result.status).toBe(0);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/^Warning: the kill switch file .*KILL is present \(test\): the desk starts HALTED and trades nothing until it is removed\nNotification delivery: hook 0 sent, \d+ given up \(last: notify_rejected: hook: HTTP 400: invalid_payload\)\n$/);
    } finally {
      rmSync(join(work, 'KILL'));
    }
  }, 60_000);

  it("writes a JSONL channel's file beside the desk file, as the desk's data paths are", async () => {
    mkdirSync(join(work, 'sub', 'logs'), { recursive: true });
    deskWith('sub/desk.yaml', '{ kind: jsonl, name: file, path: logs/notes.jsonl, minSeverity: info }');
    const result = await run(['run', '--desk', 'sub/desk.yaml', '--speed', 'max', '--quiet']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const lines = readFileSync(join(work, 'sub', 'logs', 'notes.jsonl'), 'utf8').trim().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    expect(existsSync(join(work, 'logs'))).toBe(false);
  }, 60_000);

  it("refuses before the run a JSONL channel whose folder does not exist, naming the channel and the folder", async () => {
    deskWith('sub/missing.yaml', '{ kind: jsonl, name: file, path: nowhere/notes.jsonl }');
    const result = await run(['run', '--desk', 'sub/missing.yaml', '--speed', 'max', '--journal', 'never.jsonl']);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`notifications channel file, path nowhere/notes.jsonl: the folder ${join(work, 'sub', 'nowhere')} does not exist; create it or choose another path`);
    expect(existsSync(join(work, 'never.jsonl'))).toBe(false);
  }, 60_000);
});
