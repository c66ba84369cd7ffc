import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent, RoomWithAgents } from '../../src/shared/models.js';
import { databaseAvailable } from '../helpers/test-database.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import {
  agentByName,
  captureEvents,
  createRoom,
  listMessages,
  MESSAGE_FIELDS,
  ROOM_FIELDS,
  sendMessage,
  uniqueName,
  validationIssues,
} from '../helpers/room-api.js';

describe.runIf(await databaseAvailable())('room membership', () => {
  let t: TestServer;
  let admin: string;
  let juniper: Agent;
  let wren: Agent;
  let mira: Agent;
  beforeAll(async () => {
    t = await startTestServer({ agents: 'sample' });
    admin = await t.login('admin');
    juniper = await agentByName(t, admin, 'Juniper');
    wren = await agentByName(t, admin, 'Wren');
    mira = await agentByName(t, admin, 'Mira');
  });
  afterAll(async () => t?.close());

  const add = (roomId: number, agentId: number, token = admin) =>
    t.request({ method: 'POST', url: `/rooms/${roomId}/agents/${agentId}`, token });
  const remove = (roomId: number, agentId: number, token = admin) =>
    t.request({ method: 'DELETE', url: `/rooms/${roomId}/agents/${agentId}`, token });
  const members = async (roomId: number, token = admin) =>
    (await t.request({ method: 'GET', url: `/rooms/${roomId}/agents`, token })).json() as Agent[];

  describe('POST /rooms/{id}/agents/{agent_id}', () => {
    it('adds the agent and returns the room with agents but without messages', async () => {
      const room = await createRoom(t, admin, uniqueName('Join'));
      const capture = captureEvents(t, room.id);
      const response = await add(room.id, juniper.id);
      capture.stop();
      expect(response.statusCode).toBe(200);
      const body = response.json() as RoomWithAgents;
      expect(Object.keys(body).sort()).toEqual([...ROOM_FIELDS, 'agents'].sort());
      expect(body.agents).toEqual([juniper]);
      expect(capture.events).toEqual([
        { type: 'room', data: { reason: 'agent_added', room: body } },
      ]);
    });

    it('posts no notice when the room has no messages', async () => {
      const room = await createRoom(t, admin, uniqueName('Quiet join'));
      await add(room.id, juniper.id);
      expect(await listMessages(t, admin, room.id)).toEqual([]);
    });

    it('changes nothing and publishes nothing when the agent already is a member', async () => {
      const room = await createRoom(t, admin, { name: uniqueName('Twice'), is_paused: true });
      await sendMessage(t, admin, room.id, 'hello');
      const first = (await add(room.id, juniper.id)).json();
      const capture = captureEvents(t, room.id);
      const second = await add(room.id, juniper.id);
      capture.stop();
      expect(second.statusCode).toBe(200);
      expect(second.json()).toEqual(first);
      expect(second.json().agents).toHaveLength(1);
      expect(capture.events).toEqual([]);
      const notices = (await listMessages(t, admin, room.id)).filter((m) => m.participant_type === 'system');
      expect(notices).toHaveLength(1);
    });

    it('stores the join notice when the room has messages and publishes it before the room event', async () => {
      const room = await createRoom(t, admin, { name: uniqueName('Notice'), is_paused: true });
      const user = await sendMessage(t, admin, room.id, 'anyone there?');
      const capture = captureEvents(t, room.id);
      await add(room.id, wren.id);
      capture.stop();
      const history = await listMessages(t, admin, room.id);
      expect(history).toHaveLength(2);
      const notice = history[1]!;
      expect(Object.keys(notice).sort()).toEqual([...MESSAGE_FIELDS].sort());
      expect(notice).toMatchObject({
        content: 'Wren joined the chat',
        role: 'assistant',
        participant_type: 'system',
        participant_name: null,
        agent_id: null,
        provider: null,
        model: null,
        is_skip: false,
        agent_name: null,
      });
      expect(notice.id).toBeGreaterThan(user.id);
      expect(capture.events.map((event) => event.type)).toEqual(['message', 'room']);
      expect(capture.events[0]).toEqual({ type: 'message', data: notice });
      expect(capture.events[1]).toMatchObject({ data: { reason: 'agent_added' } });
    });

    it('does not bump last_activity_at with the join notice', async () => {
      const room = await createRoom(t, admin, uniqueName('Notice activity'));
      await sendMessage(t, admin, room.id, 'hi');
      const before = (await t.request({ method: 'GET', url: `/rooms/${room.id}`, token: admin })).json().last_activity_at;
      await add(room.id, mira.id);
      const after = (await t.request({ method: 'GET', url: `/rooms/${room.id}`, token: admin })).json().last_activity_at;
      expect(after).toBe(before);
    });

    it('answers 404 Room or Agent not found for an unknown agent and ROOM404 for an unknown room', async () => {
      const room = await createRoom(t, admin, uniqueName('Ghost'));
      const response = await add(room.id, 999999);
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual({ detail: 'Room or Agent not found' });
      const missingRoom = await add(999999, juniper.id);
      expect(missingRoom.json()).toEqual({ detail: 'Room with id 999999 not found' });
      const [issue] = validationIssues(await add(room.id, Number.NaN));
      expect(issue).toMatchObject({ loc: ['path', 'agent_id'] });
    });

    it('lets a guest add agents to their own room only', async () => {
      const guest = await t.login('guest');
      const own = await createRoom(t, guest, uniqueName('Guest room'));
      expect((await add(own.id, juniper.id, guest)).json().agents.map((a: Agent) => a.id)).toEqual([juniper.id]);
      const other = await createRoom(t, admin, uniqueName('Admin room'));
      const response = await add(other.id, juniper.id, guest);
      expect(response.statusCode).toBe(403);
      expect(response.json()).toEqual({ detail: 'You do not have access to this room' });
      expect(await members(other.id)).toEqual([]);
    });
  });

  describe('GET /rooms/{id}/agents', () => {
    it('lists members in ascending id whatever the order they joined', async () => {
      const room = await createRoom(t, admin, uniqueName('Order'));
      const agents = [mira, juniper, wren];
      for (const agent of agents) await add(room.id, agent.id);
      const listed = await members(room.id);
      expect(listed.map((agent) => agent.id)).toEqual(agents.map((agent) => agent.id).sort((a, b) => a - b));
      expect(listed.find((agent) => agent.id === juniper.id)).toEqual(juniper);
      const detail = (await t.request({ method: 'GET', url: `/rooms/${room.id}`, token: admin })).json();
      expect(detail.agents).toEqual(listed);
    });

    it('answers ROOM404 and ROOM403', async () => {
      expect((await t.request({ method: 'GET', url: '/rooms/999999/agents', token: admin })).statusCode).toBe(404);
      const room = await createRoom(t, admin, uniqueName('Private members'));
      const guest = await t.login('guest');
      expect((await t.request({ method: 'GET', url: `/rooms/${room.id}/agents`, token: guest })).statusCode).toBe(403);
    });
  });

  describe('DELETE /rooms/{id}/agents/{agent_id}', () => {
    it('removes the member with the exact message and an agent_removed event, then answers 404', async () => {
      const room = await createRoom(t, admin, uniqueName('Leave'));
      await add(room.id, juniper.id);
      await add(room.id, wren.id);
      const capture = captureEvents(t, room.id);
      const response = await remove(room.id, juniper.id);
      capture.stop();
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ message: 'Agent removed from room successfully' });
      expect((await members(room.id)).map((agent) => agent.id)).toEqual([wren.id]);
      expect(capture.events).toEqual([
        { type: 'room', data: { reason: 'agent_removed', room: expect.objectContaining({ id: room.id, agents: [wren] }) } },
      ]);
      const again = await remove(room.id, juniper.id);
      expect(again.statusCode).toBe(404);
      expect(again.json()).toEqual({ detail: 'Room or Agent not found' });
    });

    it('answers 404 Room or Agent not found for a missing room or agent', async () => {
      const room = await createRoom(t, admin, uniqueName('Nobody'));
      for (const [roomId, agentId] of [
        [999999, juniper.id],
        [room.id, 999999],
        [room.id, juniper.id],
      ] as const) {
        const response = await remove(roomId, agentId);
        expect(response.statusCode).toBe(404);
        expect(response.json()).toEqual({ detail: 'Room or Agent not found' });
      }
    });

    it('refuses a guest with the admin text, even in the guest’s own room', async () => {
      const guest = await t.login('guest');
      const own = await createRoom(t, guest, uniqueName('Guest leave'));
      await add(own.id, juniper.id, guest);
      const response = await remove(own.id, juniper.id, guest);
      expect(response.statusCode).toBe(403);
      expect(response.json()).toEqual({ detail: 'This action requires admin privileges.' });
      expect((await members(own.id, guest)).map((agent) => agent.id)).toEqual([juniper.id]);
    });

    it('keeps the history and lets the agent rejoin with a new notice', async () => {
      const room = await createRoom(t, admin, { name: uniqueName('Rejoin'), is_paused: true });
      await add(room.id, juniper.id);
      await sendMessage(t, admin, room.id, 'hello');
      await remove(room.id, juniper.id);
      await add(room.id, juniper.id);
      const history = await listMessages(t, admin, room.id);
      expect(history.map((message) => message.content)).toEqual(['hello', 'Juniper joined the chat']);
    });
  });
});
