import { and, asc, eq } from 'drizzle-orm';
import type { Db } from './connect.js';
import { agents, roomAgents, roomAgentSessions, type AgentRow } from './schema.js';

export function createMemberQueries(db: Db) {
  return {
    async listMembersByRoom(roomId: number, tx: Db = db): Promise<AgentRow[]> {
      const rows = await tx
        .select({ agent: agents })
        .from(roomAgents)
        .innerJoin(agents, eq(agents.id, roomAgents.agentId))
        .where(eq(roomAgents.roomId, roomId))
        .orderBy(asc(agents.id));
      return rows.map((row) => row.agent);
    },

    /** True when a membership was created; false when the agent already was a member. */
    async addMember({ roomId, agentId, joinedAt }: { roomId: number; agentId: number; joinedAt: Date | null }, tx: Db = db) {
      const inserted = await tx
        .insert(roomAgents)
        .values({ roomId, agentId, joinedAt })
        .onConflictDoNothing()
        .returning({ agentId: roomAgents.agentId });
      return inserted.length > 0;
    },

    async removeMember({ roomId, agentId }: { roomId: number; agentId: number }): Promise<boolean> {
      const deleted = await db
        .delete(roomAgents)
        .where(and(eq(roomAgents.roomId, roomId), eq(roomAgents.agentId, agentId)))
        .returning({ agentId: roomAgents.agentId });
      return deleted.length > 0;
    },

    async isMember({ roomId, agentId }: { roomId: number; agentId: number }): Promise<boolean> {
      const rows = await db
        .select({ agentId: roomAgents.agentId })
        .from(roomAgents)
        .where(and(eq(roomAgents.roomId, roomId), eq(roomAgents.agentId, agentId)))
        .limit(1);
      return rows.length > 0;
    },

    /** Members with the time they joined (for each agent's window, behavior.md §4.2). */
    async listMembershipsByRoom(roomId: number): Promise<{ agent: AgentRow; joinedAt: Date | null }[]> {
      return db
        .select({ agent: agents, joinedAt: roomAgents.joinedAt })
        .from(roomAgents)
        .innerJoin(agents, eq(agents.id, roomAgents.agentId))
        .where(eq(roomAgents.roomId, roomId))
        .orderBy(asc(agents.id));
    },

    async getSession(key: { roomId: number; agentId: number; provider: string }): Promise<string | null> {
      const [row] = await db
        .select({ sessionId: roomAgentSessions.sessionId })
        .from(roomAgentSessions)
        .where(
          and(
            eq(roomAgentSessions.roomId, key.roomId),
            eq(roomAgentSessions.agentId, key.agentId),
            eq(roomAgentSessions.provider, key.provider),
          ),
        )
        .limit(1);
      return row?.sessionId ?? null;
    },

    async saveSession(key: { roomId: number; agentId: number; provider: string; sessionId: string; at: Date }, tx: Db = db) {
      await tx
        .insert(roomAgentSessions)
        .values({ roomId: key.roomId, agentId: key.agentId, provider: key.provider, sessionId: key.sessionId, updatedAt: key.at })
        .onConflictDoUpdate({
          target: [roomAgentSessions.roomId, roomAgentSessions.agentId, roomAgentSessions.provider],
          set: { sessionId: key.sessionId, updatedAt: key.at },
        });
    },

    async deleteSession(key: { roomId: number; agentId: number; provider: string }): Promise<void> {
      await db
        .delete(roomAgentSessions)
        .where(
          and(
            eq(roomAgentSessions.roomId, key.roomId),
            eq(roomAgentSessions.agentId, key.agentId),
            eq(roomAgentSessions.provider, key.provider),
          ),
        );
    },

    async deleteSessionsByRoom(roomId: number, tx: Db = db): Promise<void> {
      await tx.delete(roomAgentSessions).where(eq(roomAgentSessions.roomId, roomId));
    },
  };
}

export type MemberQueries = ReturnType<typeof createMemberQueries>;
