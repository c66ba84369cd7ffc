import type { Message } from '../../shared/models.js';
import { isNotice, linkNoticeToWaitingTurns } from './agent-turns.js';
import {
  applyChattingAgents,
  applyDeltas,
  applySnapshotLive,
  endTurn,
  failTurn,
  markStopping,
  replaceBubbleWithMessage,
  startTurn,
} from './live-bubbles.js';
import { isGone, removeIds } from './message-removal.js';
import { findMessageIndex, mergeMessages, newestMessageId } from './message-order.js';
import {
  confirmByMessage,
  discardSend,
  failSend,
  holdSend,
  queueSend,
  restoreSends,
  settleSend,
  startSend,
} from './pending-sends.js';
import { sameFields } from './same-fields.js';
import { loadPage, reconcileNewest } from './timeline-paging.js';
import { emptyTimeline, type Timeline, type TimelineAction } from './timeline-types.js';

/**
 * The only way a room's transcript changes (ui.md §3.5). Pure: the same timeline and action always give the same
 * result, and a result equal to the input is the input itself, so subscribers are not woken for nothing.
 */
export function timelineReducer(t: Timeline, action: TimelineAction): Timeline {
  const next = reduce(t, action);
  return next === t || sameFields(next, t) ? t : next;
}

function reduce(t: Timeline, action: TimelineAction): Timeline {
  switch (action.type) {
    case 'pageLoaded':
      return loadPage(t, action.which, action.messages, action.limit);
    case 'olderRequested':
      return { ...t, loadingBefore: true };
    case 'olderFailed':
      return { ...t, loadingBefore: false };
    case 'snapshot':
      if (action.data.room_id !== t.roomId) return t;
      return applySnapshotLive({ ...t, room: action.data.room }, action.data, action.at);
    case 'reconcileNewest':
      return reconcileNewest(t, action.messages, action.limit, action.heldNewestAtRequest ?? null);
    case 'reset':
      // Local sends are not server data: they survive a reload of the room's history.
      return { ...emptyTimeline(t.roomId), pending: t.pending };
    case 'message':
      return receiveMessage(t, action.message);
    case 'deleted':
      if (action.data.room_id !== t.roomId) return t;
      return removeIds(t, new Set([action.data.message_id]), true);
    case 'cleared':
      return clear(t);
    case 'room':
      return applyRoomEvent(t, action.data);
    case 'agentStart':
      return startTurn(t, action.data, action.at);
    case 'deltaBatch':
      return applyDeltas(t, action.deltas, action.at);
    case 'agentEnd':
      return endTurn(t, action.data);
    case 'agentError':
      return failTurn(t, action.data);
    case 'liveRebuilt':
      return applyChattingAgents(t, action.agents, action.at);
    case 'stopRequested':
      return markStopping(t, true);
    case 'stopFailed':
      return markStopping(t, false);
    case 'sendQueued':
      return queueSend(t, action.item);
    case 'sendStarted':
      return startSend(t, action.localId, action.afterId);
    case 'sendSucceeded':
      return succeedSend(t, action.localId, action.message);
    case 'sendFailed':
      return failSend(t, action.localId, action.error, action.outcomeUnknown);
    case 'sendWaiting':
      return holdSend(t, action.localId, 'waiting', action.outcomeUnknown);
    case 'sendRetried':
      return holdSend(t, action.localId, 'queued');
    case 'sendDiscarded':
      return discardSend(t, action.localId);
    case 'sendRestored':
      return restoreSends(t, action.items);
    case 'deleteOptimistic':
      return toggleId(t, 'hidden', action.messageId, findMessageIndex(t.messages, action.messageId) !== -1);
    case 'deleteRolledBack':
      return toggleId(t, 'hidden', action.messageId, false);
    case 'regenerateStarted':
      return toggleId(t, 'regenerating', action.messageId, findMessageIndex(t.messages, action.messageId) !== -1);
    case 'regenerateFailed':
      return toggleId(t, 'regenerating', action.messageId, false);
    default:
      return assertNever(action);
  }
}

function assertNever(action: never): never {
  throw new Error(`Unknown timeline action ${JSON.stringify(action)}`);
}

function receiveMessage(t: Timeline, message: Message): Timeline {
  if (message.room_id !== t.roomId || isGone(t, message.id)) return t;
  const messages = mergeMessages(t.messages, [message]);
  let next = messages === t.messages ? t : { ...t, messages };
  next = confirmByMessage(next, message);
  next = replaceBubbleWithMessage(next, message);
  return isNotice(message) ? linkNoticeToWaitingTurns(next) : next;
}

function succeedSend(t: Timeline, localId: string, message: Message): Timeline {
  if (message.room_id !== t.roomId) return t;
  const { timeline, reclaim } = settleSend(t, localId, message);
  let next = receiveMessage(timeline, message);
  if (reclaim !== null) {
    const reclaimed = next.messages[findMessageIndex(next.messages, reclaim)];
    if (reclaimed !== undefined) next = confirmByMessage(next, reclaimed);
  }
  return next;
}

/** `messages_cleared`, or a 2xx from Clear conversation. Running turns end through their own events. */
function clear(t: Timeline): Timeline {
  const clearedThrough = Math.max(t.clearedThrough, newestMessageId(t.messages) ?? 0);
  return {
    ...t,
    loaded: true,
    messages: [],
    rowKey: {},
    errorNotice: {},
    thoughtMs: {},
    hidden: [],
    regenerating: [],
    hasMoreBefore: false,
    loadingBefore: false,
    claims: [],
    clearedThrough,
    tombstones: t.tombstones.filter((id) => id > clearedThrough),
  };
}

function applyRoomEvent(t: Timeline, data: Extract<TimelineAction, { type: 'room' }>['data']): Timeline {
  if (data.room.id !== t.roomId) return t;
  const next = { ...t, room: data.room };
  switch (data.reason) {
    case 'messages_cleared':
      return clear(next);
    case 'paused':
      // Another tab or the owner paused: running turns are being interrupted (ui.md §4.4.4 "Stopping…").
      return markStopping(next, true);
    default:
      return next;
  }
}

function toggleId(t: Timeline, field: 'hidden' | 'regenerating', id: number, on: boolean): Timeline {
  const has = t[field].includes(id);
  if (has === on) return t;
  return { ...t, [field]: on ? [...t[field], id] : t[field].filter((held) => held !== id) };
}
