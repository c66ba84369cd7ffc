import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseAvailable } from '../helpers/test-database.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import {
  captureEvents,
  createRoom,
  ISO_MS_Z,
  ROOM_FIELDS,
  uniqueName,
  validationIssues,
} from '../helpers/room-api.js';

describe.runIf(await databaseAvailable())('rooms: create, read, list, delete', () => {
  let t: TestServer;
  let admin: string;
  beforeAll(async () => {
    t = await startTestServer({ agents: 'empty' });
    admin = await t.login('admin');
  });
  afterAll(async () => t?.close());

  const post = (payload: unknown, token = admin) =>
    t.request({ method: 'POST', url: '/rooms', token, payload: payload as Record<string, unknown> });

  describe('POST /rooms', () => {
    it('creates a room with every field present, the defaults and empty agents and messages', async () => {
      const name = uniqueName('A');
      const response = await post({ name, max_interactions: 10 });
      expect(response.statusCode).toBe(200);
      const room = response.json();
      expect(Object.keys(room).sort()).toEqual([...ROOM_FIELDS, 'agents', 'messages'].sort());
      expect(room).toMatchObject({
        name,
        owner_id: 'admin',
        max_interactions: 10,
        default_provider: 'claude',
        default_model: null,
        is_paused: false,
        is_finished: false,
        running: null,
        agents: [],
        messages: [],
      });
      expect(room.id).toEqual(expect.any(Number));
      expect(room.created_at).toMatch(ISO_MS_Z);
      expect(room.last_activity_at).toBe(room.created_at);
      expect(room.last_read_at).toBe(room.created_at);
    });

    it('defaults max_interactions to null and honours is_paused, default_model and the model alias', async () => {
      const plain = await createRoom(t, admin, uniqueName('Plain'));
      expect(plain.max_interactions).toBeNull();
      const paused = await createRoom(t, admin, { name: uniqueName('Paused'), is_paused: 'yes', model: 'gpt-4.1-mini' });
      expect(paused).toMatchObject({ is_paused: true, default_model: 'gpt-4.1-mini' });
      const modelled = await createRoom(t, admin, { name: uniqueName('Modelled'), default_model: 'sonnet', model: 'sonnet' });
      expect(modelled.default_model).toBe('sonnet');
    });

    it('answers 409 for a duplicate name of the same owner', async () => {
      const name = uniqueName('Dup');
      await createRoom(t, admin, name);
      const response = await post({ name });
      expect(response.statusCode).toBe(409);
      expect(response.json()).toEqual({ detail: `Room with name '${name}' already exists` });
    });

    it('compares names case-sensitively', async () => {
      const name = uniqueName('Case');
      await createRoom(t, admin, name);
      expect((await createRoom(t, admin, name.toLowerCase())).name).toBe(name.toLowerCase());
    });

    it('treats a decomposed Hangul name as the same name as its composed form', async () => {
      const composed = `한서윤 ${uniqueName('nfc')}`;
      const decomposed = composed.normalize('NFD');
      expect(decomposed).not.toBe(composed);
      const room = await createRoom(t, admin, decomposed);
      expect(room.name).toBe(composed);
      const response = await post({ name: composed });
      expect(response.statusCode).toBe(409);
      expect(response.json()).toEqual({ detail: `Room with name '${composed}' already exists` });
    });

    it('lets a guest reuse a name an admin room already has', async () => {
      const name = uniqueName('Shared');
      await createRoom(t, admin, name);
      const guest = await t.login('guest');
      const room = await createRoom(t, guest, name);
      expect(room.name).toBe(name);
      expect(room.owner_id).toMatch(/^guest-[0-9a-f]{12}$/);
    });

    it('accepts provider as an alias of default_provider, case-insensitively', async () => {
      const codex = await createRoom(t, admin, { name: uniqueName('B'), provider: 'codex' });
      expect(codex.default_provider).toBe('codex');
      const openai = await createRoom(t, admin, { name: uniqueName('C'), default_provider: 'OpenAI' });
      expect(openai.default_provider).toBe('openai');
      const agreeing = await createRoom(t, admin, { name: uniqueName('D'), provider: 'CODEX', default_provider: 'codex' });
      expect(agreeing.default_provider).toBe('codex');
    });

    it('rejects an unknown provider with loc body.provider', async () => {
      const [issue] = validationIssues(await post({ name: uniqueName('E'), provider: 'gpt' }));
      expect(issue).toMatchObject({ type: 'enum', loc: ['body', 'provider'], input: 'gpt' });
    });

    it('rejects provider and default_provider that disagree, and model and default_model that disagree', async () => {
      const providers = validationIssues(await post({ name: uniqueName('F'), provider: 'codex', default_provider: 'openai' }));
      expect(providers).toEqual([expect.objectContaining({ type: 'value_error', loc: ['body', 'provider'] })]);
      const models = validationIssues(await post({ name: uniqueName('G'), model: 'a', default_model: 'b' }));
      expect(models.map((issue) => issue.loc)).toEqual([['body', 'model']]);
    });

    it('bounds max_interactions to 0..10000', async () => {
      const low = validationIssues(await post({ name: uniqueName('H'), max_interactions: -1 }));
      expect(low[0]).toMatchObject({ type: 'greater_than_equal', loc: ['body', 'max_interactions'], input: -1 });
      const high = validationIssues(await post({ name: uniqueName('H'), max_interactions: 10_001 }));
      expect(high[0]).toMatchObject({ type: 'less_than_equal', loc: ['body', 'max_interactions'] });
      const edge = await createRoom(t, admin, { name: uniqueName('H'), max_interactions: 0 });
      expect(edge.max_interactions).toBe(0);
    });

    it('accepts integral numbers and decimal strings for max_interactions and rejects fractions', async () => {
      const fromString = await createRoom(t, admin, { name: uniqueName('I'), max_interactions: '10' });
      expect(fromString.max_interactions).toBe(10);
      const raw = await t.request({
        method: 'POST',
        url: '/rooms',
        token: admin,
        headers: { 'content-type': 'application/json' },
        payload: `{"name": "${uniqueName('I')}", "max_interactions": 10.0}`,
      });
      expect(raw.statusCode, raw.body).toBe(200);
      expect(raw.json().max_interactions).toBe(10);
      const fraction = validationIssues(await post({ name: uniqueName('I'), max_interactions: 10.5 }));
      expect(fraction[0]).toMatchObject({ type: 'int_parsing', loc: ['body', 'max_interactions'] });
    });

    it('rejects blank, over-long and control-character names', async () => {
      const blank = validationIssues(await post({ name: '   ' }));
      expect(blank[0]).toMatchObject({ type: 'string_too_short', loc: ['body', 'name'] });
      const long = validationIssues(await post({ name: 'x'.repeat(101) }));
      expect(long[0]).toMatchObject({ type: 'string_too_long', loc: ['body', 'name'] });
      const control = validationIssues(await post({ name: 'bell\u0007room' }));
      expect(control[0]).toMatchObject({ type: 'value_error', loc: ['body', 'name'] });
      const tab = validationIssues(await post({ name: 'a\tb' }));
      expect(tab[0]).toMatchObject({ loc: ['body', 'name'] });
      const missing = validationIssues(await post({}));
      expect(missing[0]).toMatchObject({ type: 'missing', loc: ['body', 'name'] });
    });

    it('accepts a name of exactly 100 code points, counting astral characters once', async () => {
      const name = `${'😀'.repeat(50)}${'y'.repeat(50)}`;
      expect([...name].length).toBe(100);
      const room = await createRoom(t, admin, name);
      expect(room.name).toBe(name);
    });

    it('trims the name', async () => {
      const room = await createRoom(t, admin, { name: '  A2  ' });
      expect(room.name).toBe('A2');
    });

    it('shows a new room as read in GET /rooms', async () => {
      const room = await createRoom(t, admin, uniqueName('Fresh'));
      const list = (await t.request({ method: 'GET', url: '/rooms', token: admin })).json() as { id: number }[];
      const summary = list.find((item) => item.id === room.id);
      expect(summary).toBeDefined();
      expect(Object.keys(summary!).sort()).toEqual([...ROOM_FIELDS, 'has_unread'].sort());
      expect(summary).toMatchObject({ has_unread: false, running: null, last_read_at: room.created_at });
    });
  });

  describe('GET /rooms and GET /rooms/{id}', () => {
    it('lists only the guest’s own rooms and answers 403 for another owner’s room', async () => {
      const guest = await t.login('guest');
      const adminRoom = await createRoom(t, admin, uniqueName('Admin only'));
      const own = await createRoom(t, guest, uniqueName('Guest own'));
      const otherGuest = await t.login('guest');
      const foreign = await createRoom(t, otherGuest, uniqueName('Other guest'));

      const list = (await t.request({ method: 'GET', url: '/rooms', token: guest })).json() as { id: number }[];
      expect(list.map((room) => room.id)).toEqual([own.id]);
      for (const id of [adminRoom.id, foreign.id]) {
        const response = await t.request({ method: 'GET', url: `/rooms/${id}`, token: guest });
        expect(response.statusCode).toBe(403);
        expect(response.json()).toEqual({ detail: 'You do not have access to this room' });
      }
      const adminList = (await t.request({ method: 'GET', url: '/rooms', token: admin })).json() as { id: number }[];
      expect(adminList.map((room) => room.id)).toEqual(expect.arrayContaining([adminRoom.id, own.id, foreign.id]));
    });

    it('returns the room with its members and history to its owner', async () => {
      const room = await createRoom(t, admin, uniqueName('Detail'));
      const response = await t.request({ method: 'GET', url: `/rooms/${room.id}`, token: admin });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual(room);
    });

    it('answers 404 with the room id for a missing room and 422 for a non-integer id', async () => {
      const missing = await t.request({ method: 'GET', url: '/rooms/999999', token: admin });
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toEqual({ detail: 'Room with id 999999 not found' });
      const [issue] = validationIssues(await t.request({ method: 'GET', url: '/rooms/abc', token: admin }));
      expect(issue).toMatchObject({ type: 'int_parsing', loc: ['path', 'room_id'], input: 'abc' });
      for (const id of ['0', '-3', '99999999999']) {
        const response = await t.request({ method: 'GET', url: `/rooms/${id}`, token: admin });
        expect(response.statusCode, id).toBe(404);
        expect(response.json()).toEqual({ detail: `Room with id ${id} not found` });
      }
    });
  });

  describe('DELETE /rooms/{id}', () => {
    it('refuses a guest with the admin text, even for the guest’s own or a missing room', async () => {
      const guest = await t.login('guest');
      const own = await createRoom(t, guest, uniqueName('Guest delete'));
      for (const id of [own.id, 999999]) {
        const response = await t.request({ method: 'DELETE', url: `/rooms/${id}`, token: guest });
        expect(response.statusCode).toBe(403);
        expect(response.json()).toEqual({ detail: 'This action requires admin privileges.' });
      }
      expect((await t.request({ method: 'GET', url: `/rooms/${own.id}`, token: guest })).statusCode).toBe(200);
    });

    it('deletes the room with its messages, emits room deleted, and then answers 404', async () => {
      const room = await createRoom(t, admin, { name: uniqueName('Doomed'), is_paused: true });
      await t.request({ method: 'POST', url: `/rooms/${room.id}/messages/send`, token: admin, payload: { content: 'bye' } });
      const capture = captureEvents(t, room.id);
      const response = await t.request({ method: 'DELETE', url: `/rooms/${room.id}`, token: admin });
      capture.stop();
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ message: 'Room deleted successfully' });
      expect(capture.events).toEqual([
        { type: 'room', data: { reason: 'deleted', room: expect.objectContaining({ id: room.id, name: room.name, agents: [] }) } },
      ]);
      const gone = await t.request({ method: 'GET', url: `/rooms/${room.id}`, token: admin });
      expect(gone.statusCode).toBe(404);
      expect(gone.json()).toEqual({ detail: `Room with id ${room.id} not found` });
      const again = await t.request({ method: 'DELETE', url: `/rooms/${room.id}`, token: admin });
      expect(again.statusCode).toBe(404);
      expect(again.json()).toEqual({ detail: 'Room not found' });
    });

    it('answers 404 Room not found for an id that never existed', async () => {
      const response = await t.request({ method: 'DELETE', url: '/rooms/999999', token: admin });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual({ detail: 'Room not found' });
    });

    it('frees the name for a new room', async () => {
      const name = uniqueName('Reused');
      const room = await createRoom(t, admin, name);
      await t.request({ method: 'DELETE', url: `/rooms/${room.id}`, token: admin });
      const again = await createRoom(t, admin, name);
      expect(again.id).toBeGreaterThan(room.id);
    });
  });
});
