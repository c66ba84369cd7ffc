import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { RoomEvent } from '../src/shared/events.js';
import { createInstantProvider, instantRegistry } from '../tests/fakes/instant-provider.js';
import { profileWhile, type ProfileSummary } from './profile.js';
import { instrumentDatabase, type StatementStats } from './sql-counter.js';
import { createBenchDatabase, startInProcessServer, type InProcessServer } from './support.js';

/**
 * quality.md §3 "turn cost": a 4-agent room driven by the in-process instant provider for 2,000 turns, against
 * raw single-row INSERTs measured in the same run on the same database through the same driver.
 *
 * Repeated runs: MAX_RESPONSES_PER_TRIGGER = 500 and MAX_FOLLOW_UP_ROUNDS = 1000, so each user message starts a
 * run of 500 turns (the initial round, then follow-up rounds until the response limit stops it); four such runs
 * make the 2,000 turns, all in one room that grows to 2,000+ messages. Each run is followed by 500 raw inserts
 * (and 500 precede the first), so the baseline is sampled under the same background load as the turns — the
 * machine is shared. The agents are the sample pack's four Harbour regulars (ordinary speakers, real character
 * files). Every SQL statement of the turns is counted and timed at the driver.
 */

export const HARBOUR = ['Mira', 'Tobin', 'Odile', '한서윤'] as const;
const REPLY = 'the kettle is on again and the tide is turning under the quay, so somebody should fetch the lamps.';

export interface TurnCostResult {
  database: 'PGlite' | 'PostgreSQL';
  turns: number;
  runs: number;
  providerCalls: number;
  runMs: number;
  turnsPerS: number;
  msPerTurn: number;
  rawInserts: number;
  msPerInsert: number;
  /** The headline: ms per turn ÷ ms per raw insert. */
  insertsPerTurn: number;
  /** The same ratio per run, against the insert segments just before and after it (shows the noise). */
  runRatios: number[];
  statementsPerTurn: number;
  writesPerTurn: number;
  sqlMsPerTurn: number;
  statements: (StatementStats & { perTurn: number; msPerTurn: number })[];
  /** CPU profile of further turns in the same room, after the measurement (null when not profiled). */
  profile: (ProfileSummary & { turns: number; wallMs: number }) | null;
}

async function rawInserts(server: InProcessServer, count: number): Promise<number> {
  const { db } = server.server.database;
  const content = `Raw insert baseline row: ${REPLY}`;
  const started = performance.now();
  for (let i = 0; i < count; i += 1) {
    await db.execute(sql`INSERT INTO bench_scratch (room_id, content, created_at) VALUES (${i}, ${content}, now())`);
  }
  return performance.now() - started;
}

/**
 * Sends one user message and waits for the run it starts to end; resolves with the events of the room. With
 * `pauseAfter`, the room is paused once that many turns have ended (the run then stops at its next turn gate).
 */
async function runOnce(
  server: InProcessServer,
  roomId: number,
  content: string,
  { timeoutMs, pauseAfter }: { timeoutMs: number; pauseAfter?: number },
): Promise<RoomEvent[]> {
  const events: RoomEvent[] = [];
  let ends = 0;
  let resolveEnd: () => void = () => undefined;
  const ended = new Promise<void>((resolve) => (resolveEnd = resolve));
  const stop = server.server.bus.subscribe(roomId, (event) => {
    events.push(event);
    if (event.type === 'agent_end' && (ends += 1) === pauseAfter) void server.call('POST', `/rooms/${roomId}/pause`);
    if (event.type === 'room' && event.data.reason === 'run_ended') resolveEnd();
  });
  try {
    await server.call('POST', `/rooms/${roomId}/messages/send`, { content });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`run not over in ${timeoutMs} ms`)), timeoutMs)));
    await Promise.race([ended, timeout]).finally(() => clearTimeout(timer));
    return events;
  } finally {
    stop();
  }
}

const isWrite = (label: string) => /^(insert|update|delete)/i.test(label);

