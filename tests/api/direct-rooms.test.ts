import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent, Room, RoomSummary } from '../../src/shared/models.js';
import { databaseAvailable } from '../helpers/test-database.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { agentByName, captureEvents, createRoom, listMessages, ROOM_FIELDS, sendMessage, validationIssues } from '../helpers/room-api.js';

describe.runIf(await databaseAvailable())('GET /agents/{id}/direct-room', () => {
  let t: TestServer;
  let admin: string;
  let juniper: Agent;
  let seoyun: Agent;
  beforeAll(async () => {
    t = await startTestServer({ agents: 'sample', env: { DEFAULT_PROVIDER: 'openai' } });
    admin = await t.login('admin');
    juniper = await agentByName(t, admin, 'Juniper');
    seoyun = await agentByName(t, admin, '한서윤');
  });
  afterAll(async () => t?.close());

  const direct = async (agentId: number, query = '', token = admin) => {
    const response = await t.request({ method: 'GET', url: `/agents/${agentId}/direct-room${query}`, token });
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as Room;
  };

  it('creates the caller’s room with the agent as its only member and returns the same room the second time', async () => {
    const first = await direct(juniper.id);
    expect(Object.keys(first).sort()).toEqual([...ROOM_FIELDS, 'agents', 'messages'].sort());
    expect(first).toMatchObject({
      name: 'Direct: Juniper',
      owner_id: 'admin',
      default_provider: 'openai',
      default_model: null,
      max_interactions: null,
      is_paused: false,
      messages: [],
    });
    expect(first.agents).toEqual([juniper]);
    const second = await direct(juniper.id);
    expect(second).toEqual(first);
    const list = (await t.request({ method: 'GET', url: '/rooms', token: admin })).json() as RoomSummary[];
    expect(list.filter((room) => room.name === 'Direct: Juniper')).toHaveLength(1);
  });

  it('returns the history of an existing direct room', async () => {
    const room = await direct(seoyun.id);
    expect(room.name).toBe('Direct: 한서윤');
    // Paused, so the send starts no run and the history is exactly what was sent.
    expect((await t.request({ method: 'POST', url: `/rooms/${room.id}/pause`, token: admin })).statusCode).toBe(200);
    const message = await sendMessage(t, admin, room.id, '안녕하세요');
    expect((await direct(seoyun.id)).messages).toEqual([message]);
  });

  it('names the room after the provider and uses it when provider is given', async () => {
    const room = await direct(juniper.id, '?provider=codex&model=gpt-5-codex');
    expect(room).toMatchObject({ name: 'Direct: Juniper (codex)', default_provider: 'codex', default_model: 'gpt-5-codex' });
    expect(room.agents.map((agent) => agent.id)).toEqual([juniper.id]);
    const again = await direct(juniper.id, '?provider=CODEX');
    expect(again.id).toBe(room.id);
    expect(again.default_model).toBe('gpt-5-codex');
    const plain = await direct(juniper.id);
    expect(plain.id).not.toBe(room.id);
  });

  it('re-adds the agent without a notice when it was removed from the direct room', async () => {
    const room = await direct(juniper.id);
    // Paused, so the send starts no run: any other message or event would come from the re-add.
    expect((await t.request({ method: 'POST', url: `/rooms/${room.id}/pause`, token: admin })).statusCode).toBe(200);
    await sendMessage(t, admin, room.id, 'still here?');
    await t.request({ method: 'DELETE', url: `/rooms/${room.id}/agents/${juniper.id}`, token: admin });
    const capture = captureEvents(t, room.id);
    const again = await direct(juniper.id);
    capture.stop();
    expect(again.id).toBe(room.id);
    expect(again.agents.map((agent) => agent.id)).toEqual([juniper.id]);
    expect((await listMessages(t, admin, room.id)).map((message) => message.content)).toEqual(['still here?']);
    expect(capture.events).toEqual([
      { type: 'room', data: { reason: 'agent_added', room: expect.objectContaining({ id: room.id, agents: [juniper] }) } },
    ]);
  });

  it('gives each guest their own direct room', async () => {
    const adminRoom = await direct(juniper.id);
    const guest = await t.login('guest');
    const guestRoom = await direct(juniper.id, '', guest);
    expect(guestRoom.id).not.toBe(adminRoom.id);
    expect(guestRoom.name).toBe('Direct: Juniper');
    expect(guestRoom.owner_id).toMatch(/^guest-[0-9a-f]{12}$/);
    expect((await direct(juniper.id, '', guest)).id).toBe(guestRoom.id);
  });

  it('returns a room the caller created by hand under the direct-room name', async () => {
    const guest = await t.login('guest');
    const made = await createRoom(t, guest, { name: `Direct: ${seoyun.name}`, provider: 'claude' });
    const room = await direct(seoyun.id, '', guest);
    expect(room.id).toBe(made.id);
    expect(room.default_provider).toBe('claude');
    expect(room.agents.map((agent) => agent.id)).toEqual([seoyun.id]);
  });

  it('answers 404 Agent not found for an unknown agent and 422 for a bad provider or model', async () => {
    const missing = await t.request({ method: 'GET', url: '/agents/999999/direct-room', token: admin });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ detail: 'Agent not found' });
    const [provider] = validationIssues(
      await t.request({ method: 'GET', url: `/agents/${juniper.id}/direct-room?provider=gpt`, token: admin }),
    );
    expect(provider).toMatchObject({ type: 'enum', loc: ['query', 'provider'] });
    const [model] = validationIssues(
      await t.request({ method: 'GET', url: `/agents/${juniper.id}/direct-room?model=${encodeURIComponent('bad model!')}`, token: admin }),
    );
    expect(model).toMatchObject({ type: 'string_pattern_mismatch', loc: ['query', 'model'] });
  });

  it('requires a credential', async () => {
    const response = await t.request({ method: 'GET', url: `/agents/${juniper.id}/direct-room` });
    expect(response.statusCode).toBe(401);
  });
});
