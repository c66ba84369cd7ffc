/**
 * A tiny per-room channel from other parts of the chat page to the composer. The agent panel's "Mention" button calls
 * `requestMention`; the room's composer listens with `onMentionRequest` and inserts `@Name `. A request made while no
 * composer listens for that room is kept (the latest one only) and handed to the next listener.
 */

type MentionListener = (name: string) => void;

const listeners = new Map<number, Set<MentionListener>>();
const pending = new Map<number, string>();

export function requestMention(roomId: number, name: string): void {
  const roomListeners = listeners.get(roomId);
  if (roomListeners === undefined || roomListeners.size === 0) {
    pending.set(roomId, name);
    return;
  }
  for (const listener of [...roomListeners]) listener(name);
}

export function onMentionRequest(roomId: number, listener: MentionListener): () => void {
  let roomListeners = listeners.get(roomId);
  if (roomListeners === undefined) {
    roomListeners = new Set();
    listeners.set(roomId, roomListeners);
  }
  roomListeners.add(listener);
  const waiting = pending.get(roomId);
  if (waiting !== undefined) {
    pending.delete(roomId);
    listener(waiting);
  }
  return () => {
    roomListeners.delete(listener);
    if (roomListeners.size === 0) listeners.delete(roomId);
  };
}
