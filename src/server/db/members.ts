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

    async deleteSessionsByRoom(roomId: number, tx: Db = db): Promise<void> {
      await tx.delete(roomAgentSessions).where(eq(roomAgentSessions.roomId, roomId));
    },
  };
}

export type MemberQueries = ReturnType<typeof createMemberQueries>;
