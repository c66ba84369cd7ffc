import type { RoomEvent } from '../../shared/events.js';
import type { FrameScheduler } from './frame-scheduler.js';
import { roomsToEvict, touchRoom } from './room-lru.js';
import { eventToAction } from './timeline-events.js';
import { timelineReducer } from './timeline-reducer.js';
import { emptyTimeline, type DeltaPayload, type Timeline, type TimelineAction } from './timeline-types.js';

/**
 * The external store holding every cached room's timeline (ui.md §2.3), read by components through
 * `useSyncExternalStore(listener => store.subscribe(roomId, listener), () => store.getSnapshot(roomId))`.
 * Listeners are per room, so a delta in one room never wakes another room's subscribers.
 */
export interface TimelineStore {
  subscribe(roomId: number, listener: () => void): () => void;
  /** Stable while unchanged; an empty timeline (also stable) for a room not held. */
  getSnapshot(roomId: number): Timeline;
  /** Marks the room most recently used, creating its timeline; returns the rooms evicted to make space. */
  open(roomId: number): readonly number[];
  has(roomId: number): boolean;
  /** Applies an action now. Deltas buffered for the room are applied first, so order is kept. Ignored for a room
   * not held: a late answer for an evicted room must not revive a timeline without its history. */
  dispatch(roomId: number, action: TimelineAction): void;
  /** A stream event: deltas are buffered until the next frame, everything else is dispatched at once. */
  receive(roomId: number, event: RoomEvent): void;
  /** Applies every buffered delta now. */
  flush(): void;
  /** Log out: every timeline goes. */
  clear(): void;
}

export interface TimelineStoreOptions {
  scheduler: FrameScheduler;
  now?: () => number;
  maxRooms?: number;
}

interface DeltaBuffer {
  deltas: DeltaPayload[];
  /** Arrival of the first delta of the frame: the time a first response started, to within a frame. */
  at: number;
}

export function createTimelineStore({ scheduler, now = Date.now, maxRooms = 4 }: TimelineStoreOptions): TimelineStore {
  const rooms = new Map<number, Timeline>();
  const empties = new Map<number, Timeline>();
  const listeners = new Map<number, Set<() => void>>();
  const buffers = new Map<number, DeltaBuffer>();
  let order: readonly number[] = [];
  let cancelFrame: (() => void) | null = null;

  function notify(roomId: number): void {
    for (const listener of [...(listeners.get(roomId) ?? [])]) listener();
  }

  function apply(roomId: number, action: TimelineAction): void {
    const current = rooms.get(roomId);
    if (current === undefined) return;
    const next = timelineReducer(current, action);
    if (next === current) return;
    rooms.set(roomId, next);
    notify(roomId);
  }

  function flushRoom(roomId: number): void {
    const buffer = buffers.get(roomId);
    if (buffer === undefined) return;
    buffers.delete(roomId);
    apply(roomId, { type: 'deltaBatch', deltas: buffer.deltas, at: buffer.at });
  }

  function flush(): void {
    cancelFrame?.();
    cancelFrame = null;
    for (const roomId of [...buffers.keys()]) flushRoom(roomId);
  }

  function dispatch(roomId: number, action: TimelineAction): void {
    flushRoom(roomId);
    apply(roomId, action);
  }

  function dropRoom(roomId: number): void {
    rooms.delete(roomId);
    buffers.delete(roomId);
    notify(roomId);
  }

  return {
    subscribe(roomId, listener) {
      const set = listeners.get(roomId) ?? new Set();
      set.add(listener);
      listeners.set(roomId, set);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(roomId);
      };
    },

    getSnapshot(roomId) {
      const held = rooms.get(roomId);
      if (held !== undefined) return held;
      let empty = empties.get(roomId);
      if (empty === undefined) {
        empty = emptyTimeline(roomId);
        empties.set(roomId, empty);
      }
      return empty;
    },

    open(roomId) {
      order = touchRoom(order, roomId);
      if (!rooms.has(roomId)) {
        rooms.set(roomId, empties.get(roomId) ?? emptyTimeline(roomId));
        empties.delete(roomId);
      }
      const evicted = roomsToEvict(order, maxRooms, (id) => id === roomId || (rooms.get(id)?.pending.length ?? 0) > 0);
      if (evicted.length > 0) order = order.filter((id) => !evicted.includes(id));
      for (const id of evicted) dropRoom(id);
      return evicted;
    },

    has(roomId) {
      return rooms.has(roomId);
    },

    dispatch,

    receive(roomId, event) {
      if (!rooms.has(roomId)) return;
      if (event.type !== 'delta') {
        const action = eventToAction(event, now());
        if (action !== null) dispatch(roomId, action);
        return;
      }
      const buffer = buffers.get(roomId);
      if (buffer === undefined) buffers.set(roomId, { deltas: [event.data], at: now() });
      else buffer.deltas.push(event.data);
      cancelFrame ??= scheduler.request(() => {
        cancelFrame = null;
        flush();
      });
    },

    flush,

    clear() {
      cancelFrame?.();
      cancelFrame = null;
      buffers.clear();
      const held = [...rooms.keys()];
      rooms.clear();
      order = [];
      for (const roomId of held) notify(roomId);
    },
  };
}
