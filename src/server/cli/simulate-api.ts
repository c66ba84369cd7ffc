import { z } from 'zod';
import { AgentSchema, MessageSchema, RoomWithAgentsSchema } from '../../shared/models.js';
import type { ProviderId } from '../../shared/providers.js';

/**
 * The slice of the HTTP API (api.md §2, §6–§8) the simulate CLI uses. Answers are parsed from `unknown` with the
 * shared wire schemas, picking only the fields the CLI reads so added server fields never break it.
 */

/** behavior.md §10.1 rule 6 (plus 130 for Ctrl-C, docs/decisions.md). */
export type ExitCode = 0 | 1 | 2 | 3 | 130;

/** A failure with the exit code it ends the CLI with and a one-line message for the user. */
export class SimulateError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 | 3,
    options?: { cause?: unknown; status?: number },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.status = options?.status ?? null;
  }
  readonly status: number | null;
}

export const SimAgentSchema = AgentSchema.pick({ id: true, name: true, is_critic: true });
export type SimAgent = z.infer<typeof SimAgentSchema>;

export const SimMessageSchema = MessageSchema.pick({
  id: true,
  room_id: true,
  agent_id: true,
  content: true,
  participant_type: true,
  participant_name: true,
  thinking: true,
  image_media_type: true,
  provider: true,
  model: true,
  is_skip: true,
  timestamp: true,
  agent_name: true,
});
export type SimMessage = z.infer<typeof SimMessageSchema>;

export const SimRoomSchema = RoomWithAgentsSchema.pick({
  id: true,
  name: true,
  max_interactions: true,
  is_paused: true,
  is_finished: true,
  default_provider: true,
  default_model: true,
});
export type SimRoom = z.infer<typeof SimRoomSchema>;

const LoginSchema = z.object({ api_key: z.string() });
const DetailSchema = z.object({ detail: z.unknown() });

export interface ApiClientOptions {
  baseUrl: string;
  fetch?: typeof fetch;
  /** Aborts every request (Ctrl-C). */
  signal?: AbortSignal;
  requestTimeoutMs?: number;
}

/** The reason a fetch failed, e.g. `ECONNREFUSED`, from undici's `cause`. */
export function describeFetchFailure(err: unknown): string {
  if (err instanceof Error && err.name === 'TimeoutError') return 'no answer in time';
  const cause = err instanceof Error ? err.cause : undefined;
  if (cause instanceof Error) {
    const code = 'code' in cause && typeof cause.code === 'string' ? cause.code : null;
    return code ?? cause.message;
  }
  return err instanceof Error ? err.message : String(err);
}

function detailOf(body: unknown): string | null {
  const parsed = DetailSchema.safeParse(body);
  if (!parsed.success) return null;
  return typeof parsed.data.detail === 'string' ? parsed.data.detail : JSON.stringify(parsed.data.detail);
}

