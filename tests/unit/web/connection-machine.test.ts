import { describe, expect, it } from 'vitest';
import { room, snapshotData } from './helpers/fixtures.js';
import { failRepeatedly, machine, timerMs, types } from './helpers/connection-driver.js';

describe('connection: connecting', () => {
  it('starts connecting by opening a stream and loading the first page', () => {
    const m = machine();
    expect(m.state.status).toEqual({ kind: 'connecting' });
    expect(types(m.effects)).toEqual(['openStream', 'startTimer', 'cancelTimer', 'loadPage']);
  });

  it('loads no first page for a room whose history is cached', () => {
    expect(types(machine({ hasHistory: true }).effects)).not.toContain('loadPage');
  });

  it('becomes live when the snapshot arrives, not when the response opens', () => {
    const m = machine();
    m.opened();
    expect(m.state.status.kind).toBe('connecting');
    m.snapshot();
    expect(m.state.status.kind).toBe('live');
  });

  it('ignores inputs from a stream it has replaced', () => {
    const m = machine();
    const old = m.state.streamId;
    m.step({ type: 'retryNow' });
    const before = m.state;
    m.step({ type: 'streamClosed', streamId: old });
    m.step({ type: 'streamEvent', streamId: old, event: { type: 'snapshot', data: snapshotData() } });
    expect(m.state).toBe(before);
  });
});

describe('connection: failures and backoff', () => {
  it('waits 1, 2, 4 and 8 s before the first four reconnects', () => {
    const m = machine();
    expect(failRepeatedly(m, 4)).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(m.state.failures).toBe(4);
  });

  it('shows when the next attempt happens', () => {
    const m = machine();
    m.advance(500);
    m.drop();
    expect(m.state.status).toEqual({ kind: 'reconnecting', attempt: 1, at: 1_500, reason: 'failure' });
  });

  it('applies the jitter within 0.8 to 1.2 of the delay', () => {
    expect(timerMs(machine({}, 0).drop(), 'reconnect')).toBe(800);
    expect(timerMs(machine({}, 0.999_999).drop(), 'reconnect')).toBe(1_200);
  });

  it('opens a new stream when the reconnect timer fires', () => {
    const m = machine();
    const before = m.state.streamId;
    m.drop();
    expect(types(m.timer('reconnect'))).toContain('openStream');
    expect(m.state.streamId).toBe(before + 1);
    expect(m.state.status.kind).toBe('connecting');
  });

  it('resets n after the stream stays live for 30 s', () => {
    const m = machine();
    failRepeatedly(m, 3);
    m.snapshot();
    m.advance(30_000);
    m.timer('stable');
    expect(m.state.failures).toBe(0);
    expect(timerMs(m.drop(), 'reconnect')).toBe(1_000);
  });

  it('keeps counting when a live stream drops within 30 s', () => {
    const m = machine();
    failRepeatedly(m, 2);
    m.snapshot();
    expect(timerMs(m.drop(), 'reconnect')).toBe(4_000);
  });

  it('waits at least Retry-After after a 429', () => {
    const m = machine();
    const effects = m.step({ type: 'streamRejected', streamId: m.state.streamId, status: 429, retryAfterMs: 20_000 });
    expect(timerMs(effects, 'reconnect')).toBe(20_000);
    expect(m.state.status).toMatchObject({ kind: 'reconnecting', reason: 'rate_limited' });
  });

  it('treats a 5xx as an ordinary failure', () => {
    const m = machine();
    m.step({ type: 'streamRejected', streamId: m.state.streamId, status: 503, retryAfterMs: null });
    expect(m.state.status).toMatchObject({ kind: 'reconnecting', attempt: 1 });
  });

  it('waits 2 s after a shutdown event and says the server is restarting', () => {
    const m = machine();
    m.snapshot();
    const effects = m.event({ type: 'shutdown', data: { reason: 'server_shutdown' } });
    expect(types(effects)).toContain('closeStream');
    expect(timerMs(effects, 'reconnect')).toBe(2_000);
    expect(m.state.status).toMatchObject({ kind: 'reconnecting', reason: 'shutdown' });
  });

  it('fails a stream silent for 45 s', () => {
    const m = machine();
    m.snapshot();
    m.advance(45_000);
    m.timer('idle');
    expect(m.state.status.kind).toBe('reconnecting');
  });

  it('keeps a stream that sent a byte within 45 s, checking again when the remainder is up', () => {
    const m = machine();
    m.snapshot();
    m.advance(30_000);
    m.step({ type: 'streamActivity', streamId: m.state.streamId });
    m.advance(15_000);
    expect(timerMs(m.timer('idle'), 'idle')).toBe(30_000);
    expect(m.state.status.kind).toBe('live');
  });
});

