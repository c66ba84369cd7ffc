import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseTarget } from '../../src/server/db/connect.js';
import { createMessageQueries } from '../../src/server/db/messages.js';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../fakes/openai-chat-server.js';
import { createTestDatabase, databaseAvailable, TEST_DB, type TestDatabase } from '../helpers/test-database.js';
import { ADMIN_HASH, ADMIN_PASSWORD, JWT_SECRET } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait-for.js';

const REPO = resolve(import.meta.dirname, '../..');

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** behavior.md §11 scenario 46 and §5.18: a real server process, a turn streaming, then SIGTERM. */
describe.runIf(await databaseAvailable())('graceful shutdown of a real server process', () => {
  let fake: FakeOpenAiServer;
  let root: string;
  let database: TestDatabase | null = null;
  let child: ChildProcess | null = null;
  let target: DatabaseTarget;

  beforeAll(async () => {
    fake = await startFakeOpenAiServer();
    root = await mkdtemp(join(tmpdir(), 'chitchats-shutdown-'));
    if (TEST_DB === 'postgres') {
      database = await createTestDatabase();
      target = database.target;
    } else {
      target = { kind: 'pglite', dataDir: join(root, 'data', 'pglite') };
    }
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await fake?.close();
    await database?.drop();
    await rm(root, { recursive: true, force: true });
  });

  it('stores the partial reply and exits cleanly within the grace period when SIGTERM arrives mid-turn', async () => {
    const port = await freePort();
    const env: Record<string, string> = {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: join(root, 'data'),
      AGENTS_DIR: join(REPO, 'agents'),
      CONFIG_DIR: join(REPO, 'config'),
      WEB_DIR: join(root, 'web'),
      API_KEY_HASH: ADMIN_HASH,
      JWT_SECRET,
      OPENAI_BASE_URL: fake.baseUrl,
      OPENAI_MODEL: 'fake-model',
      DEFAULT_PROVIDER: 'openai',
      SCHEDULER_ENABLED: 'false',
      SHUTDOWN_GRACE_MS: '5000',
      LOG_LEVEL: 'warn',
    } as Record<string, string>;
    if (target.kind === 'postgres') env.DATABASE_URL = target.url;
    // The agents folder is the repository's pack: the process only reads it (no agent is written here).
    fake.enqueue({ steps: [{ kind: 'text', text: 'The tide is ' }, { kind: 'text', text: 'turning', delayMs: 20 }, { kind: 'hang' }] });

    const tsx = join(REPO, 'node_modules/.bin/tsx');
    child = spawn(tsx, [join(REPO, 'src/server/main.ts')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolveExit) => child?.once('exit', (code) => resolveExit(code)));
    const base = `http://127.0.0.1:${port}`;

    await waitFor(async () => (await fetch(`${base}/health`).catch(() => null))?.ok, { timeoutMs: 45_000, what: `server up (${output})` });
    const login = await fetch(`${base}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ password: ADMIN_PASSWORD }),
    });
    const { api_key: token } = (await login.json()) as { api_key: string };
    const headers = { 'content-type': 'application/json', 'x-api-key': token };
    const agents = (await (await fetch(`${base}/agents`, { headers })).json()) as { id: number; name: string }[];
    const mira = agents.find((agent) => agent.name === 'Mira');
    const room = (await (
      await fetch(`${base}/rooms`, { method: 'POST', headers, body: JSON.stringify({ name: 'Shutdown room' }) })
    ).json()) as { id: number };
    await fetch(`${base}/rooms/${room.id}/agents/${mira?.id}`, { method: 'POST', headers });
    const sent = await fetch(`${base}/rooms/${room.id}/messages/send`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ content: 'What is the tide doing?' }),
    });
    expect(sent.status).toBe(200);
    await waitFor(
      async () => {
        const live = (await (await fetch(`${base}/rooms/${room.id}/chatting-agents`, { headers })).json()) as {
          chatting_agents: { response_text: string }[];
        };
        return live.chatting_agents[0]?.response_text === 'The tide is turning';
      },
      { timeoutMs: 15_000, what: 'Mira streaming' },
    );

    child.kill('SIGTERM');
    const code = await Promise.race([exited, new Promise<'still running'>((r) => setTimeout(() => r('still running'), 10_000))]);
    // Exit code 0 is the graceful path; the grace-period watchdog exits with 1.
    expect(code, output).toBe(0);
    child = null;

    const reopened = await openDatabase(target);
    try {
      const rows = await createMessageQueries(reopened.db).listMessagesByRoom({ roomId: room.id });
      const partial = rows.find((row) => row.agentId === mira?.id);
      expect(partial?.content).toBe('The tide is turning');
      expect(partial?.isSkip).toBe(false);
    } finally {
      await reopened.close();
    }
  }, 90_000);
});
