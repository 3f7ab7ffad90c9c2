/**
 * Local stand-ins for the Anthropic Messages API and OpenAI Chat Completions, speaking their real wire formats so the
 * real SDKs can be driven against them. A test answers each request with a neutral FakeReply; the fake renders it as
 * the API would (answer as text, or as a call of the answer tool when the request forced a tool call; read-tool
 * calls; usage; errors in each API's own envelope). Every request is recorded. Listens on 127.0.0.1, port 0.
 *
 * Paths: Anthropic `POST /v1/messages` (the SDK appends `/v1/messages` to its base URL, so pass `url`);
 * OpenAI `POST /v1/chat/completions` (the SDK appends only `/chat/completions`, so pass `${url}/v1`).
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ReceivedRequest {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
}

export type AnswerMode = 'json-schema' | 'tool' | 'json-mode' | 'text';

/** The request, read the same way for both APIs. */
export interface FakeRequestView {
  readonly model: string;
  readonly system: string;
  /** The messages as they arrived on the wire. */
  readonly messages: unknown[];
  /** The text of the last user turn that has any (a turn of tool results alone has none). */
  readonly lastUserText: string;
  /** Tool results closing the conversation, named after the assistant tool call they answer. */
  readonly toolResults: { name?: string; content: string }[];
  readonly toolNames: string[];
  readonly answerMode: AnswerMode;
  /** Under 'tool': the tool the answer is a call of (the forced tool, else the last one offered). */
  readonly answerTool?: string;
  readonly raw: Record<string, unknown>;
}

export interface FakeReply {
  readonly answer?: string | object;
  readonly toolCalls?: { name: string; input: object }[];
  readonly status?: number;
  readonly errorType?: string;
  readonly errorMessage?: string;
  /** Anthropic always reports usage (0 when absent here); the OpenAI fake leaves it out, as some servers do. */
  readonly usage?: { input: number; output: number };
  /** Only for timeout tests: keep it small. */
  readonly delayMs?: number;
}

export interface FakeServerOptions {
  readonly apiKey?: string;
  readonly authToken?: string;
  readonly reply: (request: FakeRequestView, index: number) => FakeReply;
}

export interface FakeLlmServer {
  readonly url: string;
  readonly requests: ReceivedRequest[];
  close(): Promise<void>;
}

type Json = Record<string, unknown>;
type Answer = { readonly status: number; readonly body: Json };

/** What differs between the two APIs. */
interface Protocol {
  readonly path: string;
  readonly requestIdHeader: string;
  /** An error answer when the request is refused before the test's reply is asked for. */
  refuse(headers: IncomingHttpHeaders, options: FakeServerOptions): Answer | undefined;
  view(body: Json): FakeRequestView;
  render(reply: FakeReply, view: FakeRequestView, index: number): Json;
  error(status: number, type: string | undefined, message: string): Json;
}

const CREATED = 1_767_225_600;

export function startFakeAnthropic(options: FakeServerOptions): Promise<FakeLlmServer> {
  return startFake(anthropic, options);
}

export function startFakeOpenAi(options: FakeServerOptions): Promise<FakeLlmServer> {
  return startFake(openAi, options);
}

