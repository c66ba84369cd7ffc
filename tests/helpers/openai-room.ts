import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Agent, Message, Room } from '../../src/shared/models.js';
import {
  startFakeOpenAiServer,
  type FakeOpenAiServer,
  type RecordedRequest,
  type ScriptedResponse,
  type ScriptStep,
} from '../fakes/openai-chat-server.js';
import * as engineRoom from './engine-room.js';
import { startTestServer, type TestServer } from './test-server.js';

/**
 * Engine scenarios through the real app AND the real `openai` provider (Vercel AI SDK): the only fake is the
 * chat-completions server on 127.0.0.1 (quality.md §2). Same shape as engine-room's harness, whose helpers
 * (`makeAgent`, `roomWith`, `recordEvents`, `send`, `messages`) are re-exported here for this harness.
 */
export interface OpenAiHarness {
  t: TestServer;
  admin: string;
  fake: FakeOpenAiServer;
  /** The CONFIG_DIR of this server: a private copy of the repository's config/, safe to edit. */
  configDir: string;
  close(): Promise<void>;
}

const REPO = resolve(import.meta.dirname, '../..');
export const FAKE_MODEL = 'fake-model';

export async function startOpenAiHarness(
  options: {
    env?: Record<string, string | undefined>;
    agents?: 'sample' | 'empty';
    /** Files written into the private config copy before the server starts (file name → content). */
    config?: Record<string, string>;
    /** A fake to use instead of a new one (e.g. to point a second server at it). */
    fake?: FakeOpenAiServer;
  } = {},
): Promise<OpenAiHarness> {
  const fake = options.fake ?? (await startFakeOpenAiServer({ models: [FAKE_MODEL] }));
  const configDir = await mkdtemp(join(tmpdir(), 'chitchats-config-'));
  await cp(join(REPO, 'config'), configDir, { recursive: true });
  for (const [file, content] of Object.entries(options.config ?? {})) await writeFile(join(configDir, file), content);
  let t: TestServer;
  try {
    t = await startTestServer({
      agents: options.agents ?? 'empty',
      env: {
        CONFIG_DIR: configDir,
        OPENAI_BASE_URL: fake.baseUrl,
        OPENAI_MODEL: FAKE_MODEL,
        DEFAULT_PROVIDER: 'openai',
        SCHEDULER_ENABLED: 'false',
        PROVIDER_RETRY_DELAY_MS: '10',
        SHUFFLE_SEED: '7',
        // Some scenarios post hundreds of messages; the send limit is not what they test.
        RATE_LIMIT_ENABLED: 'false',
        ...options.env,
      },
    });
  } catch (err) {
    if (!options.fake) await fake.close();
    await rm(configDir, { recursive: true, force: true });
    throw err;
  }
  const admin = await t.login('admin');
  return {
    t,
    admin,
    fake,
    configDir,
    async close() {
      await t.close();
      if (!options.fake) await fake.close();
      await rm(configDir, { recursive: true, force: true });
    },
  };
}

// engine-room's helpers only read `t` and `admin`; they are typed for that harness, so they get this view of ours.
const asEngine = (h: OpenAiHarness): engineRoom.EngineHarness => h as unknown as engineRoom.EngineHarness;

export const makeAgent = (h: OpenAiHarness, name: string, fields: Record<string, unknown> = {}): Promise<Agent> =>
  engineRoom.makeAgent(asEngine(h), name, fields);
export const roomWith = (h: OpenAiHarness, agents: readonly Agent[], body: Record<string, unknown> = {}): Promise<Room> =>
  engineRoom.roomWith(asEngine(h), agents, body);
export const recordEvents = (h: OpenAiHarness, roomId: number) => engineRoom.recordEvents(asEngine(h), roomId);
export const send = (h: OpenAiHarness, roomId: number, body: Record<string, unknown> | string): Promise<Message> =>
  engineRoom.send(asEngine(h), roomId, body);
export const messages = (h: OpenAiHarness, roomId: number): Promise<Message[]> => engineRoom.messages(asEngine(h), roomId);
export const { replies, speakers } = engineRoom;

/** System notices (participant type `system`), oldest first. */
export const notices = (list: readonly Message[]): Message[] => list.filter((message) => message.participant_type === 'system');

/** The agent's folder on disk (ungrouped or `group_<G>/`). */
export function agentDir(h: OpenAiHarness, agent: Pick<Agent, 'name' | 'group'>): string {
  return agent.group === null ? join(h.t.dirs.agents, agent.name) : join(h.t.dirs.agents, `group_${agent.group}`, agent.name);
}

export const readAgentFile = (h: OpenAiHarness, agent: Pick<Agent, 'name' | 'group'>, file: string): Promise<string> =>
  readFile(join(agentDir(h, agent), file), 'utf8');

// ---- scripts --------------------------------------------------------------------------------------------------

/** A plain streamed text reply, in as many chunks as given. */
export const reply = (...chunks: string[]): ScriptedResponse => ({ steps: chunks.map((text) => ({ kind: 'text', text })) });
export const steps = (...list: ScriptStep[]): ScriptedResponse => ({ steps: list });
export const httpError = (status: number, message = `fake HTTP ${status}`): ScriptedResponse => ({
  status,
  body: { error: { message, type: status >= 500 ? 'server_error' : 'invalid_request_error' } },
});
let callIds = 0;
/** A single function call (the SDK then executes the tool and asks again). */
export const toolCall = (name: string, args: Record<string, unknown> = {}, id = `call_${name}_${++callIds}`): ScriptedResponse => ({
  steps: [{ kind: 'tool_call', id, name, arguments: JSON.stringify(args), chunks: 2 }],
});

