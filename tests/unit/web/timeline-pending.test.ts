import { describe, expect, it } from 'vitest';
import { timelineReducer } from '../../../src/web/timeline/timeline-reducer.js';
import {
  emptyTimeline,
  type SendFailure,
  type Timeline,
  type TimelineAction,
} from '../../../src/web/timeline/timeline-types.js';
import { message, pendingSend, ROOM_ID, sendBody, userMessage } from './helpers/fixtures.js';

function run(actions: readonly TimelineAction[], start: Timeline = emptyTimeline(ROOM_ID)): Timeline {
  return actions.reduce(timelineReducer, start);
}

const at = 1_000;
const base = run([{ type: 'pageLoaded', which: 'newest', messages: [message(1), message(2)], limit: 200 }]);
const networkError: SendFailure = { reason: 'network', status: null, detail: null };
const invalid: SendFailure = { reason: 'invalid', status: 422, detail: 'bad' };

function queued(localId: string, content: string, createdAt = 1_000): TimelineAction {
  return { type: 'sendQueued', item: pendingSend(localId, content, { createdAt }) };
}

function started(localId: string, afterId: number | null = 2): TimelineAction {
  return { type: 'sendStarted', localId, afterId };
}

describe('pending sends: lifecycle', () => {
  it('adds a queued send once, however often it is queued', () => {
    const t = run([queued('a', 'hi'), queued('a', 'hi')], base);
    expect(t.pending.map((item) => item.localId)).toEqual(['a']);
  });

  it('marks a send as sending with the newest id held when its first POST starts', () => {
    const t = run([queued('a', 'hi'), started('a', 2)], base);
    expect(t.pending[0]).toMatchObject({ status: 'sending', afterId: 2 });
  });

  it('keeps the floor of the first POST when the send is retried later', () => {
    const t = run(
      [
        queued('a', 'hi'),
        started('a', 2),
        { type: 'sendFailed', localId: 'a', error: networkError, outcomeUnknown: true },
        { type: 'message', message: message(3), at },
        { type: 'sendRetried', localId: 'a' },
        started('a', 3),
      ],
      base,
    );
    expect(t.pending[0]).toMatchObject({ status: 'sending', afterId: 2, outcomeUnknown: true });
  });

  it('marks a failed send with its reason and clears it on retry', () => {
    const failed = run([queued('a', 'hi'), started('a'), { type: 'sendFailed', localId: 'a', error: invalid, outcomeUnknown: false }], base);
    expect(failed.pending[0]).toMatchObject({ status: 'failed', error: invalid });
    const retried = timelineReducer(failed, { type: 'sendRetried', localId: 'a' });
    expect(retried.pending[0]?.status).toBe('queued');
    expect(retried.pending[0]?.error).toBeUndefined();
  });

  it('shows a send waiting for the connection', () => {
    const t = run([queued('a', 'hi'), { type: 'sendWaiting', localId: 'a', outcomeUnknown: false }], base);
    expect(t.pending[0]?.status).toBe('waiting');
  });

  it('removes a discarded send and brings it back in creation order on undo', () => {
    const two = run([queued('a', 'one', 1_000), queued('b', 'two', 2_000)], base);
    const item = two.pending[0];
    if (item === undefined) throw new Error('missing item');
    const discarded = timelineReducer(two, { type: 'sendDiscarded', localId: 'a' });
    expect(discarded.pending.map((held) => held.localId)).toEqual(['b']);
    const undone = timelineReducer(discarded, { type: 'sendRestored', items: [item] });
    expect(undone.pending.map((held) => held.localId)).toEqual(['a', 'b']);
  });

  it('replaces the send with the stored message on success, keeping its row key', () => {
    const t = run([queued('a', 'hi'), started('a'), { type: 'sendSucceeded', localId: 'a', message: userMessage(3, 'hi'), at }], base);
    expect(t.pending).toEqual([]);
    expect(t.messages.map((held) => held.id)).toEqual([1, 2, 3]);
    expect(t.rowKey[3]).toBe('send:a');
  });

  it('ignores an answer carrying a message of another room', () => {
    const sending = run([queued('a', 'hi'), started('a')], base);
    const t = timelineReducer(sending, {
      type: 'sendSucceeded',
      localId: 'a',
      message: userMessage(3, 'hi', { room_id: ROOM_ID + 1 }),
      at,
    });
    expect(t).toBe(sending);
  });
});

