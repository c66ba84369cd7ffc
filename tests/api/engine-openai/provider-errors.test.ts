import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomEvent } from '../../../src/shared/events.js';
import {
  httpError,
  makeAgent,
  messages,
  notices,
  recordEvents,
  replies,
  reply,
  requestsFor,
  roomWith,
  scriptAgents,
  send,
  startOpenAiHarness,
  steps,
  type OpenAiHarness,
} from '../../helpers/openai-room.js';
import { databaseAvailable } from '../../helpers/test-database.js';

const SECRET_KEY = 'sk-test-do-not-leak-4f1c2a';

/** The events of one turn (by turn id), plus the `message` events in between that belong to it. */
function turnEvents(events: readonly RoomEvent[], agentId: number): { type: string; data: Record<string, unknown> }[] {
  const start = events.findIndex((event) => event.type === 'agent_start' && event.data.agent_id === agentId);
  if (start === -1) return [];
  const turnId = (events[start]!.data as { turn_id: string }).turn_id;
  const end = events.findIndex((event, index) => index > start && event.type === 'agent_end' && event.data.turn_id === turnId);
  return events
    .slice(start, end + 1)
    .filter((event) => event.type === 'message' || (event.type !== 'room' && 'turn_id' in event.data && event.data.turn_id === turnId))
    .map((event) => ({ type: event.type, data: event.data as unknown as Record<string, unknown> }));
}

/**
 * Provider failures through the real AI SDK (behavior.md §5.16, README resolution 3): HTTP errors, overload,
 * a server that accepts and never answers. One retry for transient errors, then one notice; the room carries on.
 */
