import type { GeneratingAgent } from '../../shared/events.js';
import type { RunKind } from '../../shared/models.js';
import type { MessageWithAuthor } from '../db/messages.js';
import type { RoomRow } from '../db/schema.js';

export type MentionMode = 'first' | 'only';

export interface UserMessageTrigger {
  room: RoomRow;
  message: MessageWithAuthor;
  mentionedAgentIds: number[];
  mentionMode: MentionMode;
}

/**
 * What the HTTP layer asks of the engine (architecture.md §1). The room runner, turn policy and scheduler sit
 * behind this seam; callers never reach into them.
 */
export interface Engine {
  /** The run kind active in the room, or null when idle. */
  runningKind(roomId: number): RunKind | null;
  /**
   * The room's in-flight turns with their accumulated text, read synchronously so an event stream can capture it
   * in the same step as it subscribes (api.md §9.3 connection sequence, step 1).
   */
  generating(roomId: number): GeneratingAgent[];
  /**
   * Stops whatever runs in the room. With `savePartials`, partial replies are persisted (and published) before
   * this resolves, so their ids precede anything the caller inserts next (api.md §8.3 step 3).
   */
  interruptRoom(roomId: number, options: { savePartials: boolean }): Promise<void>;
  /** Stops the agent's turns in every room without saving partials (agent delete, member removal). */
  interruptAgent(agentId: number, options: { roomId?: number }): Promise<void>;
  /** Starts processing of a persisted user message in the background (api.md §8.3 step 5). */
  handleUserMessage(trigger: UserMessageTrigger): void;
  shutdown(): Promise<void>;
}
