import type { RoomEvent, RoomEventReason } from '../../shared/events.js';
import type { RunKind } from '../../shared/models.js';
import type { MessageWithAuthor } from '../db/messages.js';
import type { RoomRow } from '../db/schema.js';

/**
 * How the engine announces what it committed (architecture.md §3: persist, then publish). The composition root
 * supplies it, so the engine needs neither the HTTP DTOs nor the bus implementation.
 */
export interface EnginePublisher {
  /** A committed message row, as the message routes return it. */
  message(row: MessageWithAuthor): void;
  /** A room change; the view is built with the room's members and current run (or `running` when given). */
  room(room: RoomRow, reason: RoomEventReason, running?: RunKind | null): Promise<void>;
  /** Turn events (`agent_start`, `delta`, `agent_end`, `agent_error`) and deletions. */
  event(roomId: number, event: RoomEvent): void;
  /** Other processes have been handed everything published so far (before a runner lease is released). */
  flush(): Promise<void>;
  /** What other processes published for the room so far has reached this process's streams (before a user message). */
  catchUp(roomId: number): Promise<void>;
}
