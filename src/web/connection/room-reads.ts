import type { RoomEvent } from '../../shared/events.js';
import type { ChattingAgent, Message } from '../../shared/models.js';
import type { TimelineAction } from '../timeline/timeline-types.js';
import type { ApiResult } from './api-result.js';
import type { ConnectionInput, ConnectionState } from './connection-types.js';
import { fillGap, POLL_PAGE_SIZE } from './gap-fill.js';

/**
 * The REST reads a room's connection makes (ui.md §3.1, §3.6): the first page, reconciling the newest page, gap
 * fill, and the two polling-fallback reads. Each hands its data to the timeline and its outcome to the machine.
 */

/** ui.md §3.1: pages of 200. */
export const PAGE_LIMIT = 200;

export interface ConnectionApi {
  /** `GET /rooms/{id}/messages/poll?since_id=`; without `sinceId`, the newest 100. */
  pollMessages(roomId: number, sinceId: number | null, signal: AbortSignal): Promise<ApiResult<readonly Message[]>>;
  chattingAgents(roomId: number, signal: AbortSignal): Promise<ApiResult<readonly ChattingAgent[]>>;
  /** `GET /rooms/{id}/messages?limit=`. */
  newestMessages(roomId: number, limit: number, signal: AbortSignal): Promise<ApiResult<readonly Message[]>>;
}

/** The slice of the timeline store the connection of one room uses (see `timeline-access.ts`). */
export interface RoomTimelineAccess {
  /** The timeline holds the room's history already (a cached room): no first page is loaded. */
  hasHistory(): boolean;
  /** `Last-Event-ID` to send, or null. */
  resumeId(): number | null;
  newestId(): number | null;
  receive(event: RoomEvent): void;
  dispatch(action: TimelineAction): void;
}


export interface RoomReadsDeps {
  roomId: number;
  api: ConnectionApi;
  timeline: RoomTimelineAccess;
  now: () => number;
  send: (input: ConnectionInput) => void;
  getState: () => ConnectionState;
}

export function createRoomReads({ roomId, api, timeline, now, send, getState }: RoomReadsDeps) {
  function reportRejection(status: number | null): void {
    if (status === 401 || status === 403 || status === 404) send({ type: 'requestRejected', status });
  }

  async function loadPage(signal: AbortSignal): Promise<void> {
    const result = await api.newestMessages(roomId, PAGE_LIMIT, signal);
    if (signal.aborted) return;
    if (!result.ok) {
      send({ type: 'pageFailed', status: result.status, retryAfterMs: result.retryAfterMs });
      return;
    }
    timeline.dispatch({ type: 'pageLoaded', which: 'newest', messages: result.value, limit: PAGE_LIMIT });
    send({ type: 'pageLoaded', newestId: result.value[result.value.length - 1]?.id ?? null });
  }

  async function reconcile(signal: AbortSignal): Promise<void> {
    const heldNewestAtRequest = timeline.newestId();
    const result = await api.newestMessages(roomId, PAGE_LIMIT, signal);
    if (signal.aborted) return;
    if (!result.ok) {
      // Not retried: the next reconnect, or the next 60 s tick while polling, reconciles again.
      reportRejection(result.status);
      return;
    }
    timeline.dispatch({ type: 'reconcileNewest', messages: result.value, limit: PAGE_LIMIT, heldNewestAtRequest });
    send({ type: 'pageLoaded', newestId: result.value[result.value.length - 1]?.id ?? null });
  }

  async function runGapFill(sinceId: number, targetId: number, signal: AbortSignal): Promise<void> {
    const result = await fillGap(
      { sinceId, targetId },
      {
        poll: (cursor, pollSignal) => api.pollMessages(roomId, cursor, pollSignal),
        onMessages: (messages) => dispatchMessages(messages),
      },
      signal,
    );
    if (result.kind === 'failed') reportRejection(result.failure.status);
    // Too far behind, or a failed poll: the newest page replaces the history (ui.md §3.6 "resets to the newest page").
    if ((result.kind === 'too_far' || result.kind === 'failed') && !isTerminalState()) await reconcile(signal);
  }

  function isTerminalState(): boolean {
    const { status } = getState();
    return status.kind === 'unauthorized' || status.kind === 'unavailable';
  }

  function dispatchMessages(messages: readonly Message[]): void {
    const at = now();
    for (const message of messages) timeline.dispatch({ type: 'message', message, at });
  }

  async function poll(signal: AbortSignal): Promise<void> {
    const result = await api.pollMessages(roomId, timeline.resumeId() ?? timeline.newestId(), signal);
    if (signal.aborted) return;
    if (!result.ok) {
      send({ type: 'pollDone', outcome: { ok: false, status: result.status, retryAfterMs: result.retryAfterMs } });
      return;
    }
    dispatchMessages(result.value);
    send({ type: 'pollDone', outcome: { ok: true, full: result.value.length >= POLL_PAGE_SIZE } });
  }

  async function pollChatting(signal: AbortSignal): Promise<void> {
    const result = await api.chattingAgents(roomId, signal);
    if (signal.aborted) return;
    if (!result.ok) {
      send({ type: 'chattingDone', outcome: { ok: false, status: result.status, retryAfterMs: result.retryAfterMs } });
      return;
    }
    // A late answer after the stream came back must not replace the bubbles the snapshot set.
    if (getState().status.kind === 'polling') timeline.dispatch({ type: 'liveRebuilt', agents: result.value, at: now() });
    send({ type: 'chattingDone', outcome: { ok: true } });
  }

  return { loadPage, reconcile, runGapFill, poll, pollChatting };
}
