import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake OpenAI chat-completions server on 127.0.0.1 (quality.md §2): the real wire format, scripted per test.
 * Each `POST /v1/chat/completions` takes the next scripted response from the queue; an empty queue answers 500.
 */

export type ScriptStep =
  | { kind: 'text'; text: string; delayMs?: number }
  | { kind: 'reasoning'; text: string; delayMs?: number }
  /** Streamed as id+name first, then the arguments in `chunks` pieces (finish_reason becomes `tool_calls`). */
  | { kind: 'tool_call'; id: string; name: string; arguments: string; chunks?: number; delayMs?: number }
  | { kind: 'usage'; promptTokens: number; completionTokens: number; cachedTokens?: number }
  | { kind: 'delay'; ms: number }
  /** Destroys the socket mid-stream, without `[DONE]`. */
  | { kind: 'drop' }
  /** Keeps the stream open until the test closes the server. */
  | { kind: 'hang' }
  /** Written to the stream verbatim (e.g. an SSE comment or a chunk of a shape the SDK does not know). */
  | { kind: 'raw'; data: string };

/**
 * `steps`: a 200 answer (streamed when the request asks for it); `status`: an HTTP error with that JSON body;
 * `silent`: the request is accepted and never answered, not even with headers, until the client gives up or the
 * server is closed.
 */
export type ScriptedResponse = { steps: ScriptStep[] } | { status: number; body: unknown } | { silent: true };

/** Picks the response for a request before the queue is consulted; `undefined` falls back to the queue. */
export type Responder = (request: RecordedRequest) => ScriptedResponse | undefined;

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: ChatRequestBody;
}

/** The parts of a chat-completions request body tests look at. */
export interface ChatRequestBody {
  model?: string;
  stream?: boolean;
  messages?: { role: string; content: unknown; tool_calls?: unknown; tool_call_id?: string }[];
  tools?: { type: string; function: { name: string; description?: string; parameters?: unknown } }[];
  [key: string]: unknown;
}