export type AgentScript = ScriptedResponse | ScriptedResponse[] | ((call: number, request: RecordedRequest) => ScriptedResponse);

/**
 * Answers each request by the agent it is for (found in the system prompt), so tests do not depend on the
 * shuffled speaking order. An array is used in order and then repeats its last entry; a function gets the
 * agent's 1-based call number. Agents without a script skip (they call the `skip` tool).
 */
export function scriptAgents(h: OpenAiHarness, scripts: Record<string, AgentScript>): void {
  const calls = new Map<string, number>();
  h.fake.setResponder((request) => {
    const name = requestAgent(request);
    if (name === null) return undefined;
    const call = (calls.get(name) ?? 0) + 1;
    calls.set(name, call);
    const script = scripts[name];
    if (script === undefined) return skipResponse(request);
    if (typeof script === 'function') return script(call, request);
    if (Array.isArray(script)) return script[Math.min(call, script.length) - 1] ?? skipResponse(request);
    return script;
  });
}

/**
 * `skip` as the model would call it; after the tool result (a second request of the same turn) the SDK stops
 * by itself, but answer with nothing anyway should it ask again.
 */
export function skipResponse(request: RecordedRequest): ScriptedResponse {
  return lastMessage(request)?.role === 'tool' ? { steps: [] } : toolCall('skip');
}

// ---- reading recorded requests --------------------------------------------------------------------------------

/** The system prompt of a chat-completions request. */
export function systemPrompt(request: RecordedRequest): string {
  const first = request.body.messages?.[0];
  return first?.role === 'system' ? contentText(first.content) : '';
}

/** The agent a request is for: the built-in template names it as `You are voicing <name> in a group chat.` */
export function requestAgent(request: RecordedRequest): string | null {
  return /You are voicing (.+?) in a group chat\./.exec(systemPrompt(request))?.[1] ?? null;
}

export const completionRequests = (h: OpenAiHarness): RecordedRequest[] =>
  h.fake.requests.filter((request) => request.method === 'POST' && request.path === '/v1/chat/completions');

export const requestsFor = (h: OpenAiHarness, agentName: string): RecordedRequest[] =>
  completionRequests(h).filter((request) => requestAgent(request) === agentName);

/** The first request of each of the agent's turns (tool follow-ups end with a `tool` message and are left out). */
export const turnRequestsFor = (h: OpenAiHarness, agentName: string): RecordedRequest[] =>
  requestsFor(h, agentName).filter((request) => lastMessage(request)?.role !== 'tool');

export function lastMessage(request: RecordedRequest) {
  const list = request.body.messages ?? [];
  return list[list.length - 1];
}

/** The plain text of a message's content (a string, or the text parts of a part list). */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part) => (typeof part === 'object' && part !== null && (part as { type?: unknown }).type === 'text' ? String((part as { text?: unknown }).text ?? '') : ''))
      .join('');
  }
  return '';
}

/** The per-turn message: the text of the request's last `user` message. */
export const turnMessage = (request: RecordedRequest): string => contentText(lastMessage(request)?.content);

/** Role and text of every message after the system prompt. */
export function conversation(request: RecordedRequest): { role: string; text: string }[] {
  return (request.body.messages ?? []).slice(1).map((message) => ({ role: message.role, text: contentText(message.content) }));
}

/** The `tool` messages of a request (the results the SDK sends back), as text. */
export const toolResults = (request: RecordedRequest): string[] =>
  (request.body.messages ?? []).filter((message) => message.role === 'tool').map((message) => toolResultText(message.content));

function toolResultText(content: unknown): string {
  if (typeof content === 'string') return content;
  return JSON.stringify(content);
}

export const offeredTools = (request: RecordedRequest): string[] => (request.body.tools ?? []).map((tool) => tool.function.name);

/** The response instruction of the repository's conversation_context.yaml. */
export const instruction = (agentName: string): string =>
  `Reply as ${agentName}: write only ${agentName}'s next message, or use skip to stay silent.`;

/** The per-turn message for a window of `Speaker: content` lines, as §4.3 lays it out with the shipped config. */
export const expectedTurnMessage = (agentName: string, lines: readonly string[], between: readonly string[] = []): string =>
  ['<conversation>', ...lines, '</conversation>', ...between, instruction(agentName)].join('\n');

// ---- room actions ---------------------------------------------------------------------------------------------

export async function roomAction(h: OpenAiHarness, roomId: number, action: 'pause' | 'resume'): Promise<Room> {
  const response = await h.t.request({ method: 'POST', url: `/rooms/${roomId}/${action}`, token: h.admin });
  if (response.statusCode !== 200) throw new Error(`${action} failed: ${response.statusCode} ${response.body}`);
  return response.json() as Room;
}

export async function addMember(h: OpenAiHarness, roomId: number, agent: Agent): Promise<void> {
  const response = await h.t.request({ method: 'POST', url: `/rooms/${roomId}/agents/${agent.id}`, token: h.admin });
  if (response.statusCode !== 200) throw new Error(`adding ${agent.name} failed: ${response.statusCode} ${response.body}`);
}
