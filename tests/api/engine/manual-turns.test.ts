import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent, Message, Room } from '../../../src/shared/models.js';
import {
  makeAgent,
  messages,
  recordEvents,
  replies,
  roomWith,
  send,
  startEngineHarness,
  type EngineHarness,
} from '../../helpers/engine-room.js';
import { getRoom } from '../../helpers/room-api.js';
import { databaseAvailable } from '../../helpers/test-database.js';
import { waitFor } from '../../helpers/wait-for.js';
import { gate, labels, ofType, roomRequests, steps } from './engine-steps.js';

/** Manual turns: regenerate (api.md §8.5, behavior.md §5.11 rule 6) and respond (api.md §14.4). */
describe.runIf(await databaseAvailable())('manual turns', () => {
  let h: EngineHarness;
  let ana: Agent;
  let ben: Agent;
  let calls = 0;
  beforeAll(async () => {
    h = await startEngineHarness();
    ana = await makeAgent(h, 'Ana');
    ben = await makeAgent(h, 'Ben');
  });
  afterAll(async () => h?.close());

  function replyWithCounter(): void {
    h.provider.setScript((request) => [{ thinking: 'thinking again' }, { text: `${request.agentName} attempt ${++calls}` }]);
  }

  const regenerate = (roomId: number, messageId: number) =>
    h.t.request({ method: 'POST', url: `/rooms/${roomId}/messages/${messageId}/regenerate`, token: h.admin });
  const respond = (roomId: number, agentId: number) =>
    h.t.request({ method: 'POST', url: `/rooms/${roomId}/agents/${agentId}/respond`, token: h.admin });

  async function post(url: string): Promise<void> {
    const response = await h.t.request({ method: 'POST', url, token: h.admin });
    expect(response.statusCode, response.body).toBe(200);
  }

  /** A room whose user run is over, with its rows. */
  async function talkedRoom(agents: readonly Agent[]): Promise<{ room: Room; rows: Message[] }> {
    replyWithCounter();
    const room = await roomWith(h, agents);
    const recorder = recordEvents(h, room.id);
    await send(h, room.id, 'Say something');
    await recorder.runEnded();
    recorder.stop();
    return { room, rows: await messages(h, room.id) };
  }

  describe('regenerate', () => {
    it('deletes the latest agent message and runs one turn of its author, whose new reply has a greater id', async () => {
      const { room, rows } = await talkedRoom([ana, ben]);
      const target = rows.at(-1)!;
      const author = target.agent_name!;
      const before = roomRequests(h, room.id).length;
      const finished = await h.t.request({ method: 'PATCH', url: `/rooms/${room.id}`, token: h.admin, payload: { is_finished: true } });
      expect(finished.json()).toMatchObject({ is_finished: true });
      const recorder = recordEvents(h, room.id);

      const response = await regenerate(room.id, target.id);
      expect(response.statusCode, response.body).toBe(202);
      expect(response.json()).toEqual({ message: 'Regeneration started', deleted_message_id: target.id, agent_id: target.agent_id });
      await recorder.runEnded();

      const after = await messages(h, room.id);
      expect(after.some((row) => row.id === target.id)).toBe(false);
      const fresh = after.at(-1)!;
      expect(fresh).toMatchObject({ agent_id: target.agent_id, agent_name: author, is_skip: false, thinking: 'thinking again' });
      expect(fresh.id).toBeGreaterThan(target.id);
      expect(fresh.content).not.toBe(target.content);
      expect(after).toHaveLength(rows.length);
      // Exactly one turn: no follow-up rounds, no other agent.
      expect(roomRequests(h, room.id).slice(before).map((request) => request.agentName)).toEqual([author]);
      // The deletion is announced before the new turn, and the run is a manual one.
      const order = labels(recorder.events).filter((label) => label !== 'delta');
      expect(order.indexOf('message_deleted')).toBeLessThan(order.indexOf('agent_start'));
      expect(order.slice(order.indexOf('agent_start'))).toEqual(['agent_start', 'message', 'agent_end:responded', 'room:run_ended']);
      expect(ofType(recorder.events, 'message_deleted')).toEqual([{ room_id: room.id, message_id: target.id }]);
      expect(ofType(recorder.events, 'room').find((event) => event.reason === 'run_started')?.room.running).toBe('manual');
      expect((await getRoom(h.t, h.admin, room.id)).is_finished).toBe(false);
      recorder.stop();
    });

    it('checks max_interactions after the deletion: a room at its cap can regenerate its last reply, not add one', async () => {
      replyWithCounter();
      const room = await roomWith(h, [ana], { max_interactions: 1 });
      const recorder = recordEvents(h, room.id);
      await send(h, room.id, 'Once');
      await recorder.runEnded();
      const [reply] = replies(await messages(h, room.id));
      const before = roomRequests(h, room.id).length;

      // At the cap, respond runs no turn.
      expect((await respond(room.id, ana.id)).statusCode).toBe(202);
      await recorder.runEnded(2);
      expect(roomRequests(h, room.id)).toHaveLength(before);

      // Regenerate deletes first, so the count is back under the cap and the turn runs.
      expect((await regenerate(room.id, reply!.id)).statusCode).toBe(202);
      await recorder.runEnded(3);
      const after = replies(await messages(h, room.id));
      expect(after).toHaveLength(1);
      expect(after[0]!.id).toBeGreaterThan(reply!.id);
      recorder.stop();
    });

    it('a trailing system notice does not stop the latest agent message from being regenerated', async () => {
      const { room, rows } = await talkedRoom([ana]);
      const carl = await makeAgent(h, 'Carl');
      const added = await h.t.request({ method: 'POST', url: `/rooms/${room.id}/agents/${carl.id}`, token: h.admin });
      expect(added.statusCode).toBe(200);
      expect((await messages(h, room.id)).at(-1)).toMatchObject({ participant_type: 'system', content: 'Carl joined the chat' });
      const recorder = recordEvents(h, room.id);
      const response = await regenerate(room.id, rows.at(-1)!.id);
      expect(response.statusCode, response.body).toBe(202);
      await recorder.runEnded();
      recorder.stop();
    });

    it('refuses with the documented statuses and texts, in precondition order', async () => {
      const { room, rows } = await talkedRoom([ana, ben]);
      const expectError = async (messageId: number, status: number, detail: string, roomId = room.id) => {
        const response = await regenerate(roomId, messageId);
        expect(response.statusCode, response.body).toBe(status);
        expect(response.json()).toEqual({ detail });
      };
      const user = rows.find((row) => row.role === 'user')!;
      const latest = rows.at(-1)!;
      const older = replies(rows)[0]!;

      await expectError(999_999, 404, 'Message not found');
      const other = await talkedRoom([ana]);
      await expectError(other.rows.at(-1)!.id, 404, 'Message not found');
      await expectError(user.id, 400, 'Only agent messages can be regenerated');
      await expectError(older.id, 409, 'Only the latest agent message can be regenerated');

      await post(`/rooms/${room.id}/pause`);
      await expectError(latest.id, 409, 'Room is paused');
      await post(`/rooms/${room.id}/resume`);

      const removed = await h.t.request({ method: 'DELETE', url: `/rooms/${room.id}/agents/${latest.agent_id}`, token: h.admin });
      expect(removed.statusCode).toBe(200);
      await expectError(latest.id, 409, 'Agent is no longer a member of this room');
      // Nothing was deleted by the refused attempts.
      expect((await messages(h, room.id)).map((row) => row.id)).toEqual(rows.map((row) => row.id));
    });

    it('a system notice cannot be regenerated', async () => {
      const { room } = await talkedRoom([ana]);
      await h.t.request({ method: 'POST', url: `/rooms/${room.id}/agents/${ben.id}`, token: h.admin });
      const notice = (await messages(h, room.id)).at(-1)!;
      expect(notice.participant_type).toBe('system');
      const response = await regenerate(room.id, notice.id);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ detail: 'Only agent messages can be regenerated' });
    });
  });

  describe('respond', () => {
    it('runs one unguarded turn of a member, even with nothing new in its window', async () => {
      const { room, rows } = await talkedRoom([ana]);
      const before = roomRequests(h, room.id).length;
      const recorder = recordEvents(h, room.id);
      const response = await respond(room.id, ana.id);
      expect(response.statusCode, response.body).toBe(202);
      expect(response.json()).toEqual({ message: 'Response started', agent_id: ana.id });
      await recorder.runEnded();
      // Ana spoke last, so a guarded turn would have passed; the manual one calls the provider.
      expect(roomRequests(h, room.id).slice(before).map((request) => request.agentName)).toEqual(['Ana']);
      const after = await messages(h, room.id);
      expect(after).toHaveLength(rows.length + 1);
      expect(after.at(-1)).toMatchObject({ agent_name: 'Ana', is_skip: false });
      expect(ofType(recorder.events, 'message_deleted')).toEqual([]);
      recorder.stop();
    });

    it('404 for an agent that is not a member; 409 while paused or busy', async () => {
      const { room } = await talkedRoom([ana, ben]);
      const outsider = await makeAgent(h, 'Outsider');
      for (const agentId of [outsider.id, 999_999]) {
        const response = await respond(room.id, agentId);
        expect(response.statusCode).toBe(404);
        expect(response.json()).toEqual({ detail: 'Room or Agent not found' });
      }

      await post(`/rooms/${room.id}/pause`);
      const paused = await respond(room.id, ana.id);
      expect(paused.statusCode).toBe(409);
      expect(paused.json()).toEqual({ detail: 'Room is paused' });
      await post(`/rooms/${room.id}/resume`);

      // Busy: a manual turn is streaming.
      const hold = gate();
      h.provider.setScript(() => steps({ text: 'Taking my time' }, hold));
      const recorder = recordEvents(h, room.id);
      const started = await respond(room.id, ben.id);
      expect(started.statusCode, started.body).toBe(202);
      await waitFor(() => ofType(recorder.events, 'delta').length > 0, { timeoutMs: 5000, what: 'the manual turn to stream' });
      const busy = await respond(room.id, ana.id);
      expect(busy.statusCode).toBe(409);
      expect(busy.json()).toEqual({ detail: 'Room is busy' });
      const latest = (await messages(h, room.id)).at(-1)!;
      const busyRegenerate = await regenerate(room.id, latest.id);
      expect(busyRegenerate.statusCode).toBe(409);
      expect(busyRegenerate.json()).toEqual({ detail: 'Room is busy' });
      hold.open();
      await recorder.runEnded();
      expect((await messages(h, room.id)).at(-1)).toMatchObject({ agent_name: 'Ben', content: 'Taking my time' });
      recorder.stop();
    });
  });
});