export interface FakeOpenAiServer {
  /** `http://127.0.0.1:<port>/v1` */
  baseUrl: string;
  requests: RecordedRequest[];
  /** Model ids served by `GET /v1/models`; `'hang'` never answers, a number answers with that HTTP status. */
  models: string[] | 'hang' | number;
  enqueue(...responses: ScriptedResponse[]): void;
  /** Routes requests by content (e.g. by agent) instead of arrival order; `null` goes back to the queue only. */
  setResponder(responder: Responder | null): void;
  /** Scripted responses not yet used. */
  pending(): number;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startFakeOpenAiServer(options: { models?: string[] } = {}): Promise<FakeOpenAiServer> {
  const queue: ScriptedResponse[] = [];
  const requests: RecordedRequest[] = [];
  let completionCount = 0;
  let responder: Responder | null = null;

  const state: FakeOpenAiServer = {
    baseUrl: '',
    requests,
    models: options.models ?? ['fake-model'],
    enqueue: (...responses) => void queue.push(...responses),
    setResponder: (next) => void (responder = next),
    pending: () => queue.length,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => res.destroy());
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (req.method === 'GET' && path === '/v1/models') {
      requests.push({ method: 'GET', path, headers: req.headers, body: {} });
      const models = state.models;
      if (models === 'hang') return;
      if (typeof models === 'number') return sendJson(res, models, { error: { message: 'models unavailable' } });
      return sendJson(res, 200, { object: 'list', data: models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'fake' })) });
    }
    if (req.method !== 'POST' || path !== '/v1/chat/completions') return sendJson(res, 404, { error: { message: 'not found' } });
    const body = (raw ? JSON.parse(raw) : {}) as ChatRequestBody;
    const recorded: RecordedRequest = { method: 'POST', path, headers: req.headers, body };
    requests.push(recorded);
    const scripted = responder?.(recorded) ?? queue.shift();
    if (!scripted) return sendJson(res, 500, { error: { message: 'fake: no scripted response', type: 'server_error' } });
    if ('status' in scripted) return sendJson(res, scripted.status, scripted.body);
    // Accepted and left unanswered; `close()` destroys the connection.
    if ('silent' in scripted) return;
    const id = `chatcmpl-fake-${++completionCount}`;
    if (body.stream) await stream(res, id, body.model ?? 'fake-model', scripted.steps);
    else await complete(res, id, body.model ?? 'fake-model', scripted.steps);
  }

  async function stream(res: ServerResponse, id: string, model: string, steps: ScriptStep[]): Promise<void> {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const chunk = (delta: Record<string, unknown>, finishReason: string | null = null, extra: Record<string, unknown> = {}) =>
      res.write(
        `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 0, model, choices: [{ index: 0, delta, finish_reason: finishReason }], ...extra })}\n\n`,
      );
    chunk({ role: 'assistant', content: '' });
    let toolIndex = 0;
    let usage: Extract<ScriptStep, { kind: 'usage' }> | null = null;
    for (const step of steps) {
      if ('delayMs' in step && step.delayMs) await sleep(step.delayMs);
      switch (step.kind) {
        case 'text':
          chunk({ content: step.text });
          break;
        case 'reasoning':
          chunk({ reasoning_content: step.text });
          break;
        case 'tool_call': {
          const index = toolIndex++;
          chunk({ tool_calls: [{ index, id: step.id, type: 'function', function: { name: step.name, arguments: '' } }] });
          for (const piece of splitInto(step.arguments, step.chunks ?? 1)) {
            chunk({ tool_calls: [{ index, function: { arguments: piece } }] });
          }
          break;
        }
        case 'usage':
          usage = step;
          break;
        case 'delay':
          await sleep(step.ms);
          break;
        case 'drop':
          res.socket?.destroy();
          return;
        case 'hang':
          // Left open on purpose; `close()` destroys the connection.
          return;
        case 'raw':
          res.write(step.data);
          break;
      }
    }
    res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 0, model, choices: [{ index: 0, delta: {}, finish_reason: toolIndex > 0 ? 'tool_calls' : 'stop' }] })}\n\n`);
    if (usage) {
      res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 0, model, choices: [], usage: usageBody(usage) })}\n\n`);
    }
    res.end('data: [DONE]\n\n');
  }

  async function complete(res: ServerResponse, id: string, model: string, steps: ScriptStep[]): Promise<void> {
    let content = '';
    let reasoning = '';
    const toolCalls: unknown[] = [];
    let usage: Extract<ScriptStep, { kind: 'usage' }> | null = null;
    for (const step of steps) {
      if ('delayMs' in step && step.delayMs) await sleep(step.delayMs);
      if (step.kind === 'text') content += step.text;
      else if (step.kind === 'reasoning') reasoning += step.text;
      else if (step.kind === 'tool_call') toolCalls.push({ id: step.id, type: 'function', function: { name: step.name, arguments: step.arguments } });
      else if (step.kind === 'usage') usage = step;
      else if (step.kind === 'delay') await sleep(step.ms);
      else if (step.kind === 'drop') return void res.socket?.destroy();
      else if (step.kind === 'hang') return;
      // 'raw' only means something on a stream.
    }
    const message = {
      role: 'assistant',
      content,
      ...(reasoning ? { reasoning_content: reasoning } : {}),
      ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
    };
    sendJson(res, 200, {
      id,
      object: 'chat.completion',
      created: 0,
      model,
      choices: [{ index: 0, message, finish_reason: toolCalls.length > 0 ? 'tool_calls' : 'stop' }],
      ...(usage ? { usage: usageBody(usage) } : {}),
    });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return state;
}

function usageBody(usage: { promptTokens: number; completionTokens: number; cachedTokens?: number }) {
  return {
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    total_tokens: usage.promptTokens + usage.completionTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedTokens ?? 0 },
  };
}

function splitInto(text: string, pieces: number): string[] {
  const size = Math.max(1, Math.ceil(text.length / Math.max(1, pieces)));
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out.length > 0 ? out : [''];
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const piece of req) chunks.push(piece as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
