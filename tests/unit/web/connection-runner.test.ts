import { describe, expect, it } from 'vitest';
import type { ChattingAgent, Message } from '../../../src/shared/models.js';
import type { ApiResult } from '../../../src/web/connection/api-result.js';
import { createConnectionRunner } from '../../../src/web/connection/connection-runner.js';
import type { ConnectionApi } from '../../../src/web/connection/room-reads.js';
import type { UnavailableReason } from '../../../src/web/connection/connection-types.js';
import { timelineAccess } from '../../../src/web/connection/timeline-access.js';
import { createTimelineStore } from '../../../src/web/timeline/timeline-store.js';
import { agentStart, delta, message, ROOM_ID, snapshotData } from './helpers/fixtures.js';
import { createFakeClock, settle } from './helpers/fake-clock.js';
import { createStreamOpener, sseEvent } from './helpers/fake-stream.js';
import { createManualScheduler } from './helpers/manual-scheduler.js';

const ok = <T>(value: T): ApiResult<T> => ({ ok: true, value });
const failure = (status: number | null): ApiResult<never> => ({ ok: false, status, retryAfterMs: null });

function setup(options: { cached?: readonly Message[] } = {}) {
  const clock = createFakeClock(1_000_000);
  const scheduler = createManualScheduler();
  const store = createTimelineStore({ scheduler, now: clock.now });
  store.open(ROOM_ID);
  if (options.cached !== undefined) {
    store.dispatch(ROOM_ID, { type: 'pageLoaded', which: 'newest', messages: options.cached, limit: 200 });
  }
  const stream = createStreamOpener();
  const calls: string[] = [];
  const answers = {
    newest: (): ApiResult<readonly Message[]> => ok([message(1), message(2)]),
    poll: (_sinceId: number | null): ApiResult<readonly Message[]> => ok([]),
    chatting: (): ApiResult<readonly ChattingAgent[]> => ok([]),
  };
  const api: ConnectionApi = {
    newestMessages: async (_room, limit) => {
      calls.push(`newest:${limit}`);
      return answers.newest();
    },
    pollMessages: async (_room, sinceId) => {
      calls.push(`poll:${sinceId}`);
      return answers.poll(sinceId);
    },
    chattingAgents: async () => {
      calls.push('chatting');
      return answers.chatting();
    },
  };
  const signals = { sessionExpired: 0, unavailable: [] as UnavailableReason[], problems: [] as string[] };
  const runner = createConnectionRunner({
    roomId: ROOM_ID,
    openStream: stream.open,
    api,
    timeline: timelineAccess(store, ROOM_ID),
    timers: clock.timers,
    now: clock.now,
    random: () => 0.5,
    onSessionExpired: () => (signals.sessionExpired += 1),
    onUnavailable: (reason) => signals.unavailable.push(reason),
    onProblem: (problem) => signals.problems.push(problem),
  });
  const timeline = () => {
    store.flush();
    return store.getSnapshot(ROOM_ID);
  };
  return { clock, store, stream, calls, answers, runner, signals, timeline };
}

async function startLive(harness: ReturnType<typeof setup>, lastMessageId: number | null = 2): Promise<void> {
  harness.runner.start({ online: true, hidden: false });
  await settle();
  harness.stream.last.write(sseEvent('snapshot', snapshotData({ last_message_id: lastMessageId })));
  await settle();
}

