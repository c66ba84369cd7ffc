import { describe, expect, it } from 'vitest';
import { timelineReducer } from '../../../src/web/timeline/timeline-reducer.js';
import { emptyTimeline, type Timeline, type TimelineAction } from '../../../src/web/timeline/timeline-types.js';
import {
  agentMessage,
  message,
  pendingSend,
  ROOM_ID,
  room,
  snapshotData,
  userMessage,
} from './helpers/fixtures.js';

function run(actions: readonly TimelineAction[], start: Timeline = emptyTimeline(ROOM_ID)): Timeline {
  return actions.reduce(timelineReducer, start);
}

function ids(t: Timeline): number[] {
  return t.messages.map((held) => held.id);
}

const at = 1_000;

describe('timelineReducer: messages', () => {
  it('keeps messages in ascending id order whatever order they arrive in', () => {
    const t = run([3, 1, 2].map((id) => ({ type: 'message', message: message(id), at })));
    expect(ids(t)).toEqual([1, 2, 3]);
  });

  it('upserts a message delivered twice, keeping one row with the newest fields', () => {
    const t = run([
      { type: 'message', message: message(1, { content: 'first' }), at },
      { type: 'message', message: message(1, { content: 'edited' }), at },
    ]);
    expect(ids(t)).toEqual([1]);
    expect(t.messages[0]?.content).toBe('edited');
  });

  it('returns the same timeline when an equal message is applied again', () => {
    const once = run([{ type: 'message', message: message(1), at }]);
    expect(timelineReducer(once, { type: 'message', message: message(1), at })).toBe(once);
  });

  it('ignores a message of another room', () => {
    const t = run([{ type: 'message', message: message(1, { room_id: ROOM_ID + 1 }), at }]);
    expect(t.messages).toEqual([]);
  });
});

describe('timelineReducer: deletions', () => {
  const loaded = run([{ type: 'pageLoaded', which: 'newest', messages: [message(1), message(2), message(3)], limit: 200 }]);

  it('removes the row on message_deleted', () => {
    const t = timelineReducer(loaded, { type: 'deleted', data: { room_id: ROOM_ID, message_id: 2 } });
    expect(ids(t)).toEqual([1, 3]);
  });

  it('does not bring a deleted message back from a page read before the deletion', () => {
    const t = run(
      [
        { type: 'deleted', data: { room_id: ROOM_ID, message_id: 2 } },
        { type: 'pageLoaded', which: 'newest', messages: [message(1), message(2), message(3)], limit: 200 },
        { type: 'message', message: message(2), at },
      ],
      loaded,
    );
    expect(ids(t)).toEqual([1, 3]);
  });

  it('ignores a deletion for another room', () => {
    const t = timelineReducer(loaded, { type: 'deleted', data: { room_id: ROOM_ID + 1, message_id: 2 } });
    expect(t).toBe(loaded);
  });

  it('hides a message deleted optimistically and puts it back in place on rollback', () => {
    const hidden = timelineReducer(loaded, { type: 'deleteOptimistic', messageId: 2 });
    expect(hidden.hidden).toEqual([2]);
    expect(ids(hidden)).toEqual([1, 2, 3]);
    const restored = timelineReducer(hidden, { type: 'deleteRolledBack', messageId: 2 });
    expect(restored.hidden).toEqual([]);
    expect(ids(restored)).toEqual([1, 2, 3]);
  });

  it('drops the hidden mark once the server confirms the deletion', () => {
    const t = run(
      [
        { type: 'deleteOptimistic', messageId: 2 },
        { type: 'deleted', data: { room_id: ROOM_ID, message_id: 2 } },
      ],
      loaded,
    );
    expect(t.hidden).toEqual([]);
    expect(ids(t)).toEqual([1, 3]);
  });

  it('ignores an optimistic delete of a message it does not hold', () => {
    expect(timelineReducer(loaded, { type: 'deleteOptimistic', messageId: 99 })).toBe(loaded);
  });
});

