/** Recency of cached room timelines (ui.md §2.3: at most 4 stay in memory, least recently used first out). */

/** `order` runs from least to most recently used. */
export function touchRoom(order: readonly number[], roomId: number): readonly number[] {
  if (order[order.length - 1] === roomId) return order;
  return [...order.filter((id) => id !== roomId), roomId];
}

/**
 * Rooms to drop so that at most `maxRooms` remain, oldest first. A pinned room (the open one, or one with sends not
 * yet settled) is never dropped, even if that leaves more than `maxRooms`: losing a pending send loses text.
 */
export function roomsToEvict(
  order: readonly number[],
  maxRooms: number,
  isPinned: (roomId: number) => boolean,
): readonly number[] {
  const evicted: number[] = [];
  let remaining = order.length;
  for (const roomId of order) {
    if (remaining <= maxRooms) break;
    if (isPinned(roomId)) continue;
    evicted.push(roomId);
    remaining -= 1;
  }
  return evicted;
}
