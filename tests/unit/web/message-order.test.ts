import { describe, expect, it } from 'vitest';
import { findMessageIndex, mergeMessages, removeMessages } from '../../../src/web/timeline/message-order.js';
import { animationFrameScheduler } from '../../../src/web/timeline/frame-scheduler.js';
import { roomsToEvict, touchRoom } from '../../../src/web/timeline/room-lru.js';
import { message } from './helpers/fixtures.js';

const held = [message(2), message(4), message(6)];

describe('message order', () => {
  it('appends newer messages and inserts older ones in place', () => {
    expect(mergeMessages(held, [message(7), message(3), message(1)]).map((m) => m.id)).toEqual([1, 2, 3, 4, 6, 7]);
  });

  it('returns the held array itself when nothing changes', () => {
    expect(mergeMessages(held, [message(4)])).toBe(held);
    expect(mergeMessages(held, [])).toBe(held);
    expect(removeMessages(held, new Set([5]))).toBe(held);
  });

  it('keeps the last copy of an id delivered twice in one batch', () => {
    const merged = mergeMessages([], [message(1, { content: 'a' }), message(1, { content: 'b' })]);
    expect(merged.map((m) => m.content)).toEqual(['b']);
  });

  it('finds ids by binary search', () => {
    expect(held.map((m) => findMessageIndex(held, m.id))).toEqual([0, 1, 2]);
    expect(findMessageIndex(held, 5)).toBe(-1);
  });
});

describe('room LRU', () => {
  it('moves a touched room to the most recent end', () => {
    expect(touchRoom([1, 2, 3], 1)).toEqual([2, 3, 1]);
  });

  it('evicts the oldest rooms that are not pinned', () => {
    expect(roomsToEvict([1, 2, 3, 4, 5, 6], 4, (id) => id === 1)).toEqual([2, 3]);
  });
});

describe('animationFrameScheduler', () => {
  it('runs the callback on the next frame and cancels it on request', () => {
    const frames = new Map<number, (time: number) => void>();
    let next = 0;
    const scheduler = animationFrameScheduler({
      requestAnimationFrame: (callback) => {
        frames.set(++next, callback);
        return next;
      },
      cancelAnimationFrame: (handle) => frames.delete(handle),
    });
    let ran = 0;
    scheduler.request(() => (ran += 1));
    const cancel = scheduler.request(() => (ran += 10));
    cancel();
    for (const frame of frames.values()) frame(16);
    expect(ran).toBe(1);
  });
});
