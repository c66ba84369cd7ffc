/**
 * Per-room serialization of message inserts (api.md §9.3, ordering guarantee 3): a message row is inserted,
 * committed and published before the next insert of the same room starts, so ids on a stream only increase and a
 * resume from the last received id never skips a message. Every writer of messages (user sends, notices, the
 * engine's replies) runs its insert and publish through the same instance. One process only; a cluster adds a
 * database lock on top.
 */
export interface RoomLocks {
  /** Runs `task` after every earlier task of the same room has settled. */
  run<T>(roomId: number, task: () => Promise<T>): Promise<T>;
}

export function createRoomLocks(): RoomLocks {
  const tails = new Map<number, Promise<void>>();
  return {
    async run(roomId, task) {
      const previous = tails.get(roomId) ?? Promise.resolve();
      let release = () => undefined as void;
      const done = new Promise<void>((resolve) => {
        release = resolve;
      });
      const tail = previous.then(() => done);
      tails.set(roomId, tail);
      await previous;
      try {
        return await task();
      } finally {
        release();
        if (tails.get(roomId) === tail) tails.delete(roomId);
      }
    },
  };
}