export function createApiClient({ baseUrl, fetch: doFetch = fetch, signal, requestTimeoutMs = 30_000 }: ApiClientOptions) {
  let token: string | null = null;

  function requestSignal(extra?: AbortSignal): AbortSignal {
    const signals = [AbortSignal.timeout(requestTimeoutMs)];
    if (signal) signals.push(signal);
    if (extra) signals.push(extra);
    return AbortSignal.any(signals);
  }

  async function send(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token !== null) headers['x-api-key'] = token;
    if (body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await doFetch(`${baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: requestSignal(),
      });
    } catch (err) {
      if (signal?.aborted) throw err;
      throw new SimulateError(`Cannot reach the server at ${baseUrl} (${describeFetchFailure(err)})`, 3, { cause: err });
    }
  }

  async function readJson(response: Response, what: string): Promise<unknown> {
    try {
      return (await response.json()) as unknown;
    } catch (err) {
      if (signal?.aborted) throw err;
      throw new SimulateError(`The server sent an unreadable answer to ${what}`, 3, { cause: err });
    }
  }

  /** Sends one request; a non-2xx answer becomes a SimulateError (401 → exit 2, anything else → exit 3). */
  async function call<T>(method: string, path: string, schema: z.ZodType<T>, body?: unknown): Promise<T> {
    const what = `${method} ${path}`;
    const response = await send(method, path, body);
    const payload = await readJson(response, what);
    if (response.status === 401) {
      throw new SimulateError(`Authentication failed: ${detailOf(payload) ?? 'the server refused the credential'}`, 2, { status: 401 });
    }
    if (!response.ok) {
      const detail = detailOf(payload) ?? response.statusText;
      throw new SimulateError(`${what} failed with ${response.status}: ${detail}`, 3, { status: response.status });
    }
    const parsed = schema.safeParse(payload);
    if (!parsed.success) throw new SimulateError(`The server sent an unexpected answer to ${what}`, 3, { cause: parsed.error });
    return parsed.data;
  }

  return {
    get token(): string | null {
      return token;
    },
    useToken(value: string): void {
      token = value;
    },
    /** api.md §5.1; a wrong password is exit 2. */
    async login(password: string): Promise<string> {
      token = null;
      const response = await send('POST', '/auth/login', { password });
      const payload = await readJson(response, 'POST /auth/login');
      if (response.status === 401 || response.status === 400) {
        throw new SimulateError('Authentication failed: the server rejected the password', 2, { status: response.status });
      }
      if (response.status === 429) {
        const wait = response.headers.get('retry-after');
        throw new SimulateError(`Too many login attempts; try again${wait ? ` in ${wait} s` : ' later'}`, 3, { status: 429 });
      }
      if (!response.ok) throw new SimulateError(`Login failed with ${response.status}: ${detailOf(payload) ?? response.statusText}`, 3);
      const parsed = LoginSchema.safeParse(payload);
      if (!parsed.success) throw new SimulateError('The server sent an unexpected answer to POST /auth/login', 3, { cause: parsed.error });
      token = parsed.data.api_key;
      return token;
    },
    verify: () => call('GET', '/auth/verify', z.unknown()),
    listAgents: () => call('GET', '/agents', z.array(SimAgentSchema)),
    createRoom: (body: { name: string; max_interactions: number; provider?: ProviderId }) =>
      call('POST', '/rooms', SimRoomSchema, body),
    addAgent: (roomId: number, agentId: number) => call('POST', `/rooms/${roomId}/agents/${agentId}`, z.unknown()),
    sendTopic: (roomId: number, content: string) =>
      call('POST', `/rooms/${roomId}/messages/send`, SimMessageSchema, { content, participant_type: 'situation_builder' }),
    pauseRoom: (roomId: number) => call('POST', `/rooms/${roomId}/pause`, SimRoomSchema),
    getRoom: (roomId: number) => call('GET', `/rooms/${roomId}`, SimRoomSchema),
    listMessages: (roomId: number) => call('GET', `/rooms/${roomId}/messages`, z.array(SimMessageSchema)),
    pollMessages: (roomId: number, sinceId: number) =>
      call('GET', `/rooms/${roomId}/messages/poll?since_id=${sinceId}`, z.array(SimMessageSchema)),
    /**
     * Opens the room's event stream (api.md §9.3) and returns the raw response; the caller reads the body. No
     * request timeout applies: the stream stays open, and the caller's watchdog aborts it through `abort`.
     */
    async openEventStream(roomId: number, lastEventId: number, abort: AbortSignal): Promise<Response> {
      const headers: Record<string, string> = { accept: 'text/event-stream', 'last-event-id': String(lastEventId) };
      if (token !== null) headers['x-api-key'] = token;
      return doFetch(`${baseUrl}/rooms/${roomId}/events`, { headers, signal: signal ? AbortSignal.any([signal, abort]) : abort });
    },
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;
