import { expect } from 'vitest';
import type { RoomEvent } from '../../src/shared/events.js';
import type { Agent, Message, Room } from '../../src/shared/models.js';
import type { TestServer } from './test-server.js';

/** Small helpers for the room, membership and message API tests: they go through HTTP like a client. */

let counter = 0;
/** A room name no other test in the file uses. */
export const uniqueName = (prefix: string): string => `${prefix} ${++counter}`;

export async function createRoom(
  t: TestServer,
  token: string,
  body: Record<string, unknown> | string,
): Promise<Room> {
  const payload = typeof body === 'string' ? { name: body } : body;
  const response = await t.request({ method: 'POST', url: '/rooms', token, payload });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as Room;
}

export async function sendMessage(
  t: TestServer,
  token: string,
  roomId: number,
  body: Record<string, unknown> | string,
): Promise<Message> {
  const payload = typeof body === 'string' ? { content: body } : body;
  const response = await t.request({ method: 'POST', url: `/rooms/${roomId}/messages/send`, token, payload });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as Message;
}

export async function getRoom(t: TestServer, token: string, roomId: number): Promise<Room> {
  const response = await t.request({ method: 'GET', url: `/rooms/${roomId}`, token });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as Room;
}

export async function listMessages(t: TestServer, token: string, roomId: number, query = ''): Promise<Message[]> {
  const response = await t.request({ method: 'GET', url: `/rooms/${roomId}/messages${query}`, token });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as Message[];
}

export async function agentByName(t: TestServer, token: string, name: string): Promise<Agent> {
  const response = await t.request({ method: 'GET', url: '/agents', token });
  expect(response.statusCode, response.body).toBe(200);
  const agent = (response.json() as Agent[]).find((candidate) => candidate.name === name);
  if (!agent) throw new Error(`sample agent ${name} is missing`);
  return agent;
}

/** Records every event the bus publishes for a room until `stop()`. */
export function captureEvents(t: TestServer, roomId: number): { events: RoomEvent[]; stop(): void } {
  const events: RoomEvent[] = [];
  const stop = t.server.bus.subscribe(roomId, (event) => events.push(event));
  return { events, stop };
}

/** A clock the test moves by hand; the server reads it for every timestamp. */
export function manualClock(start: string): { now: () => Date; advance(ms: number): Date } {
  let current = Date.parse(start);
  return {
    now: () => new Date(current),
    advance(ms) {
      current += ms;
      return new Date(current);
    },
  };
}

/** The exact 422 body shape of api.md §1.4: returns the issue list. */
export function validationIssues(response: { statusCode: number; body: string; json(): unknown }) {
  expect(response.statusCode, response.body).toBe(422);
  const body = response.json() as { detail: { type: string; loc: (string | number)[]; msg: string; input?: unknown }[] };
  expect(Array.isArray(body.detail)).toBe(true);
  return body.detail;
}

export const ROOM_FIELDS = [
  'id',
  'name',
  'owner_id',
  'max_interactions',
  'is_paused',
  'is_finished',
  'default_provider',
  'default_model',
  'created_at',
  'last_activity_at',
  'last_read_at',
  'running',
] as const;

export const MESSAGE_FIELDS = [
  'id',
  'room_id',
  'agent_id',
  'content',
  'role',
  'participant_type',
  'participant_name',
  'thinking',
  'anthropic_calls',
  'image_data',
  'image_media_type',
  'provider',
  'model',
  'is_skip',
  'timestamp',
  'agent_name',
  'agent_profile_pic',
] as const;

export const ISO_MS_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
