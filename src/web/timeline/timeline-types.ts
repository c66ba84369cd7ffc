import type { RoomEventPayloads, RoomEventReason } from '../../shared/events.js';
import type { ChattingAgent, Message, RoomWithAgents } from '../../shared/models.js';
import type { SendRequest } from '../send/send-request.js';

/** The state of one room's transcript (ui.md §3.5). Every field is replaced, never mutated, so selectors can compare
 * by reference and a delta re-renders only the live bubble it touched. */
export interface Timeline {
  roomId: number;
  /** The newest room seen on the stream (`snapshot`, `room`), for the header and mention candidates. */
  room: RoomWithAgents | null;
  /** The newest page has arrived once; until then the list shows skeleton rows. */
  loaded: boolean;
  /** Confirmed messages, ascending unique ids. */
  messages: readonly Message[];
  /** Local sends in creation order. */
  pending: readonly PendingSend[];
  /** Live bubbles in the order their turn started. */
  live: readonly LiveBubble[];
  /** Message id → the row key of the live bubble or pending send it replaced, so the row does not remount. */
  rowKey: Readonly<Record<number, string>>;
  /** Notice id → the agent whose failed turn it reports (gives the notice a Retry button). */
  errorNotice: Readonly<Record<number, number>>;
  /** Message id → how long its agent thought, when this session saw the turn start. */
  thoughtMs: Readonly<Record<number, number>>;
  /** Ids deleted optimistically, still held so a failed delete can put them back in place. */
  hidden: readonly number[];
  /** Ids whose regenerate call is in flight. */
  regenerating: readonly number[];
  hasMoreBefore: boolean;
  loadingBefore: boolean;
  /** Agent id → what the member is doing, for the agent panel. */
  memberStatus: Readonly<Record<number, MemberStatus>>;
  /** Recent turns by turn id, so the end of a turn does not depend on the order of its last events. */
  turns: Readonly<Record<string, TurnRecord>>;
  /** Ids known to be deleted: a page read before the deletion must not bring them back. */
  tombstones: readonly number[];
  /** Every id at or below this was cleared with the conversation. */
  clearedThrough: number;
  /** Pending sends confirmed by a matching `message` before their POST answered (see `pending-sends.ts`). */
  claims: readonly PendingClaim[];
}

export type PendingStatus = 'sending' | 'queued' | 'waiting' | 'failed';

export type SendFailureReason =
  | 'network'
  | 'server'
  | 'rate_limited'
  | 'too_large'
  | 'unsupported_media'
  | 'invalid'
  | 'forbidden'
  | 'not_found'
  | 'rejected'
  /** Restored from the outbox after a reload: the outcome of its last POST is unknown. */
  | 'interrupted';

export interface SendFailure {
  reason: SendFailureReason;
  status: number | null;
  /** The server's `detail`, when it sent one. */
  detail: string | null;
}

export interface PendingSend {
  localId: string;
  body: SendRequest;
  status: PendingStatus;
  error?: SendFailure;
  createdAt: number;
  /** An earlier POST of this item ended without a definite answer (network error, 5xx), so the server may hold it.
   * Only such items, and items whose POST is in flight, may be confirmed by a matching `message` (ui.md §3.5). */
  outcomeUnknown: boolean;
  /** The newest message id held when its first POST started: a message at or below it predates this send. */
  afterId: number | null;
  /** Restored from the outbox, which never keeps the image. */
  imageDropped?: boolean;
}

export interface PendingClaim {
  messageId: number;
  item: PendingSend;
}

export type LivePhase = 'thinking' | 'writing' | 'stopping';

export interface LiveBubble {
  agentId: number;
  /** Row key, stable for the whole turn and handed on to the message that replaces the bubble. */
  key: string;
  turnId: string;
  attempt: number;
  name: string | null;
  pic: string | null;
  thinking: string;
  response: string;
  startedAt: number;
  /** This session saw `agent_start`, so the thinking time is known. */
  startSeen: boolean;
  firstResponseAt: number | null;
  lastThinkingAt: number | null;
  phase: LivePhase;
  /** The newest message id when the turn started: older messages of this agent never end the turn. */
  floorId: number;
}

