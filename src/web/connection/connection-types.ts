import type { RoomEvent } from '../../shared/events.js';

/** States, inputs and effects of one room's connection (ui.md §3.6). */

export type UnavailableReason = 'forbidden' | 'not_found' | 'deleted';
export type ReconnectReason = 'failure' | 'shutdown' | 'rate_limited';

export type ConnectionStatus =
  | { kind: 'connecting' }
  | { kind: 'live' }
  /** Waiting to reconnect: `attempt` is n, `at` the clock time of the next try. */
  | { kind: 'reconnecting'; attempt: number; at: number; reason: ReconnectReason }
  | { kind: 'polling' }
  | { kind: 'offline' }
  | { kind: 'suspended' }
  | { kind: 'unauthorized' }
  | { kind: 'unavailable'; reason: UnavailableReason };

export type TimerName = 'reconnect' | 'idle' | 'stable' | 'hidden' | 'poll' | 'chatting' | 'reconcile' | 'probe' | 'page';

export const CONNECTION_TIMING = {
  /** "45 s without a byte" is a failure. Three missed 15 s heartbeats. */
  idleMs: 45_000,
  /** "A stream that stays live for 30 s resets n." */
  stableMs: 30_000,
  /** "After the tab has been hidden for 60 s, the stream is closed." */
  hiddenMs: 60_000,
  /** "The first reconnect waits 2 s" after `shutdown`. */
  shutdownDelayMs: 2_000,
  failuresBeforePolling: 5,
  pollVisibleMs: 3_000,
  pollHiddenMs: 15_000,
  chattingMs: 3_000,
  reconcileMs: 60_000,
  probeMs: 60_000,
} as const;

export interface ConnectionState {
  status: ConnectionStatus;
  /** n: consecutive failures. */
  failures: number;
  /** The newest stream attempt; inputs from older streams are ignored. */
  streamId: number;
  streamOpen: boolean;
  /** `Last-Event-ID` sent on the current stream. */
  resumedFrom: number | null;
  /** A snapshot arrived since `start`: every later one is a reconnect. */
  snapshotSeen: boolean;
  hidden: boolean;
  online: boolean;
  lastActivityAt: number;
  /** For the indicator's popover. */
  lastEventAt: number | null;
  pollInFlight: boolean;
  chattingInFlight: boolean;
  pollFailures: number;
  chattingFailures: number;
  /** The first page of messages (ui.md §3.1 "Open a room"), loaded beside the first stream. */
  page: 'loaded' | 'needed' | 'loading';
  pageFailures: number;
  /** Gap fill (ui.md §3.6): needs the first page's newest id and the first snapshot's `last_message_id`. */
  gap: { state: 'waiting' | 'done'; pageNewestId?: number | null; snapshotLastId?: number | null };
}

export type ConnectionInput =
  | { type: 'start'; hasHistory: boolean; online: boolean; hidden: boolean }
  | { type: 'stop' }
  | { type: 'streamOpened'; streamId: number; lastEventId: number | null }
  | { type: 'streamRejected'; streamId: number; status: number; retryAfterMs: number | null }
  | { type: 'streamActivity'; streamId: number }
  | { type: 'streamEvent'; streamId: number; event: RoomEvent }
  /** The body ended or failed; both are failures (ui.md §3.6). */
  | { type: 'streamClosed'; streamId: number }
  | { type: 'timer'; name: TimerName }
  | { type: 'pageLoaded'; newestId: number | null }
  | { type: 'pageFailed'; status: number | null; retryAfterMs: number | null }
  | { type: 'pollDone'; outcome: RequestOutcome & { full?: boolean } }
  | { type: 'chattingDone'; outcome: RequestOutcome }
  /** A background read (reconcile, gap fill) was refused: 401, 403 or 404 end the connection. */
  | { type: 'requestRejected'; status: number }
  | { type: 'visibility'; hidden: boolean }
  | { type: 'network'; online: boolean }
  /** The indicator's *Retry now*: n is reset and a stream is opened at once. */
  | { type: 'retryNow' };

export type RequestOutcome = { ok: true } | { ok: false; status: number | null; retryAfterMs: number | null };

export type ConnectionEffect =
  /** Open a stream with `Last-Event-ID` = the timeline's resume id at that moment. */
  | { type: 'openStream'; streamId: number }
  | { type: 'closeStream' }
  | { type: 'startTimer'; name: TimerName; ms: number }
  | { type: 'cancelTimer'; name: TimerName }
  | { type: 'loadPage' }
  /** Fetch the newest page and pass it to `reconcileNewest`. */
  | { type: 'reconcile' }
  | { type: 'fillGap'; sinceId: number; targetId: number }
  | { type: 'poll' }
  | { type: 'pollChatting' }
  /** Abort poll and chatting-agents requests in flight: a late answer must not undo the stream's state. */
  | { type: 'abortPolling' }
  | { type: 'abortRequests' }
  | { type: 'sessionExpired' }
  | { type: 'roomUnavailable'; reason: UnavailableReason };

export interface StepContext {
  now: number;
  /** A draw in [0, 1) for the reconnect jitter. */
  random: () => number;
}

export interface StepResult {
  state: ConnectionState;
  effects: ConnectionEffect[];
}
