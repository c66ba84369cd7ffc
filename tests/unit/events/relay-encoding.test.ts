import { describe, expect, it } from 'vitest';
import type { RoomEvent } from '../../../src/shared/events.js';
import type { Agent, Message, RoomWithAgents } from '../../../src/shared/models.js';
import { decodeWire, encodeEvent, parsePayload, PAYLOAD_LIMIT, type RelayRebuild } from '../../../src/server/events/postgres-relay.js';

const message = (content: string): Message => ({
  id: 42,
  room_id: 7,
  agent_id: null,
  content,
  role: 'user',
  participant_type: 'user',
  participant_name: null,
  thinking: null,
  anthropic_calls: null,
  image_data: null,
  image_media_type: null,
  provider: null,
  model: null,
  is_skip: false,
  timestamp: '2025-01-01T00:00:00.000Z',
  agent_name: null,
  agent_profile_pic: null,
});

const agent = (id: number): Agent =>
  ({ id, name: `Agent ${id}`, system_prompt: 'p'.repeat(3000), profile_pic: null, session_id: null }) as unknown as Agent;

const room = (agents: Agent[]): RoomWithAgents =>
  ({ id: 7, name: 'Harbour', is_paused: false, is_finished: false, running: 'user', agents }) as unknown as RoomWithAgents;

function rebuildFrom(messages: Message[], agents: Agent[]): RelayRebuild & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    message: async (id) => {
      reads.push(`message ${id}`);
      return messages.find((m) => m.id === id) ?? null;
    },
    agents: async (ids) => {
      reads.push(`agents ${ids.join(',')}`);
      return ids.flatMap((id) => agents.filter((a) => a.id === id));
    },
  };
}

async function roundTrip(event: RoomEvent, rebuild: RelayRebuild) {
  const payloads = encodeEvent('proc-a', 7, event);
  for (const payload of payloads) expect(Buffer.byteLength(payload)).toBeLessThan(PAYLOAD_LIMIT);
  const events: (RoomEvent | null)[] = [];
  for (const payload of payloads) {
    const wire = parsePayload(payload)!;
    expect(wire).toMatchObject({ o: 'proc-a', r: 7 });
    events.push(await decodeWire(wire, rebuild));
  }
  return { payloads, events };
}

describe('event relay encoding', () => {
  it('sends an event that fits inline and needs no database read', async () => {
    const event: RoomEvent = { type: 'message', data: message('hello') };
    const rebuild = rebuildFrom([], []);
    const { payloads, events } = await roundTrip(event, rebuild);
    expect(payloads).toHaveLength(1);
    expect(events).toEqual([event]);
    expect(rebuild.reads).toEqual([]);
  });

  it('sends a large message as its id and rebuilds it from the database', async () => {
    const big = message('é'.repeat(5000));
    const rebuild = rebuildFrom([big], []);
    const { payloads, events } = await roundTrip({ type: 'message', data: big }, rebuild);
    expect(JSON.parse(payloads[0]!)).toEqual({ o: 'proc-a', r: 7, m: 42 });
    expect(events).toEqual([{ type: 'message', data: big }]);
    expect(rebuild.reads).toEqual(['message 42']);
  });

  it('drops a referenced message that is gone by the time it is read', async () => {
    const { events } = await roundTrip({ type: 'message', data: message('x'.repeat(9000)) }, rebuildFrom([], []));
    expect(events).toEqual([null]);
  });

  it('sends a large room event with its fields inline and its agents as ids', async () => {
    const agents = [agent(3), agent(1), agent(2)];
    const event: RoomEvent = { type: 'room', data: { reason: 'deleted', room: room(agents) } };
    const rebuild = rebuildFrom([], agents);
    const { payloads, events } = await roundTrip(event, rebuild);
    expect(JSON.parse(payloads[0]!)).toMatchObject({ k: { reason: 'deleted', agents: [3, 1, 2], room: { name: 'Harbour', running: 'user' } } });
    expect(events).toEqual([event]);
    expect(rebuild.reads).toEqual(['agents 3,1,2']);
  });

  it('splits a large delta into ordered pieces that concatenate to the original text', async () => {
    const text = `${'ab"\n'.repeat(3000)}😀${'😀'.repeat(999)}`;
    const { payloads, events } = await roundTrip(
      { type: 'delta', data: { agent_id: 1, turn_id: 't', kind: 'response', text } },
      rebuildFrom([], []),
    );
    expect(payloads.length).toBeGreaterThan(1);
    const pieces = events.map((event) => (event?.type === 'delta' ? event.data.text : ''));
    expect(pieces.join('')).toBe(text);
    // No piece ends in half a surrogate pair.
    for (const piece of pieces) expect(piece).toBe(Buffer.from(piece, 'utf8').toString('utf8'));
  });

  it('shortens an oversized agent error and ignores payloads that are not ours', async () => {
    const { events } = await roundTrip(
      { type: 'agent_error', data: { agent_id: 1, agent_name: 'A', turn_id: 't', error: 'e'.repeat(20_000) } },
      rebuildFrom([], []),
    );
    expect(events[0]).toMatchObject({ type: 'agent_error', data: { error: `${'e'.repeat(1000)}…` } });
    expect(parsePayload('not json')).toBeNull();
    expect(parsePayload('{"o":"x","r":1}')).toBeNull();
  });
});

describe('events that stay in their process', () => {
  it('never relays a stream-local shutdown', () => {
    expect(encodeEvent('proc-a', 7, { type: 'shutdown', data: { reason: 'server_shutdown' } })).toEqual([]);
  });
});
