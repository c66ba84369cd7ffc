import { expect } from 'vitest';
import type { RoomEvent } from '../../src/shared/events.js';
import type { Agent, Message, Room } from '../../src/shared/models.js';
import { createInstantProvider, instantRegistry, type InstantProvider, type InstantScript } from '../fakes/instant-provider.js';
import { createRoom, uniqueName } from './room-api.js';
import { startTestServer, type TestServer } from './test-server.js';
import { waitFor } from './wait-for.js';

/**
 * Engine scenarios through the real app: HTTP requests in, persisted rows and bus events out, with the
 * in-process instant provider standing in for the model API. The scheduler is off unless a test turns it on.
 */
export interface EngineHarness {
  t: TestServer;
  admin: string;
  provider: InstantProvider;
  close(): Promise<void>;
}

export async function startEngineHarness(
  options: { script?: InstantScript; env?: Record<string, string>; agents?: 'sample' | 'empty' } = {},
): Promise<EngineHarness> {
  const provider = createInstantProvider(options.script);
  const t = await startTestServer({
    agents: options.agents ?? 'empty',
    providers: instantRegistry(provider),
    env: { SCHEDULER_ENABLED: 'false', PROVIDER_RETRY_DELAY_MS: '10', SHUFFLE_SEED: '7', ...options.env },
  });
  const admin = await t.login('admin');
  return { t, admin, provider, close: () => t.close() };
}

/** Creates an agent through the API (a folder on disk); flags go to its agent.yaml. */
export async function makeAgent(h: EngineHarness, name: string, fields: Record<string, unknown> = {}): Promise<Agent> {
  const response = await h.t.request({
    method: 'POST',
    url: '/agents',
    token: h.admin,
    payload: { name, in_a_nutshell: `${name} is here for the test.`, ...fields },
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as Agent;
}

export async function roomWith(h: EngineHarness, agents: readonly Agent[], body: Record<string, unknown> = {}): Promise<Room> {
  const room = await createRoom(h.t, h.admin, { name: uniqueName('Engine room'), ...body });
  for (const agent of agents) {
    const response = await h.t.request({ method: 'POST', url: `/rooms/${room.id}/agents/${agent.id}`, token: h.admin });
    expect(response.statusCode, response.body).toBe(200);
  }
  return room;
}

/** Records the room's bus events from now on. */
export function recordEvents(h: EngineHarness, roomId: number) {
  const events: RoomEvent[] = [];
  const stop = h.t.server.bus.subscribe(roomId, (event) => events.push(event));
  return {
    events,
    stop,
    /** Waits for the n-th `run_ended` room event counted from the start of recording. */
    async runEnded(count = 1, timeoutMs = 10_000): Promise<void> {
      await waitFor(
        () => events.filter((event) => event.type === 'room' && event.data.reason === 'run_ended').length >= count,
        { timeoutMs, what: `${count} run_ended event(s)` },
      );
    },
  };
}

export async function send(h: EngineHarness, roomId: number, body: Record<string, unknown> | string): Promise<Message> {
  const payload = typeof body === 'string' ? { content: body } : body;
  const response = await h.t.request({ method: 'POST', url: `/rooms/${roomId}/messages/send`, token: h.admin, payload });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as Message;
}

export async function messages(h: EngineHarness, roomId: number): Promise<Message[]> {
  const response = await h.t.request({ method: 'GET', url: `/rooms/${roomId}/messages`, token: h.admin });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as Message[];
}

/** Agent replies (not skips, notices or user messages), oldest first. */
export const replies = (list: readonly Message[]): Message[] =>
  list.filter((message) => message.agent_id !== null && !message.is_skip && message.participant_type === null);

export const speakers = (list: readonly Message[]): (string | null)[] => replies(list).map((message) => message.agent_name);
