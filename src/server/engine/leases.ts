import type { AcquiredLease, LeaseKind, LeaseRenewal, RunnerLeaseQueries } from '../db/runners.js';

/**
 * The cluster half of behavior.md §5.1 rule 2, as the engine sees it. The engine's own registry still guards the
 * process; this seam decides whether *other* processes hold the room. One process on the embedded database has no
 * other processes, so its implementation always grants and needs no heartbeat.
 */
export interface RunnerLeases {
  /** How often a held lease is renewed; null when nothing needs renewing (no heartbeat timer at all). */
  readonly heartbeatMs: number | null;
  /** The lease lifetime: how long a user run waits for a remote holder (§5.3 rule 4). */
  readonly ttlMs: number;
  /** Null when another process holds a live lease on the room. */
  acquire(roomId: number, runId: string, kind: LeaseKind): Promise<AcquiredLease | null>;
  renew(roomId: number, runId: string): Promise<LeaseRenewal>;
  release(roomId: number, runId: string): Promise<void>;
  releaseAll(): Promise<void>;
  /** Tells a remote holder to cancel; true while one holds a live lease. */
  requestCancel(roomId: number): Promise<boolean>;
  /** Scheduler runs other processes hold now (§6 rule 3 counts them with the local ones). */
  otherSchedulerRuns(): Promise<number>;
}

export const inProcessLeases: RunnerLeases = {
  heartbeatMs: null,
  ttlMs: 0,
  acquire: async () => ({ tookOver: false }),
  renew: async () => ({ held: true, cancelRequested: false }),
  release: async () => undefined,
  releaseAll: async () => undefined,
  requestCancel: async () => false,
  otherSchedulerRuns: async () => 0,
};

/**
 * Leases on PostgreSQL. The heartbeat runs every TTL/3 as §5.1 rule 2 asks, but at least every second, because
 * the same beat is how a holder learns of `cancel_requested` (§5.1 rule 3).
 */
export function postgresLeases(queries: RunnerLeaseQueries, ttlMs: number): RunnerLeases {
  return {
    heartbeatMs: Math.max(50, Math.min(Math.floor(ttlMs / 3), 1000)),
    ttlMs,
    acquire: (roomId, runId, kind) => queries.acquire(roomId, runId, kind, ttlMs),
    renew: (roomId, runId) => queries.renew(roomId, runId, ttlMs),
    release: (roomId, runId) => queries.release(roomId, runId),
    releaseAll: () => queries.releaseAll(),
    requestCancel: (roomId) => queries.requestCancel(roomId),
    otherSchedulerRuns: () => queries.countOtherSchedulerLeases(),
  };
}
