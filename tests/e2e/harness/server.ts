import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { ADMIN_HASH, JWT_SECRET, runState } from './state.js';

export const REPO = resolve(import.meta.dirname, '../../..');

/** A child process started by the harness; stopped by its PID only. */
export interface Child {
  pid: number;
  output(): string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => done(port));
    });
  });
}

/** `node --import tsx <script>`: one process (tsx's CLI would add a second one between us and the script). */
export function spawnTs(script: string, env: Record<string, string | undefined>): { child: ChildProcess; handle: Child } {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: REPO,
    env: env as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((done) => {
    if (child.exitCode !== null || child.signalCode !== null) done();
    else child.once('exit', () => done());
  });
  const pid = child.pid ?? 0;
  return {
    child,
    handle: {
      pid,
      output: () => output,
      stop: () => stopPid(pid, exited),
    },
  };
}

/** SIGTERM, then SIGKILL after 5 s; only this PID. */
export async function stopPid(pid: number, exited?: Promise<void>): Promise<void> {
  if (!pid || !alive(pid)) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + 5000;
  while (alive(pid) && Date.now() < deadline) {
    if (exited) await Promise.race([exited, sleep(100)]);
    else await sleep(100);
  }
  if (alive(pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

export interface AppServer extends Child {
  baseURL: string;
}

/**
 * The real server (`src/server/main.ts`) on a free loopback port. `env` is merged over a clean base (PATH, HOME,
 * no inherited ChitChats settings); resolves once `/health` answers.
 */
/** Seconds a server may take to come up: about 5 s on an idle CI machine, far more on a loaded one. */
export const START_TIMEOUT_MS = Number(process.env.E2E_START_TIMEOUT_MS ?? 240_000);

/**
 * `host`: the name the browser uses. Cookies are kept per host name, not per port, so a test's own server is
 * reached as `localhost` and its session never mixes with the shared server's at `127.0.0.1`.
 */
export async function startAppServer(
  env: Record<string, string | undefined>,
  {
    timeoutMs = START_TIMEOUT_MS,
    host = '127.0.0.1',
    port: fixedPort,
  }: {
    timeoutMs?: number;
    host?: '127.0.0.1' | 'localhost';
    /** A given port instead of a free one: a restart comes back where the browser expects it. */
    port?: number;
  } = {},
): Promise<AppServer> {
  const port = fixedPort ?? (await freePort());
  const base: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TMPDIR: process.env.TMPDIR,
    LANG: 'C.UTF-8',
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: process.env.E2E_SERVER_LOG ?? 'warn',
    CORS_ALLOW_LAN: 'false',
    SKIP_WEB_BUILD: 'true',
  };
  const { child, handle } = spawnTs(resolve(REPO, 'src/server/main.ts'), { ...base, ...env });
  const probe = `http://127.0.0.1:${port}`;
  const baseURL = `http://${host}:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${handle.output()}`);
    const ok = await fetch(`${probe}/api/health`)
      .then((response) => response.ok)
      .catch(() => false);
    if (ok) break;
    if (Date.now() > deadline) {
      await handle.stop();
      throw new Error(`the server did not answer /api/health within ${timeoutMs} ms:\n${handle.output()}`);
    }
    await sleep(150);
  }
  return { ...handle, baseURL };
}

/**
 * The settings of a server a test starts for itself: its own data folder; the run's agents, UI and fake model; the
 * shared admin password and JWT secret, so the saved password logs in and a restart keeps sessions. `extra` wins.
 */
export function ownServerEnv(dataDir: string, extra: Record<string, string> = {}): Record<string, string> {
  const run = runState();
  return {
    DATA_DIR: dataDir,
    AGENTS_DIR: run.agentsDir,
    CONFIG_DIR: join(REPO, 'config'),
    WEB_DIR: run.webDir,
    API_KEY_HASH: ADMIN_HASH,
    JWT_SECRET,
    OPENAI_BASE_URL: run.openai,
    OPENAI_MODEL: 'fake-model',
    DEFAULT_PROVIDER: 'openai',
    ...extra,
  };
}