describe('connection runner: the stream', () => {
  it('opens the room stream with Accept and without Last-Event-ID on a fresh room, loading the first page', async () => {
    const h = setup();
    h.runner.start({ online: true, hidden: false });
    await settle();
    expect(h.stream.requests[0]).toMatchObject({
      url: `/api/rooms/${ROOM_ID}/events`,
      headers: { Accept: 'text/event-stream' },
    });
    expect(h.calls).toEqual(['newest:200']);
    expect(h.timeline().messages.map((held) => held.id)).toEqual([1, 2]);
  });

  it('goes live on the snapshot and hands events to the timeline', async () => {
    const h = setup();
    await startLive(h);
    expect(h.runner.getState().status.kind).toBe('live');
    h.stream.last.write(sseEvent('message', message(3), 3));
    h.stream.last.write(sseEvent('agent_start', agentStart(1, 'T')));
    h.stream.last.write(sseEvent('delta', delta(1, 'T', 'response', 'Hi')));
    await settle();
    const t = h.timeline();
    expect(t.messages.map((held) => held.id)).toEqual([1, 2, 3]);
    expect(t.live[0]?.response).toBe('Hi');
  });

  it('resumes with Last-Event-ID from the highest id held and reconciles the newest page', async () => {
    const h = setup({ cached: [message(1), message(2), message(5)] });
    h.runner.start({ online: true, hidden: false });
    await settle();
    expect(h.stream.requests[0]?.headers['Last-Event-ID']).toBe('5');
    expect(h.calls).toEqual([]);
    h.answers.newest = () => ok([message(1), message(5)]);
    h.stream.last.write(sseEvent('snapshot', snapshotData({ last_message_id: 5 })));
    await settle();
    expect(h.calls).toEqual(['newest:200']);
    expect(h.timeline().messages.map((held) => held.id)).toEqual([1, 5]);
  });

  it('reconnects after the stream ends, resuming from what it holds', async () => {
    const h = setup();
    await startLive(h);
    h.stream.last.write(sseEvent('message', message(3), 3));
    await settle();
    h.stream.last.end();
    await settle();
    expect(h.runner.getState().status.kind).toBe('reconnecting');
    await h.clock.advance(1_000);
    expect(h.stream.requests).toHaveLength(2);
    expect(h.stream.requests[1]?.headers['Last-Event-ID']).toBe('3');
  });

  it('treats 45 s without a byte as a failure', async () => {
    const h = setup();
    await startLive(h);
    await h.clock.advance(44_000);
    expect(h.runner.getState().status.kind).toBe('live');
    await h.clock.advance(1_000);
    expect(h.runner.getState().status.kind).toBe('reconnecting');
    expect(h.stream.requests[0]?.signal.aborted).toBe(true);
  });

  it('counts a ping as a sign of life', async () => {
    const h = setup();
    await startLive(h);
    await h.clock.advance(40_000);
    h.stream.last.write(': ping\n\n');
    await settle();
    await h.clock.advance(40_000);
    expect(h.runner.getState().status.kind).toBe('live');
  });

  it('waits for Retry-After when the server answers 429', async () => {
    const h = setup();
    h.stream.answer({ status: 429, retryAfter: '12' });
    h.runner.start({ online: true, hidden: false });
    await settle();
    await h.clock.advance(11_999);
    expect(h.stream.requests).toHaveLength(1);
    await h.clock.advance(1);
    expect(h.stream.requests).toHaveLength(2);
  });

  it('starts session expiry on a 401', async () => {
    const h = setup();
    h.stream.answer(401);
    h.runner.start({ online: true, hidden: false });
    await settle();
    expect(h.runner.getState().status.kind).toBe('unauthorized');
    expect(h.signals.sessionExpired).toBe(1);
  });

  it('reports the room unavailable on a 404', async () => {
    const h = setup();
    h.stream.answer(404);
    h.runner.start({ online: true, hidden: false });
    await settle();
    expect(h.signals.unavailable).toEqual(['not_found']);
  });

  it('drops a malformed event and reports it', async () => {
    const h = setup();
    await startLive(h);
    h.stream.last.write('event: message\ndata: {"id":"x"}\n\n');
    await settle();
    expect(h.signals.problems).toEqual(['Dropped a malformed message event']);
    expect(h.runner.getState().status.kind).toBe('live');
  });

  it('ignores what an aborted stream still delivers', async () => {
    const h = setup();
    await startLive(h);
    const old = h.stream.last;
    h.runner.retryNow();
    await settle();
    old.write(sseEvent('message', message(9), 9));
    await settle();
    expect(h.timeline().messages.map((held) => held.id)).not.toContain(9);
  });

  it('stops the stream and every timer when the room is left', async () => {
    const h = setup();
    await startLive(h);
    h.runner.stop();
    expect(h.stream.requests[0]?.signal.aborted).toBe(true);
    expect(h.clock.scheduled()).toEqual([]);
  });

  it('notifies subscribers when the state changes', async () => {
    const h = setup();
    const seen: string[] = [];
    h.runner.subscribe(() => seen.push(h.runner.getState().status.kind));
    await startLive(h);
    expect(seen).toContain('live');
  });
});

