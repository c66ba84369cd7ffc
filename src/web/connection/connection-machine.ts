import { pollRetryDelayMs } from './backoff.js';
import { onChattingDone, onPollDone, onPollingTimer, wakePolling } from './connection-polling.js';
import {
  cancel,
  closeStream,
  connect,
  fail,
  halt,
  isTerminal,
  POLLING_TIMERS,
  terminate,
} from './connection-transitions.js';
import {
  CONNECTION_TIMING as TIMING,
  type ConnectionEffect,
  type ConnectionInput,
  type ConnectionState,
  type StepContext,
  type StepResult,
  type TimerName,
  type UnavailableReason,
} from './connection-types.js';

/**
 * The connection state machine of one room (ui.md §3.6). Pure: it answers each input with the next state and the
 * effects to run; `connection-runner.ts` runs them and feeds the results back as inputs.
 */

export function initialConnectionState(): ConnectionState {
  return {
    status: { kind: 'connecting' },
    failures: 0,
    streamId: 0,
    streamOpen: false,
    resumedFrom: null,
    snapshotSeen: false,
    hidden: false,
    online: true,
    lastActivityAt: 0,
    lastEventAt: null,
    pollInFlight: false,
    chattingInFlight: false,
    pollFailures: 0,
    chattingFailures: 0,
    page: 'loaded',
    pageFailures: 0,
    gap: { state: 'done' },
  };
}

function onSnapshot(state: ConnectionState, lastMessageId: number | null, ctx: StepContext): StepResult {
  const fromPolling = state.status.kind === 'polling';
  const effects: ConnectionEffect[] = [
    ...cancel(['reconnect']),
    { type: 'startTimer', name: 'stable', ms: TIMING.stableMs },
  ];
  if (fromPolling) effects.push(...cancel(POLLING_TIMERS), { type: 'abortPolling' });
  let next: ConnectionState = {
    ...state,
    status: { kind: 'live' },
    lastEventAt: ctx.now,
    pollInFlight: false,
    chattingInFlight: false,
  };
  const firstConnect = !state.snapshotSeen && state.resumedFrom === null && state.gap.state === 'waiting';
  next = { ...next, snapshotSeen: true };
  if (firstConnect) {
    const gapped = checkGap({ ...next, gap: { ...next.gap, snapshotLastId: lastMessageId } });
    return { state: gapped.state, effects: [...effects, ...gapped.effects] };
  }
  // ui.md §3.6: after every reconnect the newest page is reconciled, catching deletions that are not replayed.
  return { state: { ...next, gap: { state: 'done' } }, effects: [...effects, { type: 'reconcile' }] };
}

/** ui.md §3.6 "Gap fill": once the first page and the first snapshot are both in. */
function checkGap(state: ConnectionState): StepResult {
  const { gap } = state;
  if (gap.state !== 'waiting' || gap.pageNewestId === undefined || gap.snapshotLastId === undefined) {
    return { state, effects: [] };
  }
  const done: ConnectionState = { ...state, gap: { state: 'done' } };
  const sinceId = gap.pageNewestId ?? 0;
  if (gap.snapshotLastId === null || gap.snapshotLastId <= sinceId) return { state: done, effects: [] };
  return { state: done, effects: [{ type: 'fillGap', sinceId, targetId: gap.snapshotLastId }] };
}

function onStreamEvent(
  state: ConnectionState,
  input: Extract<ConnectionInput, { type: 'streamEvent' }>,
  ctx: StepContext,
): StepResult {
  const next = { ...state, lastActivityAt: ctx.now, lastEventAt: ctx.now };
  const { event } = input;
  if (event.type === 'snapshot') return onSnapshot(next, event.data.last_message_id, ctx);
  if (event.type === 'shutdown') return fail(next, ctx, { reason: 'shutdown' });
  if (event.type === 'room' && event.data.reason === 'deleted') {
    const halted = halt(next);
    const reason: UnavailableReason = 'deleted';
    return {
      state: { ...halted.state, status: { kind: 'unavailable', reason } },
      effects: [...halted.effects, { type: 'roomUnavailable', reason }],
    };
  }
  return { state: next, effects: [] };
}

