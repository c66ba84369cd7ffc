import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMessageQueries } from '../../src/server/db/messages.js';
import { toMessageDto } from '../../src/server/http/dto.js';
import type { Agent, Message, Room, RoomSummary } from '../../src/shared/models.js';
import { baseUrl, openEventStream, type SseClient } from '../helpers/event-stream.js';
import { agentByName, uniqueName } from '../helpers/room-api.js';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../fakes/openai-chat-server.js';
import { databaseAvailable } from '../helpers/test-database.js';
import { waitFor } from '../helpers/wait-for.js';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../helpers/test-server.js';

/**
 * `npm run simulate` (behavior.md §10.1) as a child process against the real app on a real listening port.
 * Until the turn engine answers, a small stand-in plays the agents: it stores replies through the message
 * queries and publishes them on the bus, as the engine does (persist first, then publish).
 */

const REPO = resolve(import.meta.dirname, '../..');
const CLI = join(REPO, 'src/server/cli/simulate.ts');
const TSX = join(REPO, 'node_modules/.bin/tsx');

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The caller's CHITCHATS_* variables must not leak into the child. */
function childEnvironment(cwd: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, INIT_CWD: cwd, ...extra };
  for (const name of ['CHITCHATS_URL', 'CHITCHATS_PASSWORD', 'CHITCHATS_TOKEN', 'NO_COLOR']) if (!(name in extra)) delete env[name];
  return env;
}

interface RunOptions {
  cwd: string;
  env?: Record<string, string>;
  timeoutMs?: number;
  /** Receives the child process, e.g. to signal it. */
  onSpawn?: (child: ChildProcess) => void;
}

