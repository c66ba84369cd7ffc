import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChattingAgent, Message, Room } from '../../../src/shared/models.js';
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
import { gate, labels, ofType, requestText, roomCallIndex, roomRequests, steps } from './engine-steps.js';

/** Skips, passes, finishing and interaction caps (behavior.md §5.6–5.8, §5.10): scenarios 29–32. */
describe.runIf(await databaseAvailable())('skips, passes and finishing', () => {
  let h: EngineHarness;
  beforeAll(async () => {
    h = await startEngineHarness();
  });
  afterAll(async () => h?.close());

  const skipMarkers = (list: readonly Message[]) => list.filter((message) => message.is_skip);

  async function chatting(roomId: number): Promise<ChattingAgent[]> {
    const response = await h.t.request({ method: 'GET', url: `/rooms/${roomId}/chatting-agents`, token: h.admin });
    expect(response.statusCode, response.body).toBe(200);
    return (response.json() as { chatting_agents: ChattingAgent[] }).chatting_agents;
  }

  it('scenario 29: a round where everyone skips finishes the room, with a room event; a new user message clears it', async () => {
    h.provider.setScript(() => [{ tool: 'skip' }]);
    const room = await roomWith(h, [await makeAgent(h, 'Quiet1'), await makeAgent(h, 'Quiet2')]);
    const recorder = recordEvents(h, room.id);
    await send(h, room.id, 'Anyone?');
    await recorder.runEnded();

    expect((await getRoom(h.t, h.admin, room.id)).is_finished).toBe(true);
    const finished = ofType(recorder.events, 'room').filter((event) => event.reason === 'finished');
    expect(finished).toHaveLength(1);
    expect(finished[0]!.room.is_finished).toBe(true);
    // One round only: both skipped, so no follow-up was tried.
    expect(roomRequests(h, room.id)).toHaveLength(2);
    expect(skipMarkers(await messages(h, room.id))).toHaveLength(2);

    h.provider.setScript((request) => [{ text: `${request.agentName} speaks` }]);
    await send(h, room.id, 'Wake up');
    const updated = ofType(recorder.events, 'room').find((event) => event.reason === 'updated');
    expect(updated?.room.is_finished).toBe(false);
    await recorder.runEnded(2);
    expect((await getRoom(h.t, h.admin, room.id)).is_finished).toBe(false);
    recorder.stop();
  });

  it('scenario 30: a follow-up turn whose window holds only skip markers is a pass: no request, no row, no event', async () => {
    const a = await makeAgent(h, 'Pass1');
    const b = await makeAgent(h, 'Pass2');
    const room = await roomWith(h, [a, b]);
    // The room's first call replies, the second skips, any later one would reply again.
    h.provider.setScript((request) => (roomCallIndex(h, room.id, request) === 2 ? [{ tool: 'skip' }] : [{ text: `${request.agentName} here` }]));
    const recorder = recordEvents(h, room.id);
    await send(h, room.id, 'Hello');
    await recorder.runEnded();

    // Follow-up round: the skipper sees nothing new, the first speaker sees only the skip marker — both pass.
    expect(roomRequests(h, room.id)).toHaveLength(2);
    const rows = await messages(h, room.id);
    expect(rows.map((row) => (row.role === 'user' ? 'user' : row.is_skip ? 'skip' : 'reply'))).toEqual(['user', 'reply', 'skip']);
    expect(ofType(recorder.events, 'agent_start')).toHaveLength(2);
    expect(ofType(recorder.events, 'agent_end')).toHaveLength(2);
    // The round of passes counts as "all skipped".
    expect((await getRoom(h.t, h.admin, room.id)).is_finished).toBe(true);
    recorder.stop();
  });

  it('scenario 31: a skip after streaming stores a skip marker with thinking, streams nothing after it and bumps no activity', async () => {
    const sigher = await makeAgent(h, 'Sigher');
    const streamed = gate();
    const skipped = gate();
    h.provider.setScript((request) =>
      request.agentName === 'Sigher'
        ? steps({ thinking: 'not worth it' }, { text: '(sighs)' }, streamed, { tool: 'skip' }, { text: ' fine, whatever' }, skipped)
        : [{ text: `${request.agentName} answers` }],
    );

    const solo = await roomWith(h, [sigher]);
    const recorder = recordEvents(h, solo.id);
    const user = await send(h, solo.id, 'Say something');
    await waitFor(() => ofType(recorder.events, 'delta').some((delta) => delta.text === '(sighs)'), { timeoutMs: 5000, what: 'the streamed sigh' });
    expect(await chatting(solo.id)).toMatchObject([{ name: 'Sigher', response_text: '(sighs)', thinking_text: 'not worth it' }]);
    streamed.open();
    // Once the skip is seen the live response text is cleared; the agent is still generating.
    await waitFor(async () => (await chatting(solo.id))[0]?.response_text === '', { timeoutMs: 5000, what: 'cleared live text' });
    skipped.open();
    await recorder.runEnded();

    const rows = await messages(h, solo.id);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatchObject({ agent_name: 'Sigher', is_skip: true, content: '(무시함)', thinking: 'not worth it' });
    expect((await getRoom(h.t, h.admin, solo.id)).last_activity_at).toBe(user.timestamp);
    const deltas = ofType(recorder.events, 'delta').filter((delta) => delta.kind === 'response');
    expect(deltas.map((delta) => delta.text)).toEqual(['(sighs)']);
    const end = ofType(recorder.events, 'agent_end')[0];
    expect(end).toMatchObject({ outcome: 'skipped', message_id: rows[1]!.id });
    expect(labels(recorder.events, end!.turn_id).filter((label) => label !== 'delta')).toEqual(['agent_start', 'agent_end:skipped']);
    const turnLabels = labels(recorder.events).filter((label) => label !== 'delta' && !label.startsWith('room:'));
    expect(turnLabels.slice(-3)).toEqual(['agent_start', 'message', 'agent_end:skipped']);
    expect(await chatting(solo.id)).toEqual([]);
    recorder.stop();

    h.provider.setScript((request) =>
      request.agentName === 'Sigher'
        ? [{ thinking: 'not worth it' }, { text: '(sighs)' }, { tool: 'skip' }, { text: ' fine, whatever' }]
        : [{ text: `${request.agentName} answers` }],
    );
    // The other agent never sees the skip (nor its streamed text) in its window or history.
    const other = await makeAgent(h, 'Listener');
    const pair = await roomWith(h, [sigher, other]);
    const pairRecorder = recordEvents(h, pair.id);
    await send(h, pair.id, 'First');
    await pairRecorder.runEnded();
    await send(h, pair.id, 'Second');
    await pairRecorder.runEnded(2);
    const listenerRequests = roomRequests(h, pair.id).filter((request) => request.agentName === 'Listener');
    expect(listenerRequests.length).toBeGreaterThanOrEqual(2);
    for (const request of listenerRequests) {
      expect(requestText(request)).not.toContain('(무시함)');
      expect(requestText(request)).not.toContain('sighs');
    }
    expect(requestText(listenerRequests.at(-1)!)).toContain('Second');
    pairRecorder.stop();
  });

  async function alternatingRoom(maxInteractions: number | null): Promise<{ room: Room; rows: Message[] }> {
    const agents = [];
    for (const name of ['Alt1', 'Alt2', 'Alt3']) agents.push(await makeAgent(h, `${name}${maxInteractions ?? 'x'}`));
    const room = await roomWith(h, agents, { max_interactions: maxInteractions });
    h.provider.setScript((request) =>
      roomCallIndex(h, room.id, request) % 2 === 1 ? [{ text: `${request.agentName} replies` }] : [{ tool: 'skip' }],
    );
    const recorder = recordEvents(h, room.id);
    await send(h, room.id, 'Take turns');
    await recorder.runEnded();
    recorder.stop();
    return { room, rows: await messages(h, room.id) };
  }

  it('scenario 32: max_interactions=3 stops at exactly 3 real replies, skips not counted', async () => {
    const capped = await alternatingRoom(3);
    expect(replies(capped.rows)).toHaveLength(3);
    expect(skipMarkers(capped.rows).length).toBeGreaterThanOrEqual(2);
    // The room is not finished: it stopped on its cap, not on a silent round.
    expect((await getRoom(h.t, h.admin, capped.room.id)).is_finished).toBe(false);
    // The same agents without a cap go on past 3 replies.
    const free = await alternatingRoom(null);
    expect(replies(free.rows).length).toBeGreaterThan(3);

    // A later user message gets no reply: the room already holds its 3.
    const recorder = recordEvents(h, capped.room.id);
    const before = roomRequests(h, capped.room.id).length;
    await send(h, capped.room.id, 'More?');
    await recorder.runEnded();
    expect(roomRequests(h, capped.room.id)).toHaveLength(before);
    recorder.stop();
  });

  it('max_interactions=0 allows no reply at all', async () => {
    h.provider.setScript((request) => [{ text: `${request.agentName} replies` }]);
    const room = await roomWith(h, [await makeAgent(h, 'Zero1'), await makeAgent(h, 'Zero2')], { max_interactions: 0 });
    const recorder = recordEvents(h, room.id);
    await send(h, room.id, 'Hello?');
    await recorder.runEnded();
    expect(roomRequests(h, room.id)).toHaveLength(0);
    expect(replies(await messages(h, room.id))).toHaveLength(0);
    expect(ofType(recorder.events, 'agent_start')).toHaveLength(0);
    recorder.stop();
  });
});
