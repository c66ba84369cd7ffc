import { describe, expect, it, vi } from 'vitest';
import { onMentionRequest, requestMention } from '../../src/web/composer/composer-events';

describe('composer events', () => {
  it('delivers a mention request to the listeners of that room only', () => {
    const room1 = vi.fn();
    const room2 = vi.fn();
    const stop1 = onMentionRequest(101, room1);
    const stop2 = onMentionRequest(102, room2);
    requestMention(101, 'Mira');
    expect(room1).toHaveBeenCalledWith('Mira');
    expect(room2).not.toHaveBeenCalled();
    stop1();
    stop2();
  });

  it('keeps the latest request made while no composer listens, and hands it to the next one once', () => {
    requestMention(103, 'Mira');
    requestMention(103, '하늘');
    const listener = vi.fn();
    const stop = onMentionRequest(103, listener);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener).toHaveBeenCalledWith('하늘');
    stop();
    const later = vi.fn();
    onMentionRequest(103, later)();
    expect(later).not.toHaveBeenCalled();
  });

  it('stops delivering after unsubscribe', () => {
    const listener = vi.fn();
    onMentionRequest(104, listener)();
    requestMention(104, 'Mira');
    expect(listener).not.toHaveBeenCalled();
    // The request waits for the next listener instead.
    const next = vi.fn();
    onMentionRequest(104, next)();
    expect(next).toHaveBeenCalledWith('Mira');
  });
});
