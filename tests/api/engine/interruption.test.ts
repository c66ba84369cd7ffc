import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemberQueries } from '../../../src/server/db/members.js';
import { createMessageQueries } from '../../../src/server/db/messages.js';
import { createRoomQueries } from '../../../src/server/db/rooms.js';
import type { ChattingAgent, Room } from '../../../src/shared/models.js';
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
import { gate, labels, ofType, roomCallIndex, roomRequests, steps } from './engine-steps.js';

/**
 * Cancellation and live state (behavior.md §5.2, §5.3, §5.7 rule 7, §5.11): scenarios 35–38 and 44, member removal
 * mid-turn, and GET /rooms/{id}/chatting-agents (api.md §8.6).
 */
describe.runIf(await databaseAvailable())('interruption', () => {
  let h: EngineHarness;
  beforeAll(async () => {
    h = await startEngineHarness();
  });
  afterAll(async () => h?.close());

  async function chatting(roomId: number): Promise<ChattingAgent[]> {
    const response = await h.t.request({ method: 'GET', url: `/rooms/${roomId}/chatting-agents`, token: h.admin });
    expect(response.statusCode, response.body).toBe(200);
    return (response.json() as { chatting_agents: ChattingAgent[] }).chatting_agents;
  }

  async function post(url: string): Promise<Room> {
    const response = await h.t.request({ method: 'POST', url, token: h.admin });
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as Room;
  }

  const streamed = (recorder: ReturnType<typeof recordEvents>, text: string) =>
    waitFor(() => ofType(recorder.events, 'delta').some((delta) => delta.text === text), { timeoutMs: 5000, what: `delta "${text}"` });

  it('chatting-agents: empty when idle, the generating agent with its growing text during a turn', async () => {
    const room = await roomWith(h, [await makeAgent(h, 'Talker')]);
    expect(await chatting(room.id)).toEqual([]);
    const first = gate();
    const second = gate();
    h.provider.setScript(() => steps({ thinking: 'hm' }, { text: 'One' }, first, { text: ' two' }, second));
    const recorder = recordEvents(h, room.id);
    await send(h, room.id, 'Count');
    await streamed(recorder, 'One');
    const talker = await chatting(room.id);
    expect(talker).toEqual([{ id: expect.any(Number), name: 'Talker', profile_pic: null, thinking_text: 'hm', response_text: 'One' }]);
    first.open();
    await waitFor(async () => (await chatting(room.id))[0]?.response_text === 'One two', { timeoutMs: 5000, what: 'grown text' });
    second.open();
    await recorder.runEnded();
    expect(await chatting(room.id)).toEqual([]);
    expect(replies(await messages(h, room.id)).map((message) => message.content)).toEqual(['One two']);
    recorder.stop();
  });

  it('scenario 35: a user message stores the partial before itself, drops the final text and starts a new round', async () => {
    const room = await roomWith(h, [await makeAgent(h, 'Streamer')]);
    h.provider.setScript((request) =>
      roomCallIndex(h, room.id, request) === 1
        ? [{ thinking: 'let me see' }, { text: 'Well, I' }, { hang: true }, { text: ' think so' }]
        : [{ text: 'Answer to the second' }],
    );
    const recorder = recordEvents(h, room.id);
    const first = await send(h, room.id, 'First question');
    await streamed(recorder, 'Well, I');
    const second = await send(h, room.id, 'Second question');
    await recorder.runEnded(2);

    const rows = await messages(h, room.id);
    expect(rows.map((row) => [row.role, row.content])).toEqual([
      ['user', 'First question'],
      ['assistant', 'Well, I'],
      ['user', 'Second question'],
      ['assistant', 'Answer to the second'],
    ]);
    const partial = rows[1]!;
    expect(partial.id).toBeGreaterThan(first.id);
    expect(partial.id).toBeLessThan(second.id);
    expect(partial).toMatchObject({ thinking: 'let me see', is_skip: false, provider: 'openai', model: 'instant-1' });
    expect(rows.some((row) => row.content.includes('think so'))).toBe(false);

    // The partial's message and agent_end come before the new user message's event (api.md §9.3 ordering rule 4).
    const ends = ofType(recorder.events, 'agent_end');
    expect(ends[0]).toMatchObject({ outcome: 'interrupted', message_id: partial.id });
    const order = recorder.events
      .map((event) => (event.type === 'message' ? `message:${event.data.id}` : event.type === 'agent_end' ? `end:${event.data.message_id}` : null))
      .filter((label) => label !== null);
    expect(order.indexOf(`message:${partial.id}`)).toBeLessThan(order.indexOf(`end:${partial.id}`));
    expect(order.indexOf(`end:${partial.id}`)).toBeLessThan(order.indexOf(`message:${second.id}`));
    // The new run's turn saw the second question.
    const retry = roomRequests(h, room.id)[1]!;
    expect(retry.userParts.map((part) => (part.type === 'text' ? part.text : '')).join('')).toContain('Second question');
    recorder.stop();
  });

  it('scenario 36: pausing mid-stream stores the partial, starts no further turn and announces is_paused', async () => {
    const lead = await makeAgent(h, 'Lead', { priority: 1 });
    const room = await roomWith(h, [lead, await makeAgent(h, 'Second')]);
    h.provider.setScript(() => [{ text: 'Half a' }, { hang: true }, { text: ' thought' }]);
    const recorder = recordEvents(h, room.id);
    await send(h, room.id, 'Go');
    await streamed(recorder, 'Half a');
    const paused = await post(`/rooms/${room.id}/pause`);
    expect(paused.is_paused).toBe(true);
    await recorder.runEnded();

    expect(roomRequests(h, room.id).map((request) => request.agentName)).toEqual(['Lead']);
    const stored = replies(await messages(h, room.id));
    expect(stored.map((message) => [message.agent_name, message.content])).toEqual([['Lead', 'Half a']]);
    const pausedEvent = ofType(recorder.events, 'room').find((event) => event.reason === 'paused');
    expect(pausedEvent?.room.is_paused).toBe(true);
    expect(ofType(recorder.events, 'agent_end')).toEqual([expect.objectContaining({ outcome: 'interrupted', message_id: stored[0]!.id })]);
    expect(ofType(recorder.events, 'agent_start')).toHaveLength(1);
    recorder.stop();
  });

  it('scenario 37: a user message posted while paused is answered once the room resumes', async () => {
    h.provider.setScript((request) => [{ text: `${request.agentName} answers at last` }]);
    const room = await roomWith(h, [await makeAgent(h, 'Sleeper')]);
    await post(`/rooms/${room.id}/pause`);
    const recorder = recordEvents(h, room.id);
    const user = await send(h, room.id, 'Are you there?');
    expect((await getRoom(h.t, h.admin, room.id)).running).toBeNull();
    expect(roomRequests(h, room.id)).toHaveLength(0);
    expect(ofType(recorder.events, 'room').some((event) => event.reason === 'run_started')).toBe(false);

    const resumed = await post(`/rooms/${room.id}/resume`);
    expect(resumed).toMatchObject({ is_paused: false, is_finished: false });
    await recorder.runEnded();
    const rows = await messages(h, room.id);
    expect(rows.map((row) => row.content)).toEqual(['Are you there?', 'Sleeper answers at last']);
    expect(rows[1]!.id).toBeGreaterThan(user.id);
    // The user message was answered, not stored a second time.
    expect(rows.filter((row) => row.role === 'user')).toHaveLength(1);
    recorder.stop();
  });

  it('scenario 38: a reply completing after a newer user message was stored elsewhere is discarded', async () => {
    // Another process's send would have cancelled the turn through the bus; here the message lands in the shared
    // database without that notice, which is the cross-process race §5.7 rule 7 guards against.
    const room = await roomWith(h, [await makeAgent(h, 'Racer')]);
    const hold = gate();
    h.provider.setScript(() => steps({ text: 'Almost' }, hold, { text: ' done' }));
    const recorder = recordEvents(h, room.id);
    await send(h, room.id, 'Quick');
    await streamed(recorder, 'Almost');
    const db = h.t.server.database.db;
    const newer = await createMessageQueries(db).insertMessage({
      roomId: room.id,
      content: 'Newer, from another process',
      role: 'user',
      participantType: 'user',
      timestamp: new Date(),
    });
    hold.open();
    await recorder.runEnded();

    expect(replies(await messages(h, room.id))).toHaveLength(0);
    const end = ofType(recorder.events, 'agent_end');
    expect(end).toEqual([expect.objectContaining({ outcome: 'interrupted', message_id: null })]);
    expect(labels(recorder.events, end[0]!.turn_id).filter((label) => label !== 'delta')).toEqual(['agent_start', 'agent_end:interrupted']);
    expect((await messages(h, room.id)).map((row) => row.id)).toContain(newer.id);
    recorder.stop();
  });

  it('scenario 38 (paused): a reply completing after the room was paused elsewhere is discarded and no further turn starts', async () => {
    const room = await roomWith(h, [await makeAgent(h, 'Racer2', { priority: 1 }), await makeAgent(h, 'Waiting')]);
    const hold = gate();
    h.provider.setScript(() => steps({ text: 'Almost' }, hold, { text: ' done' }));
    const recorder = recordEvents(h, room.id);
    await send(h, room.id, 'Quick');
    await streamed(recorder, 'Almost');
    await createRoomQueries(h.t.server.database.db).updateRoom(room.id, { isPaused: true });
    hold.open();
    await recorder.runEnded();
    expect(replies(await messages(h, room.id))).toHaveLength(0);
    expect(ofType(recorder.events, 'agent_end')).toEqual([expect.objectContaining({ outcome: 'interrupted', message_id: null })]);
    // The live state read before the next turn sees the pause (§5.1 rule 4, §5.6 rule 2).
    expect(roomRequests(h, room.id).map((request) => request.agentName)).toEqual(['Racer2']);
    recorder.stop();
  });

  it('clearing the messages mid-turn saves no partial and ends the turn interrupted', async () => {
    const room = await roomWith(h, [await makeAgent(h, 'Cleared')]);
    h.provider.setScript(() => [{ text: 'Doomed words' }, { hang: true }]);
    const recorder = recordEvents(h, room.id);
    await send(h, room.id, 'Talk');
    await streamed(recorder, 'Doomed words');
    const cleared = await h.t.request({ method: 'DELETE', url: `/rooms/${room.id}/messages`, token: h.admin });
    expect(cleared.statusCode, cleared.body).toBe(200);
    await recorder.runEnded();
    expect(await messages(h, room.id)).toEqual([]);
    expect(ofType(recorder.events, 'agent_end')).toEqual([expect.objectContaining({ outcome: 'interrupted', message_id: null })]);
    expect(ofType(recorder.events, 'message').some((message) => message.content === 'Doomed words')).toBe(false);
    expect(ofType(recorder.events, 'room').some((event) => event.reason === 'messages_cleared')).toBe(true);
    recorder.stop();
  });

  it('concurrent sends: every run but the newest is superseded, and the newest message gets a full run', async () => {
    h.provider.setScript((request) => [{ text: `${request.agentName} says ${h.provider.requests.length}` }]);
    const room = await roomWith(h, [await makeAgent(h, 'Busy1'), await makeAgent(h, 'Busy2')]);
    const sent = await Promise.all(['one', 'two', 'three'].map((text) => send(h, room.id, text)));
    const last = Math.max(...sent.map((message) => message.id));
    await waitFor(
      async () =>
        (await getRoom(h.t, h.admin, room.id)).running === null &&
        replies(await messages(h, room.id)).filter((row) => row.id > last).length === 12,
      { timeoutMs: 10_000, what: 'the newest message to be answered by a full run' },
    );
    expect(h.provider.maxActivePerRoom().get(room.id)).toBe(1);
    const rows = await messages(h, room.id);
    expect(rows.filter((row) => row.role === 'user')).toHaveLength(3);
    expect(rows.at(-1)!.role).toBe('assistant');
  });

  it('removing a member mid-turn ends its turn interrupted, saves nothing, and the run goes on', async () => {
    const leaving = await makeAgent(h, 'Leaving', { priority: 1 });
    const staying = await makeAgent(h, 'Staying');
    const room = await roomWith(h, [leaving, staying]);
    h.provider.setScript((request) =>
      request.agentName === 'Leaving' ? [{ text: 'Before I go' }, { hang: true }] : [{ text: 'Staying says hi' }],
    );
    const recorder = recordEvents(h, room.id);
    await send(h, room.id, 'Hello both');
    await streamed(recorder, 'Before I go');
    const removed = await h.t.request({ method: 'DELETE', url: `/rooms/${room.id}/agents/${leaving.id}`, token: h.admin });
    expect(removed.statusCode, removed.body).toBe(200);
    await recorder.runEnded();

    const rows = await messages(h, room.id);
    expect(rows.some((row) => row.agent_id === leaving.id)).toBe(false);
    expect(replies(rows).map((row) => row.agent_name)).toEqual(['Staying']);
    const leavingEnds = ofType(recorder.events, 'agent_end').filter((end) => end.agent_id === leaving.id);
    expect(leavingEnds).toEqual([expect.objectContaining({ outcome: 'interrupted', message_id: null })]);
    // Every agent_start got exactly one agent_end.
    expect(ofType(recorder.events, 'agent_end')).toHaveLength(ofType(recorder.events, 'agent_start').length);
    recorder.stop();
  });

  it('a reply completing after its author was removed elsewhere is not stored (§5.1 rule 4: members re-read before persist)', async () => {
    // As in scenario 38: another process removed the member and its cancel notice never arrived.
    const gone = await makeAgent(h, 'GoneElsewhere');
    const room = await roomWith(h, [gone]);
    const hold = gate();
    h.provider.setScript(() => steps({ text: 'Still talking' }, hold, { text: ' to myself' }));
    const recorder = recordEvents(h, room.id);
    await send(h, room.id, 'Hi');
    await streamed(recorder, 'Still talking');
    expect(await createMemberQueries(h.t.server.database.db).removeMember({ roomId: room.id, agentId: gone.id })).toBe(true);
    hold.open();
    await recorder.runEnded();
    expect((await messages(h, room.id)).some((row) => row.agent_id === gone.id)).toBe(false);
    expect(ofType(recorder.events, 'agent_end')).toEqual([expect.objectContaining({ outcome: 'interrupted', message_id: null })]);
    recorder.stop();
  });
});

