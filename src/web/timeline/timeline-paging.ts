import type { Message } from '../../shared/models.js';
import { isGone, removeIds } from './message-removal.js';
import { mergeMessages, newestMessageId, oldestMessageId } from './message-order.js';
import { confirmByMessage } from './pending-sends.js';
import type { Timeline } from './timeline-types.js';

/** Pages from `GET /rooms/{id}/messages` (ui.md §3.1, §3.5): the first page, older pages, and reconciliation. */

/** The page's messages in id order, or null when any of them belongs to another room (the page is ignored). */
function acceptPage(t: Timeline, page: readonly Message[]): Message[] | null {
  if (page.some((message) => message.room_id !== t.roomId)) return null;
  return page.filter((message) => !isGone(t, message.id)).sort((a, b) => a.id - b.id);
}

function confirmSends(t: Timeline, messages: readonly Message[]): Timeline {
  let next = t;
  for (const message of messages) if (next.pending.length > 0) next = confirmByMessage(next, message);
  return next;
}

/** ui.md §3.5: when the page starts above everything held, the held history is replaced (a gap cannot be bridged). */
function isDisjointAndNewer(t: Timeline, messages: readonly Message[]): boolean {
  const heldNewest = newestMessageId(t.messages);
  const pageOldest = oldestMessageId(messages);
  return heldNewest !== null && pageOldest !== null && pageOldest > heldNewest;
}

function replaceHistory(t: Timeline, messages: readonly Message[], full: boolean): Timeline {
  const dropped = new Set(t.messages.map((message) => message.id));
  const cleaned = removeIds(t, dropped, false);
  return confirmSends({ ...cleaned, messages, hasMoreBefore: full, loaded: true }, messages);
}

export function loadPage(t: Timeline, which: 'newest' | 'older', page: readonly Message[], limit: number): Timeline {
  const messages = acceptPage(t, page);
  if (messages === null) return t;
  // Fewer rows than asked for means the start of history (ui.md §3.1 "Load older messages").
  const full = page.length >= limit;
  if (which === 'older') {
    return { ...t, messages: mergeMessages(t.messages, messages), hasMoreBefore: full, loadingBefore: false };
  }
  if (isDisjointAndNewer(t, messages)) return replaceHistory(t, messages, full);
  const heldOldest = oldestMessageId(t.messages);
  const pageOldest = oldestMessageId(messages);
  const olderHeld = heldOldest !== null && pageOldest !== null && heldOldest < pageOldest;
  const merged = { ...t, messages: mergeMessages(t.messages, messages), loaded: true };
  return confirmSends({ ...merged, hasMoreBefore: olderHeld ? t.hasMoreBefore : full }, messages);
}

/**
 * After a reconnect, and every 60 s while polling: the newest page is the truth for the ids it covers, which catches
 * deletions the server does not replay (ui.md §3.6). It covers from its oldest id (from 0 when it is not full) up to
 * its newest id, or up to the newest id held when it was requested, whichever is higher: anything held then was
 * committed before the page was read. Messages above that arrived from the stream later and stay.
 */
export function reconcileNewest(
  t: Timeline,
  page: readonly Message[],
  limit: number,
  heldNewestAtRequest: number | null,
): Timeline {
  const messages = acceptPage(t, page);
  if (messages === null) return t;
  const full = page.length >= limit;
  if (isDisjointAndNewer(t, messages)) return replaceHistory(t, messages, full);
  const lower = full ? (oldestMessageId(messages) ?? 0) : 0;
  const upper = Math.max(newestMessageId(messages) ?? -1, heldNewestAtRequest ?? -1);
  const present = new Set(messages.map((message) => message.id));
  const deleted = new Set(
    t.messages
      .filter((message) => message.id >= lower && message.id <= upper && !present.has(message.id))
      .map((message) => message.id),
  );
  const cleaned = removeIds(t, deleted, true);
  const heldOldest = oldestMessageId(cleaned.messages);
  const olderHeld = heldOldest !== null && heldOldest < lower;
  const merged: Timeline = {
    ...cleaned,
    messages: mergeMessages(cleaned.messages, messages),
    loaded: true,
    hasMoreBefore: full ? (olderHeld ? cleaned.hasMoreBefore : true) : false,
  };
  return confirmSends(merged, messages);
}
