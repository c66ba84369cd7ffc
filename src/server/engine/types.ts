import type { GeneratingAgent } from '../../shared/events.js';
import type { ChattingAgent, RunKind } from '../../shared/models.js';
import type { MessageWithAuthor } from '../db/messages.js';
import type { RoomRow } from '../db/schema.js';

export type MentionMode = 'first' | 'only';

/** Why a run is cancelled (behavior.md §5.1 rule 3); the first three keep partial replies. */
export type CancelReason = 'user_message' | 'pause' | 'regenerate' | 'shutdown' | 'clear' | 'delete';

export interface UserMessageTrigger {
  room: RoomRow;
  message: MessageWithAuthor;
  mentionedAgentIds: number[];
  mentionMode: MentionMode;
}

/** Why a manual turn could not start (api.md §8.5 preconditions 6–7). */
export type ManualTurnRefusal = 'paused' | 'busy';

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
  /** The same live state in the polling shape (api.md §8.6). */
  chattingAgents(roomId: number): ChattingAgent[];
  /**
   * Stops whatever runs in the room (§5.2). Reasons that keep partials persist (and publish) them before this
   * resolves, so their ids precede anything the caller inserts next (api.md §8.3 step 3).
   */
  interruptRoom(roomId: number, options: { reason: CancelReason }): Promise<void>;
  /** Stops the agent's turns (in one room, or every room) without saving partials (agent delete, member removal). */
  interruptAgent(agentId: number, options: { roomId?: number }): Promise<void>;
  /**
   * api.md §8.3 steps 3–5 around the caller's insert: cancels the room's run (partials stored first), keeps any
   * other run from starting while `insert` runs, then starts the user run for the trigger it returns (null: the
   * room is paused, nothing starts).
   */
  submitUserMessage<T>(roomId: number, insert: () => Promise<{ result: T; trigger: UserMessageTrigger | null }>): Promise<T>;
  /** §5.11 rule 2: after resume, answers the newest message when it is a user's. */
  resumeRoom(room: RoomRow): Promise<void>;
  /**
   * One unguarded turn of a member (api.md §8.5 regenerate, §14.4 respond). With `replaceMessageId` that message is
   * deleted first, holding the room's runner. Resolves once the run is registered.
   */
  startManualTurn(options: { room: RoomRow; agentId: number; replaceMessageId?: number }): Promise<ManualTurnRefusal | 'started'>;
  /** A scheduler run (§6 rule 5); false when the room is busy or the engine is stopping. */
  startSchedulerRun(room: RoomRow): boolean;
  /** The room has a run, or a user message waiting for one. */
  isRoomBusy(roomId: number): boolean;
  activeRunCount(kind: RunKind): number;
  shutdown(): Promise<void>;
}
