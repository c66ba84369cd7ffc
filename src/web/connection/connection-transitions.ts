import { reconnectDelayMs } from './backoff.js';
import {
  CONNECTION_TIMING as TIMING,
  type ConnectionEffect,
  type ConnectionState,
  type ReconnectReason,
  type StepContext,
  type StepResult,
  type TimerName,
  type UnavailableReason,
} from './connection-types.js';

/** Transitions shared by the stream and polling halves of the connection machine. */

export const STREAM_TIMERS: readonly TimerName[] = ['reconnect', 'idle', 'stable'];
export const POLLING_TIMERS: readonly TimerName[] = ['poll', 'chatting', 'reconcile', 'probe'];

export const cancel = (names: readonly TimerName[]): ConnectionEffect[] =>
  names.map((name) => ({ type: 'cancelTimer', name }));

export function isTerminal(state: ConnectionState): boolean {
  return state.status.kind === 'unauthorized' || state.status.kind === 'unavailable';
}

/** Opens a new stream (and loads the first page if it is still missing). */
export function connect(state: ConnectionState, ctx: StepContext): StepResult {
  const streamId = state.streamId + 1;
  const effects: ConnectionEffect[] = [
    { type: 'openStream', streamId },
    { type: 'startTimer', name: 'idle', ms: TIMING.idleMs },
  ];
  let next: ConnectionState = {
    ...state,
    status: state.status.kind === 'polling' ? state.status : { kind: 'connecting' },
    streamId,
    streamOpen: true,
    resumedFrom: null,
    lastActivityAt: ctx.now,
  };
  if (next.page === 'needed') {
    next = { ...next, page: 'loading' };
    effects.push({ type: 'cancelTimer', name: 'page' }, { type: 'loadPage' });
  }
  return { state: next, effects };
}

export function closeStream(state: ConnectionState): StepResult {
  const effects: ConnectionEffect[] = state.streamOpen ? [{ type: 'closeStream' }] : [];
  return { state: { ...state, streamOpen: false }, effects: [...effects, ...cancel(['idle', 'stable'])] };
}

/** Everything stops: offline, terminal states and leaving the room. */
export function halt(state: ConnectionState): StepResult {
  const closed = closeStream(state);
  return {
    state: {
      ...closed.state,
      pollInFlight: false,
      chattingInFlight: false,
      page: closed.state.page === 'loading' ? 'needed' : closed.state.page,
    },
    effects: [
      ...closed.effects,
      ...cancel([...STREAM_TIMERS, ...POLLING_TIMERS, 'hidden', 'page']),
      { type: 'abortRequests' },
    ],
  };
}

/** 401 → `unauthorized`, 403 or 404 → `unavailable` (ui.md §3.6 "Terminal states"); null for any other status. */
export function terminate(state: ConnectionState, status: number): StepResult | null {
  const reason: UnavailableReason | null = status === 403 ? 'forbidden' : status === 404 ? 'not_found' : null;
  if (status !== 401 && reason === null) return null;
  const halted = halt(state);
  if (reason === null) {
    return { state: { ...halted.state, status: { kind: 'unauthorized' } }, effects: [...halted.effects, { type: 'sessionExpired' }] };
  }
  return {
    state: { ...halted.state, status: { kind: 'unavailable', reason } },
    effects: [...halted.effects, { type: 'roomUnavailable', reason }],
  };
}

export function enterPolling(state: ConnectionState, effects: ConnectionEffect[]): StepResult {
  const next: ConnectionState = {
    ...state,
    status: { kind: 'polling' },
    pollInFlight: true,
    chattingInFlight: !state.hidden,
    pollFailures: 0,
    chattingFailures: 0,
  };
  const polling: ConnectionEffect[] = [
    ...cancel(['reconnect']),
    { type: 'poll' },
    ...(state.hidden ? [] : [{ type: 'pollChatting' } as const]),
    { type: 'startTimer', name: 'reconcile', ms: TIMING.reconcileMs },
    { type: 'startTimer', name: 'probe', ms: TIMING.probeMs },
  ];
  return { state: next, effects: [...effects, ...polling] };
}

interface FailureOptions {
  retryAfterMs?: number | null;
  reason?: ReconnectReason;
}

/** Any failure of the stream (ui.md §3.6 "Failure"). */
export function fail(state: ConnectionState, ctx: StepContext, options: FailureOptions = {}): StepResult {
  const closed = closeStream(state);
  const failures = state.failures + 1;
  const next = { ...closed.state, failures };
  // A failed SSE attempt made while polling leaves polling as it is; the next attempt is on the probe timer.
  if (state.status.kind === 'polling') return { state: next, effects: closed.effects };
  if (failures >= TIMING.failuresBeforePolling) return enterPolling(next, closed.effects);
  const reason = options.reason ?? 'failure';
  let delay = reconnectDelayMs(failures, ctx.random());
  if (reason === 'shutdown') delay = Math.max(delay, TIMING.shutdownDelayMs);
  if (options.retryAfterMs !== undefined && options.retryAfterMs !== null) delay = Math.max(delay, options.retryAfterMs);
  return {
    state: { ...next, status: { kind: 'reconnecting', attempt: failures, at: ctx.now + delay, reason } },
    effects: [...closed.effects, { type: 'startTimer', name: 'reconnect', ms: delay }],
  };
}

