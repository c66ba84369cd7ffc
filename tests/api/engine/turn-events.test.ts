import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../../src/shared/models.js';
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
import { labels, ofType, roomCallIndex, roomRequests } from './engine-steps.js';

/** Turn events and provider failures (behavior.md §5.9, §5.16, §7.4 rule 4; api.md §9.3): scenarios 39–42, 61. */
describe.runIf(await databaseAvailable())('turn events and provider failures', () => {
  let h: EngineHarness;
  beforeAll(async () => {
    h = await startEngineHarness();
  });
  afterAll(async () => h?.close());

  const notices = (rows: readonly Message[]) => rows.filter((row) => row.participant_type === 'system');

  it('scenario 42: agent_start, deltas, message, agent_end — the message payload is the stored row', async () => {
    h.provider.setScript(() => [{ thinking: 'Let me ' }, { thinking: 'think.' }, { text: 'Hello' }, { text: ' world' }, { text: 'Second block', block: 1 }]);
    const room = await roomWith(h, [await makeAgent(h, 'Herald')]);
    const recorder = recordEvents(h, room.id);
    const user = await send(h, room.id, 'Speak');
    await recorder.runEnded();

    const rows = await messages(h, room.id);
    const reply = rows.at(-1)!;
    expect(reply.content).toBe('Hello world\n\nSecond block');
    const start = ofType(recorder.events, 'agent_start')[0]!;
    expect(start).toMatchObject({ agent_name: 'Herald', attempt: 1, provider: 'openai', model: 'instant-1', agent_profile_pic: null });
    const turn = labels(recorder.events, start.turn_id);
    expect(turn[0]).toBe('agent_start');
    expect(turn.at(-1)).toBe('agent_end:responded');
    expect(turn.slice(1, -1).every((label) => label === 'delta')).toBe(true);

    // The reply's message event sits between the last delta and agent_end; its payload is the REST row.
    const turnEvents = recorder.events.filter((event) => event.type !== 'room' && !(event.type === 'message' && event.data.id === user.id));
    expect(turnEvents.map((event) => event.type)).toEqual(['agent_start', ...turn.slice(1, -1), 'message', 'agent_end']);
    expect(ofType(recorder.events, 'message').find((message) => message.id === reply.id)).toEqual(reply);
    expect(ofType(recorder.events, 'agent_end')[0]).toEqual({
      agent_id: reply.agent_id,
      agent_name: 'Herald',
      turn_id: start.turn_id,
      outcome: 'responded',
      message_id: reply.id,
    });
    const deltas = ofType(recorder.events, 'delta');
    expect(deltas.filter((delta) => delta.kind === 'response').map((delta) => delta.text).join('')).toBe(reply.content);
    expect(deltas.filter((delta) => delta.kind === 'thinking').map((delta) => delta.text).join('')).toBe(reply.thinking);
    recorder.stop();
  });

  it('scenario 40: a transient error is retried once in the same turn; one message, no notice', async () => {
    const room = await roomWith(h, [await makeAgent(h, 'Retry')]);
    h.provider.setScript((request) =>
      roomCallIndex(h, room.id, request) === 1 ? [{ error: 'overloaded', transient: true }] : [{ text: 'Made it' }],
    );
    const recorder = recordEvents(h, room.id);
    await send(h, room.id, 'Try');
    await recorder.runEnded();

    const rows = await messages(h, room.id);
    expect(replies(rows).map((row) => row.content)).toEqual(['Made it']);
    expect(notices(rows)).toEqual([]);
    const starts = ofType(recorder.events, 'agent_start');
    expect(starts.map((start) => start.attempt)).toEqual([1, 2]);
    expect(starts[0]!.turn_id).toBe(starts[1]!.turn_id);
    expect(ofType(recorder.events, 'agent_error')).toEqual([]);
    expect(ofType(recorder.events, 'agent_end')).toEqual([expect.objectContaining({ turn_id: starts[0]!.turn_id, outcome: 'responded' })]);
    expect(roomRequests(h, room.id)).toHaveLength(2);
  });

  it('scenario 39: a transient error twice fails the turn after exactly 2 requests; the next agent still runs', async () => {
    const flaky = await makeAgent(h, 'Flaky', { priority: 2 });
    const steady = await makeAgent(h, 'Steady');
    const room = await roomWith(h, [flaky, steady]);
    h.provider.setScript((request) =>
      request.agentName === 'Flaky' && roomCallIndex(h, room.id, request) <= 2
        ? [{ error: 'overloaded', transient: true, message: 'HTTP 529 overloaded' }]
        : [{ text: `${request.agentName} is fine` }],
    );
    const recorder = recordEvents(h, room.id);
    await send(h, room.id, 'Both of you');
    await recorder.runEnded();

    const requests = roomRequests(h, room.id).map((request) => request.agentName);
    expect(requests.slice(0, 3)).toEqual(['Flaky', 'Flaky', 'Steady']);
    const rows = await messages(h, room.id);
    expect(notices(rows).map((row) => row.content)).toEqual(['Flaky could not respond: HTTP 529 overloaded']);
    expect(rows.some((row) => row.agent_id !== null && row.content.includes('529'))).toBe(false);
    const failed = ofType(recorder.events, 'agent_start')[0]!.turn_id;
    expect(ofType(recorder.events, 'agent_start').filter((start) => start.turn_id === failed).map((start) => start.attempt)).toEqual([1, 2]);
    expect(ofType(recorder.events, 'agent_end').find((end) => end.turn_id === failed)).toMatchObject({ outcome: 'error', message_id: null });
  });

  it('a permanent error: agent_error, the notice message, agent_end(error) in that order; the next agent still runs', async () => {
    const broken = await makeAgent(h, 'Broken', { priority: 2 });
    const fine = await makeAgent(h, 'Fine');
    const room = await roomWith(h, [broken, fine]);
    h.provider.setScript((request) =>
      request.agentName === 'Broken' && roomCallIndex(h, room.id, request) === 1
        ? [{ text: 'I was saying' }, { error: 'invalid_request', message: 'model not found' }]
        : [{ text: `${request.agentName} carries on` }],
    );
    const recorder = recordEvents(h, room.id);
    await send(h, room.id, 'Hello');
    await recorder.runEnded();

    const rows = await messages(h, room.id);
    const notice = notices(rows);
    expect(notice.map((row) => row.content)).toEqual(['Broken could not respond: model not found']);
    expect(notice[0]).toMatchObject({ agent_id: null, role: 'assistant' });
    // Nothing of the failed turn is stored, not even its streamed text.
    expect(rows.some((row) => row.content === 'I was saying')).toBe(false);
    // A permanent error is not retried.
    expect(roomRequests(h, room.id).map((request) => request.agentName).slice(0, 2)).toEqual(['Broken', 'Fine']);

    const failed = ofType(recorder.events, 'agent_start')[0]!;
    expect(failed.agent_name).toBe('Broken');
    const sequence = recorder.events
      .filter(
        (event) =>
          ('turn_id' in event.data && event.data.turn_id === failed.turn_id) || (event.type === 'message' && event.data.id === notice[0]!.id),
      )
      .map((event) => (event.type === 'agent_end' ? `agent_end:${event.data.outcome}` : event.type));
    expect(sequence.filter((label) => label !== 'delta')).toEqual(['agent_start', 'agent_error', 'message', 'agent_end:error']);
    expect(ofType(recorder.events, 'agent_error')[0]).toMatchObject({ agent_name: 'Broken', turn_id: failed.turn_id, error: 'model not found' });
    expect(ofType(recorder.events, 'agent_end').find((end) => end.turn_id === failed.turn_id)?.message_id).toBeNull();
    expect(replies(rows).some((row) => row.agent_name === 'Fine')).toBe(true);
  });

  it('a round with only errors stops the run without finishing the room', async () => {
    const room = await roomWith(h, [await makeAgent(h, 'Err1'), await makeAgent(h, 'Err2')]);
    h.provider.setScript(() => [{ error: 'auth', message: 'no key' }]);
    const recorder = recordEvents(h, room.id);
    await send(h, room.id, 'Anyone?');
    await recorder.runEnded();
    expect(roomRequests(h, room.id)).toHaveLength(2);
    expect(notices(await messages(h, room.id))).toHaveLength(2);
    expect((await getRoom(h.t, h.admin, room.id)).is_finished).toBe(false);
  });

  it('a transient error after streamed output is not retried: one request, one notice', async () => {
    const room = await roomWith(h, [await makeAgent(h, 'Midway')]);
    h.provider.setScript(() => [{ text: 'Half of it' }, { error: 'network', transient: true, message: 'connection reset' }]);
    const recorder = recordEvents(h, room.id);
    await send(h, room.id, 'Go');
    await recorder.runEnded();
    expect(roomRequests(h, room.id)).toHaveLength(1);
    const rows = await messages(h, room.id);
    expect(notices(rows).map((row) => row.content)).toEqual(['Midway could not respond: connection reset']);
    expect(replies(rows)).toEqual([]);
    expect(ofType(recorder.events, 'agent_start').map((start) => start.attempt)).toEqual([1]);
    recorder.stop();
  });

  it("an agent's unavailable provider override fails only that agent, with one notice per run", async () => {
    const odd = await makeAgent(h, 'OddOne');
    const normal = await makeAgent(h, 'Normal');
    await writeFile(join(h.t.dirs.agents, 'OddOne', 'agent.yaml'), 'provider: claude\n');
    const room = await roomWith(h, [odd, normal]);
    h.provider.setScript((request) => [{ text: `${request.agentName} here` }]);
    const recorder = recordEvents(h, room.id);
    await send(h, room.id, 'Both?');
    await recorder.runEnded();
    expect(roomRequests(h, room.id).map((request) => request.agentName)).toEqual(['Normal']);
    const rows = await messages(h, room.id);
    expect(notices(rows).map((row) => row.content)).toEqual(['No AI provider is available for this room (Not supported by this build yet).']);
    expect(ofType(recorder.events, 'agent_error')).toEqual([expect.objectContaining({ agent_name: 'OddOne' })]);
    expect(replies(rows).map((row) => row.agent_name)).toEqual(['Normal']);
    await send(h, room.id, 'Again?');
    await recorder.runEnded(2);
    expect(notices(await messages(h, room.id))).toHaveLength(2);
    recorder.stop();
  });

  it('scenario 61: an unavailable room provider gives one notice and one agent_error per run, no turn and no crash', async () => {
    const room = await roomWith(h, [await makeAgent(h, 'Nope1'), await makeAgent(h, 'Nope2')], { provider: 'claude' });
    expect(room.default_provider).toBe('claude');
    const recorder = recordEvents(h, room.id);
    for (const [index, text] of ['Hello?', 'Still there?'].entries()) {
      await send(h, room.id, text);
      await recorder.runEnded(index + 1);
      const rows = notices(await messages(h, room.id));
      expect(rows).toHaveLength(index + 1);
      expect(rows.at(-1)!.content).toBe('No AI provider is available for this room (Not supported by this build yet).');
      expect(ofType(recorder.events, 'agent_error')).toHaveLength(index + 1);
    }
    expect(ofType(recorder.events, 'agent_start')).toEqual([]);
    expect(roomRequests(h, room.id)).toEqual([]);
    expect((await getRoom(h.t, h.admin, room.id)).is_finished).toBe(false);
    const health = await h.t.request({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(200);
    recorder.stop();
  });
});
