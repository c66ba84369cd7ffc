import { removeMessages } from './message-order.js';
import { sameFields } from './same-fields.js';
import type { Timeline } from './timeline-types.js';

/** Removing messages and everything keyed by their ids, shared by `deleted`, `reconcileNewest` and page swaps. */

/** Deleted ids remembered per room; a stale page older than this many deletions is not a realistic risk. */
const MAX_TOMBSTONES = 500;

function withoutKeys<V>(record: Readonly<Record<number, V>>, ids: ReadonlySet<number>): Readonly<Record<number, V>> {
  if (!Object.keys(record).some((key) => ids.has(Number(key)))) return record;
  const next: Record<number, V> = {};
  for (const [key, value] of Object.entries(record)) if (!ids.has(Number(key))) next[Number(key)] = value;
  return next;
}

function withoutIds(list: readonly number[], ids: ReadonlySet<number>): readonly number[] {
  return list.some((id) => ids.has(id)) ? list.filter((id) => !ids.has(id)) : list;
}

/** `tombstone`: the server deleted them, so they must not come back from an older page or a replay. */
export function removeIds(t: Timeline, ids: ReadonlySet<number>, tombstone: boolean): Timeline {
  if (ids.size === 0) return t;
  const fresh = tombstone ? [...ids].filter((id) => !t.tombstones.includes(id)) : [];
  const next: Timeline = {
    ...t,
    messages: removeMessages(t.messages, ids),
    rowKey: withoutKeys(t.rowKey, ids),
    thoughtMs: withoutKeys(t.thoughtMs, ids),
    errorNotice: withoutKeys(t.errorNotice, ids),
    hidden: withoutIds(t.hidden, ids),
    regenerating: withoutIds(t.regenerating, ids),
    claims: t.claims.some((claim) => ids.has(claim.messageId))
      ? t.claims.filter((claim) => !ids.has(claim.messageId))
      : t.claims,
    tombstones: fresh.length === 0 ? t.tombstones : [...t.tombstones, ...fresh].slice(-MAX_TOMBSTONES),
  };
  return sameFields(next, t) ? t : next;
}

export function isGone(t: Timeline, id: number): boolean {
  return id <= t.clearedThrough || t.tombstones.includes(id);
}
