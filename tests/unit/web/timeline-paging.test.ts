import { describe, expect, it } from 'vitest';
import { timelineReducer } from '../../../src/web/timeline/timeline-reducer.js';
import { emptyTimeline, type Timeline, type TimelineAction } from '../../../src/web/timeline/timeline-types.js';
import { message, ROOM_ID } from './helpers/fixtures.js';

function run(actions: readonly TimelineAction[], start: Timeline = emptyTimeline(ROOM_ID)): Timeline {
  return actions.reduce(timelineReducer, start);
}

function range(from: number, to: number) {
  return Array.from({ length: to - from + 1 }, (_, index) => message(from + index));
}

function ids(t: Timeline): number[] {
  return t.messages.map((held) => held.id);
}

describe('pages: the newest page', () => {
  it('marks the timeline loaded and says whether older messages exist', () => {
    const full = run([{ type: 'pageLoaded', which: 'newest', messages: range(11, 15), limit: 5 }]);
    expect(full).toMatchObject({ loaded: true, hasMoreBefore: true });
    const short = run([{ type: 'pageLoaded', which: 'newest', messages: range(1, 3), limit: 5 }]);
    expect(short).toMatchObject({ loaded: true, hasMoreBefore: false });
  });

  it('merges with stream messages that arrived before it', () => {
    const t = run([
      { type: 'message', message: message(6), at: 0 },
      { type: 'pageLoaded', which: 'newest', messages: range(1, 5), limit: 200 },
    ]);
    expect(ids(t)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('ignores a page holding messages of another room', () => {
    const t = run([{ type: 'pageLoaded', which: 'newest', messages: [message(1, { room_id: ROOM_ID + 1 })], limit: 200 }]);
    expect(t).toEqual(emptyTimeline(ROOM_ID));
  });
});

describe('pages: older messages', () => {
  const loaded = run([
    { type: 'pageLoaded', which: 'newest', messages: range(11, 15), limit: 5 },
    { type: 'olderRequested' },
  ]);

  it('prepends an older page and keeps paging while pages are full', () => {
    const t = timelineReducer(loaded, { type: 'pageLoaded', which: 'older', messages: range(6, 10), limit: 5 });
    expect(ids(t)).toEqual(range(6, 15).map((held) => held.id));
    expect(t).toMatchObject({ hasMoreBefore: true, loadingBefore: false });
  });

  it('stops at the start of history when a page is short', () => {
    const t = timelineReducer(loaded, { type: 'pageLoaded', which: 'older', messages: range(8, 10), limit: 5 });
    expect(t.hasMoreBefore).toBe(false);
  });
});

describe('pages: reconcileNewest', () => {
  const held = run([{ type: 'pageLoaded', which: 'newest', messages: range(1, 10), limit: 200 }]);

  it('drops held ids inside the page range that the page no longer has', () => {
    const page = range(1, 10).filter((held) => held.id !== 4 && held.id !== 7);
    const t = timelineReducer(held, { type: 'reconcileNewest', messages: page, limit: 200 });
    expect(ids(t)).toEqual([1, 2, 3, 5, 6, 8, 9, 10]);
  });

  it('keeps held messages below a full page, which the page does not cover', () => {
    const t = timelineReducer(held, { type: 'reconcileNewest', messages: range(6, 10), limit: 5 });
    expect(ids(t)).toEqual(range(1, 10).map((held) => held.id));
  });

  it('treats a short page as the whole history', () => {
    const t = timelineReducer(held, { type: 'reconcileNewest', messages: range(3, 10), limit: 200 });
    expect(ids(t)).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);
    expect(t.hasMoreBefore).toBe(false);
  });

  it('keeps stream messages newer than the page', () => {
    const withLive = timelineReducer(held, { type: 'message', message: message(11), at: 0 });
    const t = timelineReducer(withLive, { type: 'reconcileNewest', messages: range(1, 10), limit: 200, heldNewestAtRequest: 10 });
    expect(ids(t)).toContain(11);
  });

  it('drops held messages up to the newest id held at the request, deleted while away', () => {
    const t = timelineReducer(held, {
      type: 'reconcileNewest',
      messages: range(1, 8),
      limit: 200,
      heldNewestAtRequest: 10,
    });
    expect(ids(t)).toEqual(range(1, 8).map((held) => held.id));
  });

  it('empties a room cleared while away', () => {
    const t = timelineReducer(held, { type: 'reconcileNewest', messages: [], limit: 200, heldNewestAtRequest: 10 });
    expect(t.messages).toEqual([]);
  });

  it('replaces the held history when the page starts above everything held', () => {
    const t = timelineReducer(held, { type: 'reconcileNewest', messages: range(2001, 2005), limit: 5 });
    expect(ids(t)).toEqual([2001, 2002, 2003, 2004, 2005]);
    expect(t.hasMoreBefore).toBe(true);
  });

  it('never brings a dropped message back from a later replay', () => {
    const t = run(
      [
        { type: 'reconcileNewest', messages: range(1, 9), limit: 200, heldNewestAtRequest: 10 },
        { type: 'message', message: message(10), at: 0 },
      ],
      held,
    );
    expect(ids(t)).not.toContain(10);
  });

  it('forgets the row state of dropped messages', () => {
    const hidden = timelineReducer(held, { type: 'deleteOptimistic', messageId: 10 });
    const t = timelineReducer(hidden, { type: 'reconcileNewest', messages: range(1, 9), limit: 200, heldNewestAtRequest: 10 });
    expect(t.hidden).toEqual([]);
  });

  it('ignores a page of another room', () => {
    const t = timelineReducer(held, {
      type: 'reconcileNewest',
      messages: [message(1, { room_id: ROOM_ID + 1 })],
      limit: 200,
      heldNewestAtRequest: 10,
    });
    expect(t).toBe(held);
  });
});