export type MemberActivity = 'idle' | 'thinking' | 'writing' | 'passed' | 'error';

export interface MemberStatus {
  activity: MemberActivity;
  turnId: string | null;
  /** The `agent_error` description, for the tooltip. */
  error: string | null;
}

export interface TurnRecord {
  agentId: number;
  agentName: string | null;
  floorId: number;
  ended: boolean;
  /** `agent_end` with outcome `error` arrived. */
  endedWithError: boolean;
  errored: boolean;
  /** The notice linked to this failed turn. */
  noticeId: number | null;
  /** The bubble's row key, handed to the turn's message whichever of them arrives first. */
  key: string | null;
  thoughtMs: number | null;
  /** The turn's message: known from `agent_end.message_id` or from the message itself. */
  messageId: number | null;
  /** The bubble ended before its message arrived; the message still takes its key. */
  awaitingMessage: boolean;
}

export type DeltaPayload = RoomEventPayloads['delta'];

export type TimelineAction =
  // Loading
  | { type: 'pageLoaded'; which: 'newest' | 'older'; messages: readonly Message[]; limit: number }
  | { type: 'olderRequested' }
  | { type: 'olderFailed' }
  | { type: 'snapshot'; data: RoomEventPayloads['snapshot']; at: number }
  | {
      type: 'reconcileNewest';
      messages: readonly Message[];
      limit: number;
      /** The newest id held when the page was requested: anything held up to it is covered by the page. */
      heldNewestAtRequest?: number | null;
    }
  | { type: 'reset' }
  // Events
  | { type: 'message'; message: Message; at: number }
  | { type: 'deleted'; data: RoomEventPayloads['message_deleted'] }
  | { type: 'cleared' }
  | { type: 'room'; data: { reason: RoomEventReason; room: RoomWithAgents } }
  | { type: 'agentStart'; data: RoomEventPayloads['agent_start']; at: number }
  | { type: 'deltaBatch'; deltas: readonly DeltaPayload[]; at: number }
  | { type: 'agentEnd'; data: RoomEventPayloads['agent_end']; at: number }
  | { type: 'agentError'; data: RoomEventPayloads['agent_error']; at: number }
  /** Polling fallback: live bubbles rebuilt from `GET …/chatting-agents`. */
  | { type: 'liveRebuilt'; agents: readonly ChattingAgent[]; at: number }
  /** Stop or Pause pressed: bubbles read "Stopping…" until their turn ends. */
  | { type: 'stopRequested' }
  | { type: 'stopFailed' }
  // Sending
  | { type: 'sendQueued'; item: PendingSend }
  | { type: 'sendStarted'; localId: string; afterId: number | null }
  | { type: 'sendSucceeded'; localId: string; message: Message; at: number }
  | { type: 'sendFailed'; localId: string; error: SendFailure; outcomeUnknown: boolean }
  /** Offline (ui.md §3.7 step 6); `outcomeUnknown` when a POST was cut off by the network going away. */
  | { type: 'sendWaiting'; localId: string; outcomeUnknown: boolean }
  | { type: 'sendRetried'; localId: string }
  | { type: 'sendDiscarded'; localId: string }
  /** Outbox items after a reload, or a discarded item brought back by Undo. */
  | { type: 'sendRestored'; items: readonly PendingSend[] }
  // Optimistic changes
  | { type: 'deleteOptimistic'; messageId: number }
  | { type: 'deleteRolledBack'; messageId: number }
  | { type: 'regenerateStarted'; messageId: number }
  | { type: 'regenerateFailed'; messageId: number };

export function emptyTimeline(roomId: number): Timeline {
  return {
    roomId,
    room: null,
    loaded: false,
    messages: [],
    pending: [],
    live: [],
    rowKey: {},
    errorNotice: {},
    thoughtMs: {},
    hidden: [],
    regenerating: [],
    hasMoreBefore: false,
    loadingBefore: false,
    memberStatus: {},
    turns: {},
    tombstones: [],
    clearedThrough: 0,
    claims: [],
  };
}
