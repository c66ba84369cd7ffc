import { pollRetryDelayMs } from './backoff.js';
import { cancel, connect, terminate } from './connection-transitions.js';
import {
  CONNECTION_TIMING as TIMING,
  type ConnectionEffect,
  type ConnectionState,
  type RequestOutcome,
  type StepContext,
  type StepResult,
  type TimerName,
} from './connection-types.js';

/**
 * The polling fallback (ui.md §3.6): `poll?since_id=` every 3 s (15 s hidden), `chatting-agents` every 3 s while
 * visible, the newest page reconciled every 60 s, errors backing off 3, 6, 12, then 30 s, and one SSE attempt every
 * 60 s. Results of requests that were in flight when polling ended are ignored.
 */

function pollCadenceMs(state: ConnectionState): number {
  return state.hidden ? TIMING.pollHiddenMs : TIMING.pollVisibleMs;
}

function retryDelay(failures: number, retryAfterMs: number | null): number {
  return Math.max(pollRetryDelayMs(failures), retryAfterMs ?? 0);
}

export function onPollDone(state: ConnectionState, outcome: RequestOutcome & { full?: boolean }): StepResult {
  const settled = { ...state, pollInFlight: false };
  if (state.status.kind !== 'polling') return { state: settled, effects: [] };
  if (outcome.ok) {
    const next = { ...settled, pollFailures: 0 };
    // A full page (100 messages) means more are waiting: fetch them now rather than in 3 s.
    if (outcome.full === true) return { state: { ...next, pollInFlight: true }, effects: [{ type: 'poll' }] };
    return { state: next, effects: [{ type: 'startTimer', name: 'poll', ms: pollCadenceMs(next) }] };
  }
  if (outcome.status !== null) {
    const ended = terminate(settled, outcome.status);
    if (ended !== null) return ended;
  }
  const pollFailures = settled.pollFailures + 1;
  return {
    state: { ...settled, pollFailures },
    effects: [{ type: 'startTimer', name: 'poll', ms: retryDelay(pollFailures, outcome.retryAfterMs) }],
  };
}

export function onChattingDone(state: ConnectionState, outcome: RequestOutcome): StepResult {
  const settled = { ...state, chattingInFlight: false };
  if (state.status.kind !== 'polling' || state.hidden) return { state: settled, effects: [] };
  if (outcome.ok) {
    return {
      state: { ...settled, chattingFailures: 0 },
      effects: [{ type: 'startTimer', name: 'chatting', ms: TIMING.chattingMs }],
    };
  }
  if (outcome.status !== null) {
    const ended = terminate(settled, outcome.status);
    if (ended !== null) return ended;
  }
  const chattingFailures = settled.chattingFailures + 1;
  return {
    state: { ...settled, chattingFailures },
    effects: [{ type: 'startTimer', name: 'chatting', ms: retryDelay(chattingFailures, outcome.retryAfterMs) }],
  };
}

/** The tab is visible again while polling: fresh data now, not after the hidden cadence. */
export function wakePolling(state: ConnectionState): StepResult {
  let next = state;
  const effects: ConnectionEffect[] = [];
  if (!state.pollInFlight) {
    next = { ...next, pollInFlight: true };
    effects.push(...cancel(['poll']), { type: 'poll' });
  }
  if (!state.chattingInFlight) {
    next = { ...next, chattingInFlight: true };
    effects.push(...cancel(['chatting']), { type: 'pollChatting' });
  }
  return { state: next, effects };
}

export function onPollingTimer(
  state: ConnectionState,
  name: Extract<TimerName, 'poll' | 'chatting' | 'reconcile' | 'probe'>,
  ctx: StepContext,
): StepResult {
  if (state.status.kind !== 'polling') return { state, effects: [] };
  switch (name) {
    case 'poll':
      if (state.pollInFlight) return { state, effects: [] };
      return { state: { ...state, pollInFlight: true }, effects: [{ type: 'poll' }] };
    case 'chatting':
      if (state.chattingInFlight || state.hidden) return { state, effects: [] };
      return { state: { ...state, chattingInFlight: true }, effects: [{ type: 'pollChatting' }] };
    case 'reconcile':
      return { state, effects: [{ type: 'reconcile' }, { type: 'startTimer', name: 'reconcile', ms: TIMING.reconcileMs }] };
    case 'probe': {
      const again: ConnectionEffect = { type: 'startTimer', name: 'probe', ms: TIMING.probeMs };
      // A hidden tab does not probe: the stream would be suspended after 60 s anyway.
      if (state.hidden || state.streamOpen) return { state, effects: [again] };
      const opened = connect(state, ctx);
      return { state: opened.state, effects: [...opened.effects, again] };
    }
    default:
      return assertNever(name);
  }
}

function assertNever(value: never): never {
  throw new Error(`Unhandled polling timer ${String(value)}`);
}
