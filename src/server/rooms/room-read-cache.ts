import type { AgentQueries } from '../db/agents.js';
import type { MessageQueries, MessageWithAuthor } from '../db/messages.js';
import type { RoomQueries } from '../db/rooms.js';
import type { RoomRow } from '../db/schema.js';
import type { EventBus } from '../events/bus.js';

/**
 * Read caches for the hot HTTP paths (behavior.md §9.1): room rows (30 s) and message pages (5 s), keyed by
 * room id and exact query, holding plain rows. They wrap the query modules, so every write made through them
 * invalidates its room at once; within one process a read never observes staleness. A per-room version taken
 * before each read keeps a slow read from caching a result that a concurrent write has already outdated.
 * Writes inside a transaction are not visible until commit, so the cache also follows the events bus: every
 * committed change is published, and any event of a room invalidates it again (`followBus`).
 * The engine never reads through these (§9.1 rule 3); other processes' writes age out with the TTLs (rule 4).
 */

interface Entry<T> {
  value: T;
  expiresAt: number;
}

interface RoomEntries {
  version: number;
  room: Entry<RoomRow | null> | null;
  pages: Map<string, Entry<MessageWithAuthor[]>>;
}

export interface ReadCacheOptions {
  roomTtlMs?: number;
  messagesTtlMs?: number;
  /** Rooms kept at most; the oldest is dropped first. */
  maxRooms?: number;
  now?: () => number;
}

export interface ReadCacheStats {
  hits: number;
  misses: number;
  invalidations: number;
  size: number;
}

export function createRoomReadCache(options: ReadCacheOptions = {}) {
  const { roomTtlMs = 30_000, messagesTtlMs = 5_000, maxRooms = 1000, now = Date.now } = options;
  const rooms = new Map<number, RoomEntries>();
  const stats = { hits: 0, misses: 0, invalidations: 0 };

  function entriesOf(roomId: number): RoomEntries {
    let entries = rooms.get(roomId);
    if (!entries) {
      if (rooms.size >= maxRooms) {
        const oldest = rooms.keys().next().value;
        if (oldest !== undefined) rooms.delete(oldest);
      }
      entries = { version: 0, room: null, pages: new Map() };
      rooms.set(roomId, entries);
    }
    return entries;
  }

  function invalidate(roomId: number): void {
    const entries = rooms.get(roomId);
    stats.invalidations += 1;
    if (!entries) return;
    entries.version += 1;
    entries.room = null;
    entries.pages.clear();
  }

  async function cached<T>(
    roomId: number,
    read: (entries: RoomEntries) => Entry<T> | null | undefined,
    write: (entries: RoomEntries, entry: Entry<T>) => void,
    load: () => Promise<T>,
    ttlMs: number,
  ): Promise<T> {
    const entries = entriesOf(roomId);
    const hit = read(entries);
    if (hit && hit.expiresAt > now()) {
      stats.hits += 1;
      return hit.value;
    }
    stats.misses += 1;
    const version = entries.version;
    const value = await load();
    if (rooms.get(roomId) === entries && entries.version === version) write(entries, { value, expiresAt: now() + ttlMs });
    return value;
  }

  function wrapRooms(queries: RoomQueries): RoomQueries {
    return {
      ...queries,
      getRoomById: (id, tx) =>
        tx
          ? queries.getRoomById(id, tx)
          : cached(
              id,
              (entries) => entries.room,
              (entries, entry) => {
                entries.room = entry;
              },
              () => queries.getRoomById(id),
              roomTtlMs,
            ),
      async updateRoom(id, changes, tx) {
        try {
          return await queries.updateRoom(id, changes, tx);
        } finally {
          invalidate(id);
        }
      },
      async deleteRoom(id) {
        try {
          return await queries.deleteRoom(id);
        } finally {
          invalidate(id);
        }
      },
      // A read of this id before it existed may have cached "no such room" (and empty pages).
      async insertRoom(room, tx) {
        const inserted = await queries.insertRoom(room, tx);
        if (inserted !== 'duplicate') invalidate(inserted.id);
        return inserted;
      },
    };
  }

  function page(roomId: number, key: string, load: () => Promise<MessageWithAuthor[]>): Promise<MessageWithAuthor[]> {
    return cached(
      roomId,
      (entries) => entries.pages.get(key),
      (entries, entry) => {
        entries.pages.set(key, entry);
      },
      load,
      messagesTtlMs,
    );
  }

  function wrapMessages(queries: MessageQueries): MessageQueries {
    return {
      ...queries,
      listMessagesByRoom: (query) =>
        page(query.roomId, `list:${query.beforeId ?? ''}:${query.limit ?? ''}`, () => queries.listMessagesByRoom(query)),
      listMessagesAfter: (query) =>
        page(query.roomId, `after:${query.afterId}:${query.limit}`, () => queries.listMessagesAfter(query)),
      async insertMessage(message, tx, author) {
        try {
          return await queries.insertMessage(message, tx, author);
        } finally {
          invalidate(message.roomId);
        }
      },
      async deleteMessageInRoom(query) {
        try {
          return await queries.deleteMessageInRoom(query);
        } finally {
          invalidate(query.roomId);
        }
      },
      async deleteMessagesByRoom(roomId, tx) {
        try {
          return await queries.deleteMessagesByRoom(roomId, tx);
        } finally {
          invalidate(roomId);
        }
      },
    };
  }

  function clear(): void {
    for (const roomId of [...rooms.keys()]) invalidate(roomId);
  }

  /**
   * Cached message pages carry their author's current name and picture, and deleting an agent nulls `agent_id`
   * on its messages (api.md §3.2) without any room event, so every agent write drops every room's entries.
   */
  function wrapAgents(queries: AgentQueries): AgentQueries {
    return {
      ...queries,
      async updateAgent(id, fields) {
        try {
          return await queries.updateAgent(id, fields);
        } finally {
          clear();
        }
      },
      async deleteAgent(id) {
        try {
          return await queries.deleteAgent(id);
        } finally {
          clear();
        }
      },
    };
  }

  return {
    wrapRooms,
    wrapMessages,
    wrapAgents,
    invalidate,
    followBus(bus: Pick<EventBus, 'subscribeAll'>): () => void {
      // Turn progress (start, deltas, end) changes no row; invalidating on every token would empty the caches.
      return bus.subscribeAll((roomId, event) => {
        if (event.type === 'message' || event.type === 'message_deleted' || event.type === 'room') invalidate(roomId);
      });
    },
    clear,
    stats(): ReadCacheStats {
      let size = 0;
      for (const entries of rooms.values()) size += entries.pages.size + (entries.room ? 1 : 0);
      return { ...stats, size };
    },
  };
}

export type RoomReadCache = ReturnType<typeof createRoomReadCache>;
