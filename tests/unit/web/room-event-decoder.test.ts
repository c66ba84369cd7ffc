import { describe, expect, it } from 'vitest';
import { decodeRoomEvent } from '../../../src/web/connection/room-event-decoder.js';
import { agentEnd, agentError, agentStart, delta, generating, message, room, snapshotData } from './helpers/fixtures.js';

function frame(event: string, data: unknown) {
  return { kind: 'event' as const, event, data: JSON.stringify(data), id: null };
}

describe('decodeRoomEvent', () => {
  it.each([
    ['snapshot', snapshotData({ last_message_id: 4, generating: [generating(1, 'T')] })],
    ['message', message(4)],
    ['message_deleted', { room_id: 7, message_id: 4 }],
    ['room', { reason: 'paused', room: room() }],
    ['agent_start', agentStart(1, 'T')],
    ['delta', delta(1, 'T', 'response', 'hi')],
    ['agent_end', agentEnd(1, 'T', 'skipped', 5)],
    ['agent_error', agentError(1, 'T')],
    ['shutdown', { reason: 'server_shutdown' }],
  ])('decodes a %s event with its exact payload', (name, data) => {
    expect(decodeRoomEvent(frame(name, data))).toEqual({ kind: 'event', event: { type: name, data } });
  });

  it('skips an event name it does not know', () => {
    expect(decodeRoomEvent(frame('typing', {}))).toEqual({ kind: 'unknown', name: 'typing' });
  });

  it('does not take an inherited property name for an event name', () => {
    expect(decodeRoomEvent(frame('toString', {})).kind).toBe('unknown');
  });

  it('rejects data that is not JSON', () => {
    expect(decodeRoomEvent({ kind: 'event', event: 'message', data: '{', id: null })).toEqual({
      kind: 'malformed',
      name: 'message',
    });
  });

  it.each([
    ['message', { ...message(4), id: '4' }],
    ['message_deleted', { room_id: 7 }],
    ['delta', { ...delta(1, 'T', 'response', 'x'), kind: 'tool' }],
    ['agent_end', { ...agentEnd(1, 'T', 'responded', 1), outcome: 'cancelled' }],
    ['room', { reason: 'renamed', room: room() }],
    ['snapshot', { ...snapshotData(), generating: [{ agent_id: 1 }] }],
    ['agent_start', null],
  ])('rejects a %s event whose key fields have the wrong type', (name, data) => {
    expect(decodeRoomEvent(frame(name, data)).kind).toBe('malformed');
  });
});
