import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request, type FullConfig } from '@playwright/test';
import { REPO, spawnTs, startAppServer, type Child } from './harness/server.js';
import {
  ADMIN_HASH,
  ADMIN_PASSWORD,
  GUEST_HASH,
  GUEST_PASSWORD,
  JWT_SECRET,
  RUN_DIR,
  STATE_FILE,
  STORAGE,
  type RunState,
} from './harness/state.js';

/**
 * The end-to-end harness (ui.md §9.2): build the UI once, start the fake model API as one helper process, start
 * the real server in production mode with a fresh data directory and our fixture agents, and save an admin and a
 * guest session. Returns the teardown, which stops every process by its PID.
 */

/** What the UI build reads (as in scripts/ensure-web-build.ts): newer than web/dist means a rebuild. */
const SOURCES = ['src/web', 'src/shared', 'vite.config.ts', 'tsconfig.web.json', 'package-lock.json'];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/**
 * The UI the server serves, in the run's own folder (another `vite build` elsewhere cannot swap files under a
 * running test): a copy of a fresh `web/dist` (CI builds it just before), else a build made for this run.
 */
export function prepareWeb(target: string): void {
  const dist = join(REPO, 'web', 'dist');
  const index = join(dist, 'index.html');
  const fresh = existsSync(index) && Math.max(...SOURCES.map((source) => newestMtime(join(REPO, source)))) <= statSync(index).mtimeMs;
  if (fresh && process.env.E2E_REBUILD !== '1') {
    cpSync(dist, target, { recursive: true });
    return;
  }
  execFileSync(join(REPO, 'node_modules/.bin/vite'), ['build', '--outDir', target, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: REPO,
    env: { ...process.env, WEB_BUDGET: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

/** Starts the fake model process and reads the URLs it prints. */
export async function startFakeModel(): Promise<Child & { openai: string; control: string }> {
  const { child, handle } = spawnTs(join(REPO, 'tests/e2e/harness/fake-model.ts'), { ...process.env });
  const ready = await new Promise<{ openai: string; control: string }>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`the fake model did not start:\n${handle.output()}`)), 30_000);
    child.stdout?.on('data', () => {
      const line = handle.output().split('\n').find((text) => text.startsWith('{'));
      if (!line) return;
      clearTimeout(timer);
      done(JSON.parse(line) as { openai: string; control: string });
    });
    child.once('exit', (code) => fail(new Error(`the fake model exited with ${code}:\n${handle.output()}`)));
  });
  return { ...handle, ...ready };
}

/** Logs in through the API and saves the session cookie as Playwright storage state. */
async function saveSession(baseURL: string, password: string, path: string): Promise<void> {
  const context = await request.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL } });
  const response = await context.post('/api/auth/login', { data: { password } });
  if (!response.ok()) throw new Error(`login for the saved session failed: ${response.status()} ${await response.text()}`);
  await context.storageState({ path });
  await context.dispose();
}

/**
 * `E2E_REUSE=1` (local iteration only): keep the processes running after the run and reuse them next time while
 * they still answer. Stop them afterwards by the PIDs in tests/e2e/.run/state.json.
 */
async function reusable(): Promise<boolean> {
  if (process.env.E2E_REUSE !== '1' || !existsSync(STATE_FILE)) return false;
  const state = JSON.parse(readFileSync(STATE_FILE, 'utf8')) as RunState;
  return fetch(`${state.baseURL}/api/health`)
    .then((response) => response.ok)
    .catch(() => false);
}

export default async function globalSetup(_config: FullConfig): Promise<() => Promise<void>> {
  if (await reusable()) return async () => undefined;
  rmSync(RUN_DIR, { recursive: true, force: true });
  mkdirSync(RUN_DIR, { recursive: true });
  const root = mkdtempSync(join(tmpdir(), 'chitchats-e2e-'));
  const dirs = { data: join(root, 'data'), agents: join(root, 'agents'), web: join(root, 'web') };
  const children: Child[] = [];
  const stopAll = async () => {
    for (const child of children.reverse()) await child.stop();
    rmSync(root, { recursive: true, force: true });
  };
  const teardown = async () => {
    if (process.env.E2E_REUSE !== '1') await stopAll();
  };
  try {
    prepareWeb(dirs.web);
    cpSync(join(REPO, 'tests/e2e/fixtures/agents'), dirs.agents, { recursive: true });
    const fake = await startFakeModel();
    children.push(fake);
    const server = await startAppServer({
      NODE_ENV: 'production',
      DATA_DIR: dirs.data,
      AGENTS_DIR: dirs.agents,
      CONFIG_DIR: join(REPO, 'config'),
      WEB_DIR: dirs.web,
      API_KEY_HASH: ADMIN_HASH,
      GUEST_PASSWORD_HASH: GUEST_HASH,
      JWT_SECRET,
      OPENAI_BASE_URL: fake.openai,
      OPENAI_API_KEY: 'sk-fake',
      OPENAI_MODEL: 'fake-model',
      DEFAULT_PROVIDER: 'openai',
      PROVIDER_RETRY_DELAY_MS: '50',
      SHUFFLE_SEED: '7',
      SHUTDOWN_GRACE_MS: '2000',
      // Tests of several workers share one admin: the per-user limits are not what they test (scenario 2 has
      // its own server for the login limit).
      RATE_LIMIT_LOGIN: '200',
      RATE_LIMIT_SEND: '1000',
      RATE_LIMIT_EVENTS: '1000',
    });
    children.push(server);
    const storage = STORAGE;
    await saveSession(server.baseURL, ADMIN_PASSWORD, storage.admin);
    await saveSession(server.baseURL, GUEST_PASSWORD, storage.guest);
    const state: RunState = {
      baseURL: server.baseURL,
      control: fake.control,
      openai: fake.openai,
      root,
      agentsDir: dirs.agents,
      webDir: dirs.web,
      storage,
      pids: children.map((child) => child.pid),
    };
    writeFileSync(STATE_FILE, JSON.stringify(state, null, 2));
    process.env.E2E_BASE_URL = server.baseURL;
    return teardown;
  } catch (error) {
    await stopAll();
    throw error;
  }
}
