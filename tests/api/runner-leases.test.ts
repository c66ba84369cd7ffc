import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunnerLeaseQueries, createRunnerQueries, type RunnerLeaseQueries } from '../../src/server/db/runners.js';
import { roomRunners } from '../../src/server/db/schema.js';
import { databaseAvailable } from '../helpers/test-database.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { agentByName, createRoom, uniqueName } from '../helpers/room-api.js';
import { createMessageQueries } from '../../src/server/db/messages.js';

const TTL_MS = 30_000;

/**
 * behavior.md §5.1 rule 2: the runner row as a lease. Two query modules with different holder ids stand in for two
 * processes on one database (the queries hold no process state, so this is what two processes would do).
 */
describe.runIf(await databaseAvailable())('runner lease queries (behavior.md §5.1 rules 2–3, §6 rule 3)', () => {
  let t: TestServer;
  let admin: string;
  let a: RunnerLeaseQueries;
  let b: RunnerLeaseQueries;
  beforeAll(async () => {
    t = await startTestServer({ agents: 'sample' });
    admin = await t.login('admin');
    a = createRunnerLeaseQueries(t.server.database.db, 'process-a');
    b = createRunnerLeaseQueries(t.server.database.db, 'process-b');
  });
  afterAll(async () => t?.close());

  const newRoom = async () => (await createRoom(t, admin, { name: uniqueName('Lease') })).id;
  const lease = async (roomId: number) =>
    (await t.server.database.db.select().from(roomRunners).where(eq(roomRunners.roomId, roomId)))[0];
  const expire = async (roomId: number) =>
    t.server.database.db
      .update(roomRunners)
      .set({ leaseExpiresAt: sql`now() - interval '1 second'` })
      .where(eq(roomRunners.roomId, roomId));

  it('grants a free lease to exactly one holder and refuses a live one', async () => {
    const roomId = await newRoom();
    expect(await a.acquire(roomId, 'run-1', 'scheduler', TTL_MS)).toEqual({ tookOver: false });
    expect(await b.acquire(roomId, 'run-2', 'user', TTL_MS)).toBeNull();
    const row = await lease(roomId);
    expect(row).toMatchObject({ leaseHolder: 'process-a', leaseRunId: 'run-1', leaseKind: 'scheduler', cancelRequested: false });
    expect(row?.leaseExpiresAt?.getTime()).toBeGreaterThan(Date.now() + TTL_MS - 5000);
  });

  it('lets concurrent acquirers race with exactly one winner', async () => {
    const roomId = await newRoom();
    const results = await Promise.all([
      a.acquire(roomId, 'run-a', 'scheduler', TTL_MS),
      b.acquire(roomId, 'run-b', 'scheduler', TTL_MS),
    ]);
    expect(results.filter((result) => result !== null)).toHaveLength(1);
  });

  it('keeps the runner row bookkeeping and grants the lease on a row that already exists', async () => {
    const roomId = await newRoom();
    const ended = new Date('2026-03-01T12:00:00.000Z');
    await createRunnerQueries(t.server.database.db).recordRunEnded(roomId, ended);
    expect(await a.acquire(roomId, 'run-1', 'user', TTL_MS)).toEqual({ tookOver: false });
    expect((await lease(roomId))?.lastRunEndedAt?.toISOString()).toBe(ended.toISOString());
  });

  it('hands an expired lease to another holder as a takeover, and the old holder can no longer renew or release it', async () => {
    const roomId = await newRoom();
    await a.acquire(roomId, 'run-1', 'scheduler', TTL_MS);
    await expire(roomId);
    expect(await b.acquire(roomId, 'run-2', 'scheduler', TTL_MS)).toEqual({ tookOver: true });
    expect(await a.renew(roomId, 'run-1', TTL_MS)).toEqual({ held: false, cancelRequested: false });
    await a.release(roomId, 'run-1');
    expect(await lease(roomId)).toMatchObject({ leaseHolder: 'process-b', leaseRunId: 'run-2' });
  });

  it('renews and releases only for the holding run; a released lease is free again and no takeover', async () => {
    const roomId = await newRoom();
    await a.acquire(roomId, 'run-1', 'user', TTL_MS);
    expect((await a.renew(roomId, 'other-run', TTL_MS)).held).toBe(false);
    expect((await b.renew(roomId, 'run-1', TTL_MS)).held).toBe(false);
    await b.release(roomId, 'run-1');
    expect((await lease(roomId))?.leaseHolder).toBe('process-a');
    expect(await a.renew(roomId, 'run-1', TTL_MS)).toEqual({ held: true, cancelRequested: false });
    await a.release(roomId, 'run-1');
    expect(await lease(roomId)).toMatchObject({ leaseHolder: null, leaseRunId: null, leaseKind: null, leaseExpiresAt: null });
    expect(await b.acquire(roomId, 'run-2', 'user', TTL_MS)).toEqual({ tookOver: false });
  });

  it('lets the holding process take its own lease for a newer run (its registry already decided)', async () => {
    const roomId = await newRoom();
    await a.acquire(roomId, 'stuck-run', 'user', TTL_MS);
    expect(await a.acquire(roomId, 'next-run', 'user', TTL_MS)).toEqual({ tookOver: false });
    expect((await a.renew(roomId, 'stuck-run', TTL_MS)).held).toBe(false);
  });

  it('passes a cancel request to the holder through renew, only while a remote live lease exists', async () => {
    const roomId = await newRoom();
    expect(await b.requestCancel(roomId)).toBe(false);
    await a.acquire(roomId, 'run-1', 'scheduler', TTL_MS);
    expect(await a.requestCancel(roomId)).toBe(false);
    expect(await a.renew(roomId, 'run-1', TTL_MS)).toEqual({ held: true, cancelRequested: false });
    expect(await b.requestCancel(roomId)).toBe(true);
    expect(await a.renew(roomId, 'run-1', TTL_MS)).toEqual({ held: true, cancelRequested: true });
    await a.release(roomId, 'run-1');
    expect(await b.requestCancel(roomId)).toBe(false);
    await b.acquire(roomId, 'run-2', 'user', TTL_MS);
    expect((await lease(roomId))?.cancelRequested).toBe(false);
  });

  it('counts the live scheduler leases of other processes only', async () => {
    await a.releaseAll();
    const before = await b.countOtherSchedulerLeases();
    const [one, two, three, four] = [await newRoom(), await newRoom(), await newRoom(), await newRoom()];
    await a.acquire(one, 'r1', 'scheduler', TTL_MS);
    await a.acquire(two, 'r2', 'user', TTL_MS);
    await a.acquire(three, 'r3', 'scheduler', TTL_MS);
    await expire(three);
    await b.acquire(four, 'r4', 'scheduler', TTL_MS);
    expect(await b.countOtherSchedulerLeases()).toBe(before + 1);
    await a.releaseAll();
    expect(await b.countOtherSchedulerLeases()).toBe(before);
    expect((await lease(four))?.leaseHolder).toBe('process-b');
  });

  it('leaves rooms with a live lease out of the scheduler candidates until it expires', async () => {
    const runners = createRunnerQueries(t.server.database.db);
    const roomId = await newRoom();
    for (const name of ['Juniper', 'Wren']) {
      const agent = await agentByName(t, admin, name);
      expect((await t.request({ method: 'POST', url: `/rooms/${roomId}/agents/${agent.id}`, token: admin })).statusCode).toBe(200);
    }
    await createMessageQueries(t.server.database.db).insertMessage({
      roomId,
      content: 'The room opens',
      role: 'assistant',
      participantType: 'system',
      timestamp: new Date(),
    });
    const candidates = async () =>
      (await runners.listSchedulerCandidates({ now: new Date(), activeWindowMs: 300_000 })).map((room) => room.id);
    expect(await candidates()).toContain(roomId);
    await a.acquire(roomId, 'run-1', 'user', TTL_MS);
    expect(await candidates()).not.toContain(roomId);
    await expire(roomId);
    expect(await candidates()).toContain(roomId);
  });
});