function runCli(args: string[], { cwd, env = {}, timeoutMs = 60_000, onSpawn }: RunOptions) {
  return new Promise<CliResult>((resolveRun, reject) => {
    const child = spawn(TSX, [CLI, ...args], { cwd, env: childEnvironment(cwd, env) });
    onSpawn?.(child);
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`simulate did not exit within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolveRun({ code, stdout, stderr });
    });
  });
}

async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolveClose) => server.close(() => resolveClose()));
  return port;
}

async function listRooms(t: TestServer, token: string): Promise<RoomSummary[]> {
  const response = await t.request({ method: 'GET', url: '/rooms', token });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as RoomSummary[];
}

async function roomNamed(t: TestServer, token: string, name: string): Promise<Room> {
  const summary = (await listRooms(t, token)).find((room) => room.name === name);
  if (!summary) throw new Error(`no room named ${name}`);
  const response = await t.request({ method: 'GET', url: `/rooms/${summary.id}`, token });
  return response.json() as Room;
}

/** Sections of a transcript: one `### ` heading per spoken message and one `> **Notice**` quote per notice. */
function sectionCount(transcript: string): number {
  return transcript.split('\n').filter((line) => line.startsWith('### ') || line.startsWith('> **Notice** · ')).length;
}

/** The live transcript without system notices (a server without a provider adds one per run). */
function spoken(stdout: string): string[] {
  return stdout.split('\n').filter((line) => line.length > 0 && !line.startsWith('! '));
}

interface ScriptedReply {
  agent: Agent;
  content: string;
  thinking?: string;
  isSkip?: boolean;
}

/**
 * Plays the agents: when a situation-builder message arrives in a room, stores the scripted replies one by one
 * and publishes each with its turn events. Returns a function that stops listening.
 */
function answerTopics(t: TestServer, script: () => ScriptedReply[]): () => void {
  const queries = createMessageQueries(t.server.database.db);
  const { bus } = t.server;
  return bus.subscribeAll((roomId, event) => {
    if (event.type !== 'message' || event.data.participant_type !== 'situation_builder') return;
    void (async () => {
      for (const reply of script()) {
        const turnId = randomUUID();
        const agent = { agent_id: reply.agent.id, agent_name: reply.agent.name };
        bus.publish(roomId, {
          type: 'agent_start',
          data: { ...agent, agent_profile_pic: null, turn_id: turnId, attempt: 1, provider: 'openai', model: 'fake-model' },
        });
        bus.publish(roomId, { type: 'delta', data: { agent_id: reply.agent.id, turn_id: turnId, kind: 'response', text: reply.content } });
        const row = await queries.insertMessage({
          roomId,
          agentId: reply.agent.id,
          content: reply.isSkip ? '(무시함)' : reply.content,
          role: 'assistant',
          thinking: reply.thinking ?? null,
          provider: 'openai',
          model: 'fake-model',
          isSkip: reply.isSkip ?? false,
          timestamp: new Date(),
        });
        bus.publish(roomId, { type: 'message', data: toMessageDto(row) });
        bus.publish(roomId, {
          type: 'agent_end',
          data: { ...agent, turn_id: turnId, outcome: reply.isSkip ? 'skipped' : 'responded', message_id: row.id },
        });
      }
    })();
  });
}

describe.runIf(await databaseAvailable())('npm run simulate', () => {
  let work: string;
  beforeEach(async () => {
    work = await mkdtemp(join(tmpdir(), 'chitchats-simulate-'));
  });
  afterEach(async () => rm(work, { recursive: true, force: true }));

  describe('against the API', () => {
    let t: TestServer;
    let url: string;
    let admin: string;
    let mira: Agent;
    let tobin: Agent;
    const stops: (() => void)[] = [];
    beforeAll(async () => {
      t = await startTestServer({ env: { RATE_LIMIT_ENABLED: 'false', SCHEDULER_ENABLED: 'false' } });
      url = await baseUrl(t);
      admin = await t.login('admin');
      mira = await agentByName(t, admin, 'Mira');
      tobin = await agentByName(t, admin, 'Tobin');
    });
    afterEach(() => {
      for (const stop of stops.splice(0)) stop();
    });
    afterAll(async () => t?.close());

    const simulate = (args: string[], env: Record<string, string> = {}) =>
      runCli(['--url', url, '--password', ADMIN_PASSWORD, ...args], { cwd: work, env });

    it('exits 1 naming every unknown agent, and creates no room', async () => {
      const before = await listRooms(t, admin);
      const result = await simulate(['--topic', 'T', '--agents', 'Mira,Ghost,Nobody']);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('Unknown agents: Ghost, Nobody');
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(await listRooms(t, admin)).toHaveLength(before.length);
    });

    it('exits 1 on a usage error without contacting the server', async () => {
      const result = await runCli(['--agents', 'Mira', '--password', 'x', '--url', 'http://127.0.0.1:9'], { cwd: work });
      expect(result.code).toBe(1);
      expect(result.stderr).toBe('Error: --topic is required. Run with --help for usage.\n');
    });

    it('exits 2 when the password or the token is refused', async () => {
      const before = await listRooms(t, admin);
      const password = await runCli(['--url', url, '--password', 'not-the-password', '--topic', 'T', '--agents', 'Mira'], { cwd: work });
      expect(password.code).toBe(2);
      expect(password.stderr).toContain('Authentication failed');
      const token = await runCli(['--url', url, '--topic', 'T', '--agents', 'Mira'], { cwd: work, env: { CHITCHATS_TOKEN: 'not.a.jwt' } });
      expect(token.code).toBe(2);
      expect(await listRooms(t, admin)).toHaveLength(before.length);
    });

    it('exits 3 when the server cannot be reached', async () => {
      const result = await runCli(['--url', `http://127.0.0.1:${await unusedPort()}`, '--password', 'x', '--topic', 'T', '--agents', 'Mira'], {
        cwd: work,
      });
      expect(result.code).toBe(3);
      expect(result.stderr).toMatch(/^Error: Cannot reach the server at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)\n$/);
    });

    it('follows the replies on the event stream, stops at max interactions, pauses the room and writes the transcript', async () => {
      stops.push(
        answerTopics(t, () => [
          { agent: mira, content: 'Close the shutters!', thinking: 'The wind is rising.' },
          { agent: tobin, content: '', isSkip: true },
          { agent: tobin, content: 'The boats are tied.' },
        ]),
      );
      const name = uniqueName('Storm');
      const result = await simulate(['--topic', 'A storm hits the harbour', '--agents', 'Mira,Tobin', '--max-interactions', '2', '--room-name', name, '--out', 'runs/storm.md', '--idle-timeout', '15']);
      expect(result.code, result.stderr).toBe(0);
      expect(spoken(result.stdout)).toEqual(
        [
          'Situation Builder: A storm hits the harbour',
          'Mira (thinking): The wind is rising.',
          'Mira: Close the shutters!',
          '(Tobin skipped)',
          'Tobin: The boats are tied.',
        ],
      );
      expect(result.stderr).toContain('Stopped: reached 2 of 2 agent replies.');

      const room = await roomNamed(t, admin, name);
      expect(room).toMatchObject({ is_paused: true, max_interactions: 2 });
      expect(room.agents.map((agent) => agent.name).sort()).toEqual(['Mira', 'Tobin']);
      expect(room.messages[0]).toMatchObject({ content: 'A storm hits the harbour', participant_type: 'situation_builder' });

      const transcript = await readFile(join(work, 'runs/storm.md'), 'utf8');
      expect(transcript).toContain(`# ${name}\n`);
      expect(transcript).toContain('- Topic: A storm hits the harbour\n');
      expect(transcript).toContain('- Agents: Mira, Tobin\n');
      expect(transcript).toContain(`- Room ID: ${room.id}\n`);
      expect(transcript).toContain('- Stopped: reached 2 of 2 agent replies\n');
      expect(transcript).toMatch(/### Mira · \d\d:\d\d:\d\d\n\n<details>\n<summary>Thinking<\/summary>\n\nThe wind is rising\.\n\n<\/details>\n\nClose the shutters!\n/);
      expect(sectionCount(transcript)).toBe(room.messages.length);
    });

    it('stops when the room finishes and names the default transcript after the room', async () => {
      const name = uniqueName('Finish: quiet');
      const stop = t.server.bus.subscribeAll((roomId, event) => {
        if (event.type !== 'message' || event.data.participant_type !== 'situation_builder') return;
        void t.request({ method: 'PATCH', url: `/rooms/${roomId}`, token: admin, payload: { is_finished: true } });
      });
      stops.push(stop);
      const result = await simulate(['--topic', 'Silence', '--agents', 'Mira', '--room-name', name, '--quiet', '--idle-timeout', '15']);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe('');
      const transcript = await readFile(join(work, 'simulations', `${name.replace(/[: ]+/g, '_')}.md`), 'utf8');
      expect(transcript).toContain('- Stopped: the room finished (every agent skipped a round) after 0 of 3 agent replies\n');
      expect((await roomNamed(t, admin, name)).is_paused).toBe(true);
    });

    it('stops after the idle timeout when nobody answers', async () => {
      const name = uniqueName('Idle');
      const result = await simulate(['--topic', 'Anyone?', '--agents', 'Mira,Tobin', '--room-name', name, '--idle-timeout', '1', '--out', 'idle.md']);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toMatch(/Stopped: no new message for 1 s \(0 of 6 agent replies\)/);
      const room = await roomNamed(t, admin, name);
      expect(room.is_paused).toBe(true);
      const transcript = await readFile(join(work, 'idle.md'), 'utf8');
      expect(transcript).toContain('### Situation Builder · ');
      expect(sectionCount(transcript)).toBe(room.messages.length);
    });

    it('on Ctrl-C pauses the room, writes the transcript and exits 130', async () => {
      const name = uniqueName('Interrupted');
      const spawned: { child?: ChildProcess } = {};
      const run = runCli(['--url', url, '--password', ADMIN_PASSWORD, '--topic', 'Wait', '--agents', 'Mira', '--room-name', name, '--out', 'i.md'], {
        cwd: work,
        onSpawn: (child) => (spawned.child = child),
      });
      // Once the topic is stored the simulation is waiting for replies that never come.
      await waitFor(
        async () => (await roomNamed(t, admin, name).catch(() => null))?.messages.some((m) => m.participant_type === 'situation_builder'),
        { timeoutMs: 20_000, what: 'the topic' },
      );
      spawned.child?.kill('SIGINT');
      const result = await run;
      expect(result.code, result.stderr).toBe(130);
      expect(result.stderr).toContain('Stopped: interrupted by the user after 0 of 3 agent replies.');
      expect((await roomNamed(t, admin, name)).is_paused).toBe(true);
      expect(await readFile(join(work, 'i.md'), 'utf8')).toContain('- Stopped: interrupted by the user after 0 of 3 agent replies\n');
    });
  });

  describe('without the event stream', () => {
    let t: TestServer;
    let url: string;
    let admin: string;
    let holder: SseClient | null = null;
    let stop: () => void = () => undefined;
    beforeAll(async () => {
      t = await startTestServer({ env: { RATE_LIMIT_ENABLED: 'false', SCHEDULER_ENABLED: 'false', SSE_MAX_STREAMS_PER_USER: '1' } });
      url = await baseUrl(t);
      admin = await t.login('admin');
      const mira = await agentByName(t, admin, 'Mira');
      stop = answerTopics(t, () => [{ agent: mira, content: 'Polled reply.' }]);
    });
    afterAll(async () => {
      stop();
      holder?.close();
      await t?.close();
    });

    it('falls back to polling when the stream is refused and still sees every message', async () => {
      // The admin's only stream slot is taken, so the CLI's stream gets 429 (api.md §9.3).
      const other = await t.request({ method: 'POST', url: '/rooms', token: admin, payload: { name: 'Holder' } });
      holder = await openEventStream(t, `/rooms/${(other.json() as Room).id}/events`, { 'x-api-key': admin });
      expect(holder.response.status).toBe(200);
      const result = await runCli(['--url', url, '--password', ADMIN_PASSWORD, '--topic', 'Poll me', '--agents', 'Mira', '--max-interactions', '1', '--out', 'p.md', '--idle-timeout', '15'], {
        cwd: work,
      });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toContain('The event stream is unavailable; checking for new messages every 2 s.');
      expect(spoken(result.stdout)).toEqual(['Situation Builder: Poll me', 'Mira: Polled reply.']);
      expect(await readFile(join(work, 'p.md'), 'utf8')).toContain('Polled reply.\n');
    });
  });

  describe('with agents answering through the openai provider (behavior.md §11 scenario 65)', () => {
    let fake: FakeOpenAiServer;
    let t: TestServer;
    let url: string;
    let admin: string;
    beforeAll(async () => {
      fake = await startFakeOpenAiServer({ models: ['fake-model'] });
      for (let i = 1; i <= 40; i++) fake.enqueue({ steps: [{ kind: 'reasoning', text: `Thought ${i}.` }, { kind: 'text', text: `Reply ${i}.` }] });
      t = await startTestServer({
        env: {
          DEFAULT_PROVIDER: 'openai',
          OPENAI_BASE_URL: fake.baseUrl,
          OPENAI_MODEL: 'fake-model',
          RATE_LIMIT_ENABLED: 'false',
          SHUFFLE_SEED: '7',
        },
      });
      url = await baseUrl(t);
      admin = await t.login('admin');
    });
    afterAll(async () => {
      await t?.close();
      await fake?.close();
    });

    it('runs two rounds of A and B, writes t.md with a header and a section per message, and pauses the room', async () => {
      const result = await runCli(['--url', url, '--password', ADMIN_PASSWORD, '--topic', 'T', '--agents', 'Mira,Tobin', '--rounds', '2', '--out', 't.md'], {
        cwd: work,
      });
      expect(result.code, result.stderr).toBe(0);
      const transcript = await readFile(join(work, 't.md'), 'utf8');
      expect(transcript).toContain('- Topic: T\n');
      expect(transcript).toContain('- Agents: Mira, Tobin\n');
      expect(transcript).toContain('- Provider: openai');
      const roomId = Number(/- Room ID: (\d+)\n/.exec(transcript)?.[1]);
      const room = (await t.request({ method: 'GET', url: `/rooms/${roomId}`, token: admin })).json() as Room;
      expect(room.is_paused).toBe(true);
      const messages: Message[] = room.messages;
      const replies = messages.filter((m) => m.agent_id !== null && !m.is_skip && m.participant_type === null);
      expect(replies).toHaveLength(4);
      expect(sectionCount(transcript)).toBe(messages.length);
      for (const reply of replies) expect(transcript).toContain(`### ${reply.agent_name} · `);
      expect(result.stdout).toContain('Mira: Reply');
      expect(result.stdout).toContain('Tobin: Reply');
    });
  });
});
