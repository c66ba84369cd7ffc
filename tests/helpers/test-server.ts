import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { pino } from 'pino';
import { composeServer, type Server } from '../../src/server/compose.js';
import type { ProviderAvailabilityRegistry } from '../../src/server/providers/registry.js';
import { loadSettings } from '../../src/server/settings.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export const ADMIN_PASSWORD = 'admin-password-for-tests';
export const GUEST_PASSWORD = 'guest-password-for-tests';
// Precomputed so tests do not pay for hashing: argon2id of ADMIN_PASSWORD and bcrypt of GUEST_PASSWORD.
export const ADMIN_HASH = '$argon2id$v=19$m=19456,t=2,p=1$/ToHzPlZ8OYy4krfEoKzcg$7mqZOuH4ioS7t9F4qSzcdg5SGEYyJo/zpiMZgELjP9A';
export const GUEST_HASH = '$2b$04$lPnb59OKKe3Kkzr0KixnMOO1CEXNZ.qbhve9Kn8b65T6Nk9mA.yoS';
export const JWT_SECRET = 'a-test-secret-that-is-long-enough-0123456789';

const REPO = resolve(import.meta.dirname, '../..');

export interface TestServer {
  server: Server;
  dirs: { data: string; agents: string; web: string; root: string };
  announced: string[];
  request(options: InjectOptions & { token?: string }): Promise<LightMyRequestResponse>;
  login(role: 'admin' | 'guest'): Promise<string>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  env?: Record<string, string | undefined>;
  /** Copy the repository's sample pack (default) or start with an empty agents folder. */
  agents?: 'sample' | 'empty';
  now?: () => Date;
  /** In-process providers instead of those built from the environment (the instant test provider). */
  providers?: ProviderAvailabilityRegistry;
  /** A database shared with other servers (two processes on one PostgreSQL); its owner drops it, not `close()`. */
  database?: TestDatabase;
}

/** The real app on a real database with its own temp folders; closed by `close()`. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const root = await mkdtemp(join(tmpdir(), 'chitchats-api-'));
  const dirs = { root, data: join(root, 'data'), agents: join(root, 'agents'), web: join(root, 'web') };
  if ((options.agents ?? 'sample') === 'sample') await cp(join(REPO, 'agents'), dirs.agents, { recursive: true });
  const shared = options.database;
  const database: TestDatabase = shared ?? (await createTestDatabase());
  const env = {
    DATA_DIR: dirs.data,
    AGENTS_DIR: dirs.agents,
    CONFIG_DIR: join(REPO, 'config'),
    WEB_DIR: dirs.web,
    API_KEY_HASH: ADMIN_HASH,
    GUEST_PASSWORD_HASH: GUEST_HASH,
    JWT_SECRET,
    CORS_ALLOW_LAN: 'false',
    ...options.env,
  };
  const announced: string[] = [];
  const server = await composeServer({
    settings: loadSettings(env, root),
    log: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    announce: (text) => announced.push(text),
    database: database.target,
    now: options.now,
    providers: options.providers,
  });
  const tokens = new Map<string, string>();

  async function request(opts: InjectOptions & { token?: string }): Promise<LightMyRequestResponse> {
    const { token, ...rest } = opts;
    const headers = { ...(rest.headers ?? {}) } as Record<string, string>;
    if (token) headers['x-api-key'] = token;
    return server.app.inject({ ...rest, headers });
  }

  return {
    server,
    dirs,
    announced,
    request,
    async login(role) {
      const cached = tokens.get(role);
      if (cached && role === 'admin') return cached;
      const response = await request({
        method: 'POST',
        url: '/auth/login',
        payload: { password: role === 'admin' ? ADMIN_PASSWORD : GUEST_PASSWORD },
      });
      if (response.statusCode !== 200) throw new Error(`login as ${role} failed: ${response.body}`);
      const token = (response.json() as { api_key: string }).api_key;
      tokens.set(role, token);
      return token;
    },
    async close() {
      await server.close();
      if (!shared) await database.drop();
      await rm(root, { recursive: true, force: true });
    },
  };
}
