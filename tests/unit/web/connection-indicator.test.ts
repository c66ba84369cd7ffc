import { describe, expect, it } from 'vitest';
import { connectionIndicator, nextAnnouncement } from '../../../src/web/connection/connection-indicator.js';
import type { ConnectionStatus } from '../../../src/web/connection/connection-types.js';

describe('connectionIndicator', () => {
  it.each([
    [{ kind: 'live' }, { kind: 'live', tone: 'ok', seconds: null }],
    [{ kind: 'connecting' }, { kind: 'connecting', tone: 'neutral', seconds: null }],
    [{ kind: 'polling' }, { kind: 'polling', tone: 'warning', seconds: null }],
    [{ kind: 'offline' }, { kind: 'offline', tone: 'danger', seconds: null }],
    [{ kind: 'suspended' }, { kind: 'paused', tone: 'neutral', seconds: null }],
    [{ kind: 'unauthorized' }, { kind: 'none', tone: 'neutral', seconds: null }],
    [{ kind: 'unavailable', reason: 'deleted' }, { kind: 'none', tone: 'neutral', seconds: null }],
  ] satisfies [ConnectionStatus, unknown][])('shows %o as %o', (status, expected) => {
    expect(connectionIndicator(status, 0)).toEqual(expected);
  });

  it('counts down the seconds to the next reconnect, never below zero', () => {
    const status: ConnectionStatus = { kind: 'reconnecting', attempt: 2, at: 4_000, reason: 'failure' };
    expect(connectionIndicator(status, 1_500)).toEqual({ kind: 'reconnecting', tone: 'warning', seconds: 3 });
    expect(connectionIndicator(status, 9_000).seconds).toBe(0);
  });

  it('says the server is restarting after a shutdown', () => {
    const status: ConnectionStatus = { kind: 'reconnecting', attempt: 1, at: 2_000, reason: 'shutdown' };
    expect(connectionIndicator(status, 0).kind).toBe('restarting');
  });
});

describe('nextAnnouncement', () => {
  function announce(statuses: ConnectionStatus[]) {
    let last: Parameters<typeof nextAnnouncement>[0] = null;
    return statuses.map((status) => {
      const next = nextAnnouncement(last, status);
      last = next.last;
      return next.announce;
    });
  }

  it('announces each change once: reconnecting, then live again', () => {
    const reconnecting = (attempt: number): ConnectionStatus => ({ kind: 'reconnecting', attempt, at: 0, reason: 'failure' });
    expect(
      announce([{ kind: 'connecting' }, { kind: 'live' }, reconnecting(1), { kind: 'connecting' }, reconnecting(2), { kind: 'live' }]),
    ).toEqual([null, null, 'reconnecting', null, null, 'liveAgain']);
  });

  it('announces polling and offline', () => {
    expect(announce([{ kind: 'live' }, { kind: 'polling' }, { kind: 'offline' }, { kind: 'live' }])).toEqual([
      null,
      'polling',
      'offline',
      'liveAgain',
    ]);
  });

  it('says nothing about a suspension and the quiet return from it', () => {
    expect(announce([{ kind: 'live' }, { kind: 'suspended' }, { kind: 'connecting' }, { kind: 'live' }])).toEqual([
      null,
      null,
      null,
      null,
    ]);
  });
});
