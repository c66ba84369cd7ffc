import { and, asc, count, eq, getTableColumns, gte, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Db } from './connect.js';
import { isRealReply } from './messages.js';
import { agents, messages, roomAgents, roomRunners, rooms, type RoomRow } from './schema.js';

export interface SchedulerCandidateQuery {
  now: Date;
  activeWindowMs: number;
}

export function createRunnerQueries(db: Db) {
  /**
   * Upserts the room's runner row. Selecting the room instead of inserting its id makes a write for a room deleted
   * meanwhile (a run ending after its room was deleted, behavior.md §5.11 rule 4) a no-op, not a foreign-key error.
   */
  async function upsertRunner(
    roomId: number,
    changes: { lastRunEndedAt: Date } | { cooldownUntil: Date },
    tx: Db,
  ): Promise<void> {
    // ISO strings: a raw parameter skips Drizzle's column mapping, and the drivers serialise a Date differently.
    const lastRunEndedAt = 'lastRunEndedAt' in changes ? changes.lastRunEndedAt.toISOString() : null;
    const cooldownUntil = 'cooldownUntil' in changes ? changes.cooldownUntil.toISOString() : null;
    await tx
      .insert(roomRunners)
      .select(
        tx
          .select({
            roomId: rooms.id,
            lastRunEndedAt: sql<Date | null>`${lastRunEndedAt}::timestamptz`.as('last_run_ended_at'),
            cooldownUntil: sql<Date | null>`${cooldownUntil}::timestamptz`.as('cooldown_until'),
          })
          .from(rooms)
          .where(eq(rooms.id, roomId)),
      )
      .onConflictDoUpdate({ target: roomRunners.roomId, set: changes });
  }

  return {
    /** behavior.md §5.10 rule 6: the end of every run, whatever its kind, orders the scheduler's queue. */
    async recordRunEnded(roomId: number, at: Date, tx: Db = db): Promise<void> {
      await upsertRunner(roomId, { lastRunEndedAt: at }, tx);
    },

    /** behavior.md §6 rule 6: the scheduler leaves the room alone until `until`. */
    async setCooldown(roomId: number, until: Date, tx: Db = db): Promise<void> {
      await upsertRunner(roomId, { cooldownUntil: until }, tx);
    },

    /**
     * The rooms behavior.md §6 rule 2 lets the scheduler start, as far as the database can tell (a free runner and
     * an available provider are the caller's to check), in the fairness order of §6 rule 4: never run first, then
     * the longest idle runner, then room id. One query: membership and reply counts are correlated subqueries.
     */
    async listSchedulerCandidates({ now, activeWindowMs }: SchedulerCandidateQuery): Promise<RoomRow[]> {
      const nonCriticMembers = db
        .select({ count: count() })
        .from(roomAgents)
        .innerJoin(agents, eq(agents.id, roomAgents.agentId))
        .where(and(eq(roomAgents.roomId, rooms.id), eq(agents.isCritic, false)));
      const realReplies = db
        .select({ count: count() })
        .from(messages)
        .innerJoin(agents, eq(agents.id, messages.agentId))
        .where(and(eq(messages.roomId, rooms.id), isRealReply));
      const anyMessage = db.select({ one: sql`1` }).from(messages).where(eq(messages.roomId, rooms.id));
      return db
        .select(getTableColumns(rooms))
        .from(rooms)
        .leftJoin(roomRunners, eq(roomRunners.roomId, rooms.id))
        .where(
          and(
            eq(rooms.isPaused, false),
            eq(rooms.isFinished, false),
            gte(rooms.lastActivityAt, new Date(now.getTime() - activeWindowMs)),
            or(isNull(roomRunners.cooldownUntil), lte(roomRunners.cooldownUntil, now)),
            sql`(${nonCriticMembers}) >= 2`,
            // A room nobody has said anything in has nothing to continue; its first round would only pass.
            sql`exists (${anyMessage})`,
            or(isNull(rooms.maxInteractions), lt(sql`(${realReplies})`, rooms.maxInteractions)),
          ),
        )
        .orderBy(sql`${roomRunners.lastRunEndedAt} asc nulls first`, asc(rooms.id));
    },
  };
}

export type RunnerQueries = ReturnType<typeof createRunnerQueries>;
