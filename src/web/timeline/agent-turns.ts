import type { Message } from '../../shared/models.js';
import { findMessageIndex, newestMessageId } from './message-order.js';
import type { LiveBubble, MemberStatus, Timeline, TurnRecord } from './timeline-types.js';

/**
 * Turn records: what the timeline remembers about a turn after its bubble is gone, so `message`, `agent_error` and
 * `agent_end` can arrive in any order (ui.md §3.3) and still leave the same state.
 */

/** Turns kept; older records only matter for events that arrive very late, which the stream never sends. */
const MAX_TURNS = 64;

export function newTurnRecord(t: Timeline, agentId: number, agentName: string | null): TurnRecord {
  return {
    agentId,
    agentName,
    floorId: newestMessageId(t.messages) ?? 0,
    ended: false,
    endedWithError: false,
    errored: false,
    noticeId: null,
    key: null,
    thoughtMs: null,
    messageId: null,
    awaitingMessage: false,
  };
}

export function putTurn(t: Timeline, turnId: string, record: TurnRecord): Timeline {
  if (t.turns[turnId] === record) return t;
  const turns: Record<string, TurnRecord> = { ...t.turns, [turnId]: record };
  const ids = Object.keys(turns);
  for (const stale of ids.slice(0, Math.max(0, ids.length - MAX_TURNS))) delete turns[stale];
  return { ...t, turns };
}

/** ui.md §4.4.4 "Thought for N s": only when this session saw the turn start and the agent did think. */
export function thoughtMsOf(bubble: LiveBubble): number | null {
  if (!bubble.startSeen || bubble.thinking === '') return null;
  const thoughtUntil = bubble.firstResponseAt ?? bubble.lastThinkingAt ?? bubble.startedAt;
  return Math.max(0, thoughtUntil - bubble.startedAt);
}

/** The record of a bubble's turn once the bubble is gone, keeping what its message inherits. */
export function retireBubble(t: Timeline, bubble: LiveBubble): TurnRecord {
  const record = t.turns[bubble.turnId] ?? newTurnRecord(t, bubble.agentId, bubble.name);
  return { ...record, ended: true, key: record.key ?? bubble.key, thoughtMs: record.thoughtMs ?? thoughtMsOf(bubble) };
}

/** Gives message `messageId` the bubble's row key and thinking time, unless it already has them. */
export function handOff(t: Timeline, messageId: number, record: TurnRecord): Timeline {
  let next = t;
  if (record.key !== null && next.rowKey[messageId] === undefined) {
    next = { ...next, rowKey: { ...next.rowKey, [messageId]: record.key } };
  }
  if (record.thoughtMs !== null && next.thoughtMs[messageId] === undefined) {
    next = { ...next, thoughtMs: { ...next.thoughtMs, [messageId]: record.thoughtMs } };
  }
  return next;
}

export function setMemberStatus(t: Timeline, agentId: number, status: MemberStatus): Timeline {
  const current = t.memberStatus[agentId];
  if (
    current !== undefined &&
    current.activity === status.activity &&
    current.turnId === status.turnId &&
    current.error === status.error
  ) {
    return t;
  }
  return { ...t, memberStatus: { ...t.memberStatus, [agentId]: status } };
}

export function isNotice(message: Message): boolean {
  return message.participant_type === 'system';
}

/**
 * Links a failed turn to its notice (ui.md §3.3 `agent_end`): the newest notice received since the turn started.
 * Before `agent_end` only a notice that names the agent is taken, so a "joined the chat" notice that happens to
 * arrive between `agent_error` and the real notice is not mistaken for it.
 */
export function linkErrorNotice(t: Timeline, turnId: string): Timeline {
  const record = t.turns[turnId];
  if (record === undefined || !record.errored || record.noticeId !== null) return t;
  const linked = new Set(Object.keys(t.errorNotice).map(Number));
  const prefix = record.agentName === null ? null : `${record.agentName} `;
  let newestAny: Message | undefined;
  let newestNamed: Message | undefined;
  for (let index = t.messages.length - 1; index >= 0; index -= 1) {
    const message = t.messages[index];
    if (message === undefined || message.id <= record.floorId) break;
    if (!isNotice(message) || linked.has(message.id) || t.hidden.includes(message.id)) continue;
    newestAny ??= message;
    if (prefix !== null && message.content.startsWith(prefix)) newestNamed ??= message;
  }
  const notice = newestNamed ?? (record.endedWithError ? newestAny : undefined);
  if (notice === undefined) return t;
  const next = { ...t, errorNotice: { ...t.errorNotice, [notice.id]: record.agentId } };
  return putTurn(next, turnId, { ...record, noticeId: notice.id });
}

/** A notice arrived: it may be the one a failed turn is waiting for. */
export function linkNoticeToWaitingTurns(t: Timeline): Timeline {
  let next = t;
  for (const [turnId, record] of Object.entries(t.turns)) {
    if (record.errored && record.noticeId === null) next = linkErrorNotice(next, turnId);
  }
  return next;
}

/** A turn whose `agent_end` named a message that had not arrived yet: the message takes the bubble's key now. */
export function claimAwaitingTurn(t: Timeline, message: Message): Timeline {
  for (const [turnId, record] of Object.entries(t.turns)) {
    if (record.awaitingMessage && record.messageId === message.id) {
      return putTurn(handOff(t, message.id, record), turnId, { ...record, awaitingMessage: false });
    }
  }
  return t;
}

export function holdsMessage(t: Timeline, id: number): boolean {
  return findMessageIndex(t.messages, id) !== -1;
}
