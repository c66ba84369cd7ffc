import { asc, eq } from 'drizzle-orm';
import type { Db } from './connect.js';
import { isUniqueViolation } from './errors.js';
import { agents, type AgentRow } from './schema.js';

export type AgentFields = Omit<typeof agents.$inferInsert, 'id' | 'createdAt'>;

export function createAgentQueries(db: Db) {
  return {
    async listAgents(): Promise<AgentRow[]> {
      return db.select().from(agents).orderBy(asc(agents.id));
    },

    async getAgentById(id: number): Promise<AgentRow | null> {
      const [row] = await db.select().from(agents).where(eq(agents.id, id)).limit(1);
      return row ?? null;
    },

    async getAgentByName(name: string): Promise<AgentRow | null> {
      const [row] = await db.select().from(agents).where(eq(agents.name, name)).limit(1);
      return row ?? null;
    },

    async insertAgent(fields: AgentFields & { createdAt: Date }): Promise<AgentRow | 'duplicate'> {
      try {
        const [row] = await db.insert(agents).values(fields).returning();
        if (!row) throw new Error('insert returned no row');
        return row;
      } catch (err) {
        if (isUniqueViolation(err)) return 'duplicate';
        throw err;
      }
    },

    async updateAgent(id: number, fields: Partial<AgentFields>): Promise<AgentRow | null> {
      const [row] = await db.update(agents).set(fields).where(eq(agents.id, id)).returning();
      return row ?? null;
    },

    async deleteAgent(id: number): Promise<boolean> {
      const deleted = await db.delete(agents).where(eq(agents.id, id)).returning({ id: agents.id });
      return deleted.length > 0;
    },
  };
}

export type AgentQueries = ReturnType<typeof createAgentQueries>;