describe('connection: offline, hidden and terminal states', () => {
  it('aborts everything when the browser goes offline and reconnects with n reset when it is back', () => {
    const m = machine();
    failRepeatedly(m, 2);
    const offline = m.step({ type: 'network', online: false });
    expect(m.state.status.kind).toBe('offline');
    expect(types(offline)).toEqual(expect.arrayContaining(['closeStream', 'abortRequests']));
    m.step({ type: 'network', online: true });
    expect(m.state.status.kind).toBe('connecting');
    expect(m.state.failures).toBe(0);
  });

  it('starts offline without opening a stream', () => {
    const m = machine({ online: false });
    expect(m.state.status.kind).toBe('offline');
    expect(m.effects).toEqual([]);
  });

  it('closes the stream after the tab is hidden for 60 s and resumes when it is visible', () => {
    const m = machine();
    m.snapshot();
    expect(timerMs(m.step({ type: 'visibility', hidden: true }), 'hidden')).toBe(60_000);
    expect(types(m.timer('hidden'))).toContain('closeStream');
    expect(m.state.status.kind).toBe('suspended');
    expect(types(m.step({ type: 'visibility', hidden: false }))).toContain('openStream');
    expect(m.state.status.kind).toBe('connecting');
  });

  it('keeps the stream when the tab comes back within 60 s', () => {
    const m = machine();
    m.snapshot();
    m.step({ type: 'visibility', hidden: true });
    expect(m.step({ type: 'visibility', hidden: false })).toEqual([{ type: 'cancelTimer', name: 'hidden' }]);
    expect(m.state.status.kind).toBe('live');
  });

  it.each([
    [401, { kind: 'unauthorized' }, 'sessionExpired'],
    [403, { kind: 'unavailable', reason: 'forbidden' }, 'roomUnavailable'],
    [404, { kind: 'unavailable', reason: 'not_found' }, 'roomUnavailable'],
  ] as const)('ends on a %s answer', (status, expected, signal) => {
    const m = machine();
    const effects = m.step({ type: 'streamRejected', streamId: m.state.streamId, status, retryAfterMs: null });
    expect(m.state.status).toEqual(expected);
    expect(types(effects)).toContain(signal);
    expect(m.timer('reconnect')).toEqual([]);
  });

  it('ends as unavailable when the room is deleted', () => {
    const m = machine();
    m.snapshot();
    const effects = m.event({ type: 'room', data: { reason: 'deleted', room: room() } });
    expect(m.state.status).toEqual({ kind: 'unavailable', reason: 'deleted' });
    expect(effects).toContainEqual({ type: 'roomUnavailable', reason: 'deleted' });
  });

  it('stays in a terminal state until Retry now', () => {
    const m = machine();
    m.step({ type: 'streamRejected', streamId: m.state.streamId, status: 401, retryAfterMs: null });
    m.step({ type: 'network', online: false });
    m.step({ type: 'network', online: true });
    expect(m.state.status.kind).toBe('unauthorized');
    m.step({ type: 'retryNow' });
    expect(m.state.status.kind).toBe('connecting');
  });

  it('resets n and connects at once on Retry now', () => {
    const m = machine();
    failRepeatedly(m, 3);
    m.drop();
    const effects = m.step({ type: 'retryNow' });
    expect(m.state).toMatchObject({ failures: 0, status: { kind: 'connecting' } });
    expect(types(effects)).toContain('openStream');
    expect(effects).toContainEqual({ type: 'cancelTimer', name: 'reconnect' });
  });

  it('stops everything when the room is left', () => {
    const m = machine();
    m.snapshot();
    expect(types(m.step({ type: 'stop' }))).toEqual(expect.arrayContaining(['closeStream', 'abortRequests']));
  });
});

