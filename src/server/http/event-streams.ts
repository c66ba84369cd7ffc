import type { RoomEvent } from '../../shared/events.js';
import { formatSseEvent, type SseStream } from './sse-writer.js';

/**
 * The open event streams of this process: the per-user cap (SSE_MAX_STREAMS_PER_USER, api.md §9.3) and the
 * `shutdown` broadcast on graceful stop. Owned by the composition root, so tests get their own.
 */
export interface EventStreams {
  /** Reserves a slot for the user; false when the cap is reached. */
  tryReserve(userId: string): boolean;
  /** Frees a slot reserved by tryReserve (the stream closed, or opening it failed). */
  release(userId: string): void;
  /** Tracks an open stream until it closes; a stream opened during shutdown is told at once. */
  track(stream: SseStream): void;
  /** Sends `shutdown` to every stream, closes them, and refuses new ones. */
  shutdown(): void;
  /** The SSE frame of an event, serialized once however many streams send it. */
  frameOf(event: RoomEvent): string;
  readonly shuttingDown: boolean;
  openCount(): number;
}

export function createEventStreams({ maxPerUser }: { maxPerUser: number }): EventStreams {
  const perUser = new Map<string, number>();
  const open = new Set<SseStream>();
  let shuttingDown = false;
  const frames = new WeakMap<RoomEvent, string>();

  function sayGoodbye(stream: SseStream): void {
    stream.send({ type: 'shutdown', data: { reason: 'server_shutdown' } });
    stream.close();
  }

  return {
    frameOf(event) {
      let frame = frames.get(event);
      if (frame === undefined) {
        frame = formatSseEvent(event);
        frames.set(event, frame);
      }
      return frame;
    },
    tryReserve(userId) {
      const count = perUser.get(userId) ?? 0;
      if (count >= maxPerUser) return false;
      perUser.set(userId, count + 1);
      return true;
    },
    release(userId) {
      const count = (perUser.get(userId) ?? 0) - 1;
      if (count <= 0) perUser.delete(userId);
      else perUser.set(userId, count);
    },
    track(stream) {
      if (shuttingDown) {
        sayGoodbye(stream);
        return;
      }
      open.add(stream);
      stream.onClose(() => open.delete(stream));
    },
    shutdown() {
      shuttingDown = true;
      for (const stream of [...open]) sayGoodbye(stream);
    },
    get shuttingDown() {
      return shuttingDown;
    },
    openCount: () => open.size,
  };
}
