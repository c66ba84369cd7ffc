import type { Message } from '../../shared/models.js';
import type { ApiResult } from '../connection/api-result.js';
import type { Timers } from '../connection/timers.js';
import { newestMessageId } from '../timeline/message-order.js';
import type { PendingSend, Timeline, TimelineAction } from '../timeline/timeline-types.js';
import { toOutbox, type OutboxEntry } from './outbox.js';
import { automaticRetryDelayMs, classifySendFailure, sendFailureOf } from './send-policy.js';
import type { SendRequest } from './send-request.js';

/**
 * The send pipeline of ui.md §3.7, steps 3–7: one FIFO queue per room with one POST in flight, the stored-check
 * before any retry, one automatic retry, offline waiting and holding sends through a session expiry. The sends
 * themselves live in the timeline (`pending`), so what the user sees and what the queue sends never disagree.
 */

export interface SendApi {
  send(roomId: number, body: SendRequest): Promise<ApiResult<Message>>;
  /** `GET /rooms/{id}/messages/poll?since_id=`. */
  poll(roomId: number, sinceId: number | null): Promise<ApiResult<readonly Message[]>>;
}

export interface SendQueueDeps {
  api: SendApi;
  timeline: {
    getSnapshot(roomId: number): Timeline;
    dispatch(roomId: number, action: TimelineAction): void;
  };
  timers: Timers;
  now?: () => number;
  newId?: () => string;
  isOnline?: () => boolean;
  /** Writes the room's outbox into its draft (ui.md §3.7 step 3). */
  saveOutbox?: (roomId: number, entries: readonly OutboxEntry[]) => void;
  onSessionExpired?: () => void;
}

export interface SendQueue {
  /** Queues a validated send; returns its local id. */
  submit(roomId: number, body: SendRequest): string;
  retry(roomId: number, localId: string): void;
  /** Removes a send that is not in flight; returns it so an Undo can put it back. */
  discard(roomId: number, localId: string): PendingSend | null;
  undoDiscard(roomId: number, item: PendingSend): void;
  /** The `online` event: waiting sends go. */
  online(): void;
  /** After the next login: sends held by a 401 go. */
  sessionRestored(): void;
  dispose(): void;
}

interface RoomQueue {
  /** Local ids waiting for their POST, in order. */
  order: string[];
  inFlight: string | null;
  /** Sends whose automatic retry is used up. */
  retried: Set<string>;
  /** Sends with a POST that ended without a definite answer. */
  ambiguous: Set<string>;
}

/** Two identical sends this close together are one double click (ui.md §3.7 step 4). */
const DOUBLE_SUBMIT_MS = 1_000;