describe.runIf(await databaseAvailable())('openai provider errors (behavior.md §5.16)', () => {
  let h: OpenAiHarness;
  beforeAll(async () => {
    h = await startOpenAiHarness({
      env: { MAX_FOLLOW_UP_ROUNDS: '0', TURN_FIRST_EVENT_TIMEOUT_S: '2', OPENAI_API_KEY: SECRET_KEY },
    });
  });
  afterAll(async () => h?.close());

  it('HTTP 500 twice: exactly 2 requests, one notice, agent_error → message → agent_end(error), and the next agent still speaks (scenario 39)', async () => {
    const ann = await makeAgent(h, 'Ann');
    const bo = await makeAgent(h, 'Bo');
    scriptAgents(h, { Ann: httpError(500, 'upstream exploded'), Bo: reply('Bo carries on.') });
    const room = await roomWith(h, [ann, bo]);
    const recorder = recordEvents(h, room.id);
    // Ann is mentioned so she goes first and Bo's turn comes after her failure.
    await send(h, room.id, { content: 'Ann, then Bo', mentioned_agent_ids: [ann.id] });
    await recorder.runEnded();

    expect(requestsFor(h, 'Ann')).toHaveLength(2);
    const stored = await messages(h, room.id);
    const [notice, ...others] = notices(stored);
    expect(others).toHaveLength(0);
    expect(notice).toMatchObject({ agent_id: null, participant_type: 'system', role: 'assistant' });
    expect(notice!.content).toMatch(/^Ann could not respond: HTTP 500/);
    expect(notice!.content).not.toMatch(/\n\s+at /);
    // No agent message carries the error; Bo's reply follows the notice.
    expect(replies(stored).map((message) => [message.agent_name, message.content, message.provider])).toEqual([['Bo', 'Bo carries on.', 'openai']]);
    expect(stored.findIndex((message) => message.id === notice!.id)).toBeLessThan(stored.findIndex((message) => message.agent_name === 'Bo'));

    const annTurn = turnEvents(recorder.events, ann.id);
    expect(annTurn.map((event) => event.type)).toEqual(['agent_start', 'agent_start', 'agent_error', 'message', 'agent_end']);
    expect(annTurn.slice(0, 2).map((event) => event.data.attempt)).toEqual([1, 2]);
    expect(annTurn[3]!.data.id).toBe(notice!.id);
    expect(annTurn[4]!.data).toMatchObject({ outcome: 'error', message_id: null });
    expect(String(annTurn[2]!.data.error)).toMatch(/HTTP 500/);
    expect(turnEvents(recorder.events, bo.id).at(-1)!.data).toMatchObject({ outcome: 'responded' });
    recorder.stop();
  });

  it('HTTP 529 once, then a reply: one agent message and no notice (scenario 40)', async () => {
    const cy = await makeAgent(h, 'Cy');
    scriptAgents(h, { Cy: [httpError(529, 'Overloaded'), reply('Sorry, ', 'I was busy.')] });
    const room = await roomWith(h, [cy]);
    const recorder = recordEvents(h, room.id);
    await send(h, room.id, 'Cy?');
    await recorder.runEnded();

    expect(requestsFor(h, 'Cy')).toHaveLength(2);
    const stored = await messages(h, room.id);
    expect(notices(stored)).toHaveLength(0);
    expect(replies(stored).map((message) => message.content)).toEqual(['Sorry, I was busy.']);
    const turn = turnEvents(recorder.events, cy.id);
    expect(turn.filter((event) => event.type === 'agent_start').map((event) => event.data.attempt)).toEqual([1, 2]);
    expect(turn.some((event) => event.type === 'agent_error')).toBe(false);
    expect(turn.at(-1)!.data).toMatchObject({ outcome: 'responded', message_id: replies(stored)[0]!.id });
    recorder.stop();
  });

  it('a server that accepts and stays silent past TURN_FIRST_EVENT_TIMEOUT_S: one retry, then a notice; the room still answers (scenario 41)', async () => {
    const dee = await makeAgent(h, 'Dee');
    // First attempt: no headers at all. Retry: headers and an empty role chunk, then nothing.
    scriptAgents(h, { Dee: [{ silent: true }, steps({ kind: 'hang' }), reply('I am back.')] });
    const room = await roomWith(h, [dee]);
    const recorder = recordEvents(h, room.id);
    const started = Date.now();
    await send(h, room.id, 'Dee, are you there?');
    await recorder.runEnded(1, 15_000);

    expect(Date.now() - started).toBeGreaterThanOrEqual(4000);
    expect(requestsFor(h, 'Dee')).toHaveLength(2);
    let stored = await messages(h, room.id);
    expect(replies(stored)).toHaveLength(0);
    expect(notices(stored).map((message) => message.content)).toEqual([
      'Dee could not respond: Turn timed out: first-event deadline of 2 s exceeded',
    ]);
    const turn = turnEvents(recorder.events, dee.id);
    expect(turn.map((event) => event.type)).toEqual(['agent_start', 'agent_start', 'agent_error', 'message', 'agent_end']);
    expect(turn.at(-1)!.data).toMatchObject({ outcome: 'error' });

    // The room is still usable: the next message is answered.
    await send(h, room.id, 'And now?');
    await recorder.runEnded(2);
    stored = await messages(h, room.id);
    expect(replies(stored).map((message) => message.content)).toEqual(['I am back.']);
    expect(notices(stored)).toHaveLength(1);
    recorder.stop();
  });

  it('a permanent error is not retried and its notice never carries the API key (§5.16 rules 2 and 4)', async () => {
    const eli = await makeAgent(h, 'Eli');
    scriptAgents(h, { Eli: httpError(401, `Incorrect API key provided: ${SECRET_KEY}`) });
    const room = await roomWith(h, [eli]);
    const recorder = recordEvents(h, room.id);
    await send(h, room.id, 'Eli?');
    await recorder.runEnded();

    const requests = requestsFor(h, 'Eli');
    expect(requests).toHaveLength(1);
    expect(requests[0]!.headers.authorization).toBe(`Bearer ${SECRET_KEY}`);
    const [notice] = notices(await messages(h, room.id));
    expect(notice!.content).toMatch(/^Eli could not respond: HTTP 401/);
    expect(notice!.content).not.toContain(SECRET_KEY);
    const error = recorder.events.find((event) => event.type === 'agent_error');
    expect(JSON.stringify(error)).not.toContain(SECRET_KEY);
    recorder.stop();
  });

  it('a stream that breaks after text was streamed is not retried, and its partial text is not stored (§5.16 rules 3 and 4)', async () => {
    const fay = await makeAgent(h, 'Fay');
    // The fake's pause lets the text chunk reach the client before it destroys the socket.
    scriptAgents(h, { Fay: [steps({ kind: 'text', text: 'I was about to say' }, { kind: 'delay', ms: 100 }, { kind: 'drop' }), reply('Never requested.')] });
    const room = await roomWith(h, [fay]);
    const recorder = recordEvents(h, room.id);
    await send(h, room.id, 'Fay?');
    await recorder.runEnded();

    expect(requestsFor(h, 'Fay')).toHaveLength(1);
    const stored = await messages(h, room.id);
    expect(replies(stored)).toHaveLength(0);
    expect(stored.some((message) => message.content.includes('I was about to say'))).toBe(false);
    expect(notices(stored)).toHaveLength(1);
    const turn = turnEvents(recorder.events, fay.id);
    expect(turn.map((event) => event.type)).toEqual(['agent_start', 'delta', 'agent_error', 'message', 'agent_end']);
    recorder.stop();
  });
});
