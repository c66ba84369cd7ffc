import { describe, expect, it } from 'vitest';
import { parseFeedEvent } from '../../../src/server/cli/simulate-feed.js';
import { createSseDecoder, type SseFrame } from '../../../src/server/cli/simulate-sse.js';

function decodeAll(...chunks: string[]): SseFrame[] {
  const decoder = createSseDecoder();
  return chunks.flatMap((chunk) => decoder.push(chunk));
}

const STREAM =
  'retry: 3000\n\n' +
  'event: snapshot\ndata: {"room_id":1}\n\n' +
  ': ping\n\n' +
  'event: message\nid: 42\ndata: {"id":42}\n\n';

describe('createSseDecoder', () => {
  it('reads retry, events with their id, and comments as the server frames them', () => {
    expect(decodeAll(STREAM)).toEqual([
      { kind: 'retry', ms: 3000 },
      { kind: 'event', event: 'snapshot', data: '{"room_id":1}', id: null },
      { kind: 'comment', text: 'ping' },
      { kind: 'event', event: 'message', data: '{"id":42}', id: '42' },
    ]);
  });

  it('gives the same frames whatever the chunk boundaries', () => {
    const whole = decodeAll(STREAM);
    for (let size = 1; size <= 7; size++) {
      const chunks: string[] = [];
      for (let i = 0; i < STREAM.length; i += size) chunks.push(STREAM.slice(i, i + size));
      expect(decodeAll(...chunks)).toEqual(whole);
    }
  });

  it('accepts CRLF and CR line endings, also when a CRLF is split between chunks', () => {
    const expected = [{ kind: 'event', event: 'delta', data: '{"text":"a"}', id: null }];
    expect(decodeAll('event: delta\r\ndata: {"text":"a"}\r\n\r\n')).toEqual(expected);
    expect(decodeAll('event: delta\rdata: {"text":"a"}\r\r')).toEqual(expected);
    expect(decodeAll('event: delta\r', '\ndata: {"text":"a"}\r', '\n\r', '\n')).toEqual(expected);
  });

  it('joins several data lines with a newline and strips only one leading space', () => {
    expect(decodeAll('data:  two spaces\ndata:none\n\n')).toEqual([{ kind: 'event', event: 'message', data: ' two spaces\nnone', id: null }]);
  });

  it('keeps the last id for later events and dispatches nothing for a block without data', () => {
    expect(decodeAll('id: 7\nevent: room\n\nevent: room\ndata: {}\n\n')).toEqual([{ kind: 'event', event: 'room', data: '{}', id: '7' }]);
  });

  it('holds back an unfinished event until its blank line arrives', () => {
    const decoder = createSseDecoder();
    expect(decoder.push('event: message\ndata: {"id":1}\n')).toEqual([]);
    expect(decoder.push('\n')).toEqual([{ kind: 'event', event: 'message', data: '{"id":1}', id: null }]);
  });

  it('ignores a byte order mark, unknown fields and a malformed retry', () => {
    expect(decodeAll('\uFEFFretry: soon\nfoo: bar\ndata: x\n\n')).toEqual([{ kind: 'event', event: 'message', data: 'x', id: null }]);
  });
});

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
