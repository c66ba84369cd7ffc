import { and, desc, eq, max, sql } from 'drizzle-orm';
import type { Db } from './connect.js';
import { isUniqueViolation } from './errors.js';
import { messages, roomAgents, rooms, type RoomRow } from './schema.js';

export type RoomSummaryRow = RoomRow & { hasUnread: boolean };

export interface NewRoom {
  name: string;
  ownerId: string;
  maxInteractions: number | null;
  defaultProvider: string;
  defaultModel: string | null;
  isPaused: boolean;
  now: Date;
}

export type RoomChanges = Partial<Pick<RoomRow, 'name' | 'maxInteractions' | 'isPaused' | 'isFinished' | 'lastReadAt' | 'lastActivityAt'>
>;

const hasUnread = sql<boolean>`(${rooms.lastReadAt} is null or ${rooms.lastActivityAt} > ${rooms.lastReadAt})`;

export function createRoomQueries(db: Db) {
  async function getRoomById(id: number, tx: Db = db): Promise<RoomRow | null> {
    const [row] = await tx.select().from(rooms).where(eq(rooms.id, id)).limit(1);
    return row ?? null;
  }

  return {
    getRoomById,

    /**
     * What a finished turn must know before it persists (behavior.md §5.1 rule 4, §5.7 rule 7), in one statement:
     * whether the room is paused, its newest user message and whether the agent is still a member. Null when the
     * room is gone.
     */
    async persistGate(roomId: number, agentId: number) {
      // Subqueries from the builder, so their columns are table-qualified inside the outer `rooms` query.
      const newestUser = db
        .select({ id: max(messages.id) })
        .from(messages)
        .where(and(eq(messages.roomId, rooms.id), eq(messages.role, 'user')));
      const membership = db
        .select({ one: sql`1` })
        .from(roomAgents)
        .where(and(eq(roomAgents.roomId, rooms.id), eq(roomAgents.agentId, agentId)));
      const [row] = await db
        .select({
          isPaused: rooms.isPaused,
          newestUserMessageId: sql<number | null>`(${newestUser})`,
          isMember: sql<boolean>`exists (${membership})`,
        })
        .from(rooms)
        .where(eq(rooms.id, roomId))
        .limit(1);
      return row ? { ...row, newestUserMessageId: row.newestUserMessageId === null ? null : Number(row.newestUserMessageId) } : null;
    },

    /** Returns `'duplicate'` when the owner already has a room with that name (unique index, both engines). */
    async insertRoom(room: NewRoom, tx: Db = db): Promise<RoomRow | 'duplicate'> {
      try {
        const [row] = await tx
          .insert(rooms)
          .values({
            name: room.name,
            ownerId: room.ownerId,
            maxInteractions: room.maxInteractions,
            defaultProvider: room.defaultProvider,
            defaultModel: room.defaultModel,
            isPaused: room.isPaused,
            isFinished: false,
            createdAt: room.now,
            lastActivityAt: room.now,
            lastReadAt: room.now,
          })
          .returning();
        if (!row) throw new Error('insert returned no row');
        return row;
      } catch (err) {
        if (isUniqueViolation(err)) return 'duplicate';
        throw err;
      }
    },

    async getRoomByOwnerAndName({ ownerId, name }: { ownerId: string; name: string }): Promise<RoomRow | null> {
      const [row] = await db
        .select()
        .from(rooms)
        .where(and(eq(rooms.ownerId, ownerId), eq(rooms.name, name)))
        .limit(1);
      return row ?? null;
    },

    /** api.md §6.1 order: unread first, then most recent activity, then newest id. */
    async listRooms({ ownerId }: { ownerId: string | null }): Promise<RoomSummaryRow[]> {
      return db
        .select({
          id: rooms.id,
          name: rooms.name,
          ownerId: rooms.ownerId,
          maxInteractions: rooms.maxInteractions,
          isPaused: rooms.isPaused,
          isFinished: rooms.isFinished,
          defaultProvider: rooms.defaultProvider,
          defaultModel: rooms.defaultModel,
          createdAt: rooms.createdAt,
          lastActivityAt: rooms.lastActivityAt,
          lastReadAt: rooms.lastReadAt,
          hasUnread,
        })
        .from(rooms)
        .where(ownerId === null ? undefined : eq(rooms.ownerId, ownerId))
        .orderBy(desc(hasUnread), desc(rooms.lastActivityAt), desc(rooms.id));
    },

    /** `null` when the room does not exist, `'duplicate'` on a name clash. */
    async updateRoom(id: number, changes: RoomChanges, tx: Db = db): Promise<RoomRow | null | 'duplicate'> {
      if (Object.keys(changes).length === 0) return getRoomById(id, tx);
      try {
        const [row] = await tx.update(rooms).set(changes).where(eq(rooms.id, id)).returning();
        return row ?? null;
      } catch (err) {
        if (isUniqueViolation(err)) return 'duplicate';
        throw err;
      }
    },

    async touchRoomActivity({ id, at }: { id: number; at: Date }, tx: Db = db): Promise<void> {
      await tx.update(rooms).set({ lastActivityAt: at }).where(eq(rooms.id, id));
    },

    async deleteRoom(id: number): Promise<boolean> {
      const deleted = await db.delete(rooms).where(eq(rooms.id, id)).returning({ id: rooms.id });
      return deleted.length > 0;
    },
  };
}

export type RoomQueries = ReturnType<typeof createRoomQueries>;
