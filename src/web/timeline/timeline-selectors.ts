import type { Message } from '../../shared/models.js';
import { isNotice } from './agent-turns.js';
import { newestMessageId, oldestMessageId } from './message-order.js';
import { sendRowKey } from './pending-sends.js';
import type { LiveBubble, MemberStatus, PendingSend, Timeline } from './timeline-types.js';

/**
 * Reads for components. Each returns the same reference while its inputs are unchanged, which is what
 * `useSyncExternalStore` needs to skip a render: a delta changes one bubble, and only that bubble's selector
 * result changes.
 */

export type TimelineRow =
  | {
      kind: 'message';
      key: string;
      message: Message;
      thoughtMs: number | null;
      regenerating: boolean;
      /** The agent whose failed turn this notice reports. */
      errorAgentId: number | null;
    }
  | { kind: 'pending'; key: string; item: PendingSend }
  /** The bubble itself is read with `selectLiveBubble`, so its deltas re-render only that row. */
  | { kind: 'live'; key: string; agentId: number };

type MessageRow = Extract<TimelineRow, { kind: 'message' }>;

export function messageRowKey(t: Timeline, messageId: number): string {
  return t.rowKey[messageId] ?? `message:${messageId}`;
}

/**
 * ui.md §3.5 render order: confirmed messages by id (without optimistic deletions), then pending sends in creation
 * order, then live bubbles in start order. One selector per list, since it remembers its last answer.
 */
export function createRowsSelector(): (t: Timeline) => readonly TimelineRow[] {
  let last: { inputs: readonly unknown[]; rows: readonly TimelineRow[] } | null = null;
  const messageRows = new WeakMap<Message, MessageRow>();
  return function selectRows(t) {
    const inputs = [
      t.messages,
      t.hidden,
      t.pending,
      t.rowKey,
      t.thoughtMs,
      t.errorNotice,
      t.regenerating,
      t.live.map((bubble) => bubble.key).join('\n'),
    ];
    if (last !== null && inputs.every((input, index) => input === last?.inputs[index])) return last.rows;
    const rows: TimelineRow[] = [];
    for (const message of t.messages) {
      if (t.hidden.includes(message.id)) continue;
      const row: MessageRow = {
        kind: 'message',
        key: messageRowKey(t, message.id),
        message,
        thoughtMs: t.thoughtMs[message.id] ?? null,
        regenerating: t.regenerating.includes(message.id),
        errorAgentId: t.errorNotice[message.id] ?? null,
      };
      const cached = messageRows.get(message);
      const same =
        cached !== undefined &&
        cached.key === row.key &&
        cached.thoughtMs === row.thoughtMs &&
        cached.regenerating === row.regenerating &&
        cached.errorAgentId === row.errorAgentId;
      if (same) rows.push(cached);
      else {
        messageRows.set(message, row);
        rows.push(row);
      }
    }
    for (const item of t.pending) rows.push({ kind: 'pending', key: sendRowKey(item.localId), item });
    for (const bubble of t.live) rows.push({ kind: 'live', key: bubble.key, agentId: bubble.agentId });
    last = { inputs, rows };
    return rows;
  };
}

export function selectLiveBubble(t: Timeline, agentId: number): LiveBubble | undefined {
  return t.live.find((bubble) => bubble.agentId === agentId);
}

/** The Stop button shows while any bubble is live (ui.md §4.4.5). */
export function selectIsLive(t: Timeline): boolean {
  return t.live.length > 0;
}

const typingCache = new WeakMap<readonly LiveBubble[], readonly string[]>();

/** Names for the typing line (ui.md §4.4.4), in start order. Stopping bubbles are no longer "writing". */
export function selectTypingNames(t: Timeline): readonly string[] {
  const cached = typingCache.get(t.live);
  if (cached !== undefined) return cached;
  const names = t.live
    .filter((bubble) => bubble.phase !== 'stopping' && bubble.name !== null)
    .map((bubble) => bubble.name ?? '');
  typingCache.set(t.live, names);
  return names;
}

export function selectNewestId(t: Timeline): number | null {
  return newestMessageId(t.messages);
}

/** `before_id` for the next older page. */
export function selectOldestId(t: Timeline): number | null {
  return oldestMessageId(t.messages);
}

/**
 * `Last-Event-ID` for the stream (ui.md §3.6): the highest id held, or the clear point of an emptied room. Only once
 * the history is loaded: stray stream messages held before the first page would skip what lies between.
 */
export function selectResumeId(t: Timeline): number | null {
  if (!t.loaded) return null;
  const newest = newestMessageId(t.messages);
  if (newest !== null) return Math.max(newest, t.clearedThrough);
  return t.clearedThrough > 0 ? t.clearedThrough : null;
}

const IDLE: MemberStatus = { activity: 'idle', turnId: null, error: null };

export function selectMemberStatus(t: Timeline, agentId: number): MemberStatus {
  return t.memberStatus[agentId] ?? IDLE;
}

/**
 * The agent a notice's Retry asks to reply (ui.md §4.4.2 g), as long as that agent has not replied since.
 */
export function selectRetryAgent(t: Timeline, noticeId: number): number | null {
  const agentId = t.errorNotice[noticeId];
  if (agentId === undefined) return null;
  for (let index = t.messages.length - 1; index >= 0; index -= 1) {
    const message = t.messages[index];
    if (message === undefined || message.id <= noticeId) break;
    if (message.agent_id === agentId && !isNotice(message)) return null;
  }
  return agentId;
}

function isAgentMessage(message: Message): boolean {
  return message.agent_id !== null && message.role === 'assistant' && message.participant_type === null;
}

/**
 * The message Regenerate applies to (ui.md §4.4.2 "Message actions", api.md §8.5): the newest message other than
 * notices, when it is an agent's, the room is not paused, nothing is live and the author is still a member.
 */
export function selectRegenerableId(t: Timeline): number | null {
  if (t.live.length > 0 || t.room === null || t.room.is_paused) return null;
  for (let index = t.messages.length - 1; index >= 0; index -= 1) {
    const message = t.messages[index];
    if (message === undefined) break;
    if (isNotice(message) || t.hidden.includes(message.id)) continue;
    if (!isAgentMessage(message) || t.regenerating.includes(message.id)) return null;
    const isMember = t.room.agents.some((agent) => agent.id === message.agent_id);
    return isMember ? message.id : null;
  }
  return null;
}
