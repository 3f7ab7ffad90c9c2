import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { EXAMPLE_DESK_YAML } from '../../config/example-desk.js';
import { loadDesk, secretReferences } from './load-desk.js';

const work = mkdtempSync(join(tmpdir(), 'conclave-desk-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const WITH_SECRETS = EXAMPLE_DESK_YAML.replace(
  '    - { kind: console, name: console, minSeverity: warning }',
  '    - { kind: console, name: console, minSeverity: warning }\n    - { kind: slack, name: ops, webhookUrlEnv: TEST_SLACK_URL }\n    - { kind: telegram, name: tg, botTokenEnv: TEST_TG_TOKEN, chatIdEnv: TEST_TG_CHAT }',
);

describe('loadDesk', () => {
  it('loads the example desk, which names no secrets', async () => {
    const path = join(work, 'example.yaml');
    writeFileSync(path, EXAMPLE_DESK_YAML);
    const desk = await loadDesk(path, {});
    expect(desk.config.desk.name).toBe('example-desk');
    expect(desk.secrets.names()).toEqual([]);
  });

  it('resolves the secrets named by *Env fields, and never shows their values', async () => {
    const path = join(work, 'secrets.yaml');
    writeFileSync(path, WITH_SECRETS);
    const env = { TEST_SLACK_URL: 'https://hooks.example/very-secret', TEST_TG_TOKEN: 'tg-secret-token', TEST_TG_CHAT: '42' };
    const desk = await loadDesk(path, env);
    expect(secretReferences(desk.config).map((r) => `${r.path}=${r.variable}`)).toEqual([
      'notifications.channels[1].webhookUrlEnv=TEST_SLACK_URL',
      'notifications.channels[2].botTokenEnv=TEST_TG_TOKEN',
      'notifications.channels[2].chatIdEnv=TEST_TG_CHAT',
    ]);
    expect(desk.secrets.get('TEST_TG_TOKEN')).toBe('tg-secret-token');
    const shown = `${JSON.stringify(desk)} ${inspect(desk, { depth: 10 })} ${String(desk.secrets)}`;
    expect(shown).not.toContain('very-secret');
    expect(shown).not.toContain('tg-secret-token');
    expect(() => desk.secrets.get('OTHER')).toThrow('secret OTHER was not resolved');
  });

  it('names every missing variable, and no value', async () => {
    const path = join(work, 'missing.yaml');
    writeFileSync(path, WITH_SECRETS);
    const promise = loadDesk(path, { TEST_TG_TOKEN: 'tg-secret-token' });
    await expect(promise).rejects.toMatchObject({ code: 'missing_secret' });
    const message = await promise.then(
      () => '',
      (error: Error) => error.message,
    );
    expect(message.split('\n')).toEqual([
      `${path}: notifications.channels[1].webhookUrlEnv: environment variable TEST_SLACK_URL is not set`,
      `${path}: notifications.channels[2].chatIdEnv: environment variable TEST_TG_CHAT is not set`,
    ]);
    expect(message).not.toContain('tg-secret-token');
  });

  it('refuses a channel URL that is not an http(s) URL, at the field naming it, without showing it', async () => {
    const path = join(work, 'urls.yaml');
    writeFileSync(path, WITH_SECRETS.replace('    - { kind: telegram', '    - { kind: webhook, name: hook, urlEnv: TEST_HOOK_URL }\n    - { kind: telegram'));
    const tg = { TEST_TG_TOKEN: 't', TEST_TG_CHAT: '42' };
    const promise = loadDesk(path, { ...tg, TEST_SLACK_URL: 'notaurl', TEST_HOOK_URL: 'ftp://hooks.example/x' });
    await expect(promise).rejects.toMatchObject({ code: 'invalid_config' });
    const message = await promise.then(
      () => '',
      (error: Error) => error.message,
    );
    expect(message.split('\n')).toEqual([
      `${path}: notifications.channels[1].webhookUrlEnv: environment variable TEST_SLACK_URL does not hold an http or https URL`,
      `${path}: notifications.channels[2].urlEnv: environment variable TEST_HOOK_URL does not hold an http or https URL`,
    ]);
    expect(message).not.toContain('notaurl');
    const desk = await loadDesk(path, { ...tg, TEST_SLACK_URL: 'https://hooks.example/s', TEST_HOOK_URL: 'http://127.0.0.1:9/h' });
    expect(desk.secrets.get('TEST_HOOK_URL')).toBe('http://127.0.0.1:9/h');
  });

  it('reports an unreadable file and an invalid desk', async () => {
    await expect(loadDesk(join(work, 'nope.yaml'), {})).rejects.toMatchObject({ code: 'desk_not_found' });
    const path = join(work, 'bad.yaml');
    writeFileSync(path, EXAMPLE_DESK_YAML.replace('mode: backtest', 'mode: yolo'));
    await expect(loadDesk(path, {})).rejects.toThrow(`${path}: desk.mode: must be backtest, paper or live (line 11)`);
  });
});
