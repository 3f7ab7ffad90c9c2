import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { FixRequestError } from '../../core/errors.js';
import type { DeskConfig } from '../../config/desk-schema.js';
import type { DeskModels, LlmBrainConfig } from '../../engine/desk/model-brains.js';
import { MemoryDecisionStore, type DecisionStore } from '../../llm/decision-record.js';
import type { CallMode } from '../../llm/model-gateway.js';
import type { LlmProvider, LlmRequest, LlmResponse } from '../../llm/provider.js';
import type { NewsItem } from '../../llm/untrusted.js';
import { createLlmProvider, type Environment } from './create-provider.js';
import { JsonlDecisionStore } from './jsonl-decision-store.js';

export interface OpenModelsOptions {
  /** Resolves a path of the desk file (relative to its folder). */
  readonly resolvePath: (path: string) => string;
  readonly env: Environment;
  /** Overrides `llm.mode` and `llm.records` (CLI flags). */
  readonly mode?: CallMode;
  readonly records?: string;
}

export interface OpenedModels extends DeskModels {
  /** The records file, when the run keeps one. */
  readonly recordsPath?: string;
  close(): void;
}

/**
 * Wires a desk's model-driven brains for a run: the record store (a JSONL file, read-only in replay), providers
 * built from each brain's settings (created on the first real call, so a replay needs no key), and the news feed.
 * Returns undefined for a desk without model brains.
 */
export function openDeskModels(config: DeskConfig, options: OpenModelsOptions): OpenedModels | undefined {
  if (!config.agents.some((agent) => agent.brain.kind === 'llm')) return undefined;
  const mode = options.mode ?? config.llm?.mode ?? 'record';
  const given = options.records ?? config.llm?.records;
  const recordsPath = given === undefined ? undefined : options.resolvePath(given);
  if (mode === 'replay' && recordsPath === undefined) throw new FixRequestError('no_records', 'replay reads decision records: give --records FILE or llm.records');
  let store: DecisionStore;
  let close = (): void => undefined;
  if (recordsPath === undefined) store = new MemoryDecisionStore();
  else {
    const file = JsonlDecisionStore.open(recordsPath, { mode: mode === 'replay' ? 'read' : 'append', lazy: true });
    store = file;
    close = () => file.close();
  }
  const newsPath = config.llm?.news;
  return {
    mode,
    store,
    ...(recordsPath === undefined ? {} : { recordsPath }),
    ...(newsPath === undefined ? {} : { news: readNews(options.resolvePath(newsPath)) }),
    providerFor: (brain) => new LazyProvider(brain, options.env),
    close,
  };
}

/** Builds the real provider on the first call: a replay, which never calls, needs no key or SDK client. */
class LazyProvider implements LlmProvider {
  private provider: LlmProvider | undefined;

  constructor(
    private readonly brain: LlmBrainConfig,
    private readonly env: Environment,
  ) {}

  get name(): string {
    return this.brain.provider;
  }

  complete(request: LlmRequest): Promise<LlmResponse> {
    const b = this.brain;
    this.provider ??= createLlmProvider(
      {
        provider: b.provider,
        timeoutMs: b.timeout,
        maxRetries: b.maxRetries,
        ...(b.baseUrl === undefined ? {} : { baseUrl: b.baseUrl }),
        ...(b.apiKeyEnv === undefined ? {} : { apiKeyEnv: b.apiKeyEnv }),
        ...(b.authTokenEnv === undefined ? {} : { authTokenEnv: b.authTokenEnv }),
      },
      this.env,
    );
    return this.provider.complete(request);
  }
}

const newsLine = z.strictObject({
  ts: z.union([z.number().int(), z.iso.datetime({ offset: true }).transform((text) => Date.parse(text))], { error: 'must be epoch ms or an ISO 8601 time' }),
  source: z.string().min(1).max(200),
  headline: z.string().min(1).max(1000),
  body: z.string().max(20_000).optional(),
});

/** Reads a news feed (JSONL: ts, source, headline, body), sorted by time; a bad line is named by its number. */
export function readNews(path: string): NewsItem[] {
  if (!existsSync(path)) throw new FixRequestError('news_not_found', `news feed ${path} does not exist`);
  const items: NewsItem[] = [];
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() === '') return;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        throw new FixRequestError('bad_news_line', `${path}:${i + 1}: not a JSON object`);
      }
      const parsed = newsLine.safeParse(value);
      if (!parsed.success) throw new FixRequestError('bad_news_line', `${path}:${i + 1}: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || 'line'}: ${issue.message}`).join('; ')}`);
      const { body, ...rest } = parsed.data;
      items.push({ ...rest, ...(body === undefined ? {} : { body }) });
    });
  return items.sort((a, b) => a.ts - b.ts);
}
