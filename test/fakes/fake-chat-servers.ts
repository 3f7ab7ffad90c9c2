/**
 * One local HTTP server standing in for the chat services the notifier talks to, each on its own path prefix:
 * - Slack incoming webhook: `POST /slack/services/<T>/<B>/<secret>`, answers `ok` (text/plain) like Slack;
 * - Telegram Bot API: `POST /telegram/bot<token>/sendMessage`, answers `{ok:true,result:{...}}`; a token other than
 *   the configured one gets Telegram's 401 `Unauthorized`, a missing chat_id/text its 400 `Bad Request`;
 * - Discord webhook: `POST /discord/api/webhooks/<id>/<token>`, answers 204 as Discord does without `?wait=true`;
 * - a generic webhook: `POST /hook/...`, answers 200 `{}`.
 * Every request is recorded (method, path, headers, parsed body). Failures can be queued per service: 429 in each
 * service's own retry-after format, 500, or 400. Listens on 127.0.0.1, port 0.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type ChatService = 'slack' | 'telegram' | 'discord' | 'hook';

export interface RecordedRequest {
  readonly service: ChatService | 'unknown';
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly rawBody: string;
  readonly body: unknown;
}

export type InjectedChatFailure =
  | { readonly status: 429; readonly retryAfterSeconds: number }
  | { readonly status: 500 }
  | { readonly status: 400 };

interface Answer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

export class FakeChatServers {
  readonly requests: RecordedRequest[] = [];
  private readonly failures = new Map<ChatService, InjectedChatFailure[]>();
  private readonly sockets = new Set<Socket>();
  private messageId = 0;

  private constructor(
    private readonly server: Server,
    readonly telegramToken: string,
  ) {
    server.on('request', (request: IncomingMessage, response: ServerResponse) => void this.handle(request, response));
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  static async start(options: { telegramToken: string }): Promise<FakeChatServers> {
    const server = createServer();
    const fake = new FakeChatServers(server, options.telegramToken);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    return fake;
  }

  get url(): string {
    const address = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${address.port}`;
  }

  /** The next request to `service` fails this way (queue several to fail several in a row). */
  fail(service: ChatService, failure: InjectedChatFailure): void {
    const queue = this.failures.get(service) ?? [];
    queue.push(failure);
    this.failures.set(service, queue);
  }

  requestsTo(service: ChatService): RecordedRequest[] {
    return this.requests.filter((request) => request.service === service);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const service = serviceOf(path);
    let body: unknown;
    try {
      body = rawBody.length === 0 ? undefined : (JSON.parse(rawBody) as unknown);
    } catch {
      body = undefined;
    }
    this.requests.push({ service, method: request.method ?? '', path, headers: { ...request.headers }, rawBody, body });
    const answer = this.answer(service, request.method ?? '', path, body);
    response.writeHead(answer.status, answer.headers);
    response.end(answer.body);
  }

  private answer(service: ChatService | 'unknown', method: string, path: string, body: unknown): Answer {
    if (service === 'unknown' || method !== 'POST') return { status: 404, body: 'not found' };
    const failure = this.failures.get(service)?.shift();
    if (failure !== undefined) return failureAnswer(service, failure);
    switch (service) {
      case 'slack':
        return body === undefined
          ? { status: 400, headers: { 'content-type': 'text/plain' }, body: 'invalid_payload' }
          : { status: 200, headers: { 'content-type': 'text/plain' }, body: 'ok' };
      case 'telegram':
        return this.telegram(path, body);
      case 'discord':
        return { status: 204 };
      case 'hook':
        return json(200, {});
    }
  }

  private telegram(path: string, body: unknown): Answer {
    const match = /^\/telegram\/bot([^/]+)\/sendMessage$/.exec(path);
    if (match === null) return json(404, { ok: false, error_code: 404, description: 'Not Found' });
    if (match[1] !== this.telegramToken) return json(401, { ok: false, error_code: 401, description: 'Unauthorized' });
    const message = body as { chat_id?: unknown; text?: unknown } | undefined;
    if (message?.chat_id === undefined) return json(400, { ok: false, error_code: 400, description: 'Bad Request: chat not found' });
    if (typeof message.text !== 'string' || message.text.length === 0) {
      return json(400, { ok: false, error_code: 400, description: 'Bad Request: message text is empty' });
    }
    this.messageId += 1;
    return json(200, { ok: true, result: { message_id: this.messageId, chat: { id: message.chat_id }, text: message.text } });
  }
}

function serviceOf(path: string): ChatService | 'unknown' {
  const first = path.split('/')[1];
  return first === 'slack' || first === 'telegram' || first === 'discord' || first === 'hook' ? first : 'unknown';
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Answer {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

function failureAnswer(service: ChatService, failure: InjectedChatFailure): Answer {
  if (failure.status === 500) return { status: 500, headers: { 'content-type': 'text/plain' }, body: 'internal error' };
  if (failure.status === 400) {
    switch (service) {
      case 'slack':
        return { status: 400, headers: { 'content-type': 'text/plain' }, body: 'invalid_blocks' };
      case 'telegram':
        return json(400, { ok: false, error_code: 400, description: "Bad Request: can't parse entities" });
      case 'discord':
        return json(400, { message: 'Invalid Form Body', code: 50035 });
      case 'hook':
        return json(400, { error: 'bad request' });
    }
  }
  const seconds = failure.retryAfterSeconds;
  switch (service) {
    case 'slack':
      return { status: 429, headers: { 'content-type': 'text/plain', 'retry-after': String(seconds) }, body: 'rate_limited' };
    case 'telegram':
      return json(429, {
        ok: false,
        error_code: 429,
        description: `Too Many Requests: retry after ${seconds}`,
        parameters: { retry_after: seconds },
      });
    case 'discord':
      return json(
        429,
        { message: 'You are being rate limited.', retry_after: seconds, global: false },
        { 'retry-after': String(Math.ceil(seconds)) },
      );
    case 'hook':
      return json(429, { error: 'slow down' }, { 'retry-after': String(seconds) });
  }
}
