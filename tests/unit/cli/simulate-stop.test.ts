import { describe, expect, it } from 'vitest';
import type { SimRoom } from '../../../src/server/cli/simulate-api.js';
import { findAgents } from '../../../src/server/cli/simulate-setup.js';
import { createStopTracker, describeStop, isCountedReply, type StopTrackerOptions } from '../../../src/server/cli/simulate-stop.js';
import { notice, reply, skip, topicMessage } from './simulate-fixtures.js';

const CRITIC = 9;

function tracker(overrides: Partial<StopTrackerOptions> = {}) {
  return createStopTracker({
    maxInteractions: 3,
    idleTimeoutMs: 120_000,
    deadlineAt: 1_200_000,
    activeSince: 0,
    criticIds: new Set([CRITIC]),
    ...overrides,
  });
}

const room = (flags: Partial<SimRoom>): SimRoom => ({
  id: 1,
  name: 'R',
  max_interactions: 3,
  is_paused: false,
  is_finished: false,
  default_provider: 'openai',
  default_model: null,
  ...flags,
});

describe('isCountedReply', () => {
  it('counts agent replies only: not skips, notices, user messages or critics', () => {
    const critics = new Set([CRITIC]);
    expect(isCountedReply(reply(1, 'Mira', 'Hi'), critics)).toBe(true);
    expect(isCountedReply(skip(1, 'Mira'), critics)).toBe(false);
    expect(isCountedReply(notice('Mira could not respond: x'), critics)).toBe(false);
    expect(isCountedReply(topicMessage('T'), critics)).toBe(false);
    expect(isCountedReply(reply(CRITIC, 'Critic', 'Report'), critics)).toBe(false);
  });
});

describe('createStopTracker', () => {
  it('stops when the real replies reach max interactions, skips and notices not counted', () => {
    const stop = tracker();
    stop.onMessage(topicMessage('T'), 1);
    stop.onMessage(reply(1, 'A', 'a'), 2);
    stop.onMessage(skip(2, 'B'), 3);
    stop.onMessage(notice('n'), 4);
    stop.onMessage(reply(CRITIC, 'Critic', 'c'), 5);
    stop.onMessage(reply(2, 'B', 'b'), 6);
    expect(stop.check(7)).toBeNull();
    stop.onMessage(reply(1, 'A', 'a2'), 8);
    expect(stop.replies).toBe(3);
    expect(stop.check(9)).toBe('max_interactions');
  });

  it('stops when no message arrives for the idle timeout, any message or streaming resetting it', () => {
    const stop = tracker({ idleTimeoutMs: 100 });
    expect(stop.check(99)).toBeNull();
    stop.onMessage(skip(1, 'A'), 99);
    expect(stop.check(198)).toBeNull();
    stop.onActivity(150);
    stop.onActivity(190);
    expect(stop.check(289)).toBeNull();
    expect(stop.check(290)).toBe('idle');
  });

  it('stops at the overall deadline even while messages keep coming', () => {
    const stop = tracker({ deadlineAt: 500, idleTimeoutMs: 100 });
    stop.onMessage(topicMessage('T'), 450);
    expect(stop.check(499)).toBeNull();
    expect(stop.check(500)).toBe('timeout');
  });

  it('stops when the room finishes or is paused by someone else', () => {
    const finished = tracker();
    finished.onRoom(room({}));
    expect(finished.reason).toBeNull();
    finished.onRoom(room({ is_finished: true }));
    expect(finished.check(1)).toBe('finished');
    const paused = tracker();
    paused.onRoom(room({ is_paused: true }));
    expect(paused.check(1)).toBe('paused');
  });

  it('keeps the first reason', () => {
    const stop = tracker({ idleTimeoutMs: 10 });
    stop.stop('interrupted');
    stop.onRoom(room({ is_finished: true }));
    expect(stop.check(1_000)).toBe('interrupted');
  });
});

describe('describeStop', () => {
  const numbers = { replies: 2, maxInteractions: 4, idleTimeoutMs: 120_000, timeoutMs: 1_500 };
  it('says why the simulation ended in one sentence', () => {
    expect(describeStop('max_interactions', { ...numbers, replies: 4 })).toBe('reached 4 of 4 agent replies');
    expect(describeStop('idle', numbers)).toBe('no new message for 120 s (2 of 4 agent replies)');
    expect(describeStop('timeout', numbers)).toBe('the overall timeout of 1.5 s passed (2 of 4 agent replies)');
    expect(describeStop('interrupted', numbers)).toBe('interrupted by the user after 2 of 4 agent replies');
  });
});

describe('findAgents', () => {
  const known = [
    { id: 1, name: 'Mira', is_critic: false },
    { id: 2, name: '한서윤', is_critic: false },
  ];

  it('matches names exactly after NFC normalisation, in the requested order', () => {
    const { found, missing } = findAgents(known, ['한서윤'.normalize('NFD'), 'Mira']);
    expect(found.map((agent) => agent.id)).toEqual([2, 1]);
    expect(missing).toEqual([]);
  });

  it('lists every missing name, case mismatches included', () => {
    expect(findAgents(known, ['mira', 'Mira', 'Ghost']).missing).toEqual(['mira', 'Ghost']);
  });
});