function onIdleTimer(state: ConnectionState, ctx: StepContext): StepResult {
  if (!state.streamOpen) return { state, effects: [] };
  const silentFor = ctx.now - state.lastActivityAt;
  if (silentFor >= TIMING.idleMs) return fail(state, ctx);
  return { state, effects: [{ type: 'startTimer', name: 'idle', ms: TIMING.idleMs - silentFor }] };
}

function suspend(state: ConnectionState): StepResult {
  const kind = state.status.kind;
  if (kind !== 'connecting' && kind !== 'live' && kind !== 'reconnecting') return { state, effects: [] };
  const closed = closeStream(state);
  return { state: { ...closed.state, status: { kind: 'suspended' } }, effects: [...closed.effects, ...cancel(['reconnect'])] };
}

function resetAndConnect(state: ConnectionState, ctx: StepContext): StepResult {
  const closed = closeStream(state);
  const base: ConnectionState = { ...closed.state, status: { kind: 'connecting' }, failures: 0, pollInFlight: false, chattingInFlight: false };
  const opened = connect(base, ctx);
  const hidden: ConnectionEffect[] = state.hidden ? [{ type: 'startTimer', name: 'hidden', ms: TIMING.hiddenMs }] : [];
  return {
    state: opened.state,
    effects: [...closed.effects, ...cancel(['reconnect', ...POLLING_TIMERS]), { type: 'abortPolling' }, ...hidden, ...opened.effects],
  };
}

function onVisibility(state: ConnectionState, hidden: boolean, ctx: StepContext): StepResult {
  const next = { ...state, hidden };
  if (isTerminal(state) || state.status.kind === 'offline') return { state: next, effects: [] };
  if (hidden) {
    const effects: ConnectionEffect[] = [{ type: 'startTimer', name: 'hidden', ms: TIMING.hiddenMs }];
    if (state.status.kind === 'polling') effects.push(...cancel(['chatting']));
    return { state: next, effects };
  }
  const effects = cancel(['hidden']);
  if (state.status.kind === 'suspended') {
    const opened = connect({ ...next, status: { kind: 'connecting' }, failures: 0 }, ctx);
    return { state: opened.state, effects: [...effects, ...opened.effects] };
  }
  if (state.status.kind === 'polling') {
    const woken = wakePolling(next);
    return { state: woken.state, effects: [...effects, ...woken.effects] };
  }
  return { state: next, effects };
}

function onNetwork(state: ConnectionState, online: boolean, ctx: StepContext): StepResult {
  const next = { ...state, online };
  if (isTerminal(state)) return { state: next, effects: [] };
  if (!online) {
    const halted = halt(next);
    return { state: { ...halted.state, status: { kind: 'offline' } }, effects: halted.effects };
  }
  if (state.status.kind !== 'offline') return { state: next, effects: [] };
  return resetAndConnect(next, ctx);
}

function onStart(input: Extract<ConnectionInput, { type: 'start' }>, ctx: StepContext): StepResult {
  const fresh: ConnectionState = {
    ...initialConnectionState(),
    hidden: input.hidden,
    online: input.online,
    page: input.hasHistory ? 'loaded' : 'needed',
    gap: input.hasHistory ? { state: 'done' } : { state: 'waiting' },
  };
  if (!input.online) return { state: { ...fresh, status: { kind: 'offline' } }, effects: [] };
  const opened = connect(fresh, ctx);
  const hidden: ConnectionEffect[] = input.hidden ? [{ type: 'startTimer', name: 'hidden', ms: TIMING.hiddenMs }] : [];
  return { state: opened.state, effects: [...opened.effects, ...hidden] };
}

