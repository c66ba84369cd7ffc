import type { ConnectionStatus } from './connection-types.js';

/** What the header indicator shows and what the live region announces (ui.md §3.6 "Header indicator", §7). */

export type IndicatorKind =
  | 'live'
  | 'connecting'
  | 'reconnecting'
  /** Reconnecting after the server's `shutdown` event: "Server restarting". */
  | 'restarting'
  | 'polling'
  | 'offline'
  /** Suspended while the tab is hidden: not a problem, so shown quietly. */
  | 'paused'
  /** Unauthorized or unavailable: session expiry and the "Room not available" panel speak instead. */
  | 'none';

export type IndicatorTone = 'ok' | 'neutral' | 'warning' | 'danger';

export interface Indicator {
  kind: IndicatorKind;
  tone: IndicatorTone;
  /** "Reconnecting in N s": whole seconds left, never negative. */
  seconds: number | null;
}

export function connectionIndicator(status: ConnectionStatus, now: number): Indicator {
  switch (status.kind) {
    case 'live':
      return { kind: 'live', tone: 'ok', seconds: null };
    case 'connecting':
      return { kind: 'connecting', tone: 'neutral', seconds: null };
    case 'reconnecting':
      return {
        kind: status.reason === 'shutdown' ? 'restarting' : 'reconnecting',
        tone: 'warning',
        seconds: Math.max(0, Math.ceil((status.at - now) / 1_000)),
      };
    case 'polling':
      return { kind: 'polling', tone: 'warning', seconds: null };
    case 'offline':
      return { kind: 'offline', tone: 'danger', seconds: null };
    case 'suspended':
      return { kind: 'paused', tone: 'neutral', seconds: null };
    case 'unauthorized':
    case 'unavailable':
      return { kind: 'none', tone: 'neutral', seconds: null };
    default:
      return assertNever(status);
  }
}

export type Announcement = 'reconnecting' | 'liveAgain' | 'polling' | 'offline';
type AnnouncedState = 'live' | 'reconnecting' | 'polling' | 'offline';

/**
 * Each change of connection state is announced once (ui.md §3.6, §7): a countdown, a further failed attempt or a
 * short "connecting" step between attempts says nothing new. The first connect is not news either.
 */
export function nextAnnouncement(
  last: AnnouncedState | null,
  status: ConnectionStatus,
): { last: AnnouncedState | null; announce: Announcement | null } {
  const current = announcedState(status);
  if (current === null || current === last) return { last, announce: null };
  if (current === 'live') return { last: current, announce: last === null ? null : 'liveAgain' };
  return { last: current, announce: current };
}

function announcedState(status: ConnectionStatus): AnnouncedState | null {
  switch (status.kind) {
    case 'live':
    case 'reconnecting':
    case 'polling':
    case 'offline':
      return status.kind;
    default:
      return null;
  }
}

function assertNever(value: never): never {
  throw new Error(`Unknown connection status ${JSON.stringify(value)}`);
}
