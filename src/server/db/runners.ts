import { and, asc, count, eq, getTableColumns, gte, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
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
    // Raw SQL naming only the bookkeeping columns: Drizzle's insert-select wants every column, lease ones included.
    const update = 'lastRunEndedAt' in changes ? sql`last_run_ended_at = excluded.last_run_ended_at` : sql`cooldown_until = excluded.cooldown_until`;
    await tx.execute(sql`
      insert into room_runners (room_id, last_run_ended_at, cooldown_until)
      select id, ${lastRunEndedAt}::timestamptz, ${cooldownUntil}::timestamptz from rooms where id = ${roomId}
      on conflict (room_id) do update set ${update}`);
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
            // §6 rule 2 "lease free": a live lease is another process's run (or one of ours); database time, not the
            // injected clock, because every process compares against the same expiry.
            or(isNull(roomRunners.leaseExpiresAt), sql`${roomRunners.leaseExpiresAt} <= now()`),
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

export type LeaseKind = 'user' | 'scheduler' | 'manual';

export interface AcquiredLease {
  /** The previous lease had expired without being released: its holder died or stalled (§5.1 rule 2). */
  tookOver: boolean;
}

export interface LeaseRenewal {
  /** False once another run holds the lease (or the row is gone): the run must stop persisting. */
  held: boolean;
  cancelRequested: boolean;
}

/**
 * behavior.md §5.1 rule 2: the runner row of a room doubles as a lease on PostgreSQL. Every comparison uses the
 * database clock (`now()`), so processes whose clocks drift still agree on expiry. `holder` is the process id;
 * `runId` tells two runs of the same process apart (a detached run must not renew its successor's lease).
 */
export function createRunnerLeaseQueries(db: Db, holder: string) {
  async function rows<T>(query: SQL): Promise<T[]> {
    // Both drivers answer `execute` with `{ rows }`.
    const result = (await db.execute(query)) as unknown as { rows: T[] };
    return result.rows;
  }

  return {
    /**
     * Takes the lease when it is free, expired, or held by this process (the local registry already decided that
     * this run owns the room, e.g. after detaching a stuck run). One statement: concurrent acquirers serialise on
     * the row and the loser's `WHERE` fails, so it gets no row back. The `previous` CTE reads the row as it was
     * before the statement, which tells a takeover of an expired lease from taking a released one.
     */
    async acquire(roomId: number, runId: string, kind: LeaseKind, ttlMs: number): Promise<AcquiredLease | null> {
      const found = await rows<{ previous_holder: string | null }>(sql`
        with previous as (select lease_holder from room_runners where room_id = ${roomId})
        insert into room_runners (room_id, lease_holder, lease_run_id, lease_kind, lease_expires_at, cancel_requested)
        select id, ${holder}, ${runId}, ${kind}, now() + ${ttlMs} * interval '1 millisecond', false
          from rooms where id = ${roomId}
        on conflict (room_id) do update set
          lease_holder = excluded.lease_holder,
          lease_run_id = excluded.lease_run_id,
          lease_kind = excluded.lease_kind,
          lease_expires_at = excluded.lease_expires_at,
          cancel_requested = false
        where room_runners.lease_expires_at is null
           or room_runners.lease_expires_at <= now()
           or room_runners.lease_holder = ${holder}
        returning (select lease_holder from previous) as previous_holder`);
      const row = found[0];
      if (!row) return null;
      return { tookOver: row.previous_holder !== null && row.previous_holder !== holder };
    },

    /** Extends the lease if this run still holds it, and reports whether a cancel was asked for (§5.1 rule 3). */
    async renew(roomId: number, runId: string, ttlMs: number): Promise<LeaseRenewal> {
      const found = await rows<{ cancel_requested: boolean }>(sql`
        update room_runners set lease_expires_at = now() + ${ttlMs} * interval '1 millisecond'
        where room_id = ${roomId} and lease_holder = ${holder} and lease_run_id = ${runId}
        returning cancel_requested`);
      const row = found[0];
      return row ? { held: true, cancelRequested: row.cancel_requested } : { held: false, cancelRequested: false };
    },

    /** Frees the lease if this run still holds it; a lease someone else took over is left alone. */
    async release(roomId: number, runId: string): Promise<void> {
      await db.execute(sql`
        update room_runners
        set lease_holder = null, lease_run_id = null, lease_kind = null, lease_expires_at = null, cancel_requested = false
        where room_id = ${roomId} and lease_holder = ${holder} and lease_run_id = ${runId}`);
    },

    /** Shutdown (§5.18): frees whatever this process still holds, stuck runs included. */
    async releaseAll(): Promise<void> {
      await db.execute(sql`
        update room_runners
        set lease_holder = null, lease_run_id = null, lease_kind = null, lease_expires_at = null, cancel_requested = false
        where lease_holder = ${holder}`);
    },

    /**
     * Asks another process's live run in the room to cancel (its heartbeat reads the flag). True while such a
     * lease exists, so a caller can poll until the holder has released.
     */
    async requestCancel(roomId: number): Promise<boolean> {
      const found = await rows<{ room_id: number }>(sql`
        update room_runners set cancel_requested = true
        where room_id = ${roomId} and lease_holder <> ${holder} and lease_expires_at > now()
        returning room_id`);
      return found.length > 0;
    },

    /** §6 rule 3: scheduler runs of other processes that still hold a live lease. */
    async countOtherSchedulerLeases(): Promise<number> {
      const found = await rows<{ n: number | string }>(sql`
        select count(*)::int as n from room_runners
        where lease_kind = 'scheduler' and lease_expires_at > now() and lease_holder <> ${holder}`);
      return Number(found[0]?.n ?? 0);
    },
  };
}

export type RunnerLeaseQueries = ReturnType<typeof createRunnerLeaseQueries>;
