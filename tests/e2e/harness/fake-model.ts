import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  startFakeOpenAiServer,
  type RecordedRequest,
  type ScriptedResponse,
  type ScriptStep,
} from '../../fakes/openai-chat-server.js';
import type { AgentReply, FakeRecord, ScriptBody } from './fake-protocol.js';

/**
 * The fake model API of the end-to-end harness (ui.md §9.2), run as ONE helper process by the global setup:
 * the OpenAI-compatible fake from tests/fakes on a loopback port, plus a loopback control endpoint through which
 * each test scripts the agents by name.
 *
 * Tests run in parallel against one server, so a script is scoped by a `match` string (a token the test puts in
 * its room's messages): a request takes the first script whose agent is the one being voiced and whose `match`
 * occurs in the request's conversation. A turn without a script skips (the `skip` tool, as a model would).
 *
 * Control API (JSON):
 * - `POST /script` `{ match, agents: { <name>: AgentReply[] } }`: each turn of that agent uses the next reply;
 *   when its list is used up, the agent skips.
 * - `GET /requests?match=` → the recorded turns (agent, time, last message text) for that match.
 *
 * Prints one JSON line `{"openai": <base url>, "control": <url>}` on stdout when ready.
 */

interface Script {
  match: string;
  queues: Map<string, AgentReply[]>;
}

const scripts: Script[] = [];
const records: (FakeRecord & { text: string })[] = [];

const fake = await startFakeOpenAiServer({ models: ['fake-model'] });

/** The built-in prompt template names the agent as `You are voicing <name> in a group chat.` */
function agentOf(request: RecordedRequest): string | null {
  const first = request.body.messages?.[0];
  const system = first?.role === 'system' ? textOf(first.content) : '';
  return /You are voicing (.+?) in a group chat\./.exec(system)?.[1] ?? null;
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part) => (typeof part === 'object' && part !== null && 'text' in part ? String((part as { text: unknown }).text) : ''))
      .join('');
  }
  return '';
}

function skip(request: RecordedRequest): ScriptedResponse {
  const last = request.body.messages?.at(-1);
  // After the tool result the SDK asks again within the same turn: answer with nothing.
  if (last?.role === 'tool') return { steps: [] };
  return { steps: [{ kind: 'tool_call', id: `call_skip_${records.length}`, name: 'skip', arguments: '{}', chunks: 1 }] };
}

function chunks(text: string, size: number): string[] {
  const points = [...text];
  const out: string[] = [];
  for (let i = 0; i < points.length; i += size) out.push(points.slice(i, i + size).join(''));
  return out;
}

function toResponse(reply: AgentReply, request: RecordedRequest): ScriptedResponse {
  if (reply.skip) return skip(request);
  if (reply.error === 'transient') return { status: 503, body: { error: { message: 'fake: overloaded', type: 'server_error' } } };
  if (reply.error === 'fatal') return { status: 400, body: { error: { message: 'fake: invalid request', type: 'invalid_request_error' } } };
  const delayMs = reply.delayMs ?? 40;
  const steps: ScriptStep[] = [];
  if (reply.thinking) for (const piece of chunks(reply.thinking, reply.chunkSize ?? 8)) steps.push({ kind: 'reasoning', text: piece, delayMs });
  for (const piece of chunks(reply.text ?? '', reply.chunkSize ?? 8)) steps.push({ kind: 'text', text: piece, delayMs });
  // A hang streams what it has and then stays open until the server gives up on it (an interruption).
  return { steps: reply.hang ? [...steps, { kind: 'hang' }] : steps };
}

fake.setResponder((request) => {
  const agent = agentOf(request);
  const conversation = (request.body.messages ?? []).map((message) => textOf(message.content)).join('\n');
  const script = scripts.find((candidate) => conversation.includes(candidate.match) && candidate.queues.has(agent ?? ''));
  const last = request.body.messages?.at(-1);
  const followUp = last?.role === 'tool';
  const match = scripts.find((candidate) => conversation.includes(candidate.match))?.match ?? '';
  if (!followUp) records.push({ match, agent: agent ?? '', at: Date.now(), text: textOf(last?.content) });
  if (followUp) return { steps: [] };
  const queue = script?.queues.get(agent ?? '');
  const next = queue?.shift();
  if (!next) return skip(request);
  return toResponse(next, request);
});

async function readJson(req: IncomingMessage): Promise<unknown> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  const raw = Buffer.concat(parts).toString('utf8');
  return raw ? JSON.parse(raw) : {};
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const control = createServer((req, res) => {
  void (async () => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'POST' && url.pathname === '/script') {
      const body = (await readJson(req)) as ScriptBody;
      if (!body.match) return send(res, 422, { detail: 'match is required' });
      const queues = new Map(Object.entries(body.agents ?? {}).map(([name, list]) => [name, [...list]]));
      const existing = scripts.findIndex((script) => script.match === body.match);
      if (existing >= 0) scripts.splice(existing, 1);
      scripts.unshift({ match: body.match, queues });
      return send(res, 200, { ok: true });
    }
    if (req.method === 'GET' && url.pathname === '/requests') {
      const match = url.searchParams.get('match') ?? '';
      return send(res, 200, records.filter((record) => record.match === match));
    }
    if (req.method === 'GET' && url.pathname === '/health') return send(res, 200, { ok: true, requests: fake.requests.length });
    send(res, 404, { detail: 'not found' });
  })().catch((err: unknown) => send(res, 500, { detail: String(err) }));
});

await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
process.stdout.write(`${JSON.stringify({ openai: fake.baseUrl, control: `http://127.0.0.1:${(control.address() as AddressInfo).port}` })}\n`);

const stop = () => {
  control.closeAllConnections();
  control.close();
  void fake.close().finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
