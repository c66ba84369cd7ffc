import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StartupError } from '../../src/server/auth/auth-state.js';
import { composeServer } from '../../src/server/compose.js';
import { loadSettings } from '../../src/server/settings.js';
import { databaseAvailable } from '../helpers/test-database.js';
import { ADMIN_HASH, ADMIN_PASSWORD, JWT_SECRET, startTestServer } from '../helpers/test-server.js';

const REPO = resolve(import.meta.dirname, '../..');
const MAIN = join(REPO, 'src/server/main.ts');
const TSX = join(REPO, 'node_modules/.bin/tsx');
const GENERATED_PASSWORD = /^ {6}([abcdefghjkmnpqrstuvwxyz23456789]{20})$/m;

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

/** Runs `src/server/main.ts` in its own process with only the given environment (no inherited secrets). */
async function runMain(dir: string, env: Record<string, string>) {
  const port = await freePort();
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolveRun) => {
    const child = spawn(TSX, [MAIN], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', HOME: dir, DATA_DIR: join(dir, 'data'), HOST: '127.0.0.1', PORT: String(port), ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // A server that wrongly starts would never exit by itself; the test's own timeout is the bound.
    child.on('close', (code) => resolveRun({ code, stdout, stderr }));
  });
}

describe.runIf(await databaseAvailable())('startup refusals of src/server/main.ts', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'chitchats-startup-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('exits with code 1 before listening in production without API_KEY_HASH, naming only the missing variable', async () => {
    const result = await runMain(dir, { NODE_ENV: 'production', JWT_SECRET });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'Missing required configuration: API_KEY_HASH (NODE_ENV=production). Create a hash with "npm run set-password -- --print" and set JWT_SECRET to a random string of at least 32 characters.',
    );
    expect(result.stdout).not.toContain('ChitChats is ready');
    await expect(stat(join(dir, 'data', 'auth.json'))).rejects.toThrow();
  });

  it('names both API_KEY_HASH and JWT_SECRET when both are missing in production', async () => {
    const result = await runMain(dir, { NODE_ENV: 'production' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Missing required configuration: API_KEY_HASH, JWT_SECRET (NODE_ENV=production).');
  });

  it('exits with code 1 and the exact message when API_KEY_HASH is not a bcrypt or argon2 hash', async () => {
    const result = await runMain(dir, { API_KEY_HASH: 'plain-text-password', JWT_SECRET });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe('API_KEY_HASH is not a bcrypt or argon2 hash');
    expect(result.stdout).not.toContain('ChitChats is ready');
  });

  it('exits with code 1 and a message naming a malformed variable', async () => {
    const result = await runMain(dir, { API_KEY_HASH: ADMIN_HASH, JWT_SECRET, RATE_LIMIT_SEND: 'abc' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('RATE_LIMIT_SEND');
  });
});

describe.runIf(await databaseAvailable())('startup checks of composeServer', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'chitchats-compose-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  function compose(env: Record<string, string>) {
    return composeServer({
      settings: loadSettings({ DATA_DIR: join(dir, 'data'), ...env }, dir),
      log: pino({ level: 'silent' }),
      announce: () => undefined,
    });
  }

  it('refuses an API_KEY_HASH or GUEST_PASSWORD_HASH that is not a bcrypt or argon2 hash', async () => {
    await expect(compose({ API_KEY_HASH: 'secret', JWT_SECRET })).rejects.toThrow(
      new StartupError('API_KEY_HASH is not a bcrypt or argon2 hash'),
    );
    await expect(compose({ API_KEY_HASH: ADMIN_HASH, GUEST_PASSWORD_HASH: '$2b$short', JWT_SECRET })).rejects.toThrow(
      new StartupError('GUEST_PASSWORD_HASH is not a bcrypt or argon2 hash'),
    );
  });

  it('refuses a JWT_SECRET shorter than 32 characters in production', async () => {
    await expect(compose({ NODE_ENV: 'production', API_KEY_HASH: ADMIN_HASH, JWT_SECRET: 'short' })).rejects.toThrow(/JWT_SECRET/);
  });
});

describe.runIf(await databaseAvailable())('first run without API_KEY_HASH', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = join(await mkdtemp(join(tmpdir(), 'chitchats-first-run-')), 'data');
  });
  afterAll(async () => rm(resolve(dataDir, '..'), { recursive: true, force: true }));

  it('prints a generated password once, which still logs in after a restart with the same secret', async () => {
    const env = { DATA_DIR: dataDir, API_KEY_HASH: undefined, JWT_SECRET: undefined };
    const first = await startTestServer({ agents: 'empty', env });
    let password: string;
    let firstToken: string;
    try {
      expect(first.announced).toHaveLength(1);
      const match = GENERATED_PASSWORD.exec(first.announced[0]!);
      expect(match, first.announced[0]).not.toBeNull();
      password = match![1]!;
      expect(first.announced[0]).toContain('npm run set-password');
      const login = await first.request({ method: 'POST', url: '/auth/login', payload: { password } });
      expect(login.statusCode).toBe(200);
      expect(login.json().role).toBe('admin');
      firstToken = login.json().api_key;
      expect((await first.request({ method: 'GET', url: '/auth/status' })).json()).toEqual({
        password_generated: true,
        guest_enabled: true,
      });
    } finally {
      await first.close();
    }

    const file = JSON.parse(await readFile(join(dataDir, 'auth.json'), 'utf8'));
    expect(file.admin_password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(file.jwt_secret).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(file)).not.toContain(password);
    expect((await stat(join(dataDir, 'auth.json'))).mode & 0o777).toBe(0o600);
    expect((await stat(dataDir)).mode & 0o777).toBe(0o700);

    const second = await startTestServer({ agents: 'empty', env });
    try {
      expect(second.announced).toEqual([]);
      const login = await second.request({ method: 'POST', url: '/auth/login', payload: { password } });
      expect(login.statusCode).toBe(200);
      expect(login.json().role).toBe('admin');
      const verify = await second.request({ method: 'GET', url: '/auth/verify', token: firstToken });
      expect(verify.statusCode).toBe(200);
      expect((await second.request({ method: 'GET', url: '/auth/status' })).json().password_generated).toBe(true);
    } finally {
      await second.close();
    }
  });

  it('lets API_KEY_HASH win over the generated hash and then reports password_generated false', async () => {
    const t = await startTestServer({ agents: 'empty', env: { DATA_DIR: dataDir, API_KEY_HASH: ADMIN_HASH, JWT_SECRET: undefined } });
    try {
      expect(t.announced).toEqual([]);
      expect((await t.request({ method: 'GET', url: '/auth/status' })).json().password_generated).toBe(false);
      const login = await t.request({ method: 'POST', url: '/auth/login', payload: { password: ADMIN_PASSWORD } });
      expect(login.statusCode).toBe(200);
    } finally {
      await t.close();
    }
  });
});