async function startFake(protocol: Protocol, options: FakeServerOptions): Promise<FakeLlmServer> {
  const requests: ReceivedRequest[] = [];
  const closing = new AbortController();
  let replies = 0;

  const answer = async (request: IncomingMessage, path: string, body: unknown): Promise<Answer> => {
    if (request.method !== 'POST' || path !== protocol.path) {
      return { status: 404, body: protocol.error(404, undefined, `no route for ${request.method} ${path}`) };
    }
    const refused = protocol.refuse(request.headers, options);
    if (refused !== undefined) return refused;
    if (!isRecord(body)) return { status: 400, body: protocol.error(400, undefined, 'the body is not a JSON object') };
    const view = protocol.view(body);
    const index = replies++;
    const reply = options.reply(view, index);
    if (reply.delayMs !== undefined) await sleep(reply.delayMs, undefined, { signal: closing.signal });
    if (reply.status !== undefined && reply.status >= 400) {
      return { status: reply.status, body: protocol.error(reply.status, reply.errorType, reply.errorMessage ?? 'fake failure') };
    }
    return { status: reply.status ?? 200, body: protocol.render(reply, view, index) };
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const body = parseJson(Buffer.concat(chunks).toString('utf8'));
    requests.push({ path, headers: { ...request.headers }, body });
    // A reply function that throws (a bug in the test) surfaces as a 500 carrying its message.
    const { status, body: answerBody } = await answer(request, path, body).catch(
      (error: unknown): Answer => ({ status: 500, body: protocol.error(500, undefined, `fake: ${String(error)}`) }),
    );
    // A client that timed out has gone; there is no one to answer.
    if (response.destroyed) return;
    response.writeHead(status, {
      'content-type': 'application/json',
      [protocol.requestIdHeader]: `req_fake_${requests.length}`,
      // Both SDKs honour retry-after-ms, so a retried error costs 1 ms instead of their 0.5 s default backoff.
      ...(status >= 400 ? { 'retry-after-ms': '1' } : {}),
    });
    response.end(JSON.stringify(answerBody));
  };

  const server = createServer((request, response) => void handle(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: async () => {
      closing.abort();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const anthropic: Protocol = {
  path: '/v1/messages',
  requestIdHeader: 'request-id',
  refuse(headers, options) {
    if (headers['anthropic-version'] === undefined) {
      return { status: 400, body: this.error(400, undefined, 'anthropic-version: header is required') };
    }
    // SDK 1.x sends an API key as a bearer token; the API still takes x-api-key from older clients.
    const accepted = [
      ...(options.apiKey === undefined ? [] : [`x-api-key ${options.apiKey}`, `bearer ${options.apiKey}`]),
      ...(options.authToken === undefined ? [] : [`bearer ${options.authToken}`]),
    ];
    const presented = [`x-api-key ${headers['x-api-key'] ?? ''}`, `bearer ${bearerOf(headers)}`];
    if (accepted.length === 0 || presented.some((credential) => accepted.includes(credential))) return undefined;
    return { status: 401, body: this.error(401, undefined, 'invalid x-api-key') };
  },
  view(body) {
    const messages = list(body.messages);
    const toolNames = list(body.tools).map((tool) => text(record(tool).name));
    const choice = record(body.tool_choice);
    const forced = choice.type === 'any' || choice.type === 'tool';
    const callNames = new Map<string, string>();
    for (const block of messages.map(record).filter((turn) => turn.role === 'assistant').flatMap((turn) => blocks(turn.content))) {
      if (block.type === 'tool_use') callNames.set(text(block.id), text(block.name));
    }
    const userTexts = messages.map(record).filter((turn) => turn.role === 'user').map((turn) => contentText(turn.content));
    const last = record(messages.at(-1));
    const results = last.role === 'user' ? blocks(last.content).filter((block) => block.type === 'tool_result') : [];
    return {
      model: text(body.model),
      system: contentText(body.system),
      messages,
      lastUserText: userTexts.filter((userText) => userText !== '').at(-1) ?? '',
      toolResults: results.map((block) => ({ name: callNames.get(text(block.tool_use_id)), content: contentText(block.content) })),
      toolNames,
      answerMode: record(record(body.output_config).format).type === 'json_schema' ? 'json-schema' : forced ? 'tool' : 'text',
      answerTool: choice.type === 'tool' ? text(choice.name) : forced ? toolNames.at(-1) : undefined,
      raw: body,
    };
  },
  render(reply, view, index) {
    const toolUse = (name: string, input: object, n: number): Json =>
      ({ type: 'tool_use', id: `toolu_fake_${index}_${n}`, name, input, caller: { type: 'direct' } });
    const content: Json[] = [];
    if (reply.answer !== undefined) {
      content.push(
        view.answerMode === 'tool' && view.answerTool !== undefined
          ? toolUse(view.answerTool, asObject(reply.answer), 0)
          : { type: 'text', text: asText(reply.answer), citations: null },
      );
    }
    (reply.toolCalls ?? []).forEach((call, n) => content.push(toolUse(call.name, call.input, n + 1)));
    return {
      id: `msg_fake_${index}`,
      type: 'message',
      role: 'assistant',
      model: view.model,
      content,
      stop_reason: content.some((block) => block.type === 'tool_use') ? 'tool_use' : 'end_turn',
      stop_sequence: null, stop_details: null, container: null, diagnostics: null,
      usage: { input_tokens: reply.usage?.input ?? 0, output_tokens: reply.usage?.output ?? 0 },
    };
  },
  error(status, type, message) {
    return { type: 'error', error: { type: type ?? ANTHROPIC_ERROR_TYPES[status] ?? 'api_error', message } };
  },
};

const ANTHROPIC_ERROR_TYPES: Readonly<Record<number, string>> = {
  400: 'invalid_request_error', 401: 'authentication_error', 403: 'permission_error', 404: 'not_found_error',
  413: 'request_too_large', 429: 'rate_limit_error', 529: 'overloaded_error',
};

const openAi: Protocol = {
  path: '/v1/chat/completions',
  requestIdHeader: 'x-request-id',
  refuse(headers, options) {
    if (options.apiKey === undefined || bearerOf(headers) === options.apiKey) return undefined;
    const error = { message: 'Incorrect API key provided.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' };
    return { status: 401, body: { error } };
  },
  view(body) {
    const messages = list(body.messages);
    const wire = messages.map(record);
    const toolNames = list(body.tools).map((tool) => text(record(record(tool).function).name));
    const choice = body.tool_choice;
    const format = record(body.response_format).type;
    const forced = choice === 'required' || isRecord(choice);
    const callNames = new Map<string, string>();
    for (const call of wire.flatMap((message) => list(message.tool_calls).map(record))) {
      callNames.set(text(call.id), text(record(call.function).name));
    }
    let firstTrailing = wire.length;
    while (firstTrailing > 0 && wire[firstTrailing - 1]?.role === 'tool') firstTrailing -= 1;
    const trailing = wire.slice(firstTrailing);
    return {
      model: text(body.model),
      system: wire.filter((message) => message.role === 'system').map((message) => contentText(message.content)).join('\n'),
      messages,
      lastUserText: wire.filter((message) => message.role === 'user').map((message) => contentText(message.content)).at(-1) ?? '',
      toolResults: trailing.map((message) => ({ name: callNames.get(text(message.tool_call_id)), content: contentText(message.content) })),
      toolNames,
      answerMode: format === 'json_schema' ? 'json-schema' : format === 'json_object' ? 'json-mode' : forced ? 'tool' : 'text',
      answerTool: isRecord(choice) ? text(record(choice.function).name) : forced ? toolNames.at(-1) : undefined,
      raw: body,
    };
  },
  render(reply, view, index) {
    const call = (name: string, input: object, n: number): Json =>
      ({ id: `call_fake_${index}_${n}`, type: 'function', function: { name, arguments: JSON.stringify(input) } });
    const answer = reply.answer;
    const answerTool = answer !== undefined && view.answerMode === 'tool' ? view.answerTool : undefined;
    const calls = [
      ...(answer !== undefined && answerTool !== undefined ? [call(answerTool, asObject(answer), 0)] : []),
      ...(reply.toolCalls ?? []).map((toolCall, n) => call(toolCall.name, toolCall.input, n + 1)),
    ];
    const content = answer !== undefined && answerTool === undefined ? asText(answer) : null;
    return {
      id: `chatcmpl-fake-${index}`,
      object: 'chat.completion',
      created: CREATED,
      model: view.model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content, refusal: null, ...(calls.length > 0 ? { tool_calls: calls } : {}) },
          logprobs: null,
          finish_reason: calls.length > 0 ? 'tool_calls' : 'stop',
        },
      ],
      ...(reply.usage === undefined ? {} : { usage: openAiUsage(reply.usage) }),
    };
  },
  error(status, type, message) {
    const fallback = status === 429 ? 'rate_limit_exceeded' : status >= 500 ? 'server_error' : 'invalid_request_error';
    return { error: { message, type: type ?? fallback, param: null, code: type ?? fallback } };
  },
};

function openAiUsage({ input, output }: { input: number; output: number }): Json {
  return { prompt_tokens: input, completion_tokens: output, total_tokens: input + output };
}

function bearerOf(headers: IncomingHttpHeaders): string {
  const authorization = headers.authorization ?? '';
  return authorization.startsWith('Bearer ') ? authorization.slice('Bearer '.length) : '';
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function record(value: unknown): Json {
  return isRecord(value) ? value : {};
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? (value as unknown[]) : [];
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** A string is shorthand for one text block. */
function blocks(content: unknown): Json[] {
  return typeof content === 'string' ? [{ type: 'text', text: content }] : list(content).map(record);
}

/** Both APIs take content as a string or as an array of text blocks (parts). */
function contentText(content: unknown): string {
  return blocks(content).filter((block) => block.type === 'text').map((block) => text(block.text)).join('');
}

function asText(answer: string | object): string {
  return typeof answer === 'string' ? answer : JSON.stringify(answer);
}

function asObject(answer: string | object): object {
  return typeof answer === 'string' ? (JSON.parse(answer) as object) : answer;
}
