import { fork, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { PerformanceObserver } from 'node:perf_hooks';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import type { Server } from '../src/server/compose.js';
import type { DatabaseTarget } from '../src/server/db/connect.js';
import type { ProviderAvailabilityRegistry } from '../src/server/providers/registry.js';
import { createScratchPostgres } from '../tests/helpers/scratch-postgres.js';

export const REPO = resolve(import.meta.dirname, '..');
export const ADMIN_PASSWORD = 'bench-admin-password';

export function machine(): string {
  return `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ${process.platform}`;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

export function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  base: string;
  readyMs: number;
  stop(): Promise<void>;
}

/** Starts `src/server/main.ts` the way `npm start` does and measures the time until /ready answers 200. */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'src/server/main.ts')], {
    cwd: REPO,
    env: { ...process.env, LOG_LEVEL: 'warn', PORT: String(port), HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const base = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
    try {
      const response = await fetch(`${base}/ready`);
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (performance.now() - started > 60_000) throw new Error(`server not ready after 60 s:\n${output}`);
    await new Promise((resolveWait) => setTimeout(resolveWait, 10));
  }
  const readyMs = performance.now() - started;
  return {
    child,
    port,
    base,
    readyMs,
    stop: () =>
      new Promise((resolveStop) => {
        child.once('exit', () => resolveStop());
        child.kill('SIGTERM');
      }),
  };
}

// ---- shared by the in-process benchmarks (turn cost, stream latency, fan-out, hot reload by turn) ----------

/**
 * Milliseconds on CLOCK_MONOTONIC (`process.hrtime`), which every thread and process on this machine shares, so a
 * timestamp taken in a child process can be subtracted from one taken in the server process.
 */
export const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;

export const sleep = (ms: number) => new Promise<void>((resolveSleep) => setTimeout(resolveSleep, ms));

export const BENCH_POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const BENCH_JWT_SECRET = 'bench-secret-bench-secret-bench-secret-0000';

export async function postgresReachable(url = BENCH_POSTGRES_URL): Promise<boolean> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export interface Distribution {
  n: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
  min: number;
}

/** Nearest-rank percentiles. */
export function distribution(values: readonly number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
  return {
    n: sorted.length,
    p50: at(50),
    p90: at(90),
    p95: at(95),
    p99: at(99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    min: sorted[0] ?? Number.NaN,
    mean: sorted.reduce((sum, value) => sum + value, 0) / Math.max(1, sorted.length),
  };
}

let adminHash: Promise<string> | null = null;
/** argon2id of ADMIN_PASSWORD, computed once per process. */
export function benchAdminHash(): Promise<string> {
  adminHash ??= import('@node-rs/argon2').then(({ hash }) => hash(ADMIN_PASSWORD));
  return adminHash;
}

export interface BenchDatabase {
  label: 'PGlite' | 'PostgreSQL';
  target: DatabaseTarget;
  drop(): Promise<void>;
}

/**
 * A fresh database: PGlite in a data directory on disk (as `npm start` uses it), or a new database on the
 * PostgreSQL server, created and dropped like tests/helpers/test-database.ts does.
 */
export async function createBenchDatabase(kind: 'pglite' | 'postgres', root: string, postgresUrl = BENCH_POSTGRES_URL): Promise<BenchDatabase> {
  if (kind === 'pglite') return { label: 'PGlite', target: { kind: 'pglite', dataDir: join(root, 'data', 'pglite') }, drop: async () => undefined };
  const scratch = await createScratchPostgres(postgresUrl, { prefix: 'chitchats_bench', poolSize: 10 });
  return { label: 'PostgreSQL', ...scratch };
}

export interface InProcessServer {
  server: Server;
  root: string;
  agentsDir: string;
  token: string;
  /** `http://127.0.0.1:<port>` when started with `listen: true`. */
  base: string;
  /** A request through Fastify's inject (no socket), authenticated as the admin; throws on a non-2xx answer. */
  call<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown): Promise<T>;
  close(): Promise<void>;
}

/**
 * The real app composed in this process (the way tests/helpers/test-server.ts does it), on a bench database,
 * with the scheduler off and rate limits disabled. `providers` injects an in-process provider registry.
 */
export async function startInProcessServer(options: {
  database: BenchDatabase;
  env?: Record<string, string>;
  providers?: ProviderAvailabilityRegistry;
  /** Copy the repository's sample agents (default: an empty agents folder). */
  sampleAgents?: boolean;
  listen?: boolean;
}): Promise<InProcessServer> {
  const { pino } = await import('pino');
  const { composeServer } = await import('../src/server/compose.js');
  const { loadSettings } = await import('../src/server/settings.js');
  const root = await mkdtemp(join(tmpdir(), 'chitchats-bench-'));
  const agentsDir = join(root, 'agents');
  if (options.sampleAgents) await cp(join(REPO, 'agents'), agentsDir, { recursive: true });
  else await mkdir(agentsDir, { recursive: true });
  const env: Record<string, string> = {
    DATA_DIR: join(root, 'data'),
    AGENTS_DIR: agentsDir,
    CONFIG_DIR: join(REPO, 'config'),
    WEB_DIR: join(root, 'web'),
    API_KEY_HASH: await benchAdminHash(),
    JWT_SECRET: BENCH_JWT_SECRET,
    CORS_ALLOW_LAN: 'false',
    SCHEDULER_ENABLED: 'false',
    RATE_LIMIT_ENABLED: 'false',
    ...options.env,
  };
  const server = await composeServer({
    settings: loadSettings(env, root),
    log: pino({ level: process.env.BENCH_LOG_LEVEL ?? 'error' }),
    announce: () => undefined,
    database: options.database.target,
    providers: options.providers,
  });
  let base = '';
  if (options.listen) {
    await server.app.listen({ port: 0, host: '127.0.0.1' });
    const address = server.app.server.address();
    base = typeof address === 'object' && address ? `http://127.0.0.1:${address.port}` : '';
  }
  const login = await server.app.inject({ method: 'POST', url: '/auth/login', payload: { password: ADMIN_PASSWORD } });
  if (login.statusCode !== 200) throw new Error(`login failed: ${login.body}`);
  const token = (login.json() as { api_key: string }).api_key;
  return {
    server,
    root,
    agentsDir,
    token,
    base,
    async call<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown): Promise<T> {
      const response = await server.app.inject({
        method,
        url,
        headers: { 'x-api-key': token },
        ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
      });
      if (response.statusCode >= 300) throw new Error(`${method} ${url} → ${response.statusCode}: ${response.body}`);
      return response.json() as T;
    },
    async close() {
      await server.close();
      await options.database.drop();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** Forks a TypeScript helper (loaded through tsx) with an IPC channel. */
export function forkHelper(file: string, args: string[] = []): ChildProcess {
  return fork(join(REPO, 'bench', file), args, { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

/** The next IPC message from `child` whose `type` is `type`. */
export function nextMessage<T extends { type: string }>(child: ChildProcess, type: T['type'], timeoutMs = 120_000): Promise<T> {
  return new Promise((resolveMessage, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`no '${type}' message from the helper within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (message: unknown) => {
      if (typeof message === 'object' && message !== null && (message as { type?: unknown }).type === type) {
        cleanup();
        resolveMessage(message as T);
      }
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`helper exited with ${code} while waiting for '${type}'`));
    };
    function cleanup() {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    }
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

/**
 * CPU pressure (Linux PSI, /proc/pressure/cpu "some"): the share of time at least one runnable task waited for a CPU,
 * averaged over 10 s and 60 s. High values mean timings are inflated by other processes. Null where unavailable.
 */
export function cpuPressure(): { avg10: number; avg60: number } | null {
  try {
    const match = /^some avg10=([\d.]+) avg60=([\d.]+)/m.exec(readFileSync('/proc/pressure/cpu', 'utf8'));
    return match ? { avg10: Number(match[1]), avg60: Number(match[2]) } : null;
  } catch {
    return null;
  }
}

export interface StallMonitor {
  stop(): {
    /** Gaps of more than `thresholdMs` between ticks of a 1 ms timer in this process. */
    stalls: number;
    stallMs: number;
    /** Of those, how many overlapped a garbage collection. */
    stallsWithGc: number;
    gcCount: number;
    gcMs: number;
    gcMaxMs: number;
  };
}

/** Finds this process's event-loop stalls and tells which of them garbage collection explains. */
export function monitorStalls(thresholdMs = 20): StallMonitor {
  const gcs: { start: number; end: number }[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcs.push({ start: entry.startTime, end: entry.startTime + entry.duration });
  });
  observer.observe({ entryTypes: ['gc'] });
  const stalls: { start: number; end: number }[] = [];
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    if (now - last > thresholdMs) stalls.push({ start: last, end: now });
    last = now;
  }, 1);
  return {
    stop() {
      clearInterval(timer);
      observer.disconnect();
      const durations = gcs.map((gc) => gc.end - gc.start);
      return {
        stalls: stalls.length,
        stallMs: stalls.reduce((sum, stall) => sum + stall.end - stall.start, 0),
        stallsWithGc: stalls.filter((stall) => gcs.some((gc) => gc.start < stall.end && gc.end > stall.start)).length,
        gcCount: gcs.length,
        gcMs: durations.reduce((sum, value) => sum + value, 0),
        gcMaxMs: Math.max(0, ...durations),
      };
    },
  };
}