describe('timelineReducer: clearing', () => {
  const loaded = run([
    { type: 'pageLoaded', which: 'newest', messages: [message(1), message(2)], limit: 200 },
    { type: 'sendQueued', item: pendingSend('a', 'hello') },
  ]);

  it('empties the transcript on messages_cleared and keeps local sends', () => {
    const t = timelineReducer(loaded, { type: 'room', data: { reason: 'messages_cleared', room: room() } });
    expect(t.messages).toEqual([]);
    expect(t.pending.map((item) => item.localId)).toEqual(['a']);
    expect(t.hasMoreBefore).toBe(false);
  });

  it('never shows a cleared message again, but accepts newer ones', () => {
    const t = run(
      [
        { type: 'cleared' },
        { type: 'pageLoaded', which: 'older', messages: [message(1), message(2)], limit: 200 },
        { type: 'message', message: message(3), at },
      ],
      loaded,
    );
    expect(ids(t)).toEqual([3]);
  });

  it('gives the same result when the local clear and the room event both arrive', () => {
    const event: TimelineAction = { type: 'room', data: { reason: 'messages_cleared', room: room() } };
    expect(run([{ type: 'cleared' }, event], loaded)).toEqual(run([event], loaded));
  });
});

describe('timelineReducer: regenerate', () => {
  const loaded = run([{ type: 'pageLoaded', which: 'newest', messages: [message(1), agentMessage(2, 1)], limit: 200 }]);

  it('marks the row while regenerating and removes it with its message_deleted', () => {
    const started = timelineReducer(loaded, { type: 'regenerateStarted', messageId: 2 });
    expect(started.regenerating).toEqual([2]);
    const deleted = timelineReducer(started, { type: 'deleted', data: { room_id: ROOM_ID, message_id: 2 } });
    expect(deleted.regenerating).toEqual([]);
    expect(ids(deleted)).toEqual([1]);
  });

  it('restores the row when regenerate fails', () => {
    const t = run(
      [
        { type: 'regenerateStarted', messageId: 2 },
        { type: 'regenerateFailed', messageId: 2 },
      ],
      loaded,
    );
    expect(t.regenerating).toEqual([]);
    expect(ids(t)).toEqual([1, 2]);
  });
});

describe('timelineReducer: room state', () => {
  it('keeps the newest room from snapshot and room events', () => {
    const t = run([
      { type: 'snapshot', data: snapshotData({ room: room({ name: 'Old' }) }), at },
      { type: 'room', data: { reason: 'updated', room: room({ name: 'New' }) } },
    ]);
    expect(t.room?.name).toBe('New');
  });

  it('ignores a snapshot or room event of another room', () => {
    const other = room({ id: ROOM_ID + 1 });
    const t = run([
      { type: 'snapshot', data: snapshotData({ room_id: ROOM_ID + 1, room: other }), at },
      { type: 'room', data: { reason: 'updated', room: other } },
    ]);
    expect(t).toEqual(emptyTimeline(ROOM_ID));
  });

  it('tracks loading of older pages', () => {
    const requested = run([{ type: 'olderRequested' }]);
    expect(requested.loadingBefore).toBe(true);
    expect(timelineReducer(requested, { type: 'olderFailed' }).loadingBefore).toBe(false);
  });
});

describe('timelineReducer: reset', () => {
  it('forgets the server data and keeps local sends', () => {
    const t = run([
      { type: 'pageLoaded', which: 'newest', messages: [message(1)], limit: 200 },
      { type: 'snapshot', data: snapshotData(), at },
      { type: 'sendQueued', item: pendingSend('a', 'hello') },
      { type: 'deleted', data: { room_id: ROOM_ID, message_id: 5 } },
      { type: 'reset' },
    ]);
    expect(t).toEqual({ ...emptyTimeline(ROOM_ID), pending: [pendingSend('a', 'hello')] });
  });
});

describe('timelineReducer: user messages', () => {
  it('shows a user message that no local send matches as a plain row', () => {
    const t = run([{ type: 'message', message: userMessage(4, 'from another tab'), at }]);
    expect(ids(t)).toEqual([4]);
    expect(t.rowKey).toEqual({});
  });
});
