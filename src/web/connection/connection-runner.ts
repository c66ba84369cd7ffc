import { parseRetryAfterMs } from './backoff.js';
import { initialConnectionState, stepConnection } from './connection-machine.js';
import type { ConnectionEffect, ConnectionInput, ConnectionState, TimerName, UnavailableReason } from './connection-types.js';
import { decodeRoomEvent } from './room-event-decoder.js';
import type { SseFrame } from '../../shared/sse-parser.js';
import { readSseStream, type ByteSource } from './stream-reader.js';
import { createRoomReads, type ConnectionApi, type RoomTimelineAccess } from './room-reads.js';
import type { Timers } from './timers.js';

/**
 * Runs the effects of the connection machine for one room: the stream (`fetch` with a streaming body, ui.md §3.6),
 * timers, page loads and polls. Every dependency is injected, so tests drive it with fake timers and fake streams.
 */

export interface StreamRequest {
  url: string;
  headers: Record<string, string>;
  signal: AbortSignal;
}

/** The subset of a `fetch` Response the runner reads. */
export interface StreamResponse {
  status: number;
  headers: { get(name: string): string | null };
  body: ByteSource | null;
}

export interface ConnectionRunnerDeps {
  roomId: number;
  openStream(request: StreamRequest): Promise<StreamResponse>;
  api: ConnectionApi;
  timeline: RoomTimelineAccess;
  timers: Timers;
  now?: () => number;
  random?: () => number;
  streamUrl?: (roomId: number) => string;
  onSessionExpired?: () => void;
  onUnavailable?: (reason: UnavailableReason) => void;
  /** Something was dropped that a developer should hear about (a malformed event). */
  onProblem?: (problem: string) => void;
}

export interface ConnectionRunner {
  start(environment: { online: boolean; hidden: boolean }): void;
  /** Leaving the room: the stream, timers and reads in flight all stop. */
  stop(): void;
  retryNow(): void;
  setHidden(hidden: boolean): void;
  setOnline(online: boolean): void;
  getState(): ConnectionState;
  subscribe(listener: () => void): () => void;
}

export function createConnectionRunner(deps: ConnectionRunnerDeps): ConnectionRunner {
  const { roomId, api, timeline, timers } = deps;
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const streamUrl = deps.streamUrl ?? ((id: number) => `/api/rooms/${id}/events`);
  let state = initialConnectionState();
  let stopped = false;
  const listeners = new Set<() => void>();
  const timerCancels = new Map<TimerName, () => void>();
  let stream: AbortController | null = null;
  let requests = new AbortController();
  let polling = new AbortController();
  const reads = createRoomReads({ roomId, api, timeline, now, send, getState: () => state });

  function send(input: ConnectionInput): void {
    if (stopped) return;
    const result = stepConnection(state, input, { now: now(), random });
    if (result.state !== state) {
      state = result.state;
      for (const listener of [...listeners]) listener();
    }
    for (const effect of result.effects) run(effect);
  }

  function isCurrent(streamId: number): boolean {
    return state.streamOpen && state.streamId === streamId;
  }

  function run(effect: ConnectionEffect): void {
    switch (effect.type) {
      case 'openStream':
        stream?.abort();
        stream = new AbortController();
        void runStream(effect.streamId, stream.signal);
        return;
      case 'closeStream':
        stream?.abort();
        stream = null;
        return;
      case 'startTimer': {
        cancelTimer(effect.name);
        const cancelIt = timers.schedule(() => {
          timerCancels.delete(effect.name);
          send({ type: 'timer', name: effect.name });
        }, effect.ms);
        timerCancels.set(effect.name, cancelIt);
        return;
      }
      case 'cancelTimer':
        cancelTimer(effect.name);
        return;
      case 'loadPage':
        void reads.loadPage(requests.signal);
        return;
      case 'reconcile':
        void reads.reconcile(requests.signal);
        return;
      case 'fillGap':
        void reads.runGapFill(effect.sinceId, effect.targetId, requests.signal);
        return;
      case 'poll':
        void reads.poll(polling.signal);
        return;
      case 'pollChatting':
        void reads.pollChatting(polling.signal);
        return;
      case 'abortPolling':
        polling.abort();
        polling = new AbortController();
        return;
      case 'abortRequests':
        requests.abort();
        requests = new AbortController();
        polling.abort();
        polling = new AbortController();
        return;
      case 'sessionExpired':
        deps.onSessionExpired?.();
        return;
      case 'roomUnavailable':
        deps.onUnavailable?.(effect.reason);
        return;
      default:
        return assertNever(effect);
    }
  }

  function cancelTimer(name: TimerName): void {
    const cancelIt = timerCancels.get(name);
    if (cancelIt === undefined) return;
    cancelIt();
    timerCancels.delete(name);
  }

  async function runStream(streamId: number, signal: AbortSignal): Promise<void> {
    const lastEventId = timeline.resumeId();
    const headers: Record<string, string> = { Accept: 'text/event-stream' };
    if (lastEventId !== null) headers['Last-Event-ID'] = String(lastEventId);
    let response: StreamResponse;
    try {
      response = await deps.openStream({ url: streamUrl(roomId), headers, signal });
    } catch {
      // A network error: a failure like any other (ui.md §3.6), unless we aborted it ourselves.
      if (!signal.aborted) send({ type: 'streamClosed', streamId });
      return;
    }
    if (signal.aborted) return;
    if (response.status < 200 || response.status > 299) {
      const retryAfterMs = parseRetryAfterMs(response.headers.get('Retry-After'), now());
      send({ type: 'streamRejected', streamId, status: response.status, retryAfterMs });
      return;
    }
    if (response.body === null) {
      send({ type: 'streamClosed', streamId });
      return;
    }
    send({ type: 'streamOpened', streamId, lastEventId });
    try {
      await readSseStream(
        response.body,
        {
          onActivity: () => send({ type: 'streamActivity', streamId }),
          onFrame: (frame) => onFrame(streamId, frame),
        },
        signal,
      );
    } catch {
      // A broken body is the stream ending; the machine decides what follows.
    }
    if (!signal.aborted) send({ type: 'streamClosed', streamId });
  }

  function onFrame(streamId: number, frame: SseFrame): void {
    if (frame.kind !== 'event' || !isCurrent(streamId)) return;
    const decoded = decodeRoomEvent(frame);
    if (decoded.kind === 'malformed') deps.onProblem?.(`Dropped a malformed ${decoded.name} event`);
    if (decoded.kind !== 'event') return;
    // The timeline first, so a reconcile started by the snapshot sees the state the snapshot produced.
    timeline.receive(decoded.event);
    send({ type: 'streamEvent', streamId, event: decoded.event });
  }

  return {
    start(environment) {
      stopped = false;
      send({ type: 'start', hasHistory: timeline.hasHistory(), ...environment });
    },
    stop() {
      send({ type: 'stop' });
      stopped = true;
      for (const name of [...timerCancels.keys()]) cancelTimer(name);
    },
    retryNow() {
      send({ type: 'retryNow' });
    },
    setHidden(hidden) {
      if (hidden !== state.hidden) send({ type: 'visibility', hidden });
    },
    setOnline(online) {
      if (online !== state.online) send({ type: 'network', online });
    },
    getState() {
      return state;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

function assertNever(value: never): never {
  throw new Error(`Unhandled connection effect ${JSON.stringify(value)}`);
}