describe.runIf(await databaseAvailable())('interrupting a scheduler round (scenario 44)', () => {
  let h: EngineHarness;
  beforeAll(async () => {
    h = await startEngineHarness({ env: { SCHEDULER_ENABLED: 'true', SCHEDULER_INTERVAL_MS: '50', MAX_FOLLOW_UP_ROUNDS: '0' } });
  });
  afterAll(async () => h?.close());

  it('a user message cancels the running scheduler round and no two provider calls of the room ever overlap', async () => {
    const room = await roomWith(h, [await makeAgent(h, 'Sched1'), await makeAgent(h, 'Sched2')]);
    let holdScheduler = false;
    h.provider.setScript((request) => {
      if (!holdScheduler) return [{ text: `${request.agentName} reply` }];
      holdScheduler = false;
      return [{ text: 'Scheduled musing' }, { hang: true }];
    });
    const recorder = recordEvents(h, room.id);
    await send(h, room.id, 'Kick off');
    await recorder.runEnded();
    holdScheduler = true;
    // The scheduler picks the active room up on its own and its first turn hangs mid-stream.
    await waitFor(() => ofType(recorder.events, 'room').some((event) => event.reason === 'run_started' && event.room.running === 'scheduler'), {
      timeoutMs: 5000,
      what: 'a scheduler run',
    });
    await waitFor(() => ofType(recorder.events, 'delta').some((delta) => delta.text === 'Scheduled musing'), { timeoutMs: 5000, what: 'scheduler delta' });
    const scheduledTurn = ofType(recorder.events, 'delta').find((delta) => delta.text === 'Scheduled musing')!.turn_id;

    const user = await send(h, room.id, 'Interrupting you');
    const mark = recorder.events.length;
    await waitFor(() => ofType(recorder.events.slice(mark), 'agent_end').filter((end) => end.outcome === 'responded').length >= 2, {
      timeoutMs: 5000,
      what: 'the user run to answer',
    });
    await post(h, `/rooms/${room.id}/pause`);

    expect(ofType(recorder.events, 'agent_end').find((end) => end.turn_id === scheduledTurn)).toMatchObject({ outcome: 'interrupted' });
    const rows = await messages(h, room.id);
    const partial = rows.find((row) => row.content === 'Scheduled musing');
    expect(partial?.id).toBeLessThan(user.id);
    expect(replies(rows).filter((row) => row.id > user.id).length).toBeGreaterThanOrEqual(2);
    expect(h.provider.maxActivePerRoom().get(room.id)).toBe(1);
    recorder.stop();
  });

  async function post(harness: EngineHarness, url: string): Promise<void> {
    const response = await harness.t.request({ method: 'POST', url, token: harness.admin });
    expect(response.statusCode, response.body).toBe(200);
  }
});
