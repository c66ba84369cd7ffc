import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../src/shared/models.js';
import { databaseAvailable } from '../helpers/test-database.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import {
  captureEvents,
  createRoom,
  getRoom,
  ISO_MS_Z,
  listMessages,
  MESSAGE_FIELDS,
  sendMessage,
  uniqueName,
  validationIssues,
} from '../helpers/room-api.js';

describe.runIf(await databaseAvailable())('POST /rooms/{id}/messages/send', () => {
  let t: TestServer;
  let admin: string;
  let roomId: number;
  beforeAll(async () => {
    t = await startTestServer({ agents: 'empty', env: { RATE_LIMIT_SEND: '0' } });
    admin = await t.login('admin');
    roomId = (await createRoom(t, admin, uniqueName('Messages'))).id;
  });
  afterAll(async () => t?.close());

  const send = (payload: Record<string, unknown>, token = admin, id = roomId) =>
    t.request({ method: 'POST', url: `/rooms/${id}/messages/send`, token, payload });

  it('stores a user message with every field present and returns it', async () => {
    const response = await send({ content: 'hi', role: 'user' });
    expect(response.statusCode).toBe(200);
    const message = response.json() as Message;
    expect(Object.keys(message).sort()).toEqual([...MESSAGE_FIELDS].sort());
    expect(message).toMatchObject({
      room_id: roomId,
      agent_id: null,
      content: 'hi',
      role: 'user',
      participant_type: 'user',
      participant_name: null,
      thinking: null,
      anthropic_calls: null,
      image_data: null,
      image_media_type: null,
      provider: null,
      model: null,
      is_skip: false,
      agent_name: null,
      agent_profile_pic: null,
    });
    expect(message.timestamp).toMatch(ISO_MS_Z);
    expect((await listMessages(t, admin, roomId)).at(-1)).toEqual(message);
  });

  it('ignores server-owned fields sent by the client', async () => {
    const message = await sendMessage(t, admin, roomId, {
      content: 'pretend',
      role: 'assistant',
      agent_id: 1,
      thinking: 'x',
      provider: 'claude',
      model: 'opus',
      is_skip: true,
      anthropic_calls: ['a'],
      id: 424242,
      timestamp: '2000-01-01T00:00:00.000Z',
    });
    expect(message).toMatchObject({
      role: 'user',
      agent_id: null,
      thinking: null,
      provider: null,
      model: null,
      is_skip: false,
      anthropic_calls: null,
    });
    expect(message.id).not.toBe(424242);
    expect(message.timestamp).not.toBe('2000-01-01T00:00:00.000Z');
    const stored = (await listMessages(t, admin, roomId)).find((m) => m.id === message.id);
    expect(stored).toEqual(message);
  });

  it('echoes the character participant type and name', async () => {
    const message = await sendMessage(t, admin, roomId, { content: 'hello', participant_type: 'character', participant_name: '  Bob ' });
    expect(message).toMatchObject({ participant_type: 'character', participant_name: 'Bob' });
    const builder = await sendMessage(t, admin, roomId, { content: 'rain falls', participant_type: 'situation_builder' });
    expect(builder).toMatchObject({ participant_type: 'situation_builder', participant_name: null });
  });

  it('stores an empty or blank participant name as null', async () => {
    for (const participant_name of ['', '   ', null]) {
      const message = await sendMessage(t, admin, roomId, { content: 'anon', participant_name });
      expect(message.participant_name).toBeNull();
    }
  });

  it('rejects participant types system and agent', async () => {
    for (const participant_type of ['system', 'agent']) {
      const [issue] = validationIssues(await send({ content: 'x', participant_type }));
      expect(issue).toMatchObject({ type: 'enum', loc: ['body', 'participant_type'], input: participant_type });
    }
  });

  it('rejects a participant name over 100 characters', async () => {
    const [issue] = validationIssues(await send({ content: 'x', participant_name: 'n'.repeat(101) }));
    expect(issue).toMatchObject({ type: 'string_too_long', loc: ['body', 'participant_name'] });
    expect((await send({ content: 'x', participant_name: ` ${'n'.repeat(100)} ` })).statusCode).toBe(200);
  });

  it('accepts 20,000 characters of content and rejects 20,001 with the input cut to 200', async () => {
    expect((await send({ content: 'a'.repeat(20_000) })).statusCode).toBe(200);
    const [issue] = validationIssues(await send({ content: 'a'.repeat(20_001) }));
    expect(issue).toMatchObject({ type: 'string_too_long', loc: ['body', 'content'], input: 'a'.repeat(200) });
  });

  it('rejects missing, non-string and whitespace-only content without an image', async () => {
    expect(validationIssues(await send({}))[0]).toMatchObject({ type: 'missing', loc: ['body', 'content'] });
    expect(validationIssues(await send({ content: 5 }))[0]).toMatchObject({ type: 'string_type', loc: ['body', 'content'] });
    expect(validationIssues(await send({ content: '  \n\t ' }))[0]).toMatchObject({ loc: ['body', 'content'] });
  });

  it('rejects an over-long mention list', async () => {
    const ids = Array.from({ length: 51 }, (_, index) => index + 1);
    expect(validationIssues(await send({ content: 'x', mentioned_agent_ids: ids }))[0]).toMatchObject({
      type: 'too_long',
      loc: ['body', 'mentioned_agent_ids'],
    });
    expect(validationIssues(await send({ content: 'x', mention_mode: 'all' }))[0]).toMatchObject({
      type: 'enum',
      loc: ['body', 'mention_mode'],
    });
    expect((await send({ content: 'x', mentioned_agent_ids: [999999], mention_mode: 'only' })).statusCode).toBe(200);
  });

  it('answers 404 for a missing room and 403 to a guest in another owner’s room', async () => {
    const missing = await send({ content: 'x' }, admin, 999999);
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ detail: 'Room with id 999999 not found' });
    const guest = await t.login('guest');
    const before = (await listMessages(t, admin, roomId)).length;
    const forbidden = await send({ content: 'x' }, guest);
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json()).toEqual({ detail: 'You do not have access to this room' });
    expect(await listMessages(t, admin, roomId)).toHaveLength(before);
    const own = await createRoom(t, guest, uniqueName('Guest send'));
    expect((await sendMessage(t, guest, own.id, 'mine')).room_id).toBe(own.id);
  });

  it('reports validation before room access', async () => {
    const guest = await t.login('guest');
    expect((await send({ content: ' ' }, guest)).statusCode).toBe(422);
    expect((await send({ content: 'x', image_data: 'not an image', image_media_type: 'image/png' }, guest)).statusCode).toBe(422);
  });

  it('publishes the message event with the response body, after the row is readable', async () => {
    const room = await createRoom(t, admin, { name: uniqueName('Events'), is_paused: true });
    const capture = captureEvents(t, room.id);
    // Read through the API the moment the event arrives: the row must already be committed.
    const readsAtEvent: Promise<Message[]>[] = [];
    const stop = t.server.bus.subscribe(room.id, (event) => {
      if (event.type === 'message') readsAtEvent.push(listMessages(t, admin, room.id));
    });
    const message = await sendMessage(t, admin, room.id, 'evented');
    capture.stop();
    stop();
    expect(capture.events).toEqual([{ type: 'message', data: message }]);
    expect(readsAtEvent).toHaveLength(1);
    expect(await readsAtEvent[0]).toEqual([message]);
    expect(await listMessages(t, admin, room.id)).toEqual([message]);
  });

  it('clears is_finished of a finished room and publishes room updated before the message', async () => {
    const room = await createRoom(t, admin, { name: uniqueName('Finished'), is_paused: true });
    await t.request({ method: 'PATCH', url: `/rooms/${room.id}`, token: admin, payload: { is_finished: true } });
    const capture = captureEvents(t, room.id);
    const message = await sendMessage(t, admin, room.id, 'wake up');
    capture.stop();
    expect((await getRoom(t, admin, room.id)).is_finished).toBe(false);
    expect(capture.events).toEqual([
      { type: 'room', data: { reason: 'updated', room: expect.objectContaining({ id: room.id, is_finished: false }) } },
      { type: 'message', data: message },
    ]);
  });

  it('stores messages in a paused room and keeps it paused', async () => {
    const room = await createRoom(t, admin, { name: uniqueName('Paused'), is_paused: true });
    const message = await sendMessage(t, admin, room.id, 'while paused');
    const detail = await getRoom(t, admin, room.id);
    expect(detail.is_paused).toBe(true);
    expect(detail.messages).toEqual([message]);
    expect(detail.last_activity_at).toBe(message.timestamp);
  });

  it('publishes concurrent sends to one room in ascending id order', async () => {
    for (let round = 0; round < 3; round += 1) {
      const room = await createRoom(t, admin, uniqueName('Concurrent'));
      const capture = captureEvents(t, room.id);
      const responses = await Promise.all(Array.from({ length: 8 }, (_, i) => send({ content: `c${i}` }, admin, room.id)));
      capture.stop();
      expect(responses.map((response) => response.statusCode)).toEqual(Array(8).fill(200));
      // Only the message events: each send also starts a run, whose room events are not the point here.
      const published = capture.events.flatMap((event) => (event.type === 'message' ? [event.data.id] : []));
      expect(published).toEqual([...published].sort((a, b) => a - b));
      expect(published).toHaveLength(8);
      const stored = await listMessages(t, admin, room.id);
      expect(stored.map((message) => message.timestamp)).toEqual(stored.map((message) => message.timestamp).sort());
    }
  });

  it('gives later messages greater ids', async () => {
    const room = await createRoom(t, admin, uniqueName('Ids'));
    const sent: number[] = [];
    for (const content of ['one', 'two', 'three']) sent.push((await sendMessage(t, admin, room.id, content)).id);
    expect([...sent].sort((a, b) => a - b)).toEqual(sent);
    expect((await listMessages(t, admin, room.id)).map((m) => m.content)).toEqual(['one', 'two', 'three']);
  });
});

describe.runIf(await databaseAvailable())('send rate limit', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ agents: 'empty', env: { RATE_LIMIT_SEND: '3' } });
  });
  afterAll(async () => t?.close());

  it('answers 429 to the send after the per-minute limit and stores nothing', async () => {
    const admin = await t.login('admin');
    const room = await createRoom(t, admin, uniqueName('Limited'));
    for (let i = 0; i < 3; i += 1) await sendMessage(t, admin, room.id, `m${i}`);
    const response = await t.request({ method: 'POST', url: `/rooms/${room.id}/messages/send`, token: admin, payload: { content: 'm3' } });
    expect(response.statusCode).toBe(429);
    expect(response.json()).toEqual({ detail: 'Rate limit exceeded: 3 per 1 minute', error: 'Rate limit exceeded: 3 per 1 minute' });
    expect(response.headers['retry-after']).toBeDefined();
    expect(await listMessages(t, admin, room.id)).toHaveLength(3);
    const guest = await t.login('guest');
    const own = await createRoom(t, guest, uniqueName('Other user'));
    expect((await sendMessage(t, guest, own.id, 'my own budget')).content).toBe('my own budget');
  });
});
