import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../../src/server/db/schema.js';
import type { RoomEventPayloads } from '../../src/shared/events.js';
import type { Message } from '../../src/shared/models.js';
import { baseUrl, openEventStream, type SseClient } from '../helpers/event-stream.js';
import { createRoom, manualClock, sendMessage, uniqueName, validationIssues } from '../helpers/room-api.js';
import { databaseAvailable } from '../helpers/test-database.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

type Snapshot = RoomEventPayloads['snapshot'];

describe.runIf(await databaseAvailable())('GET /rooms/{id}/events', () => {
  let t: TestServer;
  let admin: string;
  const open: SseClient[] = [];
  beforeAll(async () => {
    t = await startTestServer({ agents: 'empty', env: { RATE_LIMIT_SEND: '0', RATE_LIMIT_EVENTS: '0', SSE_HEARTBEAT_SECONDS: '1' } });
    admin = await t.login('admin');
  });
  afterEach(() => {
    for (const client of open.splice(0)) client.close();
  });
  afterAll(async () => t?.close());

  async function stream(roomId: number, headers: Record<string, string> = { 'x-api-key': admin }, query = '') {
    const client = await openEventStream(t, `/rooms/${roomId}/events${query}`, headers);
    open.push(client);
    return client;
  }

  async function openedAt(roomId: number, headers?: Record<string, string>, query?: string) {
    const client = await stream(roomId, headers, query);
    expect(client.response.status).toBe(200);
    expect(await client.next()).toEqual({ kind: 'retry', value: 3000 });
    const snapshot = await client.nextEvent();
    expect(snapshot.event).toBe('snapshot');
    return { client, snapshot: snapshot.data as Snapshot };
  }

  it('answers with the exact stream headers, opens with retry and a snapshot of the room', async () => {
    const room = await createRoom(t, admin, uniqueName('Events'));
    const message = await sendMessage(t, admin, room.id, 'before');
    const client = await stream(room.id, { 'x-api-key': admin, origin: 'http://localhost:5173', 'x-request-id': 'sse-1' });
    expect(client.response.status).toBe(200);
    const headers = client.response.headers;
    expect(headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(headers.get('cache-control')).toBe('no-cache, no-transform');
    expect(headers.get('connection')).toBe('keep-alive');
    expect(headers.get('x-accel-buffering')).toBe('no');
    expect(headers.get('content-encoding')).toBeNull();
    expect(headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(headers.get('access-control-allow-credentials')).toBe('true');
    expect(headers.get('x-request-id')).toBe('sse-1');
    expect(await client.next()).toEqual({ kind: 'retry', value: 3000 });
    const first = await client.nextEvent();
    expect(first.event).toBe('snapshot');
    expect(first.id).toBeNull();
    const snapshot = first.data as Snapshot;
    expect(snapshot).toMatchObject({ room_id: room.id, last_message_id: message.id, replay_truncated: false, generating: [] });
    expect(snapshot.room).toMatchObject({ id: room.id, name: room.name, agents: [] });
  });

  it('streams for the cookie credential and refuses a request without one', async () => {
    const room = await createRoom(t, admin, uniqueName('Cookie'));
    await openedAt(room.id, { cookie: `chitchats_token=${admin}` });
    const anonymous = await t.request({ method: 'GET', url: `/rooms/${room.id}/events` });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toEqual({ detail: 'Invalid or missing authentication token' });
  });

  it('keeps guests out of rooms they do not own', async () => {
    const room = await createRoom(t, admin, uniqueName('Private'));
    const guest = await t.login('guest');
    const response = await t.request({ method: 'GET', url: `/rooms/${room.id}/events`, token: guest });
    expect(response.statusCode).toBe(403);
    const missing = await t.request({ method: 'GET', url: '/rooms/999999/events', token: admin });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ detail: 'Room with id 999999 not found' });
  });

  it('pushes sends as message events whose id line is the message id', async () => {
    const room = await createRoom(t, admin, uniqueName('Live'));
    const { client, snapshot } = await openedAt(room.id);
    expect(snapshot.last_message_id).toBeNull();
    const sent = await sendMessage(t, admin, room.id, 'hello\nworld');
    const event = await client.nextEvent();
    expect(event.event).toBe('message');
    expect(event.id).toBe(String(sent.id));
    expect(event.data).toEqual(sent);
  });

  it('emits a room event for PATCH, pause and resume carrying the updated room', async () => {
    const room = await createRoom(t, admin, uniqueName('Changes'));
    const { client } = await openedAt(room.id);
    const renamed = uniqueName('Renamed');
    const patch = await t.request({ method: 'PATCH', url: `/rooms/${room.id}`, token: admin, payload: { name: renamed } });
    expect(patch.statusCode).toBe(200);
    const updated = await client.nextEvent();
    expect(updated.event).toBe('room');
    expect(updated.data).toMatchObject({ reason: 'updated', room: { id: room.id, name: renamed } });

    expect((await t.request({ method: 'POST', url: `/rooms/${room.id}/pause`, token: admin })).statusCode).toBe(200);
    expect((await client.nextEvent()).data).toMatchObject({ reason: 'paused', room: { is_paused: true } });
    expect((await t.request({ method: 'POST', url: `/rooms/${room.id}/resume`, token: admin })).statusCode).toBe(200);
    expect((await client.nextEvent()).data).toMatchObject({ reason: 'resumed', room: { is_paused: false } });
  });

  it('sends message_deleted after a single-message delete', async () => {
    const room = await createRoom(t, admin, { name: uniqueName('Deletes'), is_paused: true });
    const sent = await sendMessage(t, admin, room.id, 'doomed');
    const { client } = await openedAt(room.id);
    const response = await t.request({ method: 'DELETE', url: `/rooms/${room.id}/messages/${sent.id}`, token: admin });
    expect(response.statusCode).toBe(200);
    const event = await client.nextEvent();
    expect(event).toEqual({ kind: 'event', event: 'message_deleted', data: { room_id: room.id, message_id: sent.id }, id: null });
  });

  it('replays every message after Last-Event-ID in order before live events, without duplicates', async () => {
    const room = await createRoom(t, admin, { name: uniqueName('Replay'), is_paused: true });
    const sent: Message[] = [];
    for (const text of ['one', 'two', 'three']) sent.push(await sendMessage(t, admin, room.id, text));
    const { client, snapshot } = await openedAt(room.id, { 'x-api-key': admin, 'last-event-id': String(sent[0]!.id) });
    expect(snapshot.last_message_id).toBe(sent[2]!.id);
    const replayed = [await client.nextEvent(), await client.nextEvent()];
    expect(replayed.map((event) => [event.event, event.id])).toEqual([
      ['message', String(sent[1]!.id)],
      ['message', String(sent[2]!.id)],
    ]);
    const live = await sendMessage(t, admin, room.id, 'four');
    const next = await client.nextEvent();
    expect(next.id).toBe(String(live.id));
  });

  it('takes the resume point from last_event_id, prefers the header, and ignores a non-integer header', async () => {
    const room = await createRoom(t, admin, { name: uniqueName('Resume'), is_paused: true });
    const first = await sendMessage(t, admin, room.id, 'a');
    const second = await sendMessage(t, admin, room.id, 'b');

    const byQuery = await openedAt(room.id, undefined, `?last_event_id=${first.id}`);
    expect((await byQuery.client.nextEvent()).id).toBe(String(second.id));

    const headerWins = await openedAt(room.id, { 'x-api-key': admin, 'last-event-id': String(second.id) }, '?last_event_id=0');
    await sendMessage(t, admin, room.id, 'c');
    expect(((await headerWins.client.nextEvent()).data as Message).content).toBe('c');

    const ignored = await openedAt(room.id, { 'x-api-key': admin, 'last-event-id': 'abc' });
    await sendMessage(t, admin, room.id, 'd');
    expect(((await ignored.client.nextEvent()).data as Message).content).toBe('d');

    const invalid = await t.request({ method: 'GET', url: `/rooms/${room.id}/events?last_event_id=abc`, token: admin });
    expect(validationIssues(invalid).map((issue) => issue.loc)).toEqual([['query', 'last_event_id']]);
  });

  it('replays nothing and flags replay_truncated when more than 1,000 messages were missed', async () => {
    const room = await createRoom(t, admin, { name: uniqueName('Backlog'), is_paused: true });
    const first = await sendMessage(t, admin, room.id, 'start');
    // Inserted in one statement: a thousand sends through the API would only slow the test down.
    const at = new Date();
    await t.server.database.db
      .insert(messages)
      .values(Array.from({ length: 1001 }, (_, i) => ({ roomId: room.id, content: `m${i}`, role: 'user' as const, participantType: 'user' as const, timestamp: at })));
    const { client, snapshot } = await openedAt(room.id, { 'x-api-key': admin, 'last-event-id': String(first.id) });
    expect(snapshot.replay_truncated).toBe(true);
    expect(snapshot.last_message_id).toBeGreaterThan(first.id + 1000);
    const live = await sendMessage(t, admin, room.id, 'after');
    expect((await client.nextEvent()).id).toBe(String(live.id));
  });

  it('is documented as a text/event-stream response', async () => {
    const document = (await t.request({ method: 'GET', url: '/openapi.json' })).json() as {
      paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>>;
    };
    const content = document.paths['/rooms/{room_id}/events']?.get?.responses['200']?.content ?? {};
    expect(Object.keys(content)).toEqual(['text/event-stream']);
  });

  it('answers HEAD with the stream headers and no body', async () => {
    const room = await createRoom(t, admin, uniqueName('Head'));
    const response = await fetch(`${await baseUrl(t)}/rooms/${room.id}/events`, { method: 'HEAD', headers: { 'x-api-key': admin } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(await response.text()).toBe('');
  });

  it('sends a ping comment while idle', async () => {
    const room = await createRoom(t, admin, uniqueName('Idle'));
    const { client } = await openedAt(room.id);
    expect(await client.next(3000)).toEqual({ kind: 'comment', text: 'ping' });
  });

  it('sends the deleted room event and closes the stream', async () => {
    const room = await createRoom(t, admin, uniqueName('Gone'));
    const { client } = await openedAt(room.id);
    expect((await t.request({ method: 'DELETE', url: `/rooms/${room.id}`, token: admin })).statusCode).toBe(200);
    const event = await client.nextEvent();
    expect(event.event).toBe('room');
    expect(event.data).toMatchObject({ reason: 'deleted', room: { id: room.id } });
    await client.ended();
  });
});

describe.runIf(await databaseAvailable())('event stream limits and closing', () => {
  let t: TestServer | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('refuses more than SSE_MAX_STREAMS_PER_USER open streams with 429', async () => {
    t = await startTestServer({ agents: 'empty', env: { SSE_MAX_STREAMS_PER_USER: '2' } });
    const admin = await t.login('admin');
    const room = await createRoom(t, admin, uniqueName('Cap'));
    const clients = [];
    for (let i = 0; i < 2; i++) {
      const client = await openEventStream(t, `/rooms/${room.id}/events`, { 'x-api-key': admin });
      expect(client.response.status).toBe(200);
      await client.nextEvent();
      clients.push(client);
    }
    const refused = await openEventStream(t, `/rooms/${room.id}/events`, { 'x-api-key': admin });
    expect(refused.response.status).toBe(429);
    expect(await refused.response.json()).toEqual({ detail: 'Too many open event streams' });
    for (const client of clients) client.close();
  });

  it('shares the EVENTS rate limit between the ticket and the stream', async () => {
    t = await startTestServer({ agents: 'empty', env: { RATE_LIMIT_EVENTS: '2' } });
    const admin = await t.login('admin');
    const room = await createRoom(t, admin, uniqueName('Limited'));
    expect((await t.request({ method: 'POST', url: `/rooms/${room.id}/events/ticket`, token: admin })).statusCode).toBe(200);
    const client = await openEventStream(t, `/rooms/${room.id}/events`, { 'x-api-key': admin });
    expect(client.response.status).toBe(200);
    expect(client.response.headers.get('x-ratelimit-remaining')).toBe('0');
    client.close();
    const third = await t.request({ method: 'POST', url: `/rooms/${room.id}/events/ticket`, token: admin });
    expect(third.statusCode).toBe(429);
    expect(third.json()).toMatchObject({ detail: 'Rate limit exceeded: 2 per 1 minute' });
  });

  it('sends shutdown to every stream, closes them, and reports not ready', async () => {
    t = await startTestServer({ agents: 'empty' });
    const admin = await t.login('admin');
    const room = await createRoom(t, admin, uniqueName('Stopping'));
    const client = await openEventStream(t, `/rooms/${room.id}/events`, { 'x-api-key': admin });
    expect((await client.nextEvent()).event).toBe('snapshot');
    t.server.beginShutdown();
    const event = await client.nextEvent();
    expect(event).toEqual({ kind: 'event', event: 'shutdown', data: { reason: 'server_shutdown' }, id: null });
    await client.ended();
    expect((await t.request({ method: 'GET', url: '/ready' })).statusCode).toBe(503);
  });

  it('closes the stream at the heartbeat after the credential behind it expired', async () => {
    const clock = manualClock('2026-03-01T10:00:00.000Z');
    t = await startTestServer({ agents: 'empty', now: clock.now, env: { SSE_HEARTBEAT_SECONDS: '1', JWT_TTL_HOURS: '1' } });
    const admin = await t.login('admin');
    const room = await createRoom(t, admin, uniqueName('Expiring'));
    const client = await openEventStream(t, `/rooms/${room.id}/events`, { 'x-api-key': admin });
    expect((await client.nextEvent()).event).toBe('snapshot');
    clock.advance(60 * 60 * 1000 + 1);
    await client.ended(4000);
  });
});
