import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent, Message } from '../../src/shared/models.js';
import { createMessageQueries, type NewMessage } from '../../src/server/db/messages.js';
import { databaseAvailable } from '../helpers/test-database.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import {
  agentByName,
  captureEvents,
  createRoom,
  getRoom,
  listMessages,
  sendMessage,
  uniqueName,
  validationIssues,
} from '../helpers/room-api.js';

describe.runIf(await databaseAvailable())('message history: list, poll, delete, clear, critic reports', () => {
  let t: TestServer;
  let admin: string;
  let juniper: Agent;
  let critic: Agent;
  /** A room holding 150 user messages, inserted directly (the API would hit the send limit). */
  let bigRoom: { id: number; ids: number[] };

  const insert = (message: Partial<NewMessage> & { roomId: number }) =>
    createMessageQueries(t.server.database.db).insertMessage({
      content: 'seeded',
      role: 'user',
      participantType: 'user',
      timestamp: new Date(),
      ...message,
    });
  const insertAgentMessage = (roomId: number, agent: Agent, content: string) =>
    insert({ roomId, agentId: agent.id, content, role: 'assistant', participantType: null, provider: 'claude', model: 'opus' });

  beforeAll(async () => {
    t = await startTestServer({ agents: 'sample' });
    admin = await t.login('admin');
    juniper = await agentByName(t, admin, 'Juniper');
    critic = await agentByName(t, admin, 'Critic');
    const room = await createRoom(t, admin, uniqueName('Big'));
    const ids: number[] = [];
    for (let i = 1; i <= 150; i += 1) ids.push((await insert({ roomId: room.id, content: `m${i}` })).id);
    bigRoom = { id: room.id, ids };
  });
  afterAll(async () => t?.close());

  const get = (url: string, token = admin) => t.request({ method: 'GET', url, token });
  const ids = (messages: Message[]) => messages.map((message) => message.id);

  describe('GET /rooms/{id}/messages', () => {
    it('returns every message of the room in ascending id and nothing from other rooms', async () => {
      const other = await createRoom(t, admin, uniqueName('Other'));
      await sendMessage(t, admin, other.id, 'elsewhere');
      const all = await listMessages(t, admin, bigRoom.id);
      expect(ids(all)).toEqual(bigRoom.ids);
      expect(all.every((message) => message.room_id === bigRoom.id)).toBe(true);
    });

    it('fills agent_name and agent_profile_pic from the current agent row', async () => {
      const room = await createRoom(t, admin, uniqueName('Authors'));
      const user = await sendMessage(t, admin, room.id, 'hello');
      const reply = await insertAgentMessage(room.id, juniper, 'hi there');
      const listed = await listMessages(t, admin, room.id);
      expect(ids(listed)).toEqual([user.id, reply.id]);
      expect(listed[1]).toMatchObject({
        agent_id: juniper.id,
        agent_name: 'Juniper',
        agent_profile_pic: juniper.profile_pic,
        role: 'assistant',
        participant_type: null,
        provider: 'claude',
        model: 'opus',
      });
      expect(juniper.profile_pic).not.toBeNull();
      expect((await getRoom(t, admin, room.id)).messages).toEqual(listed);
    });

    it('shows a deleted agent’s messages with agent_id null at once, even right after a read', async () => {
      const tobin = await agentByName(t, admin, 'Tobin');
      const room = await createRoom(t, admin, uniqueName('Departed'));
      const reply = await insertAgentMessage(room.id, tobin, 'farewell');
      expect((await listMessages(t, admin, room.id))[0]).toMatchObject({ id: reply.id, agent_id: tobin.id, agent_name: 'Tobin' });
      expect((await t.request({ method: 'DELETE', url: `/agents/${tobin.id}`, token: admin })).statusCode).toBe(200);
      expect((await listMessages(t, admin, room.id))[0]).toMatchObject({ id: reply.id, agent_id: null, agent_name: null, content: 'farewell' });
    });

    it('returns the newest `limit` messages, ascending, optionally before before_id', async () => {
      expect(ids(await listMessages(t, admin, bigRoom.id, '?limit=10'))).toEqual(bigRoom.ids.slice(-10));
      const before = bigRoom.ids[50]!;
      expect(ids(await listMessages(t, admin, bigRoom.id, `?limit=5&before_id=${before}`))).toEqual(bigRoom.ids.slice(45, 50));
      expect(ids(await listMessages(t, admin, bigRoom.id, `?before_id=${bigRoom.ids[3]}`))).toEqual(bigRoom.ids.slice(0, 3));
      expect(ids(await listMessages(t, admin, bigRoom.id, '?before_id=99999999999'))).toEqual(bigRoom.ids);
    });

    it('validates limit and before_id', async () => {
      for (const [query, loc] of [
        ['limit=0', 'limit'],
        ['limit=1001', 'limit'],
        ['limit=ten', 'limit'],
        ['before_id=0', 'before_id'],
      ] as const) {
        const [issue] = validationIssues(await get(`/rooms/${bigRoom.id}/messages?${query}`));
        expect(issue!.loc, query).toEqual(['query', loc]);
      }
    });
  });

  describe('GET /rooms/{id}/messages/poll', () => {
    it('returns only messages after since_id, ascending, at most 100', async () => {
      const first = (await get(`/rooms/${bigRoom.id}/messages/poll?since_id=0`)).json() as Message[];
      expect(ids(first)).toEqual(bigRoom.ids.slice(0, 100));
      const next = (await get(`/rooms/${bigRoom.id}/messages/poll?since_id=${first.at(-1)!.id}`)).json() as Message[];
      expect(ids(next)).toEqual(bigRoom.ids.slice(100));
      const tail = (await get(`/rooms/${bigRoom.id}/messages/poll?since_id=${bigRoom.ids[147]}`)).json() as Message[];
      expect(ids(tail)).toEqual(bigRoom.ids.slice(148));
      const none = await get(`/rooms/${bigRoom.id}/messages/poll?since_id=${bigRoom.ids.at(-1)}`);
      expect(none.json()).toEqual([]);
      expect((await get(`/rooms/${bigRoom.id}/messages/poll?since_id=99999999999`)).json()).toEqual([]);
    });

    it('returns the newest 100 in ascending order without since_id', async () => {
      const response = await get(`/rooms/${bigRoom.id}/messages/poll`);
      expect(response.statusCode).toBe(200);
      expect(ids(response.json())).toEqual(bigRoom.ids.slice(50));
    });

    it('rejects a non-integer or negative since_id', async () => {
      const [issue] = validationIssues(await get(`/rooms/${bigRoom.id}/messages/poll?since_id=abc`));
      expect(issue).toMatchObject({ type: 'int_parsing', loc: ['query', 'since_id'], input: 'abc' });
      const [negative] = validationIssues(await get(`/rooms/${bigRoom.id}/messages/poll?since_id=-1`));
      expect(negative).toMatchObject({ type: 'greater_than_equal', loc: ['query', 'since_id'] });
    });

    it('answers ROOM404 and ROOM403', async () => {
      expect((await get('/rooms/999999/messages/poll')).json()).toEqual({ detail: 'Room with id 999999 not found' });
      const guest = await t.login('guest');
      expect((await get(`/rooms/${bigRoom.id}/messages/poll`, guest)).statusCode).toBe(403);
      expect((await get(`/rooms/${bigRoom.id}/messages`, guest)).statusCode).toBe(403);
    });
  });

  describe('DELETE /rooms/{id}/messages/{message_id}', () => {
    it('deletes one message, publishes message_deleted with its id, and leaves the rest', async () => {
      const room = await createRoom(t, admin, { name: uniqueName('Delete one'), is_paused: true });
      const keep = await sendMessage(t, admin, room.id, 'keep');
      const drop = await sendMessage(t, admin, room.id, 'drop');
      const capture = captureEvents(t, room.id);
      const response = await t.request({ method: 'DELETE', url: `/rooms/${room.id}/messages/${drop.id}`, token: admin });
      capture.stop();
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ message: 'Message deleted successfully' });
      expect(await listMessages(t, admin, room.id)).toEqual([keep]);
      expect(capture.events).toEqual([{ type: 'message_deleted', data: { room_id: room.id, message_id: drop.id } }]);
      const again = await t.request({ method: 'DELETE', url: `/rooms/${room.id}/messages/${drop.id}`, token: admin });
      expect(again.statusCode).toBe(404);
      expect(again.json()).toEqual({ detail: 'Message not found' });
    });

    it('answers 404 Message not found for a message of another room and keeps it', async () => {
      const room = await createRoom(t, admin, uniqueName('Mine'));
      const other = await createRoom(t, admin, uniqueName('Theirs'));
      const foreign = await sendMessage(t, admin, other.id, 'not yours');
      const capture = captureEvents(t, room.id);
      const response = await t.request({ method: 'DELETE', url: `/rooms/${room.id}/messages/${foreign.id}`, token: admin });
      capture.stop();
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual({ detail: 'Message not found' });
      expect(await listMessages(t, admin, other.id)).toEqual([foreign]);
      expect(capture.events).toEqual([]);
    });

    it('lets a guest delete in their own room only', async () => {
      const guest = await t.login('guest');
      const own = await createRoom(t, guest, uniqueName('Guest delete'));
      const message = await sendMessage(t, guest, own.id, 'oops');
      const response = await t.request({ method: 'DELETE', url: `/rooms/${own.id}/messages/${message.id}`, token: guest });
      expect(response.json()).toEqual({ message: 'Message deleted successfully' });
      const adminRoom = await createRoom(t, admin, uniqueName('Admin delete'));
      const adminMessage = await sendMessage(t, admin, adminRoom.id, 'safe');
      const forbidden = await t.request({ method: 'DELETE', url: `/rooms/${adminRoom.id}/messages/${adminMessage.id}`, token: guest });
      expect(forbidden.statusCode).toBe(403);
    });
  });

  describe('DELETE /rooms/{id}/messages', () => {
    it('empties the room, clears is_finished and publishes messages_cleared', async () => {
      const room = await createRoom(t, admin, { name: uniqueName('Clear'), is_paused: true });
      await sendMessage(t, admin, room.id, 'one');
      await insertAgentMessage(room.id, juniper, 'two');
      await t.request({ method: 'PATCH', url: `/rooms/${room.id}`, token: admin, payload: { is_finished: true } });
      const capture = captureEvents(t, room.id);
      const response = await t.request({ method: 'DELETE', url: `/rooms/${room.id}/messages`, token: admin });
      capture.stop();
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ message: 'All messages cleared successfully' });
      const detail = await getRoom(t, admin, room.id);
      expect(detail).toMatchObject({ messages: [], is_finished: false });
      expect(capture.events).toEqual([
        { type: 'room', data: { reason: 'messages_cleared', room: expect.objectContaining({ id: room.id, is_finished: false }) } },
      ]);
    });

    it('succeeds for a room without messages', async () => {
      const room = await createRoom(t, admin, uniqueName('Already empty'));
      const response = await t.request({ method: 'DELETE', url: `/rooms/${room.id}/messages`, token: admin });
      expect(response.json()).toEqual({ message: 'All messages cleared successfully' });
    });

    it('answers 404 for a missing room and the admin text to a guest', async () => {
      const missing = await t.request({ method: 'DELETE', url: '/rooms/999999/messages', token: admin });
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toEqual({ detail: 'Room not found or no messages to delete' });
      const guest = await t.login('guest');
      const own = await createRoom(t, guest, uniqueName('Guest clear'));
      await sendMessage(t, guest, own.id, 'stay');
      const response = await t.request({ method: 'DELETE', url: `/rooms/${own.id}/messages`, token: guest });
      expect(response.statusCode).toBe(403);
      expect(response.json()).toEqual({ detail: 'This action requires admin privileges.' });
      expect(await listMessages(t, guest, own.id)).toHaveLength(1);
    });
  });

  describe('GET /rooms/{id}/critic-messages', () => {
    it('returns [] for a room without critic output', async () => {
      const room = await createRoom(t, admin, uniqueName('No critic'));
      await sendMessage(t, admin, room.id, 'hello');
      await insertAgentMessage(room.id, juniper, 'hi');
      const response = await get(`/rooms/${room.id}/critic-messages`);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual([]);
    });

    it('returns only this room’s critic messages in ascending id', async () => {
      expect(critic.is_critic).toBe(true);
      const room = await createRoom(t, admin, uniqueName('Critic'));
      const other = await createRoom(t, admin, uniqueName('Critic elsewhere'));
      const first = await insertAgentMessage(room.id, critic, 'report one');
      await insertAgentMessage(room.id, juniper, 'ordinary reply');
      await insertAgentMessage(other.id, critic, 'other room report');
      const second = await insertAgentMessage(room.id, critic, 'report two');
      const listed = (await get(`/rooms/${room.id}/critic-messages`)).json() as Message[];
      expect(ids(listed)).toEqual([first.id, second.id]);
      expect(listed[0]).toMatchObject({ agent_name: 'Critic', content: 'report one' });
    });
  });
});
