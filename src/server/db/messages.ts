import { and, asc, desc, eq, gt, isNull, lt, ne, or, sql } from 'drizzle-orm';
import type { Db } from './connect.js';
import { agents, messages, type MessageRow } from './schema.js';

export type MessageWithAuthor = MessageRow & { agentName: string | null; agentProfilePic: string | null };
export type NewMessage = Omit<typeof messages.$inferInsert, 'id'>;

const withAuthor = {
  id: messages.id,
  roomId: messages.roomId,
  agentId: messages.agentId,
  content: messages.content,
  role: messages.role,
  participantType: messages.participantType,
  participantName: messages.participantName,
  thinking: messages.thinking,
  anthropicCalls: messages.anthropicCalls,
  imageData: messages.imageData,
  imageMediaType: messages.imageMediaType,
  provider: messages.provider,
  model: messages.model,
  isSkip: messages.isSkip,
  timestamp: messages.timestamp,
  agentName: agents.name,
  agentProfilePic: agents.profilePic,
};

/**
 * behavior.md §5.6 "real agent replies": agent-authored, non-skip, non-critic messages (partials included). Notices
 * have a participant type and user messages another role, so neither matches. Needs `agents` joined on the author.
 */
export const isRealReply = and(
  eq(messages.role, 'assistant'),
  isNull(messages.participantType),
  eq(messages.isSkip, false),
  eq(agents.isCritic, false),
);

/** Ids are int4; PostgreSQL rejects a larger parameter, so cursors beyond it are answered without asking. */
const MAX_ID = 2_147_483_647;

export function createMessageQueries(db: Db) {
  const selectWithAuthor = (tx: Db = db) =>
    tx.select(withAuthor).from(messages).leftJoin(agents, eq(agents.id, messages.agentId));

  async function getMessageById(id: number, tx: Db = db): Promise<MessageWithAuthor | null> {
    const [row] = await selectWithAuthor(tx).where(eq(messages.id, id)).limit(1);
    return row ?? null;
  }

  return {
    getMessageById,

    /**
     * Inserts and returns the row as the routes show it. The author's current name and picture come from `author`
     * when the caller has them (the engine does), else from a second read; a row without author needs neither.
     */
    async insertMessage(
      message: NewMessage,
      tx: Db = db,
      author?: { name: string; profilePic: string | null },
    ): Promise<MessageWithAuthor> {
      const [row] = await tx.insert(messages).values(message).returning();
      if (!row) throw new Error('insert returned no row');
      if (row.agentId === null) return { ...row, agentName: null, agentProfilePic: null };
      if (author) return { ...row, agentName: author.name, agentProfilePic: author.profilePic };
      const stored = await getMessageById(row.id, tx);
      if (!stored) throw new Error('inserted message not readable');
      return stored;
    },

    /** api.md §8.1: ascending ids; with `limit`, the newest `limit` of those before `beforeId`. */
    async listMessagesByRoom({
      roomId,
      beforeId,
      limit,
    }: {
      roomId: number;
      beforeId?: number;
      limit?: number;
    }): Promise<MessageWithAuthor[]> {
      const bounded = beforeId === undefined || beforeId > MAX_ID ? undefined : lt(messages.id, beforeId);
      const where = and(eq(messages.roomId, roomId), bounded);
      if (limit === undefined) return selectWithAuthor().where(where).orderBy(asc(messages.id));
      const newest = await selectWithAuthor().where(where).orderBy(desc(messages.id)).limit(limit);
      return newest.reverse();
    },

    async listMessagesAfter({ roomId, afterId, limit }: { roomId: number; afterId: number; limit: number }) {
      if (afterId >= MAX_ID) return [];
      return selectWithAuthor()
        .where(and(eq(messages.roomId, roomId), gt(messages.id, afterId)))
        .orderBy(asc(messages.id))
        .limit(limit);
    },

    async listCriticMessagesByRoom(roomId: number): Promise<MessageWithAuthor[]> {
      return selectWithAuthor()
        .where(and(eq(messages.roomId, roomId), eq(agents.isCritic, true)))
        .orderBy(asc(messages.id));
    },

    async countMessagesByRoom(roomId: number, tx: Db = db): Promise<number> {
      const [row] = await tx
        .select({ count: sql<number>`count(*)::int` })
        .from(messages)
        .where(eq(messages.roomId, roomId));
      return row?.count ?? 0;
    },

    async deleteMessageInRoom({ roomId, messageId }: { roomId: number; messageId: number }): Promise<boolean> {
      const deleted = await db
        .delete(messages)
        .where(and(eq(messages.roomId, roomId), eq(messages.id, messageId)))
        .returning({ id: messages.id });
      return deleted.length > 0;
    },

    /** The room's real agent replies (`max_interactions` counts these). */
    async countRealReplies(roomId: number): Promise<number> {
      const [row] = await db
        .select({ count: sql<number>`count(*)::int` })
        .from(messages)
        .innerJoin(agents, eq(agents.id, messages.agentId))
        .where(and(eq(messages.roomId, roomId), isRealReply));
      return row?.count ?? 0;
    },

    /** The room's newest message that is not a system notice, or null. */
    async newestConversationMessage(roomId: number): Promise<MessageWithAuthor | null> {
      const [row] = await selectWithAuthor()
        .where(
          and(
            eq(messages.roomId, roomId),
            or(isNull(messages.participantType), ne(messages.participantType, 'system')),
          ),
        )
        .orderBy(desc(messages.id))
        .limit(1);
      return row ?? null;
    },

    async newestUserMessageId(roomId: number): Promise<number | null> {
      const [row] = await db
        .select({ id: messages.id })
        .from(messages)
        .where(and(eq(messages.roomId, roomId), eq(messages.role, 'user')))
        .orderBy(desc(messages.id))
        .limit(1);
      return row?.id ?? null;
    },

    /** Every message of the room's whiteboard authors, oldest first (the board replays its whole history). */
    async listMessagesByAuthors({ roomId, agentIds }: { roomId: number; agentIds: readonly number[] }) {
      if (agentIds.length === 0) return [];
      return selectWithAuthor()
        .where(and(eq(messages.roomId, roomId), sql`${messages.agentId} in ${agentIds}`))
        .orderBy(asc(messages.id));
    },

    async deleteMessagesByRoom(roomId: number, tx: Db = db): Promise<void> {
      await tx.delete(messages).where(eq(messages.roomId, roomId));
    },
  };
}

export type MessageQueries = ReturnType<typeof createMessageQueries>;
