import type { Message } from '../../shared/models.js';
import { sameFields } from './same-fields.js';

/**
 * Sorted-array operations on confirmed messages: ascending, unique ids. They return the input array itself when
 * nothing changed, so a repeated event leaves every reference (and every rendered row) as it was.
 */

export function newestMessageId(messages: readonly Message[]): number | null {
  return messages.length === 0 ? null : (messages[messages.length - 1]?.id ?? null);
}

export function oldestMessageId(messages: readonly Message[]): number | null {
  return messages[0]?.id ?? null;
}

/** Index of `id`, or -1. Binary search: rooms hold thousands of messages and events look ids up often. */
export function findMessageIndex(messages: readonly Message[], id: number): number {
  let low = 0;
  let high = messages.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const middleId = messages[middle]?.id ?? 0;
    if (middleId === id) return middle;
    if (middleId < id) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}

export function findMessage(messages: readonly Message[], id: number): Message | undefined {
  const index = findMessageIndex(messages, id);
  return index === -1 ? undefined : messages[index];
}

/** Upserts `incoming` (any order, duplicates allowed: the last copy wins) into `existing`. */
export function mergeMessages(existing: readonly Message[], incoming: readonly Message[]): readonly Message[] {
  if (incoming.length === 0) return existing;
  const byId = new Map<number, Message>();
  for (const message of incoming) byId.set(message.id, message);
  const sortedIncoming = [...byId.values()].sort((a, b) => a.id - b.id);

  // Fast path: the stream delivers new messages after everything held.
  const newest = newestMessageId(existing);
  const first = sortedIncoming[0];
  if (first !== undefined && (newest === null || first.id > newest)) return [...existing, ...sortedIncoming];

  const merged: Message[] = [];
  let changed = false;
  let i = 0;
  let j = 0;
  while (i < existing.length || j < sortedIncoming.length) {
    const held = existing[i];
    const next = sortedIncoming[j];
    if (next === undefined || (held !== undefined && held.id < next.id)) {
      if (held !== undefined) merged.push(held);
      i += 1;
    } else if (held === undefined || next.id < held.id) {
      merged.push(next);
      changed = true;
      j += 1;
    } else {
      const keep = sameFields(held, next) ? held : next;
      if (keep !== held) changed = true;
      merged.push(keep);
      i += 1;
      j += 1;
    }
  }
  return changed ? merged : existing;
}

export function removeMessages(messages: readonly Message[], ids: ReadonlySet<number>): readonly Message[] {
  if (ids.size === 0) return messages;
  const kept = messages.filter((message) => !ids.has(message.id));
  return kept.length === messages.length ? messages : kept;
}
