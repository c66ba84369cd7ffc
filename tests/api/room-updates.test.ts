import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomSummary } from '../../src/shared/models.js';
import { databaseAvailable } from '../helpers/test-database.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import {
  captureEvents,
  createRoom,
  getRoom,
  manualClock,
  sendMessage,
  uniqueName,
  validationIssues,
} from '../helpers/room-api.js';

describe.runIf(await databaseAvailable())('rooms: updates, pause, resume, mark-read and unread order', () => {
  let t: TestServer;
  let admin: string;
  const clock = manualClock('2026-01-05T09:30:00.000Z');
  beforeAll(async () => {
    t = await startTestServer({ agents: 'empty', now: clock.now });
    admin = await t.login('admin');
  });
  afterAll(async () => t?.close());

  const patch = (roomId: number, payload: Record<string, unknown>, token = admin) =>
    t.request({ method: 'PATCH', url: `/rooms/${roomId}`, token, payload });

  describe('PATCH /rooms/{id}', () => {
    it('sets max_interactions and is_paused together and a later GET shows both', async () => {
      const room = await createRoom(t, admin, uniqueName('Patch'));
      const capture = captureEvents(t, room.id);
      const response = await patch(room.id, { max_interactions: 20, is_paused: true });
      capture.stop();
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ id: room.id, max_interactions: 20, is_paused: true, messages: [], agents: [] });
      expect(await getRoom(t, admin, room.id)).toMatchObject({ max_interactions: 20, is_paused: true });
      expect(capture.events).toEqual([
        { type: 'room', data: { reason: 'paused', room: expect.objectContaining({ max_interactions: 20, is_paused: true }) } },
      ]);
    });

    it('treats {} as a no-op that returns the room and publishes nothing', async () => {
      const room = await createRoom(t, admin, { name: uniqueName('Noop'), max_interactions: 3 });
      const capture = captureEvents(t, room.id);
      const response = await patch(room.id, {});
      capture.stop();
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual(room);
      expect(capture.events).toEqual([]);
    });

    it('clears the cap with max_interactions null', async () => {
      const room = await createRoom(t, admin, { name: uniqueName('Cap'), max_interactions: 5 });
      const response = await patch(room.id, { max_interactions: null });
      expect(response.json().max_interactions).toBeNull();
      expect((await getRoom(t, admin, room.id)).max_interactions).toBeNull();
    });

    it('renames with trimming, emits room updated, and allows the current name', async () => {
      const room = await createRoom(t, admin, uniqueName('Old'));
      const capture = captureEvents(t, room.id);
      const newName = uniqueName('New');
      const response = await patch(room.id, { name: `  ${newName} ` });
      expect(response.statusCode).toBe(200);
      expect(response.json().name).toBe(newName);
      const same = await patch(room.id, { name: newName });
      capture.stop();
      expect(same.statusCode).toBe(200);
      expect(capture.events).toEqual([
        { type: 'room', data: { reason: 'updated', room: expect.objectContaining({ name: newName }) } },
      ]);
    });

    it('answers 409 when renaming to another room of the same owner and keeps the old name', async () => {
      const taken = await createRoom(t, admin, uniqueName('Taken'));
      const room = await createRoom(t, admin, uniqueName('Mine'));
      const response = await patch(room.id, { name: taken.name, max_interactions: 7 });
      expect(response.statusCode).toBe(409);
      expect(response.json()).toEqual({ detail: `Room with name '${taken.name}' already exists` });
      expect(await getRoom(t, admin, room.id)).toMatchObject({ name: room.name, max_interactions: null });
    });

    it('lets a room take a name another owner uses', async () => {
      const guest = await t.login('guest');
      const guestRoom = await createRoom(t, guest, uniqueName('Guest name'));
      const room = await createRoom(t, admin, uniqueName('Admin name'));
      expect((await patch(room.id, { name: guestRoom.name })).json().name).toBe(guestRoom.name);
    });

    it('rejects an empty name', async () => {
      const room = await createRoom(t, admin, uniqueName('Keep'));
      const [issue] = validationIssues(await patch(room.id, { name: '' }));
      expect(issue).toMatchObject({ type: 'string_too_short', loc: ['body', 'name'] });
      expect((await getRoom(t, admin, room.id)).name).toBe(room.name);
    });

    it('rejects provider and model changes and leaves the room unchanged', async () => {
      const room = await createRoom(t, admin, { name: uniqueName('Fixed'), provider: 'claude' });
      for (const field of ['default_provider', 'provider', 'default_model', 'model']) {
        const issues = validationIssues(await patch(room.id, { [field]: 'codex', max_interactions: 9 }));
        expect(issues).toEqual([expect.objectContaining({ type: 'value_error', loc: ['body', field] })]);
      }
      expect(await getRoom(t, admin, room.id)).toMatchObject({ default_provider: 'claude', default_model: null, max_interactions: null });
    });

    it('sets and clears is_finished with room updated events', async () => {
      const room = await createRoom(t, admin, uniqueName('Finish'));
      const capture = captureEvents(t, room.id);
      expect((await patch(room.id, { is_finished: true })).json().is_finished).toBe(true);
      expect((await getRoom(t, admin, room.id)).is_finished).toBe(true);
      expect((await patch(room.id, { is_finished: false })).json().is_finished).toBe(false);
      capture.stop();
      expect(capture.events.map((event) => event.type === 'room' && [event.data.reason, event.data.room.is_finished])).toEqual([
        ['updated', true],
        ['updated', false],
      ]);
    });

    it('resumes with is_paused false, clearing is_finished, like POST /resume', async () => {
      const room = await createRoom(t, admin, { name: uniqueName('Unpause'), is_paused: true });
      await patch(room.id, { is_finished: true });
      const capture = captureEvents(t, room.id);
      const response = await patch(room.id, { is_paused: false });
      capture.stop();
      expect(response.json()).toMatchObject({ is_paused: false, is_finished: false });
      expect(capture.events).toEqual([
        { type: 'room', data: { reason: 'resumed', room: expect.objectContaining({ is_paused: false, is_finished: false }) } },
      ]);
    });

    it('applies an explicit is_finished sent together with is_paused false', async () => {
      const room = await createRoom(t, admin, { name: uniqueName('Both'), is_paused: true });
      const response = await patch(room.id, { is_paused: false, is_finished: true });
      expect(response.json()).toMatchObject({ is_paused: false, is_finished: true });
    });

    it('accepts lenient booleans and rejects other values', async () => {
      const room = await createRoom(t, admin, uniqueName('Lenient'));
      expect((await patch(room.id, { is_paused: 'ON' })).json().is_paused).toBe(true);
      expect((await patch(room.id, { is_paused: 0 })).json().is_paused).toBe(false);
      const [issue] = validationIssues(await patch(room.id, { is_paused: 'maybe' }));
      expect(issue).toMatchObject({ type: 'bool_parsing', loc: ['body', 'is_paused'], input: 'maybe' });
      const [nullIssue] = validationIssues(await patch(room.id, { is_finished: null }));
      expect(nullIssue).toMatchObject({ loc: ['body', 'is_finished'] });
    });

    it('answers 404 for a missing room and 403 for another owner’s room', async () => {
      const missing = await patch(999999, { name: 'x' });
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toEqual({ detail: 'Room with id 999999 not found' });
      const room = await createRoom(t, admin, uniqueName('Not yours'));
      const guest = await t.login('guest');
      const forbidden = await patch(room.id, { name: 'mine now' }, guest);
      expect(forbidden.statusCode).toBe(403);
      expect(forbidden.json()).toEqual({ detail: 'You do not have access to this room' });
      expect((await getRoom(t, admin, room.id)).name).toBe(room.name);
    });
  });

  describe('POST /rooms/{id}/pause and /resume', () => {
    it('pauses and resumes idempotently, publishing only when the room changed', async () => {
      const room = await createRoom(t, admin, uniqueName('Toggle'));
      const capture = captureEvents(t, room.id);
      const pause = () => t.request({ method: 'POST', url: `/rooms/${room.id}/pause`, token: admin });
      const resume = () => t.request({ method: 'POST', url: `/rooms/${room.id}/resume`, token: admin });
      const first = await pause();
      expect(first.statusCode).toBe(200);
      expect(first.json()).toMatchObject({ id: room.id, is_paused: true, messages: [], agents: [], running: null });
      expect((await pause()).json().is_paused).toBe(true);
      expect((await resume()).json()).toMatchObject({ is_paused: false, is_finished: false });
      expect((await resume()).json().is_paused).toBe(false);
      capture.stop();
      expect(capture.events.map((event) => event.type === 'room' && event.data.reason)).toEqual(['paused', 'resumed']);
      expect(capture.events[0]).toMatchObject({ data: { room: { id: room.id, is_paused: true } } });
    });

    it('clears is_finished on resume of an unpaused room', async () => {
      const room = await createRoom(t, admin, uniqueName('Finished'));
      await patch(room.id, { is_finished: true });
      const capture = captureEvents(t, room.id);
      const response = await t.request({ method: 'POST', url: `/rooms/${room.id}/resume`, token: admin });
      capture.stop();
      expect(response.json()).toMatchObject({ is_paused: false, is_finished: false });
      expect(capture.events.map((event) => event.type === 'room' && event.data.reason)).toEqual(['resumed']);
    });

    it('lets a guest pause their own room but not another owner’s', async () => {
      const guest = await t.login('guest');
      const own = await createRoom(t, guest, uniqueName('Guest pause'));
      expect((await t.request({ method: 'POST', url: `/rooms/${own.id}/pause`, token: guest })).json().is_paused).toBe(true);
      const other = await createRoom(t, admin, uniqueName('Admin pause'));
      const response = await t.request({ method: 'POST', url: `/rooms/${other.id}/resume`, token: guest });
      expect(response.statusCode).toBe(403);
      const missing = await t.request({ method: 'POST', url: '/rooms/999999/pause', token: guest });
      expect(missing.json()).toEqual({ detail: 'Room with id 999999 not found' });
    });
  });

  describe('mark-read and the unread order of GET /rooms', () => {
    it('marks a room with a user message read at the current time, with a Z millisecond timestamp', async () => {
      const room = await createRoom(t, admin, { name: uniqueName('Read'), is_paused: true });
      clock.advance(1_000);
      await sendMessage(t, admin, room.id, 'hello');
      const summary = async () =>
        ((await t.request({ method: 'GET', url: '/rooms', token: admin })).json() as RoomSummary[]).find((r) => r.id === room.id);
      expect((await summary())?.has_unread).toBe(true);
      const at = clock.advance(1_234);
      const capture = captureEvents(t, room.id);
      const response = await t.request({ method: 'POST', url: `/rooms/${room.id}/mark-read`, token: admin });
      capture.stop();
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ message: 'Room marked as read', last_read_at: at.toISOString() });
      expect(response.json().last_read_at).toMatch(/\.\d{3}Z$/);
      expect(await summary()).toMatchObject({ has_unread: false, last_read_at: at.toISOString() });
      expect(capture.events).toEqual([]);
    });

    it('bumps last_activity_at with a user message', async () => {
      const room = await createRoom(t, admin, uniqueName('Activity'));
      const at = clock.advance(5_000);
      const message = await sendMessage(t, admin, room.id, 'now');
      expect(message.timestamp).toBe(at.toISOString());
      expect((await getRoom(t, admin, room.id)).last_activity_at).toBe(at.toISOString());
    });

    it('lists unread rooms first, each group by last_activity_at descending, then id descending', async () => {
      const guest = await t.login('guest');
      const make = async (label: string) => {
        clock.advance(1_000);
        return createRoom(t, guest, uniqueName(label));
      };
      const readOld = await make('read old');
      const unreadOld = await make('unread old');
      const readNew = await make('read new');
      const unreadNew = await make('unread new');
      const tieA = await make('tie a');
      const tieB = await make('tie b');

      clock.advance(1_000);
      await sendMessage(t, guest, unreadOld.id, 'old news');
      await sendMessage(t, guest, readOld.id, 'seen');
      clock.advance(1_000);
      await sendMessage(t, guest, unreadNew.id, 'fresh news');
      await sendMessage(t, guest, readNew.id, 'seen too');
      await sendMessage(t, guest, tieA.id, 'same instant');
      await sendMessage(t, guest, tieB.id, 'same instant');
      clock.advance(1_000);
      for (const room of [readOld, readNew, tieA, tieB]) {
        await t.request({ method: 'POST', url: `/rooms/${room.id}/mark-read`, token: guest });
      }

      const list = (await t.request({ method: 'GET', url: '/rooms', token: guest })).json() as RoomSummary[];
      expect(list.map((room) => [room.name, room.has_unread])).toEqual([
        [unreadNew.name, true],
        [unreadOld.name, true],
        [tieB.name, false],
        [tieA.name, false],
        [readNew.name, false],
        [readOld.name, false],
      ]);
    });
  });
});
