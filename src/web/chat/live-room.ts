import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { onSessionEnd } from '../auth/session-end';
import { createConnectionRunner, type ConnectionRunner } from '../connection/connection-runner';
import { initialConnectionState } from '../connection/connection-machine';
import type { ConnectionState, UnavailableReason } from '../connection/connection-types';
import { timelineAccess } from '../connection/timeline-access';
import { systemTimers } from '../connection/timers';
import { draftsKey, parseDrafts, saveOutbox, serializeDrafts } from '../send/drafts';
import { fromOutbox, type OutboxEntry } from '../send/outbox';
import { createSendQueue } from '../send/send-queue';
import type { SendRequest } from '../send/send-request';
import { animationFrameScheduler, type FrameScheduler } from '../timeline/frame-scheduler';
import { selectOldestId } from '../timeline/timeline-selectors';
import { createTimelineStore } from '../timeline/timeline-store';
import type { Timeline } from '../timeline/timeline-types';
import { confirmSession, connectionApi, olderMessages, openEventStream, sendApi } from './room-api';

/**
 * The live core wired for the page (ui.md §2.3, §3.5–3.7): one timeline store and one send queue for the app, and
 * one connection runner per open room. Components read the store with `useTimeline(roomId, selector)`, so a delta
 * re-renders only what its selector picks.
 */

const frameScheduler: FrameScheduler =
  typeof window !== 'undefined' && typeof window.requestAnimationFrame === 'function'
    ? animationFrameScheduler(window)
    : {
        request(callback) {
          const handle = setTimeout(callback, 16);
          return () => clearTimeout(handle);
        },
      };

export const timelineStore = createTimelineStore({ scheduler: frameScheduler });

/** The signed-in user, whose drafts hold the outbox (set by the room page). */
let outboxUser: string | null = null;

function readDrafts(userId: string) {
  try {
    return parseDrafts(localStorage.getItem(draftsKey(userId)));
  } catch {
    return {};
  }
}

function writeOutbox(roomId: number, entries: readonly OutboxEntry[]): void {
  if (outboxUser === null) return;
  try {
    const next = saveOutbox(readDrafts(outboxUser), roomId, entries, Date.now());
    localStorage.setItem(draftsKey(outboxUser), serializeDrafts(next));
  } catch {
    // Storage full or disabled: the sends live for this page only.
  }
}

function browserOnline(): boolean {
  return typeof navigator === 'undefined' || navigator.onLine !== false;
}

export const sendQueue = createSendQueue({
  api: sendApi,
  timeline: timelineStore,
  timers: systemTimers,
  isOnline: browserOnline,
  saveOutbox: writeOutbox,
});

/** Rooms whose outbox was brought back in this page load: it happens once, after a reload (ui.md §3.7 step 7). */
const restoredRooms = new Set<number>();

function restoreOutbox(roomId: number, userId: string): void {
  if (restoredRooms.has(roomId)) return;
  restoredRooms.add(roomId);
  const entries = readDrafts(userId)[roomId]?.outbox ?? [];
  const held = new Set(timelineStore.getSnapshot(roomId).pending.map((item) => item.localId));
  const items = fromOutbox(entries.filter((entry) => !held.has(entry.localId)));
  if (items.length > 0) timelineStore.dispatch(roomId, { type: 'sendRestored', items });
}

/** Every room timeline and restored outbox forgotten: on log out, and between test cases. */
export function forgetLiveRooms(): void {
  timelineStore.clear();
  restoredRooms.clear();
  outboxUser = null;
}
onSessionEnd(forgetLiveRooms);

/** A slice of one room's timeline; the selector must return the same reference while its inputs are unchanged. */
export function useTimeline<T>(roomId: number, selector: (t: Timeline) => T): T {
  const subscribe = useCallback((listener: () => void) => timelineStore.subscribe(roomId, listener), [roomId]);
  const read = () => selector(timelineStore.getSnapshot(roomId));
  return useSyncExternalStore(subscribe, read, read);
}

function isHidden(): boolean {
  return typeof document !== 'undefined' && document.visibilityState === 'hidden';
}

export interface RoomConnection {
  state: ConnectionState;
  unavailable: UnavailableReason | null;
  retryNow(): void;
}

/**
 * Opens the room: its timeline in the store (the 4-room LRU), the outbox after a reload, and its connection — one
 * SSE stream with snapshot, `Last-Event-ID` resume, backoff, polling fallback, suspension in hidden tabs and the
 * offline state (ui.md §3.6). Leaving the room stops all of it.
 */
export function useRoomConnection(roomId: number, userId: string | undefined): RoomConnection {
  const [runner, setRunner] = useState<ConnectionRunner | null>(null);
  const [state, setState] = useState<ConnectionState>(initialConnectionState);
  const [unavailable, setUnavailable] = useState<UnavailableReason | null>(null);

  useEffect(() => {
    timelineStore.open(roomId);
    const next = createConnectionRunner({
      roomId,
      openStream: openEventStream,
      api: connectionApi,
      timeline: timelineAccess(timelineStore, roomId),
      timers: systemTimers,
      onSessionExpired: confirmSession,
      onUnavailable: setUnavailable,
      onProblem: (problem) => console.warn(`[room ${roomId}] ${problem}`),
    });
    const unsubscribe = next.subscribe(() => setState(next.getState()));
    setRunner(next);
    next.start({ online: browserOnline(), hidden: isHidden() });
    setState(next.getState());

    const onVisibility = () => next.setHidden(isHidden());
    const onOnline = () => {
      next.setOnline(true);
      sendQueue.online();
    };
    const onOffline = () => next.setOnline(false);
    document.addEventListener('visibilitychange', onVisibility);
    window.addEventListener('online', onOnline);
    window.addEventListener('offline', onOffline);
    return () => {
      document.removeEventListener('visibilitychange', onVisibility);
      window.removeEventListener('online', onOnline);
      window.removeEventListener('offline', onOffline);
      unsubscribe();
      next.stop();
    };
  }, [roomId]);

  // The outbox belongs to the user; sends held by a 401 go once a session is back (ui.md §3.7 step 5).
  useEffect(() => {
    if (userId === undefined) return;
    outboxUser = userId;
    restoreOutbox(roomId, userId);
    sendQueue.sessionRestored();
  }, [roomId, userId]);

  const retryNow = useCallback(() => runner?.retryNow(), [runner]);
  return { state, unavailable, retryNow };
}

/** Loads the page before the oldest held message (ui.md §4.4.2): once at a time, and only while there is more. */
export async function loadOlder(roomId: number): Promise<void> {
  const t = timelineStore.getSnapshot(roomId);
  const oldest = selectOldestId(t);
  if (!t.loaded || !t.hasMoreBefore || t.loadingBefore || oldest === null) return;
  timelineStore.dispatch(roomId, { type: 'olderRequested' });
  const page = await olderMessages(roomId, oldest);
  if (page.ok) timelineStore.dispatch(roomId, { type: 'pageLoaded', which: 'older', messages: page.value, limit: 200 });
  else timelineStore.dispatch(roomId, { type: 'olderFailed' });
}

export function submitSend(roomId: number, body: SendRequest): string {
  return sendQueue.submit(roomId, body);
}
