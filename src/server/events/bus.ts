import type { RoomEvent } from '../../shared/events.js';

/**
 * The events bus (architecture.md §5): publishers hand it events after the data is committed; subscribers
 * (SSE streams, the engine in a cluster) receive them per room. This in-process implementation is the default;
 * a PostgreSQL LISTEN/NOTIFY implementation of the same interface relays between processes.
 */
export interface EventBus {
  publish(roomId: number, event: RoomEvent): void;
  subscribe(roomId: number, listener: (event: RoomEvent) => void): () => void;
  subscriberCount(roomId: number): number;
  /** Every event of every room (caches that follow committed changes). */
  subscribeAll(listener: (roomId: number, event: RoomEvent) => void): () => void;
  /** Resolves once the events this process published have been handed to the other processes (none in one process). */
  flush(): Promise<void>;
  /**
   * Resolves once the events other processes had handed over for the room before this call have reached this
   * process's subscribers (none in one process). Bounded: it never waits long on a broken connection.
   */
  catchUp(roomId: number): Promise<void>;
}

export function createInProcessBus({ onListenerError }: { onListenerError: (err: unknown) => void }): EventBus {
  const listeners = new Map<number, Set<(event: RoomEvent) => void>>();
  const everything = new Set<(roomId: number, event: RoomEvent) => void>();
  return {
    flush: () => Promise.resolve(),
    catchUp: () => Promise.resolve(),
    publish(roomId, event) {
      for (const listener of [...everything]) {
        try {
          listener(roomId, event);
        } catch (err) {
          onListenerError(err);
        }
      }
      const set = listeners.get(roomId);
      if (!set) return;
      for (const listener of [...set]) {
        try {
          listener(event);
        } catch (err) {
          // One broken subscriber must not stop delivery to the others.
          onListenerError(err);
        }
      }
    },
    subscribe(roomId, listener) {
      let set = listeners.get(roomId);
      if (!set) {
        set = new Set();
        listeners.set(roomId, set);
      }
      set.add(listener);
      return () => {
        const current = listeners.get(roomId);
        if (!current) return;
        current.delete(listener);
        if (current.size === 0) listeners.delete(roomId);
      };
    },
    subscriberCount: (roomId) => listeners.get(roomId)?.size ?? 0,
    subscribeAll(listener) {
      everything.add(listener);
      return () => {
        everything.delete(listener);
      };
    },
  };
}