export function createSendQueue(deps: SendQueueDeps): SendQueue {
  const { api, timeline, timers } = deps;
  const now = deps.now ?? Date.now;
  const newId = deps.newId ?? (() => crypto.randomUUID());
  const isOnline = deps.isOnline ?? (() => true);
  const queues = new Map<number, RoomQueue>();
  const retryTimers = new Set<() => void>();
  let heldForLogin = false;
  let disposed = false;

  function queueOf(roomId: number): RoomQueue {
    let queue = queues.get(roomId);
    if (queue === undefined) {
      queue = { order: [], inFlight: null, retried: new Set(), ambiguous: new Set() };
      queues.set(roomId, queue);
    }
    return queue;
  }

  function itemOf(roomId: number, localId: string): PendingSend | undefined {
    return timeline.getSnapshot(roomId).pending.find((item) => item.localId === localId);
  }

  function persist(roomId: number): void {
    deps.saveOutbox?.(roomId, toOutbox(timeline.getSnapshot(roomId).pending));
  }

  function pump(roomId: number): void {
    const queue = queueOf(roomId);
    if (disposed || heldForLogin || queue.inFlight !== null) return;
    while (queue.order.length > 0) {
      const localId = queue.order[0] ?? '';
      const item = itemOf(roomId, localId);
      // Confirmed by the stream, discarded, or already failed: nothing left to send.
      if (item === undefined || item.status === 'failed' || item.status === 'sending') {
        queue.order.shift();
        continue;
      }
      if (!isOnline()) {
        for (const waiting of queue.order) timeline.dispatch(roomId, { type: 'sendWaiting', localId: waiting, outcomeUnknown: false });
        return;
      }
      queue.order.shift();
      queue.inFlight = localId;
      void attempt(roomId, localId, item.outcomeUnknown);
      return;
    }
  }

  function finish(roomId: number, localId: string): void {
    const queue = queueOf(roomId);
    if (queue.inFlight === localId) queue.inFlight = null;
    queue.retried.delete(localId);
    queue.ambiguous.delete(localId);
    persist(roomId);
    pump(roomId);
  }

  /** ui.md §3.7 step 5.1: a message the server already stored is confirmed by the fallback match, not sent twice. */
  async function isStored(roomId: number, localId: string): Promise<boolean> {
    const item = itemOf(roomId, localId);
    if (item === undefined) return true;
    const result = await api.poll(roomId, item.afterId ?? newestMessageId(timeline.getSnapshot(roomId).messages));
    if (result.ok) {
      const at = now();
      for (const message of result.value) timeline.dispatch(roomId, { type: 'message', message, at });
    }
    return itemOf(roomId, localId) === undefined;
  }

  async function attempt(roomId: number, localId: string, checkFirst: boolean): Promise<void> {
    if (checkFirst && (await isStored(roomId, localId))) return finish(roomId, localId);
    const item = itemOf(roomId, localId);
    if (disposed || item === undefined) return finish(roomId, localId);
    const afterId = newestMessageId(timeline.getSnapshot(roomId).messages);
    timeline.dispatch(roomId, { type: 'sendStarted', localId, afterId });
    persist(roomId);
    const result = await api.send(roomId, item.body);
    if (disposed) return;
    if (result.ok) {
      timeline.dispatch(roomId, { type: 'sendSucceeded', localId, message: result.value, at: now() });
      return finish(roomId, localId);
    }
    await onFailure(roomId, localId, result);
  }

  async function onFailure(roomId: number, localId: string, failure: Extract<ApiResult<Message>, { ok: false }>): Promise<void> {
    const queue = queueOf(roomId);
    const outcome = classifySendFailure(failure);
    if (outcome.kind === 'unauthorized') {
      timeline.dispatch(roomId, { type: 'sendRetried', localId });
      queue.order.unshift(localId);
      queue.inFlight = null;
      heldForLogin = true;
      persist(roomId);
      deps.onSessionExpired?.();
      return;
    }
    if (outcome.kind === 'rejected') {
      timeline.dispatch(roomId, { type: 'sendFailed', localId, error: sendFailureOf(failure), outcomeUnknown: queue.ambiguous.has(localId) });
      return finish(roomId, localId);
    }
    if (outcome.outcomeUnknown) queue.ambiguous.add(localId);
    if (failure.status === null && !isOnline()) {
      // ui.md §3.7 step 6: it waits for the `online` event, which checks whether it was stored before sending.
      timeline.dispatch(roomId, { type: 'sendWaiting', localId, outcomeUnknown: queue.ambiguous.has(localId) });
      queue.order.unshift(localId);
      queue.inFlight = null;
      persist(roomId);
      return;
    }
    if (await isStored(roomId, localId)) return finish(roomId, localId);
    const delay = automaticRetryDelayMs(outcome.retryAfterMs);
    if (!queue.retried.has(localId) && delay !== null) {
      queue.retried.add(localId);
      const cancel = timers.schedule(() => {
        retryTimers.delete(cancel);
        void attempt(roomId, localId, false);
      }, delay);
      retryTimers.add(cancel);
      return;
    }
    timeline.dispatch(roomId, { type: 'sendFailed', localId, error: sendFailureOf(failure), outcomeUnknown: queue.ambiguous.has(localId) });
    finish(roomId, localId);
  }

  return {
    submit(roomId, body) {
      const pending = timeline.getSnapshot(roomId).pending;
      const last = pending[pending.length - 1];
      const sameAsLast =
        last !== undefined && last.status !== 'failed' && now() - last.createdAt < DOUBLE_SUBMIT_MS && JSON.stringify(last.body) === JSON.stringify(body);
      if (sameAsLast) return last.localId;
      const localId = newId();
      const status = isOnline() ? 'queued' : 'waiting';
      timeline.dispatch(roomId, {
        type: 'sendQueued',
        item: { localId, body, status, createdAt: now(), outcomeUnknown: false, afterId: null },
      });
      queueOf(roomId).order.push(localId);
      persist(roomId);
      pump(roomId);
      return localId;
    },

    retry(roomId, localId) {
      const item = itemOf(roomId, localId);
      if (item === undefined || item.status !== 'failed') return;
      const queue = queueOf(roomId);
      queue.retried.delete(localId);
      // A send restored after a reload may have been stored before the page went away.
      if (item.outcomeUnknown) queue.ambiguous.add(localId);
      timeline.dispatch(roomId, { type: 'sendRetried', localId });
      queue.order.push(localId);
      persist(roomId);
      pump(roomId);
    },

    discard(roomId, localId) {
      const item = itemOf(roomId, localId);
      if (item === undefined || item.status === 'sending') return null;
      const queue = queueOf(roomId);
      queue.order = queue.order.filter((queued) => queued !== localId);
      timeline.dispatch(roomId, { type: 'sendDiscarded', localId });
      persist(roomId);
      return item;
    },

    undoDiscard(roomId, item) {
      timeline.dispatch(roomId, { type: 'sendRestored', items: [item] });
      persist(roomId);
    },

    online() {
      for (const [roomId, queue] of queues) {
        for (const localId of queue.order) {
          if (itemOf(roomId, localId)?.status === 'waiting') timeline.dispatch(roomId, { type: 'sendRetried', localId });
        }
        pump(roomId);
      }
    },

    sessionRestored() {
      heldForLogin = false;
      for (const roomId of queues.keys()) pump(roomId);
    },

    dispose() {
      disposed = true;
      for (const cancel of retryTimers) cancel();
      retryTimers.clear();
    },
  };
}
