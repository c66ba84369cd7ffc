import { describe, expect, it } from 'vitest';
import { failRepeatedly, machine, timerMs, types } from './helpers/connection-driver.js';

describe('connection: polling fallback', () => {
  function polling() {
    const m = machine();
    failRepeatedly(m, 4);
    m.drop();
    return m;
  }

  it('switches to polling at the fifth consecutive failure', () => {
    const m = polling();
    expect(m.state.status.kind).toBe('polling');
    expect(types(m.effects)).toEqual(expect.arrayContaining(['poll', 'pollChatting']));
    expect(timerMs(m.effects, 'reconcile')).toBe(60_000);
    expect(timerMs(m.effects, 'probe')).toBe(60_000);
  });

  it('polls every 3 s while visible and every 15 s while hidden', () => {
    const m = polling();
    expect(timerMs(m.step({ type: 'pollDone', outcome: { ok: true } }), 'poll')).toBe(3_000);
    m.step({ type: 'visibility', hidden: true });
    m.timer('poll');
    expect(timerMs(m.step({ type: 'pollDone', outcome: { ok: true } }), 'poll')).toBe(15_000);
  });

  it('polls again at once after a full page', () => {
    const m = polling();
    expect(types(m.step({ type: 'pollDone', outcome: { ok: true, full: true } }))).toEqual(['poll']);
  });

  it('backs poll errors off 3, 6, 12, then 30 s', () => {
    const m = polling();
    const delays = [1, 2, 3, 4, 5].map(() => {
      const delay = timerMs(m.step({ type: 'pollDone', outcome: { ok: false, status: 502, retryAfterMs: null } }), 'poll');
      m.timer('poll');
      return delay;
    });
    expect(delays).toEqual([3_000, 6_000, 12_000, 30_000, 30_000]);
  });

  it('reads chatting agents every 3 s only while visible', () => {
    const m = polling();
    expect(timerMs(m.step({ type: 'chattingDone', outcome: { ok: true } }), 'chatting')).toBe(3_000);
    expect(types(m.step({ type: 'visibility', hidden: true }))).toContain('cancelTimer');
    expect(m.timer('chatting')).toEqual([]);
  });

  it('reconciles the newest page every 60 s', () => {
    const m = polling();
    const effects = m.timer('reconcile');
    expect(types(effects)).toContain('reconcile');
    expect(timerMs(effects, 'reconcile')).toBe(60_000);
  });

  it('tries the stream every 60 s and stops polling once it is live', () => {
    const m = polling();
    const probe = m.timer('probe');
    expect(types(probe)).toContain('openStream');
    expect(m.state.status.kind).toBe('polling');
    const effects = m.snapshot();
    expect(m.state.status.kind).toBe('live');
    expect(types(effects)).toContain('abortPolling');
    expect(effects).toEqual(expect.arrayContaining([{ type: 'cancelTimer', name: 'poll' }, { type: 'cancelTimer', name: 'probe' }]));
  });

  it('keeps polling when the stream attempt fails', () => {
    const m = polling();
    m.timer('probe');
    const effects = m.drop();
    expect(m.state.status.kind).toBe('polling');
    expect(timerMs(effects, 'reconnect')).toBeUndefined();
  });

  it('ignores the answer of a poll that was in flight when the stream came back', () => {
    const m = polling();
    m.timer('probe');
    m.snapshot();
    expect(m.step({ type: 'pollDone', outcome: { ok: true } })).toEqual([]);
  });

  it('polls at once when the tab becomes visible again', () => {
    const m = polling();
    m.step({ type: 'pollDone', outcome: { ok: true } });
    m.step({ type: 'chattingDone', outcome: { ok: true } });
    m.step({ type: 'visibility', hidden: true });
    expect(types(m.step({ type: 'visibility', hidden: false }))).toEqual(expect.arrayContaining(['poll', 'pollChatting']));
  });

  it('ends in unauthorized when a poll answers 401', () => {
    const m = polling();
    m.step({ type: 'pollDone', outcome: { ok: false, status: 401, retryAfterMs: null } });
    expect(m.state.status.kind).toBe('unauthorized');
  });
});

describe('connection: first page, gap fill and reconciling', () => {
  it('fills the gap between the first page and the first snapshot', () => {
    const m = machine();
    m.opened(null);
    m.step({ type: 'pageLoaded', newestId: 10 });
    expect(m.snapshot(15)).toContainEqual({ type: 'fillGap', sinceId: 10, targetId: 15 });
  });

  it('fills the gap when the page arrives after the snapshot', () => {
    const m = machine();
    m.opened(null);
    m.snapshot(15);
    expect(m.step({ type: 'pageLoaded', newestId: 10 })).toContainEqual({ type: 'fillGap', sinceId: 10, targetId: 15 });
  });

  it('fills nothing when the page already reaches the snapshot', () => {
    const m = machine();
    m.opened(null);
    m.step({ type: 'pageLoaded', newestId: 15 });
    expect(types(m.snapshot(15))).not.toContain('fillGap');
  });

  it('fills from the start of history for an empty first page', () => {
    const m = machine();
    m.opened(null);
    m.step({ type: 'pageLoaded', newestId: null });
    expect(m.snapshot(3)).toContainEqual({ type: 'fillGap', sinceId: 0, targetId: 3 });
  });

  it('reconciles instead of filling when the stream resumed with Last-Event-ID', () => {
    const m = machine({ hasHistory: true });
    m.opened(40);
    const effects = m.snapshot(45);
    expect(types(effects)).toContain('reconcile');
    expect(types(effects)).not.toContain('fillGap');
  });

  it('reconciles the newest page after every reconnect, and fills no gap then', () => {
    const m = machine();
    m.opened(null);
    m.snapshot(5);
    m.step({ type: 'pageLoaded', newestId: 5 });
    m.drop();
    m.timer('reconnect');
    m.opened(5);
    expect(types(m.snapshot(9))).toContain('reconcile');
  });

  it('retries a failed first page with backoff', () => {
    const m = machine();
    expect(timerMs(m.step({ type: 'pageFailed', status: 500, retryAfterMs: null }), 'page')).toBe(3_000);
    expect(types(m.timer('page'))).toEqual(['loadPage']);
    expect(timerMs(m.step({ type: 'pageFailed', status: null, retryAfterMs: null }), 'page')).toBe(6_000);
  });

  it('ends as unavailable when the first page answers 404', () => {
    const m = machine();
    m.step({ type: 'pageFailed', status: 404, retryAfterMs: null });
    expect(m.state.status).toEqual({ kind: 'unavailable', reason: 'not_found' });
  });

  it('ends in unauthorized when a background read answers 401', () => {
    const m = machine();
    m.snapshot();
    m.step({ type: 'requestRejected', status: 401 });
    expect(m.state.status.kind).toBe('unauthorized');
  });
});