async function measure(kind: 'pglite' | 'postgres', options: { turns: number; runs: number; profileTurns: number }): Promise<TurnCostResult> {
  const perRun = Math.ceil(options.turns / options.runs);
  const dbRoot = await mkdtemp(join(tmpdir(), 'chitchats-bench-turns-'));
  const database = await createBenchDatabase(kind, dbRoot);
  let call = 0;
  const provider = createInstantProvider((request) => {
    // The double records every request; the bench does not read them, so they are not retained.
    provider.requests.length = 0;
    call += 1;
    return [{ text: `${request.agentName}, turn ${call}: ${REPLY}` }];
  });
  const server = await startInProcessServer({
    database,
    providers: instantRegistry(provider),
    sampleAgents: true,
    env: { MAX_FOLLOW_UP_ROUNDS: '1000', MAX_RESPONSES_PER_TRIGGER: String(perRun), SHUFFLE_SEED: '7' },
  });
  try {
    const counter = instrumentDatabase(server.server.database);
    const agents = await server.call<{ id: number; name: string }[]>('GET', '/agents');
    const members = HARBOUR.map((name) => {
      const agent = agents.find((candidate) => candidate.name === name);
      if (!agent) throw new Error(`sample agent ${name} missing`);
      return agent;
    });
    const makeRoom = async (name: string, body: Record<string, unknown> = {}) => {
      const room = await server.call<{ id: number }>('POST', '/rooms', { name, ...body });
      for (const agent of members) await server.call('POST', `/rooms/${room.id}/agents/${agent.id}`);
      return room.id;
    };
    await server.server.database.db.execute(
      sql`CREATE TABLE bench_scratch (id serial PRIMARY KEY, room_id integer NOT NULL, content text NOT NULL, created_at timestamptz NOT NULL)`,
    );

    // Warm-up (JIT, plans, caches) in a room of its own, capped at 100 replies.
    const warm = await makeRoom('Warm-up room', { max_interactions: 100 });
    await runOnce(server, warm, 'Warm-up: what is the tide doing?', { timeoutMs: 60_000 });
    await rawInserts(server, 200);

    const roomId = await makeRoom('Turn cost room');
    const insertSegments: number[] = [(await rawInserts(server, perRun)) / perRun];
    const runSegments: { ms: number; turns: number; calls: number }[] = [];
    for (let run = 0; run < options.runs; run += 1) {
      counter.start();
      const started = performance.now();
      const events = await runOnce(server, roomId, `Round ${run + 1}: good evening, everyone. What is the tide doing tonight?`, {
        timeoutMs: 300_000,
      });
      const ms = performance.now() - started;
      counter.stop();
      runSegments.push({
        ms,
        turns: events.filter((event) => event.type === 'message' && event.data.agent_id !== null).length,
        calls: events.filter((event) => event.type === 'agent_start').length,
      });
      insertSegments.push((await rawInserts(server, perRun)) / perRun);
    }

    let profile: TurnCostResult['profile'] = null;
    if (options.profileTurns > 0) {
      const profiled = await profileWhile(async () => {
        const started = performance.now();
        const ran = await runOnce(server, roomId, 'One more round before closing time, please.', {
          timeoutMs: 300_000,
          pauseAfter: options.profileTurns,
        });
        return { ms: performance.now() - started, turns: ran.filter((event) => event.type === 'agent_start').length };
      });
      profile = { turns: profiled.result.turns, wallMs: profiled.result.ms, ...profiled.profile };
    }

    const turns = runSegments.reduce((sum, segment) => sum + segment.turns, 0);
    const runMs = runSegments.reduce((sum, segment) => sum + segment.ms, 0);
    const msPerInsert = insertSegments.reduce((sum, value) => sum + value, 0) / insertSegments.length;
    const total = counter.total();
    const statements = counter.byStatement();
    return {
      database: database.label,
      turns,
      runs: options.runs,
      providerCalls: runSegments.reduce((sum, segment) => sum + segment.calls, 0),
      runMs,
      turnsPerS: turns / (runMs / 1000),
      msPerTurn: runMs / turns,
      rawInserts: perRun * insertSegments.length,
      msPerInsert,
      insertsPerTurn: runMs / turns / msPerInsert,
      runRatios: runSegments.map(
        (segment, index) => segment.ms / segment.turns / (((insertSegments[index] ?? 0) + (insertSegments[index + 1] ?? 0)) / 2),
      ),
      statementsPerTurn: total.count / turns,
      writesPerTurn: statements.filter((entry) => isWrite(entry.label)).reduce((sum, entry) => sum + entry.count, 0) / turns,
      sqlMsPerTurn: total.ms / turns,
      statements: statements.map((entry) => ({ ...entry, perTurn: entry.count / turns, msPerTurn: entry.ms / turns })),
      profile,
    };
  } finally {
    await server.close();
    await rm(dbRoot, { recursive: true, force: true });
  }
}

export async function benchTurnCost(
  postgresUrl: string | null,
  { turns = 2000, runs = 4, profileTurns = 200 }: { turns?: number; runs?: number; profileTurns?: number } = {},
): Promise<TurnCostResult[]> {
  const results = [await measure('pglite', { turns, runs, profileTurns })];
  if (postgresUrl) results.push(await measure('postgres', { turns, runs, profileTurns }));
  return results;
}

// `npx tsx bench/turn-cost.ts [turns]` runs this benchmark alone and prints its numbers.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { postgresReachable, BENCH_POSTGRES_URL } = await import('./support.js');
  const turns = Number(process.argv[2] ?? 2000);
  const results = await benchTurnCost((await postgresReachable()) ? BENCH_POSTGRES_URL : null, { turns });
  for (const result of results) {
    const { statements, profile, ...rest } = result;
    console.log(rest);
    console.table(statements.map((s) => ({ label: s.label.slice(0, 110), perTurn: s.perTurn.toFixed(2), msPerTurn: s.msPerTurn.toFixed(3) })));
    if (profile) {
      console.log(`profile: ${profile.turns} turns, ${profile.wallMs.toFixed(0)} ms wall`);
      console.table(profile.categories.slice(0, 12).map((c) => ({ category: c.category, ms: c.ms.toFixed(0), share: `${(c.share * 100).toFixed(1)} %` })));
      console.table(profile.functions.slice(0, 10).map((f) => ({ name: f.name, ms: f.ms.toFixed(0) })));
    }
  }
}