describe('pending sends: matching the stream', () => {
  it('confirms the send whose POST is in flight when its message arrives first', () => {
    const t = run([queued('a', '  hi  '), started('a'), { type: 'message', message: userMessage(3, 'hi'), at }], base);
    expect(t.pending).toEqual([]);
    expect(t.rowKey[3]).toBe('send:a');
  });

  it('does not confirm a send whose POST has not started', () => {
    const t = run([queued('a', 'hi'), { type: 'message', message: userMessage(3, 'hi'), at }], base);
    expect(t.pending).toHaveLength(1);
  });

  it('does not confirm a send that failed with a definite answer', () => {
    const t = run(
      [
        queued('a', 'hi'),
        started('a'),
        { type: 'sendFailed', localId: 'a', error: invalid, outcomeUnknown: false },
        { type: 'message', message: userMessage(3, 'hi'), at },
      ],
      base,
    );
    expect(t.pending).toHaveLength(1);
  });

  it('confirms a failed send whose outcome is unknown (the stored-check)', () => {
    const t = run(
      [
        queued('a', 'hi'),
        started('a'),
        { type: 'sendFailed', localId: 'a', error: networkError, outcomeUnknown: true },
        { type: 'message', message: userMessage(3, 'hi'), at },
      ],
      base,
    );
    expect(t.pending).toEqual([]);
  });

  it('does not confirm with a message the timeline could already have held', () => {
    const t = run([queued('a', 'hi'), started('a', 5), { type: 'message', message: userMessage(4, 'hi'), at }], base);
    expect(t.pending).toHaveLength(1);
  });

  it.each([
    ['content', userMessage(3, 'hello')],
    ['participant type', userMessage(3, 'hi', { participant_type: 'situation_builder' })],
    ['participant name', userMessage(3, 'hi', { participant_type: 'character', participant_name: 'Bob' })],
    ['image', userMessage(3, 'hi', { image_data: 'AAAA', image_media_type: 'image/webp' })],
    ['role', message(3, { role: 'assistant', participant_type: null, agent_id: 1, content: 'hi' })],
  ])('does not confirm when the %s differs', (_field, candidate) => {
    const t = run([queued('a', 'hi'), started('a'), { type: 'message', message: candidate, at }], base);
    expect(t.pending).toHaveLength(1);
  });

  it('matches a character send by its trimmed name and an image send by the presence of an image', () => {
    const body = sendBody('hi', {
      participant_type: 'character',
      participant_name: ' Bob ',
      image_data: 'BBBB',
      image_media_type: 'image/png',
    });
    const t = run(
      [
        { type: 'sendQueued', item: pendingSend('a', 'hi', { body }) },
        started('a'),
        {
          type: 'message',
          message: userMessage(3, 'hi', { participant_type: 'character', participant_name: 'Bob', image_data: 'webp' }),
          at,
        },
      ],
      base,
    );
    expect(t.pending).toEqual([]);
  });

  it('confirms two identical sends one by one, oldest first', () => {
    const t = run(
      [
        queued('a', 'hi', 1_000),
        queued('b', 'hi', 2_000),
        started('a'),
        { type: 'message', message: userMessage(3, 'hi'), at },
      ],
      base,
    );
    expect(t.pending.map((item) => item.localId)).toEqual(['b']);
    expect(t.rowKey[3]).toBe('send:a');
    const second = run([started('b', 3), { type: 'message', message: userMessage(4, 'hi'), at }], t);
    expect(second.pending).toEqual([]);
    expect(second.rowKey[4]).toBe('send:b');
  });

  it('only upserts the message when sendSucceeded arrives after the match', () => {
    const matched = run([queued('a', 'hi'), started('a'), { type: 'message', message: userMessage(3, 'hi'), at }], base);
    const t = timelineReducer(matched, { type: 'sendSucceeded', localId: 'a', message: userMessage(3, 'hi'), at });
    expect(t.messages.map((held) => held.id)).toEqual([1, 2, 3]);
    expect(t.pending).toEqual([]);
    expect(t.rowKey[3]).toBe('send:a');
    expect(t.claims).toEqual([]);
  });

  it('hands a wrongly matched message to the other identical send when the POST names another message', () => {
    // "a" failed without an answer, "b" is in flight; message 3 (really b's) is matched to the older "a".
    const matched = run(
      [
        queued('a', 'hi', 1_000),
        queued('b', 'hi', 2_000),
        started('a'),
        { type: 'sendFailed', localId: 'a', error: networkError, outcomeUnknown: true },
        started('b'),
        { type: 'message', message: userMessage(3, 'hi'), at },
      ],
      base,
    );
    expect(matched.pending.map((item) => item.localId)).toEqual(['b']);
    const t = timelineReducer(matched, { type: 'sendSucceeded', localId: 'b', message: userMessage(3, 'hi'), at });
    expect(t.pending.map((item) => [item.localId, item.status])).toEqual([['a', 'failed']]);
    expect(t.rowKey[3]).toBe('send:b');
  });

  it('re-matches the message a send claimed when its POST names a different one', () => {
    const matched = run(
      [
        queued('a', 'hi', 1_000),
        queued('b', 'hi', 2_000),
        started('a'),
        { type: 'sendFailed', localId: 'a', error: networkError, outcomeUnknown: true },
        started('b'),
        { type: 'message', message: userMessage(3, 'hi'), at },
      ],
      base,
    );
    // The retry of "a" now reports message 4, so message 3 was "b"'s after all.
    const t = run(
      [
        { type: 'sendRetried', localId: 'a' },
        { type: 'sendSucceeded', localId: 'a', message: userMessage(4, 'hi'), at },
      ],
      matched,
    );
    expect(t.pending).toEqual([]);
    expect(t.rowKey).toEqual({ 3: 'send:b', 4: 'send:a' });
  });

  it('confirms a send from the newest page read after a reconnect', () => {
    const t = run(
      [
        queued('a', 'hi'),
        started('a'),
        { type: 'reconcileNewest', messages: [message(1), message(2), userMessage(3, 'hi')], limit: 200 },
      ],
      base,
    );
    expect(t.pending).toEqual([]);
    expect(t.rowKey[3]).toBe('send:a');
  });

  it('does not let a deletion of a confirmed message revive its send', () => {
    const matched = run([queued('a', 'hi'), started('a'), { type: 'message', message: userMessage(3, 'hi'), at }], base);
    const t = run(
      [
        { type: 'deleted', data: { room_id: ROOM_ID, message_id: 3 } },
        { type: 'sendSucceeded', localId: 'a', message: userMessage(3, 'hi'), at },
      ],
      matched,
    );
    expect(t.pending).toEqual([]);
    expect(t.messages.map((held) => held.id)).toEqual([1, 2]);
  });
});
