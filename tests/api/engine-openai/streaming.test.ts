import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomEvent } from '../../../src/shared/events.js';
import {
  makeAgent,
  messages,
  notices,
  recordEvents,
  replies,
  requestsFor,
  roomWith,
  scriptAgents,
  send,
  startOpenAiHarness,
  steps,
  type OpenAiHarness,
} from '../../helpers/openai-room.js';
import { databaseAvailable } from '../../helpers/test-database.js';

const chunk = (delta: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  `data: ${JSON.stringify({ id: 'chatcmpl-raw', object: 'chat.completion.chunk', created: 0, model: 'fake-model', choices: [{ index: 0, delta, finish_reason: null }], ...extra })}\n\n`;

const deltaText = (events: readonly RoomEvent[], kind: 'thinking' | 'response') =>
  events
    .filter((event): event is Extract<RoomEvent, { type: 'delta' }> => event.type === 'delta' && event.data.kind === kind)
    .map((event) => event.data.text)
    .join('');

/**
 * Streaming through the real AI SDK (behavior.md §7.8 rule 4, §5.7 rules 5 and 9, §5.9): deltas become events,
 * the stored reply is the streamed text exactly once, reasoning is stored as thinking, and stream content the
 * SDK does not know is not fatal.
 */
describe.runIf(await databaseAvailable())('openai streaming (behavior.md §7.8)', () => {
  let h: OpenAiHarness;
  beforeAll(async () => {
    h = await startOpenAiHarness({ env: { MAX_FOLLOW_UP_ROUNDS: '0' } });
  });
  afterAll(async () => h?.close());

  it('stores the streamed text exactly once and streamed reasoning as thinking, with events in order (scenarios 52, 60, 42)', async () => {
    const lux = await makeAgent(h, 'Lux');
    scriptAgents(h, {
      Lux: steps(
        { kind: 'reasoning', text: 'Where did I ' },
        { kind: 'reasoning', text: 'leave the lantern?' },
        { kind: 'text', text: 'The lantern ' },
        { kind: 'text', text: 'is on the pier', delayMs: 20 },
        { kind: 'text', text: '.' },
        { kind: 'usage', promptTokens: 120, completionTokens: 9 },
      ),
    });
    const room = await roomWith(h, [lux]);
    const recorder = recordEvents(h, room.id);
    await send(h, room.id, 'Where is the lantern?');
    await recorder.runEnded();

    const stored = await messages(h, room.id);
    const [row] = replies(stored);
    expect(replies(stored)).toHaveLength(1);
    expect(row).toMatchObject({
      agent_name: 'Lux',
      content: 'The lantern is on the pier.',
      thinking: 'Where did I leave the lantern?',
      provider: 'openai',
      model: 'fake-model',
      is_skip: false,
    });
    expect(deltaText(recorder.events, 'response')).toBe(row!.content);
    expect(deltaText(recorder.events, 'thinking')).toBe(row!.thinking);

    // From the turn's start on (the user message's own `message` event comes first).
    const turn = recorder.events.slice(recorder.events.findIndex((event) => event.type === 'agent_start')).filter((event) => event.type !== 'room');
    const types = turn.map((event) => event.type);
    expect(types[0]).toBe('agent_start');
    expect(types.slice(-2)).toEqual(['message', 'agent_end']);
    expect(new Set(types.slice(1, -2))).toEqual(new Set(['delta']));
    // The `message` payload is the row the messages route returns; agent_end points at it.
    expect(turn.at(-2)!.data).toEqual(row);
    expect(turn.at(-1)!.data).toMatchObject({ outcome: 'responded', message_id: row!.id });
    expect(turn[0]!.data).toMatchObject({ provider: 'openai', model: 'fake-model', attempt: 1 });
    recorder.stop();
  });

  it('ignores stream content it does not know: comments, unknown fields and unknown event types (scenario 53)', async () => {
    const nox = await makeAgent(h, 'Nox');
    scriptAgents(h, {
      Nox: steps(
        { kind: 'text', text: 'Still ' },
        { kind: 'raw', data: ': keep-alive\n\n' },
        { kind: 'raw', data: chunk({ content: 'here', future_field: { nested: true } }, { system_fingerprint: 'fp_x', x_unknown: [1, 2] }) },
        { kind: 'raw', data: 'event: ping\ndata: {"type":"ping"}\n\n' },
        { kind: 'text', text: ', after all.' },
      ),
    });
    const room = await roomWith(h, [nox]);
    const recorder = recordEvents(h, room.id);
    await send(h, room.id, 'Nox?');
    await recorder.runEnded();

    expect(requestsFor(h, 'Nox')).toHaveLength(1);
    const stored = await messages(h, room.id);
    expect(notices(stored)).toHaveLength(0);
    expect(replies(stored).map((message) => message.content)).toEqual(['Still here, after all.']);
    expect(recorder.events.find((event) => event.type === 'agent_end')?.data).toMatchObject({ outcome: 'responded' });
    recorder.stop();
  });
});