function isCurrentStream(state: ConnectionState, streamId: number): boolean {
  return state.streamOpen && streamId === state.streamId;
}

export function stepConnection(state: ConnectionState, input: ConnectionInput, ctx: StepContext): StepResult {
  const unchanged: StepResult = { state, effects: [] };
  switch (input.type) {
    case 'start':
      return onStart(input, ctx);
    case 'stop':
      return halt(state);
    case 'retryNow':
      return resetAndConnect({ ...state, status: { kind: 'connecting' } }, ctx);
    case 'network':
      return onNetwork(state, input.online, ctx);
    case 'visibility':
      return onVisibility(state, input.hidden, ctx);
    case 'requestRejected':
      return (isTerminal(state) ? null : terminate(state, input.status)) ?? unchanged;
    default:
      break;
  }
  if (isTerminal(state) || state.status.kind === 'offline') return unchanged;
  switch (input.type) {
    case 'streamOpened':
      if (!isCurrentStream(state, input.streamId)) return unchanged;
      return { state: { ...state, resumedFrom: input.lastEventId, lastActivityAt: ctx.now }, effects: [] };
    case 'streamRejected':
      if (!isCurrentStream(state, input.streamId)) return unchanged;
      return (
        terminate(state, input.status) ??
        fail(state, ctx, {
          retryAfterMs: input.retryAfterMs,
          reason: input.status === 429 ? 'rate_limited' : 'failure',
        })
      );
    case 'streamActivity':
      if (!isCurrentStream(state, input.streamId)) return unchanged;
      return { state: { ...state, lastActivityAt: ctx.now }, effects: [] };
    case 'streamEvent':
      if (!isCurrentStream(state, input.streamId)) return unchanged;
      return onStreamEvent(state, input, ctx);
    case 'streamClosed':
      if (!isCurrentStream(state, input.streamId)) return unchanged;
      return fail(state, ctx);
    case 'pageLoaded': {
      const loaded: ConnectionState = { ...state, page: 'loaded', pageFailures: 0 };
      const gap = loaded.gap.state === 'waiting' ? { ...loaded.gap, pageNewestId: input.newestId } : loaded.gap;
      const checked = checkGap({ ...loaded, gap });
      return { state: checked.state, effects: [...cancel(['page']), ...checked.effects] };
    }
    case 'pageFailed': {
      if (input.status !== null) {
        const ended = terminate(state, input.status);
        if (ended !== null) return ended;
      }
      const pageFailures = state.pageFailures + 1;
      const delay = Math.max(pollRetryDelayMs(pageFailures), input.retryAfterMs ?? 0);
      return {
        state: { ...state, page: 'needed', pageFailures },
        effects: [{ type: 'startTimer', name: 'page', ms: delay }],
      };
    }
    case 'pollDone':
      return onPollDone(state, input.outcome);
    case 'chattingDone':
      return onChattingDone(state, input.outcome);
    case 'timer':
      return onTimer(state, input.name, ctx);
    default:
      return assertNever(input);
  }
}

function onTimer(state: ConnectionState, name: TimerName, ctx: StepContext): StepResult {
  switch (name) {
    case 'reconnect':
      return state.status.kind === 'reconnecting' ? connect(state, ctx) : { state, effects: [] };
    case 'idle':
      return onIdleTimer(state, ctx);
    case 'stable':
      return state.status.kind === 'live' ? { state: { ...state, failures: 0 }, effects: [] } : { state, effects: [] };
    case 'hidden':
      return suspend(state);
    case 'page':
      if (state.page !== 'needed') return { state, effects: [] };
      return { state: { ...state, page: 'loading' }, effects: [{ type: 'loadPage' }] };
    case 'poll':
    case 'chatting':
    case 'reconcile':
    case 'probe':
      return onPollingTimer(state, name, ctx);
    default:
      return assertNever(name);
  }
}

function assertNever(value: never): never {
  throw new Error(`Unhandled connection input ${JSON.stringify(value)}`);
}
