import type { Message } from '../../shared/models.js';
import type { PendingClaim, PendingSend, SendFailure, Timeline } from './timeline-types.js';

/**
 * Local sends (ui.md §3.5, §3.7) and how they meet the server's copy. A send is confirmed either by its POST
 * answering (`sendSucceeded`) or, first, by a matching `message` from the stream or a poll. A match is a guess
 * (two identical sends look alike), so it is remembered as a claim and corrected when the POST names its message.
 */

/** Claims kept; a claim is dropped when its POST answers, so only sends that never got an answer stay. */
const MAX_CLAIMS = 20;

export function sendRowKey(localId: string): string {
  return `send:${localId}`;
}

function normalizedName(name: string | null | undefined): string | null {
  const trimmed = name?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}

function hadImage(item: PendingSend): boolean {
  return item.body.image_data !== undefined || item.imageDropped === true;
}

/** ui.md §3.5: trimmed content, participant type, participant name and presence of an image all match. */
export function matchesSend(item: PendingSend, message: Message): boolean {
  return (
    message.role === 'user' &&
    message.participant_type === item.body.participant_type &&
    message.content.trim() === item.body.content.trim() &&
    normalizedName(message.participant_name) === normalizedName(item.body.participant_name) &&
    (message.image_data !== null) === hadImage(item)
  );
}

function isMatchable(item: PendingSend, message: Message): boolean {
  const inFlightOrUnknown = item.status === 'sending' || item.outcomeUnknown;
  // A message the timeline could already have held when this send started cannot be its result.
  const newEnough = item.afterId === null || message.id > item.afterId;
  return inFlightOrUnknown && newEnough && matchesSend(item, message);
}

function withClaim(claims: readonly PendingClaim[], claim: PendingClaim): readonly PendingClaim[] {
  return [...claims, claim].slice(-MAX_CLAIMS);
}

/** A user message may confirm the oldest matching send whose POST is in flight or has an unknown outcome. */
export function confirmByMessage(t: Timeline, message: Message): Timeline {
  if (message.role !== 'user' || t.rowKey[message.id] !== undefined) return t;
  const item = t.pending.find((pending) => isMatchable(pending, message));
  if (item === undefined) return t;
  return {
    ...t,
    pending: t.pending.filter((pending) => pending !== item),
    rowKey: { ...t.rowKey, [message.id]: sendRowKey(item.localId) },
    claims: withClaim(t.claims, { messageId: message.id, item }),
  };
}

function restorePending(pending: readonly PendingSend[], item: PendingSend): readonly PendingSend[] {
  if (pending.some((held) => held.localId === item.localId)) return pending;
  return [...pending, item].sort((a, b) => a.createdAt - b.createdAt);
}

function withoutKey(rowKey: Readonly<Record<number, string>>, id: number): Readonly<Record<number, string>> {
  const next = { ...rowKey };
  delete next[id];
  return next;
}

/**
 * The POST of `localId` answered with `message`. The caller upserts the message afterwards (through the normal
 * message path); here the send leaves `pending`, and claims that the answer proves wrong are undone.
 */
export function settleSend(t: Timeline, localId: string, message: Message): { timeline: Timeline; reclaim: number | null } {
  let next = t;
  let reclaim: number | null = null;
  const ownClaim = next.claims.find((claim) => claim.item.localId === localId);
  if (ownClaim !== undefined) {
    next = { ...next, claims: next.claims.filter((claim) => claim !== ownClaim) };
    if (ownClaim.messageId !== message.id) {
      // The match took another identical send's message; that message must look for its own send again.
      next = { ...next, rowKey: withoutKey(next.rowKey, ownClaim.messageId) };
      reclaim = ownClaim.messageId;
    }
  }
  const otherClaim = next.claims.find((claim) => claim.messageId === message.id);
  if (otherClaim !== undefined) {
    // Another send claimed this message by matching; the POST says it is ours, so that send is pending again.
    next = {
      ...next,
      claims: next.claims.filter((claim) => claim !== otherClaim),
      pending: restorePending(next.pending, otherClaim.item),
      rowKey: withoutKey(next.rowKey, message.id),
    };
  }
  const item = next.pending.find((pending) => pending.localId === localId);
  if (item !== undefined) next = { ...next, pending: next.pending.filter((pending) => pending !== item) };
  if (item !== undefined || ownClaim !== undefined) {
    next = { ...next, rowKey: { ...next.rowKey, [message.id]: sendRowKey(localId) } };
  }
  return { timeline: next, reclaim };
}

function withoutError(item: PendingSend): PendingSend {
  const { error: _cleared, ...rest } = item;
  return rest;
}

function updateItem(t: Timeline, localId: string, update: (item: PendingSend) => PendingSend): Timeline {
  const index = t.pending.findIndex((item) => item.localId === localId);
  const item = t.pending[index];
  if (item === undefined) return t;
  const updated = update(item);
  if (updated === item) return t;
  const pending = [...t.pending];
  pending[index] = updated;
  return { ...t, pending };
}

export function queueSend(t: Timeline, item: PendingSend): Timeline {
  return t.pending.some((held) => held.localId === item.localId) ? t : { ...t, pending: [...t.pending, item] };
}

export function startSend(t: Timeline, localId: string, afterId: number | null): Timeline {
  return updateItem(t, localId, (item) =>
    item.status === 'sending'
      ? item
      : // The first POST's floor is kept: a message stored by that POST may sit below a later floor.
        { ...withoutError(item), status: 'sending', afterId: item.afterId ?? afterId },
  );
}

export function failSend(t: Timeline, localId: string, error: SendFailure, outcomeUnknown: boolean): Timeline {
  return updateItem(t, localId, (item) => ({
    ...item,
    status: 'failed',
    error,
    outcomeUnknown: item.outcomeUnknown || outcomeUnknown,
  }));
}

export function holdSend(t: Timeline, localId: string, status: 'queued' | 'waiting', outcomeUnknown = false): Timeline {
  return updateItem(t, localId, (item) =>
    item.status === status && item.error === undefined && (item.outcomeUnknown || !outcomeUnknown)
      ? item
      : { ...withoutError(item), status, outcomeUnknown: item.outcomeUnknown || outcomeUnknown },
  );
}

export function discardSend(t: Timeline, localId: string): Timeline {
  const pending = t.pending.filter((item) => item.localId !== localId);
  return pending.length === t.pending.length ? t : { ...t, pending };
}

export function restoreSends(t: Timeline, items: readonly PendingSend[]): Timeline {
  let pending = t.pending;
  for (const item of items) {
    const confirmed = t.claims.some((claim) => claim.item.localId === item.localId);
    if (!confirmed) pending = restorePending(pending, item);
  }
  return pending === t.pending ? t : { ...t, pending };
}
