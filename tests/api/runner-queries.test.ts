import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMessageQueries, type NewMessage } from '../../src/server/db/messages.js';
import { createRunnerQueries, type RunnerQueries } from '../../src/server/db/runners.js';
import { roomRunners } from '../../src/server/db/schema.js';
import type { Agent } from '../../src/shared/models.js';
import { databaseAvailable } from '../helpers/test-database.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { agentByName, createRoom, manualClock, uniqueName } from '../helpers/room-api.js';

const WINDOW_MS = 300_000;
const START = '2026-03-01T12:00:00.000Z';

describe.runIf(await databaseAvailable())('runner queries (behavior.md §5.1 rule 2, §6 rules 2 and 4)', () => {
  const clock = manualClock(START);
  let t: TestServer;
  let admin: string;
  let runners: RunnerQueries;
  let juniper: Agent;
  let wren: Agent;
  let mira: Agent;
  let critic: Agent;
  beforeAll(async () => {
    t = await startTestServer({ agents: 'sample', now: clock.now });
    admin = await t.login('admin');
    runners = createRunnerQueries(t.server.database.db);
    juniper = await agentByName(t, admin, 'Juniper');
    wren = await agentByName(t, admin, 'Wren');
    mira = await agentByName(t, admin, 'Mira');
    critic = await agentByName(t, admin, 'Critic');
  });
  afterAll(async () => t?.close());

  /**
   * A room created now (so active) with the given members, added through the API, and one notice in it (a room
   * nobody has written in is never a candidate; its own test below leaves the notice out).
   */
  async function roomWith(members: Agent[], body: Record<string, unknown> = {}, { empty = false } = {}): Promise<number> {
    const room = await createRoom(t, admin, { name: uniqueName('Scheduler'), ...body });
    for (const member of members) {
      const response = await t.request({ method: 'POST', url: `/rooms/${room.id}/agents/${member.id}`, token: admin });
      expect(response.statusCode, response.body).toBe(200);
    }
    if (!empty) {
      await createMessageQueries(t.server.database.db).insertMessage({
        roomId: room.id,
        content: 'The room opens',
        role: 'assistant',
        participantType: 'system',
        timestamp: clock.now(),
      });
    }
    return room.id;
  }

  async function patchRoom(roomId: number, payload: Record<string, unknown>): Promise<void> {
    const response = await t.request({ method: 'PATCH', url: `/rooms/${roomId}`, token: admin, payload });
    expect(response.statusCode, response.body).toBe(200);
  }

  /** Candidate ids among `roomIds`, in the order the query returns them (other tests' rooms share the database). */
  async function candidateIds(roomIds: number[], now = clock.now()): Promise<number[]> {
    const rooms = await runners.listSchedulerCandidates({ now, activeWindowMs: WINDOW_MS });
    return rooms.map((room) => room.id).filter((id) => roomIds.includes(id));
  }

  async function runnerRow(roomId: number) {
    // The bookkeeping columns only; the lease columns have their own tests (runner-leases.test.ts).
    const { roomId: id, lastRunEndedAt, cooldownUntil } = roomRunners;
    const [row] = await t.server.database.db
      .select({ roomId: id, lastRunEndedAt, cooldownUntil })
      .from(roomRunners)
      .where(eq(roomRunners.roomId, roomId));
    return row ?? null;
  }

  const at = (offsetMs: number) => new Date(Date.parse(START) + offsetMs);

  describe('listSchedulerCandidates', () => {
    it('lists an active, unpaused, unfinished room with two non-critic members as its full row', async () => {
      const roomId = await roomWith([juniper, wren]);
      const rooms = await runners.listSchedulerCandidates({ now: clock.now(), activeWindowMs: WINDOW_MS });
      const room = rooms.find((candidate) => candidate.id === roomId);
      expect(room).toMatchObject({ id: roomId, isPaused: false, isFinished: false, maxInteractions: null });
      expect(room?.lastActivityAt).toEqual(new Date(START));
    });

    it('leaves out a room nobody has written in yet', async () => {
      const roomId = await roomWith([juniper, wren], {}, { empty: true });
      expect(await candidateIds([roomId])).toEqual([]);
    });

    it('leaves out a paused room', async () => {
      const roomId = await roomWith([juniper, wren]);
      await patchRoom(roomId, { is_paused: true });
      expect(await candidateIds([roomId])).toEqual([]);
    });

    it('leaves out a finished room and lists it again once is_finished is cleared', async () => {
      const roomId = await roomWith([juniper, wren]);
      await patchRoom(roomId, { is_finished: true });
      expect(await candidateIds([roomId])).toEqual([]);
      await patchRoom(roomId, { is_finished: false });
      expect(await candidateIds([roomId])).toEqual([roomId]);
    });

    it('lists a room active exactly one window ago and leaves it out a millisecond later', async () => {
      const roomId = await roomWith([juniper, wren]);
      expect(await candidateIds([roomId], at(WINDOW_MS))).toEqual([roomId]);
      expect(await candidateIds([roomId], at(WINDOW_MS + 1))).toEqual([]);
    });

    it('leaves out a room with fewer than two non-critic members, a critic not counting as one', async () => {
      const empty = await roomWith([]);
      const single = await roomWith([juniper]);
      const singleWithCritic = await roomWith([juniper, critic]);
      const pairWithCritic = await roomWith([juniper, critic, wren]);
      expect(await candidateIds([empty, single, singleWithCritic, pairWithCritic])).toEqual([pairWithCritic]);
    });

    it('leaves out a room until its cooldown has passed', async () => {
      const roomId = await roomWith([juniper, wren]);
      await runners.setCooldown(roomId, at(60_000));
      expect(await candidateIds([roomId], at(59_999))).toEqual([]);
      expect(await candidateIds([roomId], at(60_000))).toEqual([roomId]);
    });

    it('leaves out a room whose max_interactions is 0', async () => {
      const roomId = await roomWith([juniper, wren], { max_interactions: 0 });
      expect(await candidateIds([roomId])).toEqual([]);
    });

    it('counts only real agent replies against max_interactions', async () => {
      const roomId = await roomWith([juniper, wren, critic], { max_interactions: 2 });
      const messages = createMessageQueries(t.server.database.db);
      const base = { roomId, timestamp: clock.now(), isSkip: false } as const;
      const reply = (agent: Agent): NewMessage => ({
        ...base,
        agentId: agent.id,
        role: 'assistant',
        participantName: agent.name,
        content: `${agent.name} says something`,
      });
      await messages.insertMessage(reply(juniper));
      // None of these is a real reply (§5.6): a skip marker, critic output, a notice, user and character messages.
      await messages.insertMessage({ ...reply(wren), content: '(무시함)', isSkip: true });
      await messages.insertMessage(reply(critic));
      await messages.insertMessage({ ...base, role: 'assistant', participantType: 'system', content: 'notice' });
      await messages.insertMessage({ ...base, role: 'user', participantType: 'user', content: 'hi' });
      // An author id alone does not make a reply: a notice naming an agent, a user-role row naming one.
      await messages.insertMessage({ ...reply(juniper), participantType: 'system', content: 'Juniper failed' });
      await messages.insertMessage({ ...reply(juniper), role: 'user' });
      await messages.insertMessage({
        ...base,
        role: 'user',
        participantType: 'character',
        participantName: 'Jae',
        content: 'hello',
      });
      expect(await candidateIds([roomId])).toEqual([roomId]);

      await messages.insertMessage(reply(wren));
      expect(await candidateIds([roomId])).toEqual([]);

      await patchRoom(roomId, { max_interactions: 3 });
      expect(await candidateIds([roomId])).toEqual([roomId]);
      await patchRoom(roomId, { max_interactions: null });
      expect(await candidateIds([roomId])).toEqual([roomId]);
    });

    it('orders never-run rooms first by id, then by last_run_ended_at ascending', async () => {
      const ranLate = await roomWith([juniper, wren]);
      const ranEarly = await roomWith([juniper, mira]);
      const neverRan = await roomWith([wren, mira]);
      const cooledNeverRan = await roomWith([juniper, wren, mira]);
      await runners.recordRunEnded(ranLate, at(-1_000));
      await runners.recordRunEnded(ranEarly, at(-5_000));
      // A cooldown that has passed creates a runner row without an end time: still "never run".
      await runners.setCooldown(cooledNeverRan, at(-10_000));
      expect(await candidateIds([ranLate, ranEarly, neverRan, cooledNeverRan])).toEqual([
        neverRan,
        cooledNeverRan,
        ranEarly,
        ranLate,
      ]);

      await runners.recordRunEnded(ranEarly, at(-500));
      expect(await candidateIds([ranLate, ranEarly, neverRan, cooledNeverRan])).toEqual([
        neverRan,
        cooledNeverRan,
        ranLate,
        ranEarly,
      ]);
    });

    it('breaks a tie in last_run_ended_at by room id', async () => {
      const first = await roomWith([juniper, wren]);
      const second = await roomWith([juniper, wren]);
      await runners.recordRunEnded(second, at(-1_000));
      await runners.recordRunEnded(first, at(-1_000));
      expect(await candidateIds([second, first])).toEqual([first, second]);
    });
  });

  describe('recordRunEnded and setCooldown', () => {
    it('upsert one row per room, each keeping the other column', async () => {
      const roomId = await roomWith([juniper, wren]);
      expect(await runnerRow(roomId)).toBeNull();
      await runners.recordRunEnded(roomId, at(1_001));
      expect(await runnerRow(roomId)).toEqual({ roomId, lastRunEndedAt: at(1_001), cooldownUntil: null });
      await runners.setCooldown(roomId, at(61_002));
      expect(await runnerRow(roomId)).toEqual({ roomId, lastRunEndedAt: at(1_001), cooldownUntil: at(61_002) });
      await runners.recordRunEnded(roomId, at(2_003));
      await runners.setCooldown(roomId, at(62_004));
      expect(await runnerRow(roomId)).toEqual({ roomId, lastRunEndedAt: at(2_003), cooldownUntil: at(62_004) });
    });

    it('write nothing for a room that no longer exists', async () => {
      const roomId = await roomWith([juniper, wren]);
      const response = await t.request({ method: 'DELETE', url: `/rooms/${roomId}`, token: admin });
      expect(response.statusCode, response.body).toBe(200);
      await runners.recordRunEnded(roomId, at(1_000));
      await runners.setCooldown(roomId, at(1_000));
      expect(await runnerRow(roomId)).toBeNull();
    });

    it('lose the runner row with its room', async () => {
      const roomId = await roomWith([juniper, wren]);
      await runners.recordRunEnded(roomId, at(1_000));
      const response = await t.request({ method: 'DELETE', url: `/rooms/${roomId}`, token: admin });
      expect(response.statusCode, response.body).toBe(200);
      expect(await runnerRow(roomId)).toBeNull();
    });
  });
});