describe('connection runner: gap fill', () => {
  it('polls the messages between the first page and the snapshot', async () => {
    const h = setup();
    h.answers.poll = (sinceId) => (sinceId === 2 ? ok([message(3), message(4)]) : ok([]));
    await startLive(h, 4);
    expect(h.calls).toEqual(['newest:200', 'poll:2']);
    expect(h.timeline().messages.map((held) => held.id)).toEqual([1, 2, 3, 4]);
  });

  it('resets to the newest page when ten polls do not close the gap', async () => {
    const h = setup();
    h.answers.poll = (sinceId) => ok(Array.from({ length: 100 }, (_, index) => message((sinceId ?? 0) + index + 1)));
    await startLive(h, 5_000);
    expect(h.calls.filter((call) => call.startsWith('poll'))).toHaveLength(10);
    expect(h.calls[h.calls.length - 1]).toBe('newest:200');
  });
});

describe('connection runner: polling fallback', () => {
  async function pollingHarness() {
    const h = setup();
    h.stream.answer(new Error('down'), new Error('down'), new Error('down'), new Error('down'), new Error('down'));
    h.runner.start({ online: true, hidden: false });
    await settle();
    await h.clock.advance(1_000 + 2_000 + 4_000 + 8_000);
    return h;
  }

  it('polls messages and chatting agents after five failed connects', async () => {
    const h = await pollingHarness();
    expect(h.runner.getState().status.kind).toBe('polling');
    expect(h.calls).toEqual(expect.arrayContaining(['poll:2', 'chatting']));
  });

  it('drives the live bubbles from chatting agents', async () => {
    const h = await pollingHarness();
    h.answers.chatting = () => ok([{ id: 1, name: 'Mira', profile_pic: null, thinking_text: '', response_text: 'Hel' }]);
    await h.clock.advance(3_000);
    expect(h.timeline().live[0]).toMatchObject({ agentId: 1, response: 'Hel' });
  });

  it('goes back to live through the 60 s stream attempt and stops polling', async () => {
    const h = await pollingHarness();
    await h.clock.advance(60_000);
    expect(h.stream.requests).toHaveLength(6);
    h.stream.last.write(sseEvent('snapshot', snapshotData({ last_message_id: 2 })));
    await settle();
    expect(h.runner.getState().status.kind).toBe('live');
    const before = h.calls.length;
    await h.clock.advance(10_000);
    expect(h.calls.slice(before).filter((call) => call === 'chatting' || call.startsWith('poll'))).toEqual([]);
  });

  it('ends in unauthorized when a poll answers 401', async () => {
    const h = await pollingHarness();
    h.answers.poll = () => failure(401);
    await h.clock.advance(3_000);
    expect(h.runner.getState().status.kind).toBe('unauthorized');
    expect(h.signals.sessionExpired).toBe(1);
  });
});

describe('connection runner: browser state', () => {
  it('closes the stream while offline and reconnects when online again', async () => {
    const h = setup();
    await startLive(h);
    h.runner.setOnline(false);
    expect(h.runner.getState().status.kind).toBe('offline');
    expect(h.stream.requests[0]?.signal.aborted).toBe(true);
    h.runner.setOnline(true);
    await settle();
    expect(h.stream.requests).toHaveLength(2);
  });

  it('suspends after 60 s hidden and resumes with Last-Event-ID when visible', async () => {
    const h = setup();
    await startLive(h);
    h.runner.setHidden(true);
    await h.clock.advance(60_000);
    expect(h.runner.getState().status.kind).toBe('suspended');
    h.runner.setHidden(false);
    await settle();
    expect(h.stream.requests[1]?.headers['Last-Event-ID']).toBe('2');
  });
});

describe('connection runner: truncated replay', () => {
  it('replaces the held history with the newest page when the server could not replay the gap', async () => {
    const h = setup({ cached: [message(1), message(2)] });
    h.answers.newest = () => ok(Array.from({ length: 200 }, (_, index) => message(5_001 + index)));
    h.runner.start({ online: true, hidden: false });
    await settle();
    h.stream.last.write(sseEvent('snapshot', snapshotData({ last_message_id: 5_200, replay_truncated: true })));
    await settle();
    const t = h.timeline();
    expect(t.messages[0]?.id).toBe(5_001);
    expect(t.messages).toHaveLength(200);
    expect(t.hasMoreBefore).toBe(true);
  });
});
