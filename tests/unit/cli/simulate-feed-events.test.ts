import { describe, expect, it } from 'vitest';
import { parseFeedEvent } from '../../../src/server/cli/simulate-feed.js';

describe('parseFeedEvent', () => {
  const message = {
    id: 5,
    room_id: 1,
    agent_id: 3,
    content: 'Hello',
    role: 'assistant',
    participant_type: null,
    participant_name: null,
    thinking: null,
    anthropic_calls: null,
    image_data: null,
    image_media_type: null,
    provider: 'openai',
    model: 'fake-model',
    is_skip: false,
    timestamp: '2026-01-05T09:30:00.123Z',
    agent_name: 'Mira',
    agent_profile_pic: null,
    a_field_added_later: true,
  };

  it('parses message events, keeping the fields the CLI reads', () => {
    const event = parseFeedEvent({ event: 'message', data: JSON.stringify(message) });
    expect(event?.type).toBe('message');
    expect(event).toMatchObject({ data: { id: 5, content: 'Hello', agent_name: 'Mira', is_skip: false } });
  });

  it('parses deltas, turn starts and ends, and room changes', () => {
    expect(parseFeedEvent({ event: 'delta', data: '{"agent_id":3,"turn_id":"t","kind":"response","text":"Hi"}' })).toEqual({
      type: 'delta',
      data: { agent_id: 3, turn_id: 't', kind: 'response', text: 'Hi' },
    });
    expect(parseFeedEvent({ event: 'agent_end', data: '{"agent_id":3,"agent_name":"Mira","turn_id":"t","outcome":"skipped","message_id":9}' })).toEqual({
      type: 'agent_end',
      data: { agent_id: 3, turn_id: 't', outcome: 'skipped' },
    });
    const room = { id: 1, name: 'R', max_interactions: 4, is_paused: false, is_finished: true, default_provider: 'openai', default_model: null };
    expect(parseFeedEvent({ event: 'room', data: JSON.stringify({ reason: 'finished', room: { ...room, agents: [] } }) })).toEqual({
      type: 'room',
      data: { reason: 'finished', room },
    });
  });

  it('returns null for unknown events, broken JSON and payloads of the wrong shape', () => {
    expect(parseFeedEvent({ event: 'message_deleted', data: '{"room_id":1,"message_id":2}' })).toBeNull();
    expect(parseFeedEvent({ event: 'message', data: '{not json' })).toBeNull();
    expect(parseFeedEvent({ event: 'delta', data: '{"agent_id":"3"}' })).toBeNull();
  });
});
